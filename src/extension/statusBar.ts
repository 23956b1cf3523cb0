// The status bar item shown while a recording runs: "$(debug-stop) Yieldscope: recording… N events", which
// stops the recordings when clicked. It also keeps the `yieldscope.recording` context key in step, which
// the manifest uses to offer "Stop Recording" only while there is something to stop.

import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import { Disposable } from './dispose';
import type { Recordings } from './recordings';

/** Event counts change with every batch; the item is redrawn at most this often. */
const REFRESH_MS = 250;

export class RecordingStatus extends Disposable {
  private readonly item = this._register(
    vscode.window.createStatusBarItem('yieldscope.recording', vscode.StatusBarAlignment.Left, 0),
  );
  private timer: NodeJS.Timeout | undefined;
  private recording = false;

  constructor(private readonly recordings: Recordings) {
    super();
    this.item.name = 'Yieldscope Recording';
    this.item.command = COMMANDS.stopRecording;
    this._register(recordings.onDidAdd(() => this.update()));
    this._register(recordings.onDidEnd(() => this.update()));
    this._register(recordings.onDidBatch(() => this.scheduleUpdate()));
    this._register({ dispose: () => clearTimeout(this.timer) });
    this.update();
  }

  private scheduleUpdate(): void {
    this.timer ??= setTimeout(() => this.update(), REFRESH_MS);
  }

  private update(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.isDisposed) return;
    const running = this.recordings.running();
    if (running.length > 0 !== this.recording) {
      this.recording = running.length > 0;
      void vscode.commands.executeCommand('setContext', 'yieldscope.recording', this.recording);
    }
    if (running.length === 0) {
      this.item.hide();
      return;
    }
    const events = running.reduce((n, r) => n + r.eventCount, 0);
    this.item.text = `$(debug-stop) Yieldscope: recording… ${events.toLocaleString('en-US')} events`;
    this.item.tooltip = `Recording ${running.map((r) => r.title).join(', ')}. Click to stop.`;
    this.item.show();
  }
}
