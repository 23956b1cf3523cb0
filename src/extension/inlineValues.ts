// Inline values in the editor: at the end of each `yield` and `await` line of a file the shown recording ran, the
// last value that came out there and the one that went back in ("yielded 2 · sent in 42 · 3×"), and on hover the
// recent history of that site. The recording is the one the Coroutines view shows; the notes follow it as it
// records (redrawn with the view, at most every 200 ms). `yieldscope.inlineValues` turns the text off (the hover
// stays). The words come from siteHistory.ts; values are previews, put in as plain text, never as HTML or links.

import * as vscode from 'vscode';
import type { CoroutinesView } from './coroutinesView';
import { Disposable } from './dispose';
import { notesForFile } from './siteHistory';
import { fileFromTraceUrl } from './sourceLocation';

export const INLINE_VALUES_SETTING = 'inlineValues';

export class InlineValues extends Disposable {
  private readonly decoration: vscode.TextEditorDecorationType;
  private enabled: boolean;

  constructor(private readonly view: CoroutinesView) {
    super();
    this.decoration = this._register(
      vscode.window.createTextEditorDecorationType({
        after: {
          margin: '0 0 0 2em',
          color: new vscode.ThemeColor('editorCodeLens.foreground'),
          fontStyle: 'italic',
        },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }),
    );
    this.enabled = this.readSetting();
    this._register(view.onDidRedraw(() => this.update()));
    this._register(vscode.window.onDidChangeVisibleTextEditors(() => this.update()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(`yieldscope.${INLINE_VALUES_SETTING}`)) return;
        this.enabled = this.readSetting();
        this.update();
      }),
    );
    this.update();
  }

  private readSetting(): boolean {
    return vscode.workspace.getConfiguration('yieldscope').get<boolean>(INLINE_VALUES_SETTING, true);
  }

  private update(): void {
    if (this.isDisposed) return;
    const shown = this.view.shownModel;
    for (const editor of vscode.window.visibleTextEditors) {
      const document = editor.document;
      if (!shown || document.uri.scheme !== 'file') {
        editor.setDecorations(this.decoration, []);
        continue;
      }
      const fsPath = document.uri.fsPath;
      const model = shown.model;
      const notes = notesForFile(
        shown.history,
        shown.trace,
        (url) => fileFromTraceUrl(url) === fsPath,
        (co) => {
          const c = model.coroutines.get(co);
          return c ? `${c.name}#${c.id}` : `#${co}`;
        },
      );
      const options: vscode.DecorationOptions[] = [];
      for (const note of notes) {
        if (note.line >= document.lineCount) continue;
        const end = document.lineAt(note.line).range.end;
        const start = new vscode.Position(note.line, Math.min(note.column, end.character));
        const hover = new vscode.MarkdownString();
        for (const line of note.hover) hover.appendText(line ? `${line}\n` : '\n');
        options.push({
          range: new vscode.Range(start, end),
          hoverMessage: hover,
          renderOptions: this.enabled ? { after: { contentText: note.text } } : undefined,
        });
      }
      editor.setDecorations(this.decoration, options);
    }
  }
}
