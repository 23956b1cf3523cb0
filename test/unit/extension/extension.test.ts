// Activation and the commands, driven through a fake `vscode` module (fakeVscode.ts) with a fake tracer in
// place of dist/tracer/register.cjs: the checks, the save, the recording, the panel's page and messages, the
// status bar, the log, opening sources, the serializer and deactivation; the debug configuration providers, the
// Coroutines view and the trace file editor as VS Code would call them. test/e2e drives the real editor.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { FAKE_TRACER, FIXTURES, isAlive, tempTraceFile, traceBytes, waitFor } from './helpers';
import type * as ExtensionModule from '../../../src/extension/extension';
import { FakeDocument, FakePanel, Uri, createFakeVscode } from './fakeVscode';
import { bytesOf, sendingValues } from './traces';

// Module._load is Node's internal loader entry; replacing it is how `vscode` is swapped for the fake.
type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Loader };

describe('extension (with a fake vscode)', function () {
  this.timeout(20_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ys-ext-test-'));
  const extensionRoot = path.join(root, 'ext');
  const workspace = path.join(root, 'ws');
  const fake = createFakeVscode(workspace);
  const originalLoad = moduleInternals._load;
  let extension: typeof ExtensionModule;
  let context: { extensionUri: Uri; subscriptions: { dispose(): unknown }[] };
  const sent = traceBytes(50);

  before(() => {
    fs.mkdirSync(path.join(extensionRoot, 'dist', 'tracer'), { recursive: true });
    fs.copyFileSync(FAKE_TRACER, path.join(extensionRoot, 'dist', 'tracer', 'register.cjs'));
    fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'hello.mjs'), path.join(workspace, 'src', 'app.mjs'));
    fs.writeFileSync(path.join(workspace, 'notes.txt'), 'not a program\n');
    process.env['FAKE_TRACE_FILE'] = tempTraceFile(root, sent);
    moduleInternals._load = function (request, parent, isMain) {
      return request === 'vscode' ? fake.vscode : originalLoad.call(this, request, parent, isMain);
    };
    // require, not import: the module must load after the hook above is in place.
    extension = require('../../../src/extension/extension');
  });
  after(() => {
    moduleInternals._load = originalLoad;
    delete process.env['FAKE_TRACE_FILE'];
    fs.rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    Object.assign(fake.record, { messages: [], log: [], panels: [], executed: [], opened: [], config: {} });
    fake.record.written.clear();
    fake.record.saveAnswer = undefined;
    fake.record.answer = () => undefined;
    fake.workspace.isTrusted = true;
    fake.window.activeTextEditor = undefined;
    context = { extensionUri: Uri.file(extensionRoot), subscriptions: [] };
    extension.activate(context as never);
  });
  afterEach(() => {
    for (const d of context.subscriptions) d.dispose();
  });

  const run = (id: string, ...args: unknown[]) => fake.record.commands.get(id)!(...args) as Promise<void>;
  const editFile = (file: string, dirty = false) => {
    const doc = new FakeDocument(Uri.file(file), dirty);
    fake.window.activeTextEditor = { document: doc };
    return doc;
  };
  const posts = (panel: FakePanel) => panel.webview.posted.map((m) => m.type);

  it('registers the three commands and the panel serializer', () => {
    const ids = ['yieldscope.visualizeCurrentFile', 'yieldscope.stopRecording', 'yieldscope.showPanel'];
    for (const id of ids) assert.ok(fake.record.commands.has(id), id);
    assert.ok(fake.record.serializers.has('yieldscope.visualizer'));
  });

  it('refuses to run in an untrusted workspace, and says why', async () => {
    fake.workspace.isTrusted = false;
    editFile(path.join(workspace, 'src', 'app.mjs'));
    await run('yieldscope.visualizeCurrentFile');
    assert.match(fake.record.messages[0]?.text ?? '', /trusted workspace/);
    assert.equal(fake.record.panels.length, 0);
  });

  it('explains when there is no file, or not a runnable one', async () => {
    await run('yieldscope.visualizeCurrentFile');
    editFile(path.join(workspace, 'notes.txt'));
    await run('yieldscope.visualizeCurrentFile');
    assert.deepEqual(
      fake.record.messages.map((m) => m.level),
      ['error', 'error'],
    );
    assert.match(fake.record.messages[1]!.text, /notes\.txt is not one/);
  });

  it('asks to save an untitled file, and does nothing when declined', async () => {
    fake.window.activeTextEditor = { document: new FakeDocument(Uri.untitled('Untitled-1'), true) };
    await run('yieldscope.visualizeCurrentFile');
    assert.match(fake.record.messages[0]?.text ?? '', /Save this file first/);
    assert.equal(fake.record.panels.length, 0);
  });

  it('saves, runs the file in its workspace folder, shows the panel and streams to it', async () => {
    const doc = editFile(path.join(workspace, 'src', 'app.mjs'), true);
    await run('yieldscope.visualizeCurrentFile');
    assert.equal(doc.saved, 1);
    const panel = fake.record.panels[0]!;
    assert.equal(panel.viewType, 'yieldscope.visualizer');
    assert.equal(panel.webview.options.enableScripts, true);
    assert.deepEqual(
      panel.webview.options.localResourceRoots?.map((u) => path.relative(extensionRoot, u.fsPath)),
      [path.join('dist', 'webview'), 'media'],
    );
    const nonce = /nonce-([A-Za-z0-9+/=]+)/.exec(panel.webview.html)?.[1];
    assert.ok(nonce && panel.webview.html.includes(`<script nonce="${nonce}" src="https://fake.vscode-cdn.net`));
    assert.ok(fake.record.statusBar.visible);
    assert.match(fake.record.statusBar.text, /^\$\(debug-stop\) Yieldscope: recording… \d+ events$/);
    assert.equal(fake.record.statusBar.command, 'yieldscope.stopRecording');
    assert.equal(panel.webview.posted.length, 0, 'nothing is sent before the view is ready');
    panel.webview.received.fire({ type: 'ready' });
    await waitFor('the end of the recording', () => posts(panel).includes('recording-ended'));
    assert.equal(posts(panel)[0], 'snapshot');
    await waitFor('the status bar to go', () => !fake.record.statusBar.visible);
    assert.ok(fake.record.log.includes('info ──── app.mjs #1 ────'), fake.record.log.join('\n'));
    assert.ok(fake.record.log.includes('info [app.mjs #1] hello out'));
    assert.ok(
      fake.record.log.some((l) => l.includes(`in ${workspace}`)),
      'runs in the workspace folder',
    );
    assert.ok(fake.record.executed.some((c) => c[0] === 'setContext' && c[1] === 'yieldscope.recording'));
  });

  it('adds a second run to the same panel', async () => {
    editFile(path.join(workspace, 'src', 'app.mjs'));
    await run('yieldscope.visualizeCurrentFile');
    const panel = fake.record.panels[0]!;
    panel.webview.received.fire({ type: 'ready' });
    await run('yieldscope.visualizeCurrentFile');
    assert.equal(fake.record.panels.length, 1);
    assert.ok(panel.revealed >= 1);
    const started = panel.webview.posted.filter((m) => m.type === 'recording-started').map((m) => m['title']);
    assert.deepEqual(started, ['app.mjs #2']);
  });

  it('opens a source file the view asks for, only if it exists', async () => {
    await run('yieldscope.showPanel');
    const panel = fake.record.panels[0]!;
    const file = path.join(workspace, 'src', 'app.mjs');
    panel.webview.received.fire({ type: 'open-source', url: `file://${file}`, line: 2, column: 7 });
    panel.webview.received.fire({ type: 'open-source', url: path.join(workspace, 'gone.ts'), line: 1, column: 1 });
    panel.webview.received.fire({ type: 'run', command: 'rm -rf /' });
    await waitFor('the editor', () => fake.record.opened.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(fake.record.opened.length, 1);
    assert.equal(fake.record.opened[0]!.file, file);
    const start = fake.record.opened[0]!.selection?.start;
    assert.deepEqual([start?.line, start?.character], [1, 6]);
    assert.ok(fake.record.log.some((l) => l.includes('gone.ts: it does not exist')));
    assert.ok(fake.record.log.some((l) => l.includes('ignored a message from the view')));
  });

  it('says so when there is nothing to stop, and stops a running program', async () => {
    await run('yieldscope.stopRecording');
    assert.match(fake.record.messages[0]?.text ?? '', /no recording is running/);
    fs.copyFileSync(path.join(FIXTURES, 'ignore-term.mjs'), path.join(workspace, 'src', 'forever.mjs'));
    editFile(path.join(workspace, 'src', 'forever.mjs'));
    await run('yieldscope.visualizeCurrentFile');
    await waitFor('the program', () => fake.record.log.includes('info [forever.mjs #1] ready'));
    const stopping = run('yieldscope.stopRecording');
    await stopping;
    assert.ok(
      fake.record.log.some((l) => /forever\.mjs #1: stopped by SIG(TERM|KILL)/.test(l)),
      fake.record.log.join('\n'),
    );
  });

  it('restores a panel after a reload, with a page and a snapshot of what the host still has', async () => {
    const panel = new FakePanel('yieldscope.visualizer', {});
    await fake.record.serializers.get('yieldscope.visualizer')!.deserializeWebviewPanel(panel, undefined);
    assert.match(panel.webview.html, /Content-Security-Policy/);
    panel.webview.received.fire({ type: 'ready' });
    assert.deepEqual(panel.webview.posted, [{ type: 'snapshot', recordings: [], active: undefined }]);
  });

  it('stops running programs (and their children) on deactivation', async () => {
    fs.copyFileSync(path.join(FIXTURES, 'spawn-child.mjs'), path.join(workspace, 'src', 'parent.mjs'));
    editFile(path.join(workspace, 'src', 'parent.mjs'));
    await run('yieldscope.visualizeCurrentFile');
    await waitFor('the pids', () => fake.record.log.some((l) => /pids \d+ \d+/.test(l)));
    const [parent, child] = /pids (\d+) (\d+)/.exec(fake.record.log.join('\n'))!.slice(1).map(Number) as [
      number,
      number,
    ];
    for (const d of context.subscriptions.splice(0)) d.dispose();
    assert.ok(fake.record.panels[0]!.disposed);
    await waitFor('the program and its child to be gone', () => !isAlive(parent) && !isAlive(child));
  });
  // ─── debugging, the Coroutines view, trace files ───────────────────────────────────────────────────────────

  const provider = (type: string) => fake.record.debugProviders.find((p) => p.type === type)!.provider;
  /** What VS Code does with a launch configuration: resolve, substitute (here: by hand), resolve again. */
  async function resolve(config: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    let resolved = config;
    if (config['type'] === 'yieldscope') {
      const first = (await provider('yieldscope').resolveDebugConfiguration!(undefined, config)) as
        Record<string, unknown> | undefined;
      if (!first) return undefined;
      resolved = JSON.parse(JSON.stringify(first).replaceAll('${workspaceFolder}', workspace)) as Record<
        string,
        unknown
      >;
    }
    return (await provider('*').resolveDebugConfigurationWithSubstitutedVariables!(undefined, resolved)) as
      Record<string, unknown> | undefined;
  }
  const sample = {
    type: 'yieldscope',
    request: 'launch',
    name: 'Visualize sample',
    program: '${workspaceFolder}/src/app.mjs',
  };

  it('contributes the yieldscope debug type, a tracker for every session, the Coroutines view and the trace editor', () => {
    const types = fake.record.debugProviders.map((p) => `${p.type}:${p.trigger ?? '-'}`);
    assert.deepEqual(types, ['yieldscope:1', '*:-']);
    assert.deepEqual(provider('yieldscope').provideDebugConfigurations!(undefined), [
      { type: 'yieldscope', request: 'launch', name: 'Visualize program', program: '${file}' },
    ]);
    assert.deepEqual(
      fake.record.trackerFactories.map((f) => f.type),
      ['*'],
    );
    assert.ok(fake.record.treeViews.has('yieldscope.coroutines'));
    assert.ok(fake.record.customEditors.has('yieldscope.traceFile'));
  });

  it("turns the sample's yieldscope configuration into a JavaScript debugger launch with the tracer", async () => {
    const config = await resolve(sample);
    assert.ok(config);
    assert.equal(config['type'], 'node');
    assert.equal(config['program'], path.join(workspace, 'src', 'app.mjs'));
    const env = config['env'] as Record<string, string>;
    assert.equal(env['NODE_OPTIONS'], `--require ${path.join(extensionRoot, 'dist', 'tracer', 'register.cjs')}`);
    assert.ok(fs.existsSync(env['YIELDSCOPE_SOCKET']!), 'the session has its socket');
    assert.ok(fake.record.log.some((l) => l.includes('the tracer is injected through NODE_OPTIONS')));
  });

  it('refuses to debug in an untrusted workspace, or a program that does not exist, and says why', async () => {
    fake.workspace.isTrusted = false;
    assert.equal(await resolve(sample), undefined);
    assert.match(fake.record.messages[0]?.text ?? '', /trusted workspace/);
    fake.workspace.isTrusted = true;
    assert.equal(await resolve({ ...sample, program: '${workspaceFolder}/src/missing.ts' }), undefined);
    assert.match(fake.record.messages[1]?.text ?? '', /missing\.ts does not exist/);
    assert.equal(await resolve({ ...sample, ringMb: 'big' }), undefined);
    assert.match(fake.record.messages[2]?.text ?? '', /"ringMb" must be/);
  });

  it('traces every Node launch only with yieldscope.traceAllNodeSessions on', async () => {
    const node = { type: 'pwa-node', request: 'launch', name: 'Tests', program: '/w/test.js' };
    assert.deepEqual(await resolve(node), node, 'off by default: untouched');
    fake.record.config['traceAllNodeSessions'] = true;
    const traced = await resolve(node);
    const tracedEnv = (traced ?? {})['env'] as Record<string, string> | undefined;
    assert.match(tracedEnv?.['NODE_OPTIONS'] ?? '', /--require .*register\.cjs$/);
    const attach = { type: 'pwa-node', request: 'attach', name: 'Attach', port: 9229 };
    assert.deepEqual(await resolve(attach), attach, 'an attach cannot be traced');
    const python = { type: 'python', request: 'launch', name: 'Py' };
    assert.deepEqual(await resolve(python), python);
  });

  it('shows the newest recording in the Coroutines view', async () => {
    editFile(path.join(workspace, 'src', 'app.mjs'));
    await run('yieldscope.visualizeCurrentFile');
    const view = fake.record.treeViews.get('yieldscope.coroutines')!;
    await waitFor('the view to name the recording', () => (view.description ?? '').startsWith('app.mjs #1 · '));
    await waitFor('the recording to end', () => /exited with code 0/.test(view.description ?? ''));
    // The fake tracer sends output events only: no coroutines.
    assert.deepEqual(view.provider.getChildren(), []);
    assert.equal(view.message, 'No coroutines recorded yet.');
  });

  it('opens a trace file in the visualiser, and says what is wrong with one that is not a trace', async () => {
    const editor = fake.record.customEditors.get('yieldscope.traceFile') as {
      openCustomDocument(uri: Uri): Promise<unknown>;
      resolveCustomEditor(doc: unknown, panel: FakePanel): void;
    };
    const good = path.join(root, 'good.ystrace');
    const goodBytes = bytesOf(sendingValues('ended'));
    fs.writeFileSync(good, goodBytes);
    const panel = new FakePanel('yieldscope.traceFile', {});
    editor.resolveCustomEditor(await editor.openCustomDocument(Uri.file(good)), panel);
    panel.webview.received.fire({ type: 'ready' });
    const snapshot = panel.webview.posted[0] as { type: string; recordings: { title: string; bytes: Uint8Array }[] };
    assert.equal(snapshot.type, 'snapshot');
    assert.equal(snapshot.recordings[0]!.title, 'good.ystrace');
    assert.equal(snapshot.recordings[0]!.bytes.length, goodBytes.length);
    assert.equal(fake.record.messages.length, 0, 'a whole trace opens without a word');

    const foreign = path.join(root, 'notes.ystrace');
    fs.writeFileSync(foreign, 'just some text\n');
    const other = new FakePanel('yieldscope.traceFile', {});
    editor.resolveCustomEditor(await editor.openCustomDocument(Uri.file(foreign)), other);
    const said = fake.record.messages.map((m) => m.text);
    assert.match(said[0] ?? '', /notes\.ystrace is not a Yieldscope trace/);
    other.webview.received.fire({ type: 'ready' });
    const state = (other.webview.posted[0] as unknown as { recordings: { state: unknown }[] }).recordings[0]!.state;
    assert.deepEqual(state, { kind: 'failed', message: said[0]!.replace('Yieldscope: ', '') });
  });

  it('saves a recording as a trace file, and exports it for Perfetto', async () => {
    editFile(path.join(workspace, 'src', 'app.mjs'));
    await run('yieldscope.visualizeCurrentFile');
    await waitFor('the status bar to go', () => !fake.record.statusBar.visible);
    fake.record.saveAnswer = Uri.file(path.join(root, 'saved.ystrace'));
    await run('yieldscope.saveRecording');
    assert.deepEqual(fake.record.written.get(path.join(root, 'saved.ystrace')), sent);
    fake.record.saveAnswer = Uri.file(path.join(root, 'saved.json'));
    await run('yieldscope.exportChromeTrace');
    const json = JSON.parse(new TextDecoder().decode(fake.record.written.get(path.join(root, 'saved.json')))) as {
      traceEvents: unknown[];
    };
    assert.ok(json.traceEvents.length > 0);
  });
});
