// "Break on coroutine events" in the editor: the commands that choose the events (from the palette, the
// Breakpoints view's title bar, and a coroutine's menu in the Coroutines view), the choice kept per workspace, and
// its delivery to traced programs: in the environment of each launch (YIELDSCOPE_BREAK_ON), and to programs
// already running through the debugger's `evaluate` request (breakOnSpec.ts builds the expression; the tracer
// parses the text in src/tracer/runtime/breakOn.ts). The pause itself is a `debugger` statement the tracer runs
// when a chosen event happens, so it works with VS Code's built-in JavaScript debugger as it is: see README.

import * as vscode from 'vscode';
import {
  BREAK_ENV,
  BREAK_KINDS,
  BREAK_LABELS,
  breakOnExpression,
  breakSpecText,
  describeBreakOn,
  parseBreakAnswer,
  parseFunctionNames,
  readBreakSettings,
  settingsFromPick,
} from './breakOnSpec';
import type { BreakAnswer, BreakIds, BreakKind, BreakSettings } from './breakOnSpec';
import type { CoroutineNode } from './coroutineTree';
import { markerOf } from './debugConfig';
import type { DebugSessionLike, DebugTraces } from './debugTraces';
import { Disposable } from './dispose';
import type { Logger } from './log';
import type { TraceRecording } from './traceRecording';

export const BREAK_COMMANDS = {
  configure: 'yieldscope.breakOn.configure',
  clear: 'yieldscope.breakOn.clear',
  onYield: 'yieldscope.coroutines.breakOnYield',
  onSend: 'yieldscope.coroutines.breakOnSend',
} as const;

const STORAGE_KEY = 'yieldscope.breakOn';

/** Where the choice is kept: `ExtensionContext.workspaceState`, or memory. */
export interface BreakStorage {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

export class BreakOn extends Disposable {
  private settings: BreakSettings;
  /** Coroutines picked in the Coroutines view, per debugging session. */
  private readonly ids = new Map<string, BreakIds>();
  /** The text each session's tracer last accepted. */
  private readonly applied = new Map<string, string>();
  private traces: DebugTraces | undefined;

  constructor(
    private readonly storage: BreakStorage | undefined,
    private readonly log: Logger,
    private readonly currentRecording: () => TraceRecording | undefined,
  ) {
    super();
    this.settings = readBreakSettings(storage?.get(STORAGE_KEY));
    this._register(vscode.commands.registerCommand(BREAK_COMMANDS.configure, () => this.configure()));
    this._register(vscode.commands.registerCommand(BREAK_COMMANDS.clear, () => this.clear()));
    this._register(
      vscode.commands.registerCommand(BREAK_COMMANDS.onYield, (node?: unknown) => this.pickCoroutine(node, 'yield')),
    );
    this._register(
      vscode.commands.registerCommand(BREAK_COMMANDS.onSend, (node?: unknown) => this.pickCoroutine(node, 'send')),
    );
  }

  /** The JSON text for a new launch's environment ('{}' when nothing is asked for). */
  launchSpec(): string {
    return breakSpecText(this.settings);
  }

  /** Starts delivering the choice to the programs of traced debugging sessions. */
  attach(traces: DebugTraces): void {
    this.traces = traces;
    this._register(
      traces.onDidChange((session) => {
        if (!traces.tracedSessions().includes(session)) {
          this.ids.delete(session.id);
          this.applied.delete(session.id);
          return;
        }
        void this.push(session);
      }),
    );
  }

