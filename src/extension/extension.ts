// The extension's entry point. `activate` builds one root object that owns everything (the log, the
// recordings, the panels, the status bar, the commands, the debugging integration, the Coroutines view, the
// trace files); VS Code disposes it on deactivation, which also stops any program still running.

import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { CoroutinesView } from './coroutinesView';
import { DebugIntegration } from './debugSessions';
import { Disposable } from './dispose';
import type { Logger } from './log';
import { VisualizerPanels } from './panel';
import { nodeProcessHost } from './processHost';
import { ProgramOutputLog } from './programOutput';
import { Recordings } from './recordings';
import { registerSampleGallery } from './samples';
import { RecordingStatus } from './statusBar';
import { TraceFiles } from './traceEditor';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(new YieldscopeExtension(context.extensionUri));
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

class YieldscopeExtension extends Disposable {
  constructor(extensionUri: vscode.Uri) {
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
    const debug = this._register(new DebugIntegration({ extensionUri, recordings, panels, log }));
    const view = this._register(new CoroutinesView({ recordings, traces: debug.traces, panels, log }));
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
