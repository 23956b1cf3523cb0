// Every folder under samples/ is a workspace that opens, runs and explains itself: README.md with its sections,
// src/main.ts, a package.json that names it for the gallery, a tsconfig.json under which it typechecks, and a
// .vscode/launch.json whose `yieldscope` configuration visualises it with F5 (and a plain `node` one beside it).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  OPEN_SAMPLE_COMMAND,
  SAMPLE_FOLDER_NAME,
  SAMPLE_PROGRAM,
  readSamples,
} from '../../src/extension/sampleCatalog';
import { ROOT } from '../tracer/harness';
import { SAMPLES, readmeOutput, sampleFolders } from './gallery';

const REQUIRED_FILES = ['README.md', SAMPLE_PROGRAM, 'package.json', 'tsconfig.json', '.vscode/launch.json'];
const README_SECTIONS = ['## Run it', '## What it prints', '## What to watch', '## The Python original'];
const PROGRAM = '${workspaceFolder}/src/main.ts';

function readJson(file: string): Record<string, unknown> {
  const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${file} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** A markdown heading's text as a reader sees it (`yield\*` is `yield*`). */
function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1');
}

describe('the sample gallery: every sample is a complete workspace', function () {
  const folders = sampleFolders();

  it('has samples, each named by its number in the gallery, no two with the same number', function () {
    assert.ok(folders.length > 0, 'samples/ is empty');
    const bad = folders.filter((f) => !SAMPLE_FOLDER_NAME.test(f));
    assert.deepEqual(bad, [], 'sample folders are named like 05-sending-values');
    const numbers = folders.map((f) => f.slice(0, 2));
    assert.deepEqual(
      numbers.filter((n, i) => numbers.indexOf(n) !== i),
      [],
      'two samples share a number',
    );
  });

  it('lists every sample in the catalogue with its title and description', async function () {
    const samples = await readSamples(SAMPLES);
    assert.deepEqual(
      samples.map((s) => s.id),
      folders,
    );
    for (const s of samples) {
      assert.match(s.title, /^\d+\. \S/, `${s.id}: package.json displayName "${s.title}"`);
      assert.ok(s.description.length > 0, `${s.id}: package.json has no description`);
    }
  });

  it('is listed in samples/README.md, each sample linked by its folder', function () {
    const index = readFileSync(join(SAMPLES, 'README.md'), 'utf8');
    const missing = folders.filter((id) => !index.includes(`](${id}/README.md)`));
    assert.deepEqual(missing, [], 'samples/README.md does not list them');
  });

  it('is offered by the "Open Sample…" command and the walkthrough, whose links and media name real samples', function () {
    const manifest = readJson(join(ROOT, 'package.json'));
    const contributes = manifest['contributes'] as {
      commands: { command: string }[];
      walkthroughs?: { steps: { description: string; media: { markdown?: string } }[] }[];
    };
    assert.ok(contributes.commands.some((c) => c.command === OPEN_SAMPLE_COMMAND));
    const steps = (contributes.walkthroughs ?? []).flatMap((w) => w.steps);
    const linked = steps.flatMap((step) =>
      [...step.description.matchAll(/\(command:yieldscope\.openSample\?([^)]+)\)/g)].map(
        (m) => (JSON.parse(decodeURIComponent(m[1]!)) as string[])[0]!,
      ),
    );
    assert.ok(linked.length > 0, 'the walkthrough opens samples');
    assert.deepEqual(
      linked.filter((id) => !folders.includes(id)),
      [],
      'walkthrough links to samples that do not exist',
    );
    for (const step of steps) {
      if (step.media.markdown) assert.ok(existsSync(join(ROOT, step.media.markdown)), step.media.markdown);
    }
  });

  for (const id of folders) {
    describe(id, function () {
      const dir = join(SAMPLES, id);

      it('has README.md, src/main.ts, package.json, tsconfig.json and .vscode/launch.json', function () {
        const missing = REQUIRED_FILES.filter((f) => !existsSync(join(dir, f)));
        assert.deepEqual(missing, [], `${id} lacks files`);
      });

      it('names itself in package.json: "N. Title", a one-line description, private, no dependencies', function () {
        const pkg = readJson(join(dir, 'package.json'));
        const number = Number(id.slice(0, 2));
        assert.equal(typeof pkg['displayName'], 'string', 'displayName');
        assert.ok(String(pkg['displayName']).startsWith(`${number}. `), `displayName starts with "${number}. "`);
        const description = pkg['description'];
        assert.ok(typeof description === 'string' && description.length > 0, 'description');
        assert.ok(!description.includes('\n') && description.length <= 100, `one line: ${description}`);
        assert.equal(pkg['private'], true, 'private: a sample is not published');
        for (const field of ['dependencies', 'devDependencies']) {
          assert.deepEqual(Object.keys((pkg[field] as object | undefined) ?? {}), [], `${field}: none needed`);
        }
      });

      it('has a yieldscope launch configuration for F5, and a plain node one', function () {
        const launch = readJson(join(dir, '.vscode', 'launch.json'));
        const configurations = launch['configurations'];
        assert.ok(Array.isArray(configurations), 'launch.json has configurations');
        const byType = (type: string) =>
          (configurations as Record<string, unknown>[]).find((c) => c['type'] === type && c['request'] === 'launch');
        const yieldscope = byType('yieldscope');
        assert.ok(yieldscope, 'a "yieldscope" launch configuration');
        assert.equal(yieldscope['program'], PROGRAM);
        assert.equal(typeof yieldscope['name'], 'string');
        assert.equal(configurations[0], yieldscope, 'the yieldscope configuration comes first, so F5 picks it');
        const node = byType('node');
        assert.ok(node, 'a "node" launch configuration');
        assert.equal(node['program'], PROGRAM);
      });

      it('explains itself in README.md: title, how to run it, output, what to watch, the Python original', function () {
        const readme = readFileSync(join(dir, 'README.md'), 'utf8');
        const pkg = readJson(join(dir, 'package.json'));
        const title = unescapeMarkdown(readme.split('\n', 1)[0] ?? '');
        assert.equal(title, `# ${String(pkg['displayName'])}`, 'the README title is the displayName');
        const missing = README_SECTIONS.filter((s) => !readme.includes(`\n${s}\n`));
        assert.deepEqual(missing, [], 'README sections');
        assert.ok(readmeOutput(readme) !== undefined, 'the output is in a ```text block under "What it prints"');
        assert.match(readme, /\n## The Python original\n[\s\S]*?```python\n/, 'the Python original, as code');
      });

      it('typechecks under its own tsconfig.json', function () {
        const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
        const r = spawnSync(tsc, ['--noEmit', '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
        assert.equal(r.status, 0, `tsc -p ${id}/tsconfig.json:\n${r.stdout}${r.stderr}`);
      });
    });
  }
});
