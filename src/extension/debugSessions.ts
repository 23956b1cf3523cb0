// Yieldscope inside VS Code's debugging: the `yieldscope` debug type (its initial configuration, and the provider
// that turns it into a session of the built-in JavaScript debugger with the tracer injected), the
// `yieldscope.traceAllNodeSessions` setting (the tracer injected into every Node launch), a JavaScript Debug
// Terminal with the tracer, and the debug adapter tracker that tells `DebugTraces` when a traced program stops
// and continues. The decisions are in debugConfig.ts and debugTraces.ts (plain Node); this file is the wiring.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DEBUG_TYPE,
  NODE_DEBUG_TYPES,
  initialConfiguration,
  isTraceableNodeLaunch,
  markerOf,
  programPath,
  requireOption,
  toNodeLaunch,
} from './debugConfig';
import type { DebugConfig } from './debugConfig';
import { BREAK_ENV } from './breakOnSpec';
import { DebugTraces } from './debugTraces';
import type { DebugSessionLike } from './debugTraces';
import { Disposable } from './dispose';
import type { Logger } from './log';
import { resolveNode } from './nodeRuntime';
import type { VisualizerPanels } from './panel';
import type { Recordings } from './recordings';

export const TRACE_ALL_SETTING = 'traceAllNodeSessions';
export const CREATE_TERMINAL_COMMAND = 'yieldscope.createDebugTerminal';

export interface DebugIntegrationContext {
  readonly extensionUri: vscode.Uri;
  readonly recordings: Recordings;
  readonly panels: VisualizerPanels;
  readonly log: Logger;
  /** What to break on, as the tracer reads it from YIELDSCOPE_BREAK_ON ('{}': nothing). */
  readonly breakOnSpec?: () => string;
}

export class DebugIntegration extends Disposable {
  readonly traces: DebugTraces;
  private readonly tracerPath: string;

