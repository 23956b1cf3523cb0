// The editor features of issue 7 wired into the extension, driven through the fake `vscode` (fakeVscode.ts) with
// the fake tracer sending a hand-made trace of the sending-values program: the "Visualize" CodeLenses, the inline
// values and hovers at yield lines, "Show History" on a coroutine of the Coroutines view, and "Break on Coroutine
// Events" reaching a launch's environment and a running program through the debugger's evaluate request.

import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as ExtensionModule from '../../../src/extension/extension';
import { FakeDocument, FakeEditor, Uri, createFakeVscode } from './fakeVscode';
import type { CodeLens, MarkdownString } from './fakeVscode';
import { FAKE_TRACER, tempTraceFile, waitFor } from './helpers';
import { bytesOf, sendingValues } from './traces';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Loader };
const EXTENSION_DIR = path.join(__dirname, '..', '..', '..', 'src', 'extension') + path.sep;

/** Each test file gets its own copy of the extension's modules, bound to its own fake `vscode`. */
function forgetExtensionModules(): void {
  for (const key of Object.keys(require.cache)) if (key.startsWith(EXTENSION_DIR)) delete require.cache[key];
}

const PROGRAM = `// the sending-values sample, as plain JavaScript
'use strict';

function* gen(first) {
  let got = first;
  while (true) got = yield got;
}

const g = gen(1);
console.log(g.next('lost'), g.next('hello'), g.next(42));
`;

