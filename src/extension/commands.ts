// The commands: "Visualize Current File" (save if needed, refuse in an untrusted workspace, run the file under
// the tracer, show the panel), "Stop Recording" and "Show Visualizer". Each turns editor facts into a
// recording request; the work itself is in `Recordings` and `VisualizerPanels`.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IDisposable } from './dispose';
import type { Logger } from './log';
import type { VisualizerPanels } from './panel';
import type { Recordings } from './recordings';

export const COMMANDS = {
  visualizeCurrentFile: 'yieldscope.visualizeCurrentFile',
  stopRecording: 'yieldscope.stopRecording',
  showPanel: 'yieldscope.showPanel',
} as const;

/** File name endings Yieldscope can run. */
export const RUNNABLE_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

export interface CommandContext {
  readonly extensionUri: vscode.Uri;
  readonly recordings: Recordings;
  readonly panels: VisualizerPanels;
  readonly log: Logger;
  /** Reveals the log without taking focus. */
  readonly showLog: () => void;
}

export function registerCommands(ctx: CommandContext): IDisposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.visualizeCurrentFile, (resource?: unknown, options?: unknown) =>
      visualizeCurrentFile(ctx, resource instanceof vscode.Uri ? resource : undefined, heapIntervalOf(options)),
    ),
    vscode.commands.registerCommand(COMMANDS.stopRecording, () => stopRecording(ctx)),
    vscode.commands.registerCommand(COMMANDS.showPanel, () => ctx.panels.show(false)),
  ];
}

/** `{heapIntervalMs}` from the gallery (the sample's launch configuration samples the heap): a positive number. */
function heapIntervalOf(options: unknown): number | undefined {
  const ms =
    typeof options === 'object' && options !== null
      ? (options as { heapIntervalMs?: unknown }).heapIntervalMs
      : undefined;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

async function visualizeCurrentFile(
  ctx: CommandContext,
  resource: vscode.Uri | undefined,
  heapIntervalMs?: number,
): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    const choice = await vscode.window.showErrorMessage(
      'Yieldscope runs your program, so it only works in a trusted workspace. Trust this workspace to visualize its files.',
      manage,
    );
    if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
    return;
  }
  let document = await documentToRun(resource);
  if (!document) {
    void vscode.window.showErrorMessage('Yieldscope: open a TypeScript or JavaScript file to visualize it.');
    return;
  }
  document = await savedDocument(document);
  if (!document) return;
  const file = document.uri.fsPath;
  if (!RUNNABLE_EXTENSIONS.includes(path.extname(file).toLowerCase())) {
    void vscode.window.showErrorMessage(
      `Yieldscope runs TypeScript and JavaScript files (${RUNNABLE_EXTENSIONS.join(' ')}); ${path.basename(file)} is not one.`,
    );
    return;
  }
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  const cwd = folder?.uri.scheme === 'file' ? folder.uri.fsPath : path.dirname(file);
  const nodePath = vscode.workspace.getConfiguration('yieldscope', document.uri).get<string>('nodePath');
  ctx.recordings.start({
    title: path.basename(file),
    program: file,
    cwd,
    nodePath,
    tracerPath: vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'tracer', 'register.cjs').fsPath,
    heapIntervalMs,
  });
  ctx.showLog();
  ctx.panels.show(true);
}

/** The document named by the menu's resource, or the active editor's. */
async function documentToRun(resource: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (resource) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === resource.toString());
    return open ?? (await vscode.workspace.openTextDocument(resource));
  }
  return vscode.window.activeTextEditor?.document;
}

/** The document as a saved file on disk: saves a dirty one, offers "Save As" for an untitled one. */
async function savedDocument(document: vscode.TextDocument): Promise<vscode.TextDocument | undefined> {
  if (document.isUntitled) {
    const save = 'Save As…';
    const choice = await vscode.window.showInformationMessage(
      'Yieldscope runs files from disk. Save this file first?',
      save,
    );
    if (choice !== save) return undefined;
    const saved = await vscode.workspace.saveAs(document.uri);
    if (!saved) return undefined;
    return vscode.workspace.openTextDocument(saved);
  }
  if (document.uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(
      `Yieldscope runs files on this computer's disk; ${document.uri.toString()} is not one.`,
    );
    return undefined;
  }
  if (document.isDirty && !(await document.save())) {
    void vscode.window.showErrorMessage(
      `Yieldscope: could not save ${path.basename(document.uri.fsPath)}, so it was not run.`,
    );
    return undefined;
  }
  return document;
}

async function stopRecording(ctx: CommandContext): Promise<void> {
  const running = ctx.recordings.running();
  if (running.length === 0) {
    void vscode.window.showInformationMessage('Yieldscope: no recording is running.');
    return;
  }
  ctx.log.info(`stopping ${running.map((r) => r.title).join(', ')}`);
  await ctx.recordings.stopAll();
}
