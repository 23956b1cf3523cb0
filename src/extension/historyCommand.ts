// "Show History" on a coroutine of the Coroutines view: its events (coroutineHistory.ts) in a quick pick, newest
// first; picking one opens its source line. The recording's trace is decoded when asked, so the view keeps no
// events of its own.

import * as vscode from 'vscode';
import { decodeTrace } from '../protocol/codec';
import { coroutineHistory } from './coroutineHistory';
import type { CoroutineNode } from './coroutineTree';
import { showSourceLocation } from './editorLocation';
import type { Logger } from './log';
import type { TraceRecording } from './traceRecording';

export async function showCoroutineHistory(
  recording: TraceRecording | undefined,
  node: CoroutineNode | undefined,
  log: Logger,
): Promise<void> {
  if (!recording || !node) return;
  const trace = decodeTrace(recording.snapshot().bytes);
  const rows = coroutineHistory(trace, node.co);
  if (rows.length === 0) {
    void vscode.window.showInformationMessage(`Yieldscope: no events of ${node.label} are kept in this recording.`);
    return;
  }
  const items = rows.reverse().map((row) => ({
    label: plain(row.label),
    description: plain(row.description),
    row,
  }));
  const pick = await vscode.window.showQuickPick(items, {
    title: `Yieldscope: History of ${plain(node.label)}`,
    placeHolder: `${rows.length} events, newest first${recording.isRunning ? ' (so far)' : ''}; pick one to open its line`,
    matchOnDescription: true,
  });
  if (pick?.row.location) await showSourceLocation(pick.row.location, vscode.ViewColumn.One, log);
}

/** Values are the program's text: `$(name)` in them must not turn into an icon. */
export function plain(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}