describe('editor features (with a fake vscode)', function () {
  this.timeout(20_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ys-editor-test-'));
  const extensionRoot = path.join(root, 'ext');
  const workspace = path.join(root, 'ws');
  const program = path.join(workspace, 'src', 'main.js');
  const fake = createFakeVscode(workspace);
  const originalLoad = moduleInternals._load;
  let extension: typeof ExtensionModule;
  let context: { extensionUri: Uri; subscriptions: { dispose(): unknown }[] };

  before(() => {
    fs.mkdirSync(path.join(extensionRoot, 'dist', 'tracer'), { recursive: true });
    fs.copyFileSync(FAKE_TRACER, path.join(extensionRoot, 'dist', 'tracer', 'register.cjs'));
    fs.mkdirSync(path.dirname(program), { recursive: true });
    fs.writeFileSync(program, PROGRAM);
    // The trace's file is this program; its yield site is on line 6.
    const trace = sendingValues('ended');
    trace.files.set(1, { id: 1, url: pathToFileURL(program).href });
    process.env['FAKE_TRACE_FILE'] = tempTraceFile(root, bytesOf(trace));
    moduleInternals._load = function (request, parent, isMain) {
      return request === 'vscode' ? fake.vscode : originalLoad.call(this, request, parent, isMain);
    };
    forgetExtensionModules();
    extension = require('../../../src/extension/extension');
  });
  after(() => {
    moduleInternals._load = originalLoad;
    forgetExtensionModules();
    delete process.env['FAKE_TRACE_FILE'];
    fs.rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    Object.assign(fake.record, { messages: [], log: [], panels: [], executed: [], opened: [], config: {} });
    fake.workspace.isTrusted = true;
    fake.window.visibleTextEditors = [];
    context = { extensionUri: Uri.file(extensionRoot), subscriptions: [] };
    extension.activate(context as never);
  });
  afterEach(() => {
    for (const d of context.subscriptions) d.dispose();
  });

  const run = (id: string, ...args: unknown[]) => fake.record.commands.get(id)!(...args) as Promise<void>;
  const lenses = (file: string) =>
    fake.record.codeLensProviders[0]!.provider.provideCodeLenses(new FakeDocument(Uri.file(file))) as CodeLens[];
  /** The first coroutine the Coroutines view lists, once it lists one. */
  const firstCoroutine = () => {
    const view = fake.record.treeViews.get('yieldscope.coroutines')!;
    const group = view.provider.getChildren()[0];
    return group === undefined ? undefined : (view.provider.getChildren(group)[0] as { label: string } | undefined);
  };
  async function recordProgram(): Promise<void> {
    fake.window.activeTextEditor = { document: new FakeDocument(Uri.file(program)) };
    await run('yieldscope.visualizeCurrentFile');
    const view = fake.record.treeViews.get('yieldscope.coroutines')!;
    await waitFor('the recording to end', () => /exited with code 0/.test(view.description ?? ''));
  }

  it('offers "Visualize" above the entry point and the generator, running the file; not when turned off or untrusted', () => {
    const found = lenses(program);
    assert.deepEqual(
      found.map((l) => [l.range.start.line, l.command?.title]),
      [
        [8, '$(play-circle) Visualize this file'],
        [3, '$(play-circle) Visualize'],
      ],
    );
    assert.equal(found[1]!.command?.tooltip, 'Run main.js under Yieldscope and watch the generators gen makes');
    assert.equal(found[0]!.command?.command, 'yieldscope.visualizeCurrentFile');
    assert.equal((found[0]!.command!.arguments![0] as Uri).fsPath, program);
    fake.record.config['codeLens'] = false;
    assert.deepEqual(lenses(program), []);
    fake.record.config['codeLens'] = true;
    fake.workspace.isTrusted = false;
    assert.deepEqual(lenses(program), []);
  });

  it('shows the last values at the yield line, with the history on hover; the setting hides the text only', async () => {
    const editor = new FakeEditor(new FakeDocument(Uri.file(program)));
    const other = new FakeEditor(new FakeDocument(Uri.file(path.join(workspace, 'other.js'))));
    fake.window.visibleTextEditors = [editor, other];
    await recordProgram();
    type Note = { range: { start: { line: number } }; hoverMessage: MarkdownString; renderOptions?: unknown };
    const notes = () => [...editor.decorations.values()][0] as Note[] | undefined;
    await waitFor('the yield line to get its note', () => (notes()?.length ?? 0) > 0);
    const [note] = notes()!;
    assert.equal(note!.range.start.line, 5);
    assert.deepEqual(note!.renderOptions, { after: { contentText: 'yielded 3 · 3×' } });
    assert.match(note!.hoverMessage.value, /gen\\#1 yielded 2, then sent in 42/);
    assert.equal(note!.hoverMessage.isTrusted, false);
    assert.equal(note!.hoverMessage.supportHtml, false);
    assert.deepEqual([...other.decorations.values()][0], [], 'a file the program did not run gets nothing');

    fake.record.config['inlineValues'] = false;
    fake.editorEvents.configuration.fire({ affectsConfiguration: (s: string) => s === 'yieldscope.inlineValues' });
    assert.equal(notes()![0]!.renderOptions, undefined);
    assert.match(notes()![0]!.hoverMessage.value, /yielded 1, then sent in "hello"/);
  });

  it("shows a coroutine's history, newest first, and opens the line picked", async () => {
    await recordProgram();
    const node = await waitFor('gen#1 in the Coroutines view', () => firstCoroutine() !== undefined).then(() =>
      firstCoroutine()!,
    );
    assert.equal(node.label, 'gen#1');
    let shown: { label: string; description: string }[] = [];
    let title = '';
    fake.window.showQuickPick = async <T>(items: T[], options?: { title?: string }) => {
      shown = items as never;
      title = options?.title ?? '';
      return items[0];
    };
    await run('yieldscope.coroutines.showHistory', node);
    assert.equal(title, 'Yieldscope: History of gen#1');
    assert.deepEqual(
      shown.map((i) => i.label),
      [
        'yielded 3',
        'resumed by the top level: next(42)',
        'yielded 2',
        'resumed by the top level: next("hello")',
        'yielded 1',
        'resumed by the top level: next("lost")',
        'created by the top level with (1)',
      ],
    );
    const opened = fake.record.opened.at(-1);
    assert.equal(opened?.file, program);
    assert.deepEqual([opened?.selection?.start.line, opened?.selection?.start.character], [5, 18]);
  });

  it('breaks on the events picked: in the environment of a launch, and in a running program through evaluate', async () => {
    const picks: unknown[] = [['A generator yields', 'A coroutine fails'], 'Only generators of these functions…'];
    fake.window.showQuickPick = async <T>(items: T[], options?: { canPickMany?: boolean }) => {
      const want = picks.shift();
      const labels = (items as { label: string }[]).map((i) => i.label);
      if (options?.canPickMany) return items.filter((_, i) => (want as string[]).includes(labels[i]!)) as never;
      return items[labels.indexOf(want as string)];
    };
    fake.record.inputs = ['gen, other'];
    await run('yieldscope.breakOn.configure');
    assert.ok(fake.record.log.includes('info break on coroutine events: yields (gen, other), fails (any)'));

    const provider = (type: string) => fake.record.debugProviders.find((p) => p.type === type)!.provider;
    const launch = { type: 'yieldscope', request: 'launch', name: 'Visualize', program };
    const first = (await provider('yieldscope').resolveDebugConfiguration!(undefined, launch)) as Record<
      string,
      unknown
    >;
    const config = (await provider('*').resolveDebugConfigurationWithSubstitutedVariables!(undefined, first)) as {
      env: Record<string, string>;
    };
    assert.equal(config.env['YIELDSCOPE_BREAK_ON'], '{"yield":["gen","other"],"fail":"*"}');

    // The program starts (the fake tracer connects), its session starts: the choice is handed over once.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 3000)'], {
      env: { ...process.env, ...config.env },
      stdio: 'ignore',
    });
    const requests: { command: string; args: { expression?: string } }[] = [];
    const session = {
      id: 's1',
      name: `main.js [${child.pid}]`,
      type: 'pwa-node',
      configuration: config,
      customRequest: async (command: string, args: { expression?: string }) => {
        requests.push({ command, args });
        return { result: "'yieldscope:break:yield,fail'" };
      },
    };
    const evaluated = () =>
      requests.filter((r) => r.command === 'evaluate').map((r) => /set\((".*")\)/.exec(r.args.expression ?? '')?.[1]);
    try {
      fake.debugEvents.start.fire(session);
      await waitFor('the trace of the program, in the Coroutines view', () => firstCoroutine() !== undefined);
      assert.deepEqual(evaluated(), [], 'the program has the choice from its environment already');

      await run('yieldscope.breakOn.clear');
      await waitFor('the cleared choice to reach the program', () => evaluated().length === 1);
      assert.deepEqual(evaluated(), [JSON.stringify('{}')]);
      picks.push(['An error is thrown into a generator'], 'Every generator');
      await run('yieldscope.breakOn.configure');
      await waitFor('the new choice to reach the program', () => evaluated().length === 2);
      assert.equal(evaluated()[1], JSON.stringify('{"throw":"*"}'));

      // From the Coroutines view: this one coroutine, in this program only.
      const node = firstCoroutine();
      assert.equal(node?.label, 'gen#1');
      await run('yieldscope.coroutines.breakOnYield', node);
      assert.equal(evaluated()[2], JSON.stringify('{"yield":["#1"],"throw":"*"}'));
      assert.equal(fake.record.messages.at(-1)?.text, 'Yieldscope: the program will pause when gen#1 yields.');
    } finally {
      child.kill();
      fake.debugEvents.terminate.fire(session);
    }
  });
});
