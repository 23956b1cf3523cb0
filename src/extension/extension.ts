// The extension's entry point. `activate` builds one root object that owns everything (the log, the
// recordings, the panels, the status bar, the commands, the debugging integration, break on coroutine events,
// the Coroutines view, inline values and CodeLenses in the editor, the trace files); VS Code disposes it on
// deactivation, which also stops any program still running.

import * as vscode from 'vscode';
import { BreakOn } from './breakOn';
import type { BreakStorage } from './breakOn';
import { VisualizeCodeLenses } from './codeLens';
import { registerCommands } from './commands';
import { CoroutinesView } from './coroutinesView';
import { DebugIntegration } from './debugSessions';
import { Disposable } from './dispose';
import { InlineValues } from './inlineValues';
import type { Logger } from './log';
import { VisualizerPanels } from './panel';
import { nodeProcessHost } from './processHost';
import { ProgramOutputLog } from './programOutput';
import { Recordings } from './recordings';
import { registerSampleGallery } from './samples';
import { RecordingStatus } from './statusBar';
import { TraceFiles } from './traceEditor';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(new YieldscopeExtension(context.extensionUri, context.workspaceState));
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

class YieldscopeExtension extends Disposable {
  constructor(extensionUri: vscode.Uri, workspaceState: BreakStorage | undefined) {
    super();
    const channel = this._register(vscode.window.createOutputChannel('Yieldscope', { log: true }));
    const log: Logger = channel;
    const recordings = this._register(new Recordings(nodeProcessHost(log)));
    this._register(new ProgramOutputLog(recordings, log));
    const panels = this._register(new VisualizerPanels(extensionUri, recordings, log));
    this._register(new RecordingStatus(recordings));
    for (const command of registerCommands({
      extensionUri,
      recordings,
      panels,
      log,
      showLog: () => channel.show(true),
    })) {
      this._register(command);
    }
    this._register(registerSampleGallery(extensionUri, log));
    // The Coroutines view needs the debugging integration, which needs the break choice, which reads the view.
    const late: { view?: CoroutinesView } = {};
    const breakOn = this._register(new BreakOn(workspaceState, log, () => late.view?.recording));
    const debug = this._register(
      new DebugIntegration({ extensionUri, recordings, panels, log, breakOnSpec: () => breakOn.launchSpec() }),
    );
    breakOn.attach(debug.traces);
    const view = this._register(new CoroutinesView({ recordings, traces: debug.traces, panels, log }));
    late.view = view;
    this._register(new InlineValues(view));
    this._register(new VisualizeCodeLenses());
    this._register(new TraceFiles({ extensionUri, recordings, log, currentRecording: () => view.recording }));
    this._register(recordings.onDidWarn(({ value }) => void vscode.window.showWarningMessage(`Yieldscope: ${value}`)));
    this._register(
      recordings.onDidEnd(({ value }) => {
        if (value.kind !== 'failed') return;
        const show = 'Show Log';
        void vscode.window.showErrorMessage(`Yieldscope: ${value.message}`, show).then((choice) => {
          if (choice === show) channel.show();
        });
      }),
    );
    log.info('Yieldscope is ready');
  }
}
