// "Yieldscope: Open Sample…" (src/extension/samples.ts) driven through a small fake `vscode`: the list of samples,
// a copy into the folder the user picks, opening in place, the id argument of the walkthrough's links, and the
// Visualize command run on the sample's program. The real editor is the end-to-end suite's job.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as SamplesModule from '../../src/extension/samples';
import { silentLogger } from '../../src/extension/log';
import { Uri } from '../unit/extension/fakeVscode';

// Module._load is Node's internal loader entry; replacing it is how `vscode` is swapped for the fake.
type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Loader };

interface QuickPickItem {
  readonly label: string;
  readonly detail?: string;
}

/** What the fake editor was asked to do, and how its "user" answers. */
interface Script {
  pick: (items: readonly QuickPickItem[]) => QuickPickItem | undefined;
  folder: Uri | undefined;
  workspaceFolders: { uri: Uri }[] | undefined;
  readonly picks: string[][];
  readonly opened: string[];
  readonly executed: unknown[][];
  readonly errors: string[];
  readonly infos: string[];
}

/** A fake `vscode` whose user follows the current script (the module under test keeps the first one it loads). */
function fakeVscode(current: () => Script) {
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const vscode = {
    Uri,
    commands: {
      registerCommand(id: string, fn: (...args: unknown[]) => unknown) {
        commands.set(id, fn);
        return { dispose: () => commands.delete(id) };
      },
      async executeCommand(...args: unknown[]) {
        current().executed.push(args.map((a) => (a instanceof Uri ? a.fsPath : a)));
      },
    },
    window: {
      async showQuickPick<T extends QuickPickItem>(items: readonly T[]) {
        current().picks.push(items.map((i) => `${i.label} | ${i.detail ?? ''}`));
        return current().pick(items) as T | undefined;
      },
      async showOpenDialog() {
        return current().folder ? [current().folder] : undefined;
      },
      async showTextDocument(uri: Uri) {
        current().opened.push(uri.fsPath);
      },
      async showErrorMessage(message: string) {
        current().errors.push(message);
      },
      async showInformationMessage(message: string) {
        current().infos.push(message);
        return undefined;
      },
    },
    workspace: {
      get workspaceFolders() {
        return current().workspaceFolders;
      },
    },
  };
  return { vscode, commands };
}

describe('Yieldscope: Open Sample… (with a fake vscode)', function () {
  const root = mkdtempSync(join(tmpdir(), 'ys-open-sample-'));
  const extension = join(root, 'ext');
  const originalLoad = moduleInternals._load;
  let script: Script;
  const fake = fakeVscode(() => script);
  let samples: typeof SamplesModule;
  const run = (...args: unknown[]) => fake.commands.get(samples.OPEN_SAMPLE_COMMAND)!(...args) as Promise<void>;

  before(() => {
    for (const [id, title] of [
      ['02-life', "2. A generator's life"],
      ['05-send', '5. Sending values in'],
    ] as const) {
      mkdirSync(join(extension, 'samples', id, 'src'), { recursive: true });
      writeFileSync(join(extension, 'samples', id, 'src', 'main.ts'), `// ${id}\n`);
      writeFileSync(
        join(extension, 'samples', id, 'package.json'),
        JSON.stringify({ displayName: title, description: `about ${id}` }),
      );
    }
    moduleInternals._load = function (request, parent, isMain) {
      return request === 'vscode' ? fake.vscode : originalLoad.call(this, request, parent, isMain);
    };
    // require, not import: the module must load after the hook above is in place.
    samples = require('../../src/extension/samples');
    // The fake Uri has only what the command uses.
    samples.registerSampleGallery(Uri.file(extension) as never, silentLogger);
  });
  after(() => {
    moduleInternals._load = originalLoad;
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    script = {
      pick: () => undefined,
      folder: undefined,
      workspaceFolders: undefined,
      picks: [],
      opened: [],
      executed: [],
      errors: [],
      infos: [],
    };
  });

  it('lists the samples by title and description; nothing happens when the list is dismissed', async () => {
    await run();
    assert.deepEqual(script.picks, [["2. A generator's life | about 02-life", '5. Sending values in | about 05-send']]);
    assert.deepEqual(script.opened, []);
    assert.deepEqual(script.executed, []);
  });

  it('copies the chosen sample into the folder the user picks, opens its program and visualises it', async () => {
    const mine = join(root, 'mine');
    mkdirSync(mine);
    script.folder = Uri.file(mine);
    script.pick = (items) => items.find((i) => i.label.startsWith('5.') || i.label.includes('Copy'));
    await run();
    const program = join(mine, '05-send', 'src', 'main.ts');
    assert.equal(readFileSync(program, 'utf8'), '// 05-send\n');
    assert.deepEqual(script.opened, [program]);
    assert.deepEqual(script.executed, [['yieldscope.visualizeCurrentFile', program]]);
    assert.equal(script.infos.length, 1, 'offers to open the folder');
    assert.deepEqual(script.errors, []);
  });

  it('opens a sample in place, and takes a sample id as argument (the walkthrough links)', async () => {
    script.pick = (items) => items.find((i) => i.label.includes('in Place'));
    await run('02-life');
    const program = join(extension, 'samples', '02-life', 'src', 'main.ts');
    assert.equal(script.picks.length, 1, 'only where to open it was asked');
    assert.deepEqual(script.opened, [program]);
    assert.deepEqual(script.executed, [['yieldscope.visualizeCurrentFile', program]]);
  });

  it('opens in place without asking when the samples are part of the workspace', async () => {
    script.workspaceFolders = [{ uri: Uri.file(join(extension, 'samples')) }];
    await run('05-send');
    assert.deepEqual(script.picks, []);
    assert.deepEqual(script.opened, [join(extension, 'samples', '05-send', 'src', 'main.ts')]);
    assert.deepEqual(script.infos, [], 'the folder is already open');
  });

  it("records with the heap sampler on when the sample's launch configuration turns it on (as 01 does)", async () => {
    const vscodeDir = join(extension, 'samples', '05-send', '.vscode');
    mkdirSync(vscodeDir, { recursive: true });
    const config = { type: 'yieldscope', request: 'launch', env: { YIELDSCOPE_HEAP_MS: '5', OTHER: 'x' } };
    writeFileSync(join(vscodeDir, 'launch.json'), JSON.stringify({ configurations: [config] }));
    try {
      script.workspaceFolders = [{ uri: Uri.file(join(extension, 'samples')) }];
      await run('05-send');
      const program = join(extension, 'samples', '05-send', 'src', 'main.ts');
      assert.deepEqual(script.executed, [['yieldscope.visualizeCurrentFile', program, { heapIntervalMs: 5 }]]);
    } finally {
      rmSync(vscodeDir, { recursive: true, force: true });
    }
  });

  it('says so for an unknown id, and stops when no folder is picked', async () => {
    await run('99-nothing');
    assert.deepEqual(script.errors, ['Yieldscope: there is no sample "99-nothing".']);
    script.pick = (items) => items.find((i) => i.label.includes('Copy'));
    await run('02-life');
    assert.deepEqual(script.opened, []);
    assert.deepEqual(script.executed, []);
  });
});
