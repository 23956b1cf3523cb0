// The sample gallery's catalogue: which samples a folder holds, their titles and one-line descriptions (from each
// sample's package.json `displayName` and `description`), and copying one to where the user wants it. Plain Node
// with no `vscode`, so that tests use it as it is; `samples.ts` puts it in front of the user.

import { constants as fsConstants } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** "Yieldscope: Open Sample…"; an optional string argument is the id of the sample to open (walkthrough links). */
export const OPEN_SAMPLE_COMMAND = 'yieldscope.openSample';

/** Every sample is a workspace folder whose program is this file. */
export const SAMPLE_PROGRAM = 'src/main.ts';

/** A sample folder's name: its number in the gallery, then words, e.g. `05-sending-values`. */
export const SAMPLE_FOLDER_NAME = /^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface SampleInfo {
  /** The folder's name, e.g. `05-sending-values`; also the id that commands accept. */
  readonly id: string;
  /** Absolute path of the sample's folder. */
  readonly folder: string;
  /** Its number in the gallery (the article's order). */
  readonly order: number;
  /** The title to list it by, e.g. `5. Sending values in`. */
  readonly title: string;
  /** What it shows, in one line. */
  readonly description: string;
}

/** What a sample's package.json says about it; undefined for what is missing or not a string. */
export interface SampleManifest {
  readonly displayName: string | undefined;
  readonly description: string | undefined;
}

/** Reads `displayName` and `description` from the text of a package.json; never throws. */
export function parseSampleManifest(text: string): SampleManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { displayName: undefined, description: undefined };
  }
  const field = (name: string): string | undefined => {
    if (typeof json !== 'object' || json === null) return undefined;
    const value: unknown = (json as Record<string, unknown>)[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  return { displayName: field('displayName'), description: field('description') };
}

/**
 * The samples under `root`, in gallery order: folders named like `05-sending-values` that hold the sample program.
 * A sample whose package.json is missing or incomplete is still listed, under its folder name.
 */
export async function readSamples(root: string): Promise<SampleInfo[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(root);
  } catch {
    return [];
  }
  const samples: SampleInfo[] = [];
  for (const id of entries.sort()) {
    const match = SAMPLE_FOLDER_NAME.exec(id);
    if (!match) continue;
    const folder = path.join(root, id);
    if (!(await isFile(path.join(folder, SAMPLE_PROGRAM)))) continue;
    let manifest: SampleManifest = { displayName: undefined, description: undefined };
    try {
      manifest = parseSampleManifest(await fs.readFile(path.join(folder, 'package.json'), 'utf8'));
    } catch {
      // No package.json: listed by its folder name.
    }
    samples.push({
      id,
      folder,
      order: Number(match[1]),
      title: manifest.displayName ?? id,
      description: manifest.description ?? '',
    });
  }
  return samples.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/**
 * Copies a sample's folder into `parent`, as `parent/<id>` or, when that exists, `parent/<id>-2`, `-3`, …, and
 * returns the new folder. Never overwrites anything; leaves out `node_modules` and recorded traces.
 */
export async function copySample(sample: SampleInfo, parent: string): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const target = path.join(parent, n === 1 ? sample.id : `${sample.id}-${n}`);
    try {
      await fs.mkdir(target); // fails if it exists: this claims the name
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    await fs.cp(sample.folder, target, {
      recursive: true,
      errorOnExist: true,
      force: false,
      mode: fsConstants.COPYFILE_EXCL,
      filter: (source) => {
        const name = path.basename(source);
        return name !== 'node_modules' && !name.endsWith('.ystrace');
      },
    });
    return target;
  }
  throw new Error(`${parent} already holds ${sample.id} and 98 more copies of it`);
}

/**
 * The heap sampling interval (YIELDSCOPE_HEAP_MS, milliseconds) that a sample's `yieldscope` launch configuration
 * sets in its `env`, so that opening it from the gallery records what F5 records; undefined when it sets none (or
 * the file cannot be read: the sample still runs, without heap samples). Only this variable is taken.
 */
export async function sampleHeapInterval(folder: string): Promise<number | undefined> {
  let launch: unknown;
  try {
    launch = JSON.parse(await fs.readFile(path.join(folder, '.vscode', 'launch.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const configurations = (launch as { configurations?: unknown } | null)?.configurations;
  if (!Array.isArray(configurations)) return undefined;
  for (const c of configurations as unknown[]) {
    if (typeof c !== 'object' || c === null || (c as { type?: unknown }).type !== 'yieldscope') continue;
    const env = (c as { env?: unknown }).env;
    const value =
      typeof env === 'object' && env !== null ? (env as Record<string, unknown>)['YIELDSCOPE_HEAP_MS'] : undefined;
    const ms = typeof value === 'string' ? Number(value) : Number.NaN;
    return Number.isFinite(ms) && ms > 0 ? ms : undefined;
  }
  return undefined;
}

/** Whether `file` lies inside `folder` (or is it). */
export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}
