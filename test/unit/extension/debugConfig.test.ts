// The `yieldscope` debug configuration as data: checked, turned into a JavaScript debugger launch, and given the
// tracer through its environment.

import * as assert from 'node:assert/strict';
import {
  MARKER,
  appendNodeOption,
  initialConfiguration,
  isTraceableNodeLaunch,
  markerOf,
  programPath,
  requireOption,
  toNodeLaunch,
  withTracer,
} from '../../../src/extension/debugConfig';
import type { DebugConfig } from '../../../src/extension/debugConfig';

const DEFAULTS = { tracerDir: '/ext/dist/tracer' };
const SAMPLE: DebugConfig = {
  type: 'yieldscope',
  request: 'launch',
  name: 'Visualize sample',
  program: '${workspaceFolder}/src/main.ts',
};

function ok(result: ReturnType<typeof toNodeLaunch>): DebugConfig {
  assert.equal(result.kind, 'ok', result.kind === 'error' ? result.message : '');
  return (result as { config: DebugConfig }).config;
}

describe('extension/debugConfig', () => {
  it("turns the sample's launch configuration into a launch of the JavaScript debugger", () => {
    const config = ok(toNodeLaunch(SAMPLE, DEFAULTS));
    assert.equal(config.type, 'node');
    assert.equal(config.request, 'launch');
    assert.equal(config.name, 'Visualize sample');
    assert.equal(config['program'], '${workspaceFolder}/src/main.ts', 'variables are left for VS Code');
    assert.equal(config['console'], 'internalConsole');
    assert.equal(config['enableContentValidation'], false);
    assert.deepEqual(config['skipFiles'], ['<node_internals>/**', '/ext/dist/tracer/**']);
    assert.deepEqual(markerOf(config), { origin: 'launch' });
  });

  it('keeps what the JavaScript debugger understands and moves its own settings into the marker', () => {
    const config = ok(
      toNodeLaunch(
        {
          ...SAMPLE,
          args: ['--fast'],
          cwd: '/work',
          env: { A: '1', B: null },
          stopOnEntry: true,
          skipFiles: ['${workspaceFolder}/node_modules/**'],
          include: ['src/**'],
          exclude: ['src/gen/**'],
          ringMb: 64,
          maxWaitMs: 500,
        },
        DEFAULTS,
      ),
    );
    assert.deepEqual(config['args'], ['--fast']);
    assert.equal(config['stopOnEntry'], true);
    assert.deepEqual(config['env'], { A: '1', B: null });
    assert.deepEqual(config['skipFiles'], ['${workspaceFolder}/node_modules/**', '/ext/dist/tracer/**']);
    for (const key of ['include', 'exclude', 'ringMb', 'maxWaitMs']) assert.ok(!(key in config), key);
    assert.deepEqual(markerOf(config), {
      origin: 'launch',
      include: ['src/**'],
      exclude: ['src/gen/**'],
      ringMb: 64,
      maxWaitMs: 500,
    });
  });

  it('runs on yieldscope.nodePath unless the configuration names a runtime', () => {
    const runtime = { command: '/opt/node/bin/node', env: {} };
    assert.equal(ok(toNodeLaunch(SAMPLE, { ...DEFAULTS, runtime }))['runtimeExecutable'], '/opt/node/bin/node');
    const own = ok(toNodeLaunch({ ...SAMPLE, runtimeExecutable: 'node22' }, { ...DEFAULTS, runtime }));
    assert.equal(own['runtimeExecutable'], 'node22');
    const editor = ok(
      toNodeLaunch(SAMPLE, { ...DEFAULTS, runtime: { command: '/app/code', env: { ELECTRON_RUN_AS_NODE: '1' } } }),
    );
    assert.deepEqual(editor['env'], { ELECTRON_RUN_AS_NODE: '1' }, "the editor's own runtime needs its variable");
  });

  it('makes F5 without a launch.json run the active file, and says what is missing otherwise', () => {
    const config = ok(toNodeLaunch({}, { ...DEFAULTS, activeFile: '/work/src/app.ts' }));
    assert.equal(config['program'], '/work/src/app.ts');
    const none = toNodeLaunch({}, DEFAULTS);
    assert.equal(none.kind, 'error');
    const notCode = toNodeLaunch({}, { ...DEFAULTS, activeFile: '/work/README.md' });
    assert.equal(notCode.kind, 'error');
  });

  it('refuses wrong attributes, each named with what it must be', () => {
    const result = toNodeLaunch(
      { ...SAMPLE, program: '', args: [1], env: { A: 2 }, ringMb: 4096, maxWaitMs: -1, include: 'src' },
      DEFAULTS,
    );
    assert.equal(result.kind, 'error');
    const message = (result as { message: string }).message;
    for (const key of ['program', 'args', 'env', 'ringMb', 'maxWaitMs', 'include'])
      assert.match(message, new RegExp(`"${key}"`), message);
    const attach = toNodeLaunch({ ...SAMPLE, request: 'attach' }, DEFAULTS);
    assert.match((attach as { message: string }).message, /"launch"/);
  });

  it('adds the tracer through NODE_OPTIONS after what the configuration has, with its settings', () => {
    const first = ok(
      toNodeLaunch(
        { ...SAMPLE, env: { NODE_OPTIONS: '--max-old-space-size=512' }, ringMb: 32, include: ['/w/src/**'] },
        DEFAULTS,
      ),
    );
    const traced = withTracer(first, markerOf(first)!, {
      tracerPath: '/ext/dist/tracer/register.cjs',
      channel: { key: 'k1', env: { YIELDSCOPE_SOCKET: '/tmp/s/trace.sock', YIELDSCOPE_TOKEN: 'secret' } },
    });
    assert.deepEqual(traced['env'], {
      NODE_OPTIONS: '--max-old-space-size=512 --require /ext/dist/tracer/register.cjs',
      YIELDSCOPE_SOCKET: '/tmp/s/trace.sock',
      YIELDSCOPE_TOKEN: 'secret',
      YIELDSCOPE_RING_MB: '32',
      YIELDSCOPE_INCLUDE: '["/w/src/**"]',
    });
    assert.equal(markerOf(traced)?.channel, 'k1');
    assert.equal((first[MARKER] as { channel?: string }).channel, undefined, 'the input is not changed');
    // Again (a restart resolved anew): one --require, the new channel's socket.
    const again = withTracer(traced, markerOf(traced)!, {
      tracerPath: '/ext/dist/tracer/register.cjs',
      channel: { key: 'k2', env: { YIELDSCOPE_SOCKET: '/tmp/t/trace.sock', YIELDSCOPE_TOKEN: 'other' } },
    });
    const env = again['env'] as Record<string, string>;
    assert.equal(env['NODE_OPTIONS']!.match(/--require/g)!.length, 1);
    assert.equal(env['YIELDSCOPE_SOCKET'], '/tmp/t/trace.sock');
  });

  it('quotes a tracer path with spaces the way Node reads NODE_OPTIONS', () => {
    assert.equal(requireOption('/a/b.cjs'), '--require /a/b.cjs');
    assert.equal(requireOption('/home/me/My Extensions/t.cjs'), '--require "/home/me/My Extensions/t.cjs"');
    assert.equal(requireOption('C:\\Users\\A B\\t.cjs'), '--require "C:\\\\Users\\\\A B\\\\t.cjs"');
    assert.equal(appendNodeOption(null, '--require x'), '--require x');
    assert.equal(appendNodeOption('  --inspect ', '--require x'), '--inspect --require x');
  });

  it('knows which Node launches the setting may trace', () => {
    assert.ok(isTraceableNodeLaunch({ type: 'pwa-node', request: 'launch' }));
    assert.ok(isTraceableNodeLaunch({ type: 'node-terminal', request: 'launch' }));
    assert.ok(!isTraceableNodeLaunch({ type: 'node', request: 'attach' }));
    assert.ok(!isTraceableNodeLaunch({ type: 'pwa-node', request: 'launch', __pendingTargetId: 'x' }));
    assert.ok(!isTraceableNodeLaunch({ type: 'python', request: 'launch' }));
  });

  it('finds the program of a resolved configuration', () => {
    assert.equal(programPath({ program: '/w/a.ts' }), '/w/a.ts');
    assert.equal(programPath({ program: 'a.ts', cwd: '/w' }), '/w/a.ts');
    assert.equal(programPath({ program: 'a.ts' }), undefined);
    assert.deepEqual(initialConfiguration(), {
      type: 'yieldscope',
      request: 'launch',
      name: 'Visualize program',
      program: '${file}',
    });
  });
});
