// The tracer's settings, read once from the environment of the traced process. The CLI and the extension set
// them; a program run directly with `node --import …/register.js` gets the defaults.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface TracerConfig {
  /** Trace file to write; undefined writes none (when only streaming to the editor). */
  readonly out: string | undefined;
  /** Socket or named pipe of the editor session to stream to. */
  readonly socket: string | undefined;
  /** Secret to present on the socket. */
  readonly token: string;
  /** Ring buffer size in bytes (a power of two). */
  readonly ringBytes: number;
  /** How long the program may wait for the drain worker before records are dropped, per stall. */
  readonly maxWaitMs: number;
  /** Cache folder for transformed files, or undefined for no cache. */
  readonly cacheDir: string | undefined;
  /** Globs (relative to the working folder) of files to instrument; empty means every file of the program. */
  readonly include: readonly string[];
  /** Globs of files never to instrument. */
  readonly exclude: readonly string[];
  /**
   * Start the drain worker with the program's first event (default), so that a program that blocks or is killed
   * before its event loop first turns keeps its trace; YIELDSCOPE_EARLY_DRAIN=0 waits for that turn (or a full
   * ring), which the tests use to put the ring under pressure.
   */
  readonly earlyDrain: boolean;
  /**
   * Sample the program's memory at most once per this many milliseconds (YIELDSCOPE_HEAP_MS; at least 0.1), at
   * events the tracer records anyway, plus once at the start and once at exit; 0, the default, samples nothing.
   */
  readonly heapIntervalMs: number;
}

/** A JSON array of strings from the environment; anything else is no globs. */
function globList(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string' && g.trim() !== '') : [];
  } catch {
    return [];
  }
}

/** Milliseconds between heap samples: a positive number up to an hour, else 0 (off). */
function heapInterval(text: string | undefined): number {
  const ms = Number(text);
  return text && Number.isFinite(ms) && ms > 0 ? Math.min(Math.max(ms, 0.1), 3_600_000) : 0;
}

function powerOfTwo(mb: number): number {
  const bytes = Math.max(1, Math.min(1024, mb)) * 1024 * 1024;
  return 2 ** Math.floor(Math.log2(bytes));
}

export function readConfig(env: NodeJS.ProcessEnv, cwd: string, pid: number): TracerConfig {
  const socket = env['YIELDSCOPE_SOCKET'] || undefined;
  const outEnv = env['YIELDSCOPE_OUT'];
  const out = outEnv ? resolve(cwd, outEnv) : socket ? undefined : join(cwd, `yieldscope-${pid}.ystrace`);
  const cacheRoot = env['YIELDSCOPE_CACHE'] || join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'yieldscope');
  return {
    out,
    socket,
    token: env['YIELDSCOPE_TOKEN'] ?? '',
    ringBytes: powerOfTwo(Number(env['YIELDSCOPE_RING_MB']) || 16),
    maxWaitMs:
      Number.isFinite(Number(env['YIELDSCOPE_MAX_WAIT_MS'])) && env['YIELDSCOPE_MAX_WAIT_MS']
        ? Number(env['YIELDSCOPE_MAX_WAIT_MS'])
        : 2000,
    cacheDir: env['YIELDSCOPE_NO_CACHE'] === '1' ? undefined : join(cacheRoot, 'transform'),
    include: globList(env['YIELDSCOPE_INCLUDE']),
    exclude: globList(env['YIELDSCOPE_EXCLUDE']),
    earlyDrain: env['YIELDSCOPE_EARLY_DRAIN'] !== '0',
    heapIntervalMs: heapInterval(env['YIELDSCOPE_HEAP_MS']),
  };
}
