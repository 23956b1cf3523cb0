// "Yieldscope: Open Sample…": the sample gallery in the command palette. Lists the samples that ship with the
// extension by title and one-line description, puts the chosen one where the user wants it (a copy in a folder
// they pick, or the shipped folder in place), opens its program and visualises it. The walkthrough's steps call
// the command with a sample's id, which skips the list. The catalogue itself is `sampleCatalog.ts` (plain Node).

import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import type { IDisposable } from './dispose';
import type { Logger } from './log';
import {
  OPEN_SAMPLE_COMMAND,
  SAMPLE_PROGRAM,
  copySample,
  isInside,
  readSamples,
  sampleHeapInterval,
  type SampleInfo,
} from './sampleCatalog';

export { OPEN_SAMPLE_COMMAND };

/** Registers "Yieldscope: Open Sample…"; an optional string argument is the id of the sample to open. */
export function registerSampleGallery(extensionUri: vscode.Uri, log: Logger): IDisposable {
  return vscode.commands.registerCommand(OPEN_SAMPLE_COMMAND, (id?: unknown) =>
    openSample(extensionUri, log, typeof id === 'string' ? id : undefined),
  );
}

async function openSample(extensionUri: vscode.Uri, log: Logger, id: string | undefined): Promise<void> {
  const root = vscode.Uri.joinPath(extensionUri, 'samples');
  if (root.scheme !== 'file') {
    void vscode.window.showErrorMessage('Yieldscope: the samples can only be opened where the extension runs on disk.');
    return;
  }
  const samples = await readSamples(root.fsPath);
  if (samples.length === 0) {
    void vscode.window.showErrorMessage(`Yieldscope: no samples found in ${root.fsPath}.`);
    return;
  }
  let sample: SampleInfo | undefined;
  if (id !== undefined) {
    sample = samples.find((s) => s.id === id);
    if (!sample) {
      void vscode.window.showErrorMessage(`Yieldscope: there is no sample "${id}".`);
      return;
    }
  } else {
    sample = await pickSample(samples);
    if (!sample) return;
  }

  const folder = await placeSample(sample, log);
  if (!folder) return;
  const program = vscode.Uri.file(path.join(folder, SAMPLE_PROGRAM));
  await vscode.window.showTextDocument(program, { preview: false });
  // A sample whose launch configuration samples the heap (01) is recorded the same way from here.
  const heapIntervalMs = await sampleHeapInterval(folder);
  const options = heapIntervalMs === undefined ? [] : [{ heapIntervalMs }];
  await vscode.commands.executeCommand(COMMANDS.visualizeCurrentFile, program, ...options);
  if (!inWorkspace(folder)) void offerToOpenFolder(sample, folder);
}

/** The QuickPick of samples: title, and the description below it. */
async function pickSample(samples: readonly SampleInfo[]): Promise<SampleInfo | undefined> {
  const picked = await vscode.window.showQuickPick(
    samples.map((sample) => ({ label: sample.title, detail: sample.description, sample })),
    { title: 'Yieldscope: Open Sample', placeHolder: 'Choose a sample to open and visualise', matchOnDetail: true },
  );
  return picked?.sample;
}

/**
 * Where the sample will be opened: in place when it is already part of the workspace (as when developing
 * Yieldscope), otherwise where the user chooses: a copy in a folder they pick, or the shipped folder in place.
 */
async function placeSample(sample: SampleInfo, log: Logger): Promise<string | undefined> {
  if (inWorkspace(sample.folder)) return sample.folder;
  const copy = {
    label: '$(copy) Copy to a Folder…',
    detail: 'Your own copy of the sample, to change and run as you like.',
  };
  const inPlace = {
    label: '$(book) Open in Place',
    detail: 'Run it where it ships with Yieldscope. Changes are lost when the extension is updated.',
  };
  const choice = await vscode.window.showQuickPick([copy, inPlace], {
    title: `Yieldscope: Open "${sample.title}"`,
    placeHolder: 'Where should the sample be opened?',
  });
  if (choice === inPlace) return sample.folder;
  if (choice !== copy) return undefined;

  const [parent] =
    (await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Copy Sample Here',
      title: `Copy "${sample.title}" into…`,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    })) ?? [];
  if (!parent) return undefined;
  if (parent.scheme !== 'file') {
    void vscode.window.showErrorMessage(`Yieldscope: samples are copied to a folder on disk; ${parent} is not one.`);
    return undefined;
  }
  try {
    const folder = await copySample(sample, parent.fsPath);
    log.info(`copied sample ${sample.id} to ${folder}`);
    return folder;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log.error(`could not copy sample ${sample.id} to ${parent.fsPath}: ${message}`);
    void vscode.window.showErrorMessage(`Yieldscope: could not copy the sample: ${message}`);
    return undefined;
  }
}

/** Whether `folder` is inside one of the open workspace folders. */
function inWorkspace(folder: string): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some(
    (f) => f.uri.scheme === 'file' && isInside(folder, f.uri.fsPath),
  );
}

/** After opening a sample outside the workspace, offers to open its folder (F5 then runs its launch configuration). */
async function offerToOpenFolder(sample: SampleInfo, folder: string): Promise<void> {
  const open = 'Open Folder';
  const choice = await vscode.window.showInformationMessage(
    `Yieldscope: "${sample.title}" is in ${folder}. Open the folder to run it with F5 and read its README.`,
    open,
  );
  if (choice !== open) return;
  const forceNewWindow = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(folder), { forceNewWindow });
}
