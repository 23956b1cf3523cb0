// Opens a place a trace names (a file: URL or an absolute path, a 1-based line and column) in a text editor:
// only a local file that exists, at that position, revealed. Used by the visualiser's "open source" requests
// and by the Coroutines view.

import * as vscode from 'vscode';
import type { Logger } from './log';
import { fileFromTraceUrl } from './sourceLocation';

export interface TraceLocation {
  readonly url: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export async function showSourceLocation(
  location: TraceLocation,
  viewColumn: vscode.ViewColumn | undefined,
  log: Logger,
  options: { readonly preserveFocus?: boolean } = {},
): Promise<void> {
  const file = fileFromTraceUrl(location.url);
  if (file === undefined) {
    log.warn(`not opening ${JSON.stringify(location.url)}: not a local file`);
    return;
  }
  const uri = vscode.Uri.file(file);
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    log.warn(`not opening ${file}: it does not exist`);
    void vscode.window.showWarningMessage(`Yieldscope: ${file} no longer exists.`);
    return;
  }
  if ((stat.type & vscode.FileType.File) === 0) {
    log.warn(`not opening ${file}: not a file`);
    return;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const position = document.validatePosition(
    new vscode.Position(Math.max(0, location.line - 1), Math.max(0, location.column - 1)),
  );
  const range = new vscode.Range(position, position);
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn,
    selection: range,
    preview: true,
    preserveFocus: options.preserveFocus ?? false,
  });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
