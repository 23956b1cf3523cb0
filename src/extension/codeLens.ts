// The "Visualize" CodeLenses of TypeScript and JavaScript files on disk: one above the file's entry point and one
// above each generator and async function (codeLensPlaces.ts finds them), each running the file under the tracer
// as "Visualize Current File" does. `yieldscope.codeLens` turns them off; they are not offered in an untrusted
// workspace, where Yieldscope does not run programs.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, RUNNABLE_EXTENSIONS } from './commands';
import { lensPlaces } from './codeLensPlaces';
import type { LensPlace } from './codeLensPlaces';
import { Disposable } from './dispose';

export const CODE_LENS_SETTING = 'codeLens';
const LANGUAGES = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'];
const MAX_TEXT = 2_000_000;

export class VisualizeCodeLenses extends Disposable implements vscode.CodeLensProvider {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this._onDidChange.event;

  constructor() {
    super();
    this._register(
      vscode.languages.registerCodeLensProvider(
        LANGUAGES.map((language) => ({ language, scheme: 'file' })),
        this,
      ),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`yieldscope.${CODE_LENS_SETTING}`)) this._onDidChange.fire();
      }),
    );
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this._onDidChange.fire()));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted) return [];
    if (!vscode.workspace.getConfiguration('yieldscope', document.uri).get<boolean>(CODE_LENS_SETTING, true)) return [];
    if (!RUNNABLE_EXTENSIONS.includes(path.extname(document.uri.fsPath).toLowerCase())) return [];
    const text = document.getText();
    if (text.length > MAX_TEXT) return [];
    return lensPlaces(text).map((place) => {
      const range = new vscode.Range(place.line, 0, place.line, 0);
      return new vscode.CodeLens(range, {
        title: lensTitle(place),
        tooltip: lensTooltip(place, path.basename(document.uri.fsPath)),
        command: COMMANDS.visualizeCurrentFile,
        arguments: [document.uri],
      });
    });
  }
}

export function lensTitle(place: LensPlace): string {
  return place.kind === 'entry' ? '$(play-circle) Visualize this file' : '$(play-circle) Visualize';
}

export function lensTooltip(place: LensPlace, file: string): string {
  const what: Record<LensPlace['kind'], string> = {
    entry: 'its coroutines',
    generator: `the generators ${place.name ?? 'this function'} makes`,
    async: `the calls of ${place.name ?? 'this async function'}`,
    'async-generator': `the async generators ${place.name ?? 'this function'} makes`,
  };
  return `Run ${file} under Yieldscope and watch ${what[place.kind]}`;
}