  private async configure(): Promise<void> {
    type Item = vscode.QuickPickItem & { event: BreakKind };
    const items: Item[] = BREAK_KINDS.map((kind) => ({
      event: kind,
      label: BREAK_LABELS[kind].label,
      detail: BREAK_LABELS[kind].detail,
      picked: this.settings[kind] !== undefined,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: 'Yieldscope: Break on Coroutine Events',
      placeHolder: `Pause the program in the debugger when… (now: ${describeBreakOn(this.settings)})`,
    });
    if (!picked) return;
    const kinds = picked.map((p) => p.event);
    let names: readonly string[] | '*' = '*';
    if (kinds.some((k) => k !== 'fail')) {
      const choice = await this.chooseGenerators();
      if (choice === undefined) return;
      names = choice;
    }
    await this.update(settingsFromPick(kinds, names));
  }

  /** Every generator, or the generators of the functions the user names. */
  private async chooseGenerators(): Promise<readonly string[] | '*' | undefined> {
    const current = BREAK_KINDS.map((k) => this.settings[k]).find((t) => Array.isArray(t)) as string[] | undefined;
    const every = { label: 'Every generator', id: 'all' };
    const some = { label: 'Only generators of these functions…', id: 'some', description: current?.join(', ') };
    const choice = await vscode.window.showQuickPick([every, some], {
      title: 'Yieldscope: Break on Coroutine Events',
      placeHolder: 'For which generators?',
    });
    if (!choice) return undefined;
    if (choice.id === 'all') return '*';
    const input = await vscode.window.showInputBox({
      title: 'Yieldscope: Break on Coroutine Events',
      prompt: 'Function names, separated by commas (generator functions and async generator functions)',
      value: current?.join(', ') ?? '',
      validateInput: (text) => {
        const parsed = parseFunctionNames(text);
        return 'error' in parsed ? parsed.error : undefined;
      },
    });
    if (input === undefined) return undefined;
    const parsed = parseFunctionNames(input);
    return 'names' in parsed ? parsed.names : undefined;
  }

  private async clear(): Promise<void> {
    this.ids.clear();
    await this.update({});
  }

  /** "Break When It Yields" / "… a Value Is Sent In" on a coroutine of the Coroutines view. */
  private async pickCoroutine(node: unknown, kind: 'yield' | 'send'): Promise<void> {
    const co = asCoroutine(node);
    const recording = this.currentRecording();
    if (!co || !recording) return;
    const sessions = (this.traces?.tracedSessions() ?? []).filter((s) => this.traces?.recordingOf(s) === recording);
    if (sessions.length === 0) {
      void vscode.window.showInformationMessage(
        `Yieldscope: ${co.label} is not in a program being debugged. Debug it with a "yieldscope" launch configuration (F5) to pause at its events.`,
      );
      return;
    }
    for (const session of sessions) {
      const ids = this.ids.get(session.id) ?? {};
      const list = ids[kind] ?? [];
      if (!list.includes(co.co)) this.ids.set(session.id, { ...ids, [kind]: [...list, co.co] });
    }
    const answers = await Promise.all(sessions.map((s) => this.push(s)));
    if (!answers.includes('applied')) {
      void vscode.window.showWarningMessage(`Yieldscope: the program did not accept the breakpoint on ${co.label}.`);
      return;
    }
    const what = kind === 'yield' ? 'yields' : 'is sent a value';
    void vscode.window.showInformationMessage(`Yieldscope: the program will pause when ${co.label} ${what}.`);
  }

  private async update(settings: BreakSettings): Promise<void> {
    this.settings = settings;
    await this.storage?.update(STORAGE_KEY, settings);
    this.log.info(`break on coroutine events: ${describeBreakOn(settings)}`);
    await Promise.all((this.traces?.tracedSessions() ?? []).map((s) => this.push(s)));
  }

  /** Hands the session's program what to break on, unless it already has it. */
  private async push(session: DebugSessionLike): Promise<BreakAnswer> {
    const text = breakSpecText(this.settings, this.ids.get(session.id));
    if ((this.applied.get(session.id) ?? launchText(session)) === text) return 'applied';
    let answer: BreakAnswer = 'unknown';
    try {
      const body = (await session.customRequest('evaluate', {
        expression: breakOnExpression(text),
        context: 'watch',
      })) as { result?: unknown } | undefined;
      answer = parseBreakAnswer(body?.result);
    } catch {
      // A session without a program of its own (the launcher of child processes), or one that just ended.
    }
    if (answer === 'applied') this.applied.set(session.id, text);
    else if (answer === 'invalid') this.log.warn(`[${session.name}] the tracer refused the break specification`);
    return answer;
  }
}

/** What the session's program got in its environment at launch, when one of our launches started it. */
function launchText(session: DebugSessionLike): string | undefined {
  for (let s: DebugSessionLike | undefined = session; s; s = s.parentSession) {
    if (!markerOf(s.configuration)) continue;
    const env = s.configuration['env'] as Record<string, unknown> | undefined;
    const text = env?.[BREAK_ENV];
    return typeof text === 'string' ? text : '{}';
  }
  return undefined;
}

function asCoroutine(node: unknown): CoroutineNode | undefined {
  return typeof node === 'object' && node !== null && (node as CoroutineNode).kind === 'coroutine'
    ? (node as CoroutineNode)
    : undefined;
}
