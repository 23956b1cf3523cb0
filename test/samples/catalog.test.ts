// The gallery's catalogue (src/extension/sampleCatalog.ts): which folders are samples, their titles, and copies
// that never overwrite anything.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copySample, isInside, parseSampleManifest, readSamples } from '../../src/extension/sampleCatalog';

function write(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

describe('the sample catalogue', function () {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ys-catalog-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lists folders named NN-words that hold src/main.ts, in gallery order, titled from package.json', async () => {
    const samples = join(root, 'samples');
    write(join(samples, '10-ten', 'src', 'main.ts'), '');
    write(join(samples, '10-ten', 'package.json'), '{"displayName": "10. Ten", "description": "The tenth"}');
    write(join(samples, '02-two', 'src', 'main.ts'), '');
    write(join(samples, '02-two', 'package.json'), '{"displayName": "2. Two", "description": "The second"}');
    write(join(samples, '03-no-manifest', 'src', 'main.ts'), '');
    write(join(samples, '04-bad-manifest', 'src', 'main.ts'), '');
    write(join(samples, '04-bad-manifest', 'package.json'), '{"displayName": 4,');
    write(join(samples, '05-no-program', 'package.json'), '{}');
    write(join(samples, 'notes', 'src', 'main.ts'), '');
    write(join(samples, '06-a-file'), '');
    const list = await readSamples(samples);
    assert.deepEqual(
      list.map((s) => [s.id, s.order, s.title, s.description]),
      [
        ['02-two', 2, '2. Two', 'The second'],
        ['03-no-manifest', 3, '03-no-manifest', ''],
        ['04-bad-manifest', 4, '04-bad-manifest', ''],
        ['10-ten', 10, '10. Ten', 'The tenth'],
      ],
    );
    assert.equal(list[0]!.folder, join(samples, '02-two'));
  });

  it('lists nothing for a folder that does not exist', async () => {
    assert.deepEqual(await readSamples(join(root, 'nowhere')), []);
  });

  it('reads only string fields from package.json and never throws', () => {
    assert.deepEqual(parseSampleManifest('{"displayName": " A ", "description": ["x"]}'), {
      displayName: 'A',
      description: undefined,
    });
    for (const text of ['', 'null', '[]', '"x"', '{']) {
      assert.deepEqual(parseSampleManifest(text), { displayName: undefined, description: undefined });
    }
  });

  it('copies a sample beside existing ones without overwriting them, leaving out node_modules and traces', async () => {
    const samples = join(root, 'samples');
    write(join(samples, '05-five', 'src', 'main.ts'), 'console.log(5);\n');
    write(join(samples, '05-five', '.vscode', 'launch.json'), '{}\n');
    write(join(samples, '05-five', 'node_modules', 'x', 'index.js'), '');
    write(join(samples, '05-five', 'src', 'main.ts.ystrace'), '');
    const [sample] = await readSamples(samples);
    const target = join(root, 'mine');
    write(join(target, '05-five', 'keep.txt'), 'mine\n');

    const copy = await copySample(sample!, target);
    assert.equal(copy, join(target, '05-five-2'));
    assert.equal(readFileSync(join(copy, 'src', 'main.ts'), 'utf8'), 'console.log(5);\n');
    assert.ok(existsSync(join(copy, '.vscode', 'launch.json')));
    assert.ok(!existsSync(join(copy, 'node_modules')));
    assert.ok(!existsSync(join(copy, 'src', 'main.ts.ystrace')));
    assert.equal(readFileSync(join(target, '05-five', 'keep.txt'), 'utf8'), 'mine\n');
    assert.equal(await copySample(sample!, target), join(target, '05-five-3'));
  });

  it('tells whether a file lies inside a folder', () => {
    assert.ok(isInside('/a/b/c.ts', '/a/b'));
    assert.ok(isInside('/a/b', '/a/b'));
    assert.ok(!isInside('/a/bc/d.ts', '/a/b'));
    assert.ok(!isInside('/a', '/a/b'));
    assert.ok(isInside('/a/b/..c/d.ts', '/a/b'));
  });
});