  constructor(private readonly ctx: DebugIntegrationContext) {
    super();
    this.tracerPath = vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'tracer', 'register.cjs').fsPath;
    this.traces = this._register(
      new DebugTraces({
        recordings: ctx.recordings,
        log: ctx.log,
        platform: process.platform,
        tracerPath: this.tracerPath,
        stopSession: (s) => void vscode.debug.stopDebugging(s as vscode.DebugSession),
      }),
    );
    this._register(
      vscode.debug.registerDebugConfigurationProvider(
        DEBUG_TYPE,
        {
          provideDebugConfigurations: () => [initialConfiguration() as vscode.DebugConfiguration],
          resolveDebugConfiguration: (folder, config) => this.resolveLaunch(folder, config),
        },
        vscode.DebugConfigurationProviderTriggerKind.Initial,
      ),
    );
    // After variables are substituted, for every type: ours (now of type `node`) get the tracer, and with the
    // setting on, so does every Node launch. A '*' provider runs after the type's own providers.
    this._register(
      vscode.debug.registerDebugConfigurationProvider('*', {
        resolveDebugConfigurationWithSubstitutedVariables: (folder, config) => this.addTracer(folder, config),
      }),
    );
    this._register(
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => this.tracker(session),
      }),
    );
    this._register(
      vscode.debug.onDidStartDebugSession((s) => {
        if (isNodeSession(s)) this.traces.sessionStarted(s);
      }),
    );
    this._register(vscode.debug.onDidTerminateDebugSession((s) => this.traces.sessionEnded(s)));
    this._register(
      this.traces.onDidOpenChannel(({ channel, origin }) => {
        // A `yieldscope` session opens the visualiser when its program's trace arrives, as "Visualize" does.
        if (origin === 'launch') channel.onDidRecord(() => ctx.panels.show(true));
      }),
    );
    this._register(vscode.commands.registerCommand(CREATE_TERMINAL_COMMAND, () => this.createDebugTerminal()));
  }

  /** Step one, before substitution: trust, then the `yieldscope` configuration as a JavaScript debugger launch. */
  private async resolveLaunch(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    if (!(await this.trusted())) return undefined;
    const active = vscode.window.activeTextEditor?.document;
    const nodePath = vscode.workspace.getConfiguration('yieldscope', folder?.uri).get<string>('nodePath');
    const node = resolveNode(nodePath, { platform: process.platform, env: process.env, execPath: process.execPath });
    const result = toNodeLaunch(config as DebugConfig, {
      activeFile: active?.uri.scheme === 'file' ? active.uri.fsPath : undefined,
      runtime: node.kind === 'found' ? { command: node.command, env: node.env } : undefined,
      tracerDir: path.dirname(this.tracerPath),
    });
    if (result.kind === 'error') {
      void vscode.window.showErrorMessage(`Yieldscope: ${result.message}`);
      return undefined;
    }
    if (node.kind === 'not-found' && config['runtimeExecutable'] === undefined) this.ctx.log.warn(node.message);
    return result.config as vscode.DebugConfiguration;
  }

  /** Step two, after substitution: the tracer in the environment, with a trace channel for the session. */
  private async addTracer(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const own = markerOf(config as DebugConfig);
    const all =
      !own &&
      isTraceableNodeLaunch(config as DebugConfig) &&
      vscode.workspace.getConfiguration('yieldscope').get<boolean>(TRACE_ALL_SETTING, false);
    if (!own && !all) return config;
    if (!vscode.workspace.isTrusted) return own ? undefined : config;
    if (own && own.channel === undefined) {
      const program = programPath(config as DebugConfig);
      if (program !== undefined && !fs.existsSync(program)) {
        void vscode.window.showErrorMessage(`Yieldscope: the program ${program} does not exist.`);
        return undefined;
      }
    }
    if (!fs.existsSync(this.tracerPath)) {
      void vscode.window.showErrorMessage(
        `Yieldscope: the tracer is missing (${this.tracerPath}). Reinstall the extension.`,
      );
      return own ? undefined : config;
    }
    const label = `debugging session "${String(config.name)}"`;
    try {
      const traced = await this.traces.inject(config as DebugConfig, own ?? { origin: 'all' }, label);
      this.ctx.log.info(`[${String(config.name)}] the tracer is injected through NODE_OPTIONS`);
      const breakOn = this.ctx.breakOnSpec?.() ?? '{}';
      if (breakOn === '{}') return traced as vscode.DebugConfiguration;
      return { ...traced, env: { ...(traced['env'] as object), [BREAK_ENV]: breakOn } } as vscode.DebugConfiguration;
    } catch (e) {
      const message = `could not open the trace socket for ${label}: ${e instanceof Error ? e.message : String(e)}`;
      this.ctx.log.error(message);
      if (own) void vscode.window.showErrorMessage(`Yieldscope: ${message}`);
      return own ? undefined : config;
    }
  }

  private tracker(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    if (!isNodeSession(session)) return undefined;
    return {
      onDidSendMessage: (message: unknown) => {
        if (!isEvent(message)) return;
        if (message.event === 'stopped') {
          const body = message.body as { threadId?: unknown; reason?: unknown } | undefined;
          const threadId = typeof body?.threadId === 'number' ? body.threadId : 0;
          const reason = typeof body?.reason === 'string' ? body.reason : 'pause';
          this.traces.stopped(session, threadId, reason).catch((e: unknown) => this.ctx.log.warn(String(e)));
        } else if (message.event === 'continued') {
          this.traces.continued(session);
        }
      },
      // The client asked to go on: the adapter does not always say 'continued' for a request it was sent.
      onWillReceiveMessage: (message: unknown) => {
        if (isRequest(message) && RESUMING.has(message.command)) this.traces.continued(session);
      },
    };
  }

  /** "Yieldscope: New JavaScript Debug Terminal": the JavaScript debugger's terminal, with the tracer. */
  private async createDebugTerminal(): Promise<void> {
    if (!(await this.trusted())) return;
    const channel = await this.traces.openUnownedChannel('JavaScript Debug Terminal');
    const breakOn = this.ctx.breakOnSpec?.() ?? '{}';
    const env = {
      NODE_OPTIONS: requireOption(this.tracerPath),
      ...channel.env,
      ...(breakOn === '{}' ? {} : { [BREAK_ENV]: breakOn }),
    };
    const opened = vscode.window.onDidOpenTerminal((terminal) => {
      opened.dispose();
      const closed = vscode.window.onDidCloseTerminal((t) => {
        if (t !== terminal) return;
        closed.dispose();
        channel.close();
      });
      this._register(closed);
    });
    try {
      await vscode.commands.executeCommand('extension.js-debug.createDebuggerTerminal', undefined, undefined, { env });
    } catch (e) {
      opened.dispose();
      channel.close();
      void vscode.window.showErrorMessage(
        `Yieldscope: could not open a JavaScript Debug Terminal (${e instanceof Error ? e.message : String(e)}). It needs VS Code's built-in JavaScript debugger.`,
      );
    }
  }

  private async trusted(): Promise<boolean> {
    if (vscode.workspace.isTrusted) return true;
    const manage = 'Manage Workspace Trust';
    const choice = await vscode.window.showErrorMessage(
      'Yieldscope runs your program, so it only works in a trusted workspace. Trust this workspace to debug with Yieldscope.',
      manage,
    );
    if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
    return false;
  }
}

const RESUMING = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'restartFrame']);

/** Sessions of the JavaScript debugger (its child sessions have the parent's type). */
function isNodeSession(session: DebugSessionLike): boolean {
  for (let s: DebugSessionLike | undefined = session; s; s = s.parentSession) {
    if (NODE_DEBUG_TYPES.includes(s.type) || markerOf(s.configuration)) return true;
  }
  return false;
}

function isEvent(m: unknown): m is { type: 'event'; event: string; body?: unknown } {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'event';
}

function isRequest(m: unknown): m is { type: 'request'; command: string } {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'request';
}
