// How the host starts and stops processes, behind a small interface so that the recording logic can be
// tested against real processes or fakes. Stopping reaches the whole tree: on POSIX the program runs in its
// own process group (spawned detached) and the group is signalled; on Windows `taskkill /T /F` does it.

import * as childProcess from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { Logger } from './log';

export interface ProcessHost {
  readonly platform: NodeJS.Platform;
  /** The editor's own executable: the fallback runtime when there is no `node` on PATH. */
  readonly execPath: string;
  /** The environment programs start from. */
  readonly env: NodeJS.ProcessEnv;
  spawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess;
  /** `process.kill`: a negative pid signals a process group. */
  kill(pid: number, signal: NodeJS.Signals): void;
  readonly log: Logger;
}

export function nodeProcessHost(log: Logger): ProcessHost {
  return {
    platform: process.platform,
    execPath: process.execPath,
    env: process.env,
    spawn: (command, args, options) => childProcess.spawn(command, args, options),
    kill: (pid, signal) => process.kill(pid, signal),
    log,
  };
}

/**
 * Signals the process tree rooted at `pid`, which must have been spawned with `detached: true` on POSIX (so
 * that its pid is also its process group's id). A group that is already gone is not an error.
 */
export function killProcessTree(host: ProcessHost, pid: number, signal: NodeJS.Signals): void {
  if (host.platform === 'win32') {
    // Console programs ignore taskkill's polite close, so both signals force it.
    const killer = host.spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    killer.on('error', (e) => host.log.warn(`taskkill failed for process ${pid}: ${e.message}`));
    return;
  }
  try {
    host.kill(-pid, signal);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH')
      host.log.warn(`could not send ${signal} to process group ${pid}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The program's environment: the host's, plus the runtime's own (ELECTRON_RUN_AS_NODE for the editor's
 * runtime, and only then: the extension host's own setting is not the program's), plus the tracer's.
 */
export function programEnv(
  base: NodeJS.ProcessEnv,
  runtime: Readonly<Record<string, string>>,
  tracer: { readonly socket: string; readonly token: string; readonly traceFile?: string | undefined },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    ...runtime,
    YIELDSCOPE_SOCKET: tracer.socket,
    YIELDSCOPE_TOKEN: tracer.token,
  };
  if (!('ELECTRON_RUN_AS_NODE' in runtime)) delete env['ELECTRON_RUN_AS_NODE'];
  if (tracer.traceFile) env['YIELDSCOPE_OUT'] = tracer.traceFile;
  else delete env['YIELDSCOPE_OUT'];
  return env;
}

/** An argument as a shell would need it, for the log only (nothing is run through a shell). */
export function quoteForLog(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg);
}
