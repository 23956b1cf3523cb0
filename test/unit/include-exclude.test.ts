// Which files the tracer instruments: the include/exclude globs of a launch configuration (YIELDSCOPE_INCLUDE /
// YIELDSCOPE_EXCLUDE), relative to the program's working folder.

import assert from 'node:assert/strict';
import { globToRegExp } from '../../src/tracer/loader/glob';
import { shouldInstrument } from '../../src/tracer/loader/hooks';
import { readConfig } from '../../src/tracer/config';

const root = '/work/app';
const decide = (path: string, include: string[] = [], exclude: string[] = []): boolean =>
  shouldInstrument(path, { cacheDir: undefined, skip: ['/opt/yieldscope/'], root, include, exclude });

describe('include and exclude globs', function () {
  it('match the way ignore files do: **, *, ?, {a,b}, bare names in any folder, folders', function () {
    const m = (glob: string, path: string): boolean => globToRegExp(glob).test(path);
    assert.ok(m('src/**/*.ts', 'src/a/b/c.ts'));
    assert.ok(m('src/**/*.ts', 'src/c.ts'));
    assert.ok(!m('src/*.ts', 'src/a/c.ts'));
    assert.ok(m('*.test.ts', 'deep/down/x.test.ts'));
    assert.ok(m('src/?.ts', 'src/a.ts'));
    assert.ok(!m('src/?.ts', 'src/ab.ts'));
    assert.ok(m('lib/{gen,run}.js', 'lib/run.js'));
    assert.ok(!m('lib/{gen,run}.js', 'lib/other.js'));
    assert.ok(m('vendor', 'vendor/x/y.js'));
    assert.ok(m('./src/main.ts', 'src/main.ts'));
    assert.ok(!m('a.b', 'axb'), 'a dot is a dot');
  });

  it('leave the default alone when empty: the program, not node_modules or the tracer', function () {
    assert.ok(decide('/work/app/src/main.ts'));
    assert.ok(!decide('/work/app/node_modules/lib/index.js'));
    assert.ok(!decide('/opt/yieldscope/tracer/x.js'));
    assert.ok(!decide('/work/app/data.json'));
  });

  it('instrument only what include names (node_modules too, when named); exclude wins', function () {
    assert.ok(decide('/work/app/src/main.ts', ['src/**']));
    assert.ok(!decide('/work/app/scripts/build.js', ['src/**']));
    assert.ok(decide('/work/app/node_modules/co/index.js', ['src/**', 'node_modules/co/**']));
    assert.ok(!decide('/work/app/src/main.test.ts', ['src/**'], ['*.test.ts']));
    assert.ok(!decide('/work/app/src/gen.ts', [], ['src/gen.ts']));
    assert.ok(!decide('/opt/yieldscope/tracer/x.js', ['**']), 'the tracer never instruments itself');
  });

  it('are read from the environment as JSON arrays; anything else is none', function () {
    const c = readConfig({ YIELDSCOPE_INCLUDE: '["src/**", 3, ""]', YIELDSCOPE_EXCLUDE: 'not json' }, root, 1);
    assert.deepEqual(c.include, ['src/**']);
    assert.deepEqual(c.exclude, []);
  });
});
