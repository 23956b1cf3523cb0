// Which Node.js runs the user's program: the `yieldscope.nodePath` setting (a path, or a command name looked
// up on PATH); by default `node` from PATH, and when there is none, the editor's own runtime
// (process.execPath with ELECTRON_RUN_AS_NODE=1). Plain Node, no `vscode`: the platform comes in as data.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const DEFAULT_NODE = 'node';

export interface NodeLookup {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  /** The editor's own executable, the fallback runtime. */
  readonly execPath: string;
  /** Tests replace this; by default a real file check for an executable file. */
  readonly isExecutable?: (file: string) => boolean;
}

export type NodeResolution =
  | {
      readonly kind: 'found';
      readonly command: string;
      /** Extra environment for this runtime (ELECTRON_RUN_AS_NODE for the editor's own). */
      readonly env: Readonly<Record<string, string>>;
      /** For the log: where the runtime came from. */
      readonly description: string;
    }
  | { readonly kind: 'not-found'; readonly message: string };

export function resolveNode(setting: string | undefined, lookup: NodeLookup): NodeResolution {
  const isExecutable = lookup.isExecutable ?? isExecutableFile;
  const wanted = (setting ?? '').trim() || DEFAULT_NODE;
  if (looksLikePath(wanted, lookup.platform)) {
    const file = expandHome(wanted);
    if (!path.isAbsolute(file)) {
      return {
        kind: 'not-found',
        message: `yieldscope.nodePath must be an absolute path or a command name, not "${wanted}".`,
      };
    }
    if (isExecutable(file))
      return { kind: 'found', command: file, env: {}, description: `${file} (yieldscope.nodePath)` };
    return {
      kind: 'not-found',
      message: `Node.js was not found at "${file}" (the yieldscope.nodePath setting). Install Node.js 20.6 or newer, or correct the setting.`,
    };
  }
  const onPath = findOnPath(wanted, lookup, isExecutable);
  if (onPath) return { kind: 'found', command: onPath, env: {}, description: `${onPath} (from PATH)` };
  if (wanted === DEFAULT_NODE && lookup.execPath) {
    return {
      kind: 'found',
      command: lookup.execPath,
      env: { ELECTRON_RUN_AS_NODE: '1' },
      description: `${lookup.execPath} (the editor's own runtime: no "node" on PATH)`,
    };
  }
  return {
    kind: 'not-found',
    message: `Node.js was not found: there is no "${wanted}" on PATH. Install Node.js 20.6 or newer, or set yieldscope.nodePath to its full path.`,
  };
}

/** Looks `name` up on the PATH of `lookup.env` the way a shell would (with PATHEXT on Windows). */
export function findOnPath(
  name: string,
  lookup: Pick<NodeLookup, 'platform' | 'env'>,
  isExecutable: (file: string) => boolean = isExecutableFile,
): string | undefined {
  const win = lookup.platform === 'win32';
  const pathValue = envValue(lookup.env, 'PATH', win) ?? '';
  const dirs = pathValue.split(win ? ';' : ':').filter((d) => d.length > 0);
  const exts = win
    ? ['', ...(envValue(lookup.env, 'PATHEXT', win) ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)]
    : [''];
  const join = win ? path.win32.join : path.posix.join;
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir.replace(/^"(.*)"$/, '$1'), name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Environment variable names are case-insensitive on Windows (`Path`). */
export function envValue(env: NodeJS.ProcessEnv, name: string, caseInsensitive: boolean): string | undefined {
  if (!caseInsensitive) return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

function looksLikePath(value: string, platform: NodeJS.Platform): boolean {
  return value.includes('/') || (platform === 'win32' && value.includes('\\')) || value.startsWith('~');
}

function expandHome(value: string): string {
  if (value === '~') return os.homedir();
  if (value.startsWith('~/') || value.startsWith('~\\')) return path.join(os.homedir(), value.slice(2));
  return value;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
