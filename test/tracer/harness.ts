// Runs programs with and without the tracer on every supported Node version and reads their traces.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeTrace } from '../../src/protocol/codec';
import type { Trace } from '../../src/protocol/trace';
import { nodeBinaries, type NodeBinary } from '../../scripts/node-versions.mjs';

export const ROOT = resolve(__dirname, '..', '..');
export const FIXTURES = join(__dirname, 'fixtures');
export const REGISTER = join(ROOT, 'dist', 'tracer', 'register.cjs');

export interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface TracedOutcome extends Outcome {
  readonly trace: Trace;
  /** The trace file's size in bytes. */
  readonly bytes: number;
}

let nodes: NodeBinary[] | undefined;

/** The Node binaries to test on, installing missing ones (first call only). */
export async function testNodes(): Promise<NodeBinary[]> {
  nodes ??= await nodeBinaries({ install: true });
  return nodes;
}

/** Environment without anything of ours or of the test runner that could change how node behaves. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('YIELDSCOPE_') || k === 'NODE_OPTIONS' || k.startsWith('MOCHA') || k === 'TSX_TSCONFIG_PATH')
      continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export function runPlain(node: string, args: readonly string[], cwd: string): Outcome {
  const r = spawnSync(node, args, { cwd, encoding: 'utf8', env: cleanEnv(), timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, signal: r.signal };
}

let scratch: string | undefined;
function scratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'ys-tracer-test-'));
  return scratch;
}

export function cleanupScratch(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

let runs = 0;

export function runTraced(
  node: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): TracedOutcome {
  const out = join(scratchDir(), `trace-${process.pid}-${++runs}.ystrace`);
  const r = spawnSync(node, ['--require', REGISTER, ...args], {
    cwd,
    encoding: 'utf8',
    env: cleanEnv({ YIELDSCOPE_OUT: out, YIELDSCOPE_CACHE: join(scratchDir(), 'cache'), ...env }),
    timeout: 60_000,
  });
  let bytes = new Uint8Array(0);
  try {
    bytes = new Uint8Array(readFileSync(out));
  } catch {
    // no trace written: the decode below reports it
  }
  const trace = decodeTrace(bytes);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, signal: r.signal, trace, bytes: bytes.length };
}
