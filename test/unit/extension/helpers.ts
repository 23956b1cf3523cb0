// Shared pieces of the extension's unit tests: fixture paths, a trace to send, a logger that remembers, a
// process host with extra environment, and process checks that see through zombies.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeTrace, emptyTrace } from '../../../src/protocol/codec';
import type { TraceEvent } from '../../../src/protocol/trace';
import type { Logger } from '../../../src/extension/log';
import { nodeProcessHost } from '../../../src/extension/processHost';
import type { ProcessHost } from '../../../src/extension/processHost';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const FAKE_TRACER = path.join(FIXTURES, 'fake-tracer.cjs');

/** A valid trace with a header, one file, one site and `events` output events of about 100 bytes each. */
export function traceBytes(events: number): Uint8Array {
  const trace = emptyTrace();
  trace.header = {
    format: 'yieldscope-trace',
    version: 1,
    program: '/work/app.ts',
    args: [],
    cwd: '/work',
    node: 'v20.0.0',
    pid: 1,
    startTime: 0,
    tracer: 'fake',
  };
  trace.files.set(1, { id: 1, url: 'file:///work/app.ts' });
  trace.sites.set(1, { id: 1, file: 1, line: 1, column: 1, kind: 'function', name: 'main' });
  for (let i = 0; i < events; i++) {
    const ev: TraceEvent = {
      seq: i,
      time: i,
      kind: 'output',
      co: 0,
      stream: 'stdout',
      text: `line ${i} `.padEnd(96, '.'),
    };
    trace.events.push(ev);
  }
  return encodeTrace(trace);
}

export interface MemoryLogger extends Logger {
  readonly lines: string[];
}

export function memoryLogger(): MemoryLogger {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

/** The real process host, with extra environment for the fake tracer. */
export function testHost(
  log: Logger,
  env: Record<string, string> = {},
  overrides: Partial<ProcessHost> = {},
): ProcessHost {
  const host = nodeProcessHost(log);
  return { ...host, env: { ...process.env, ...env }, ...overrides };
}

/** A temporary file holding `bytes`, for FAKE_TRACE_FILE. */
export function tempTraceFile(dir: string, bytes: Uint8Array): string {
  const file = path.join(dir, `trace-${Math.random().toString(36).slice(2)}.bin`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

export async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
