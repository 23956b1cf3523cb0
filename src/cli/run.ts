// `yieldscope run`: runs a program under the tracer with its own stdin, stdout and stderr, waits for it, makes
// sure the trace records how it ended (a signal leaves no end record behind, so we add one), and reports.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatOf } from '../tracer/loader/hooks';
import { transform, TransformError } from '../tracer/loader/transform';
import { InputError } from './args';
import { appendSignalEnd } from './traceEnd';

export interface RunOptions {
  readonly program: string;
  readonly args: readonly string[];
  readonly out: string | undefined;
  readonly cwd: string;
  readonly registerPath: string;
}

export interface RunResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly tracePath: string;
}

const PROGRAM_EXT = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);

/** Checks the program before running it, so that a typo or a syntax error costs one line, not a stack dump. */
export function checkProgram(program: string, cwd: string): string {
  const path = resolve(cwd, program);
  if (!existsSync(path)) throw new InputError(`cannot find the program ${program}`);
  if (!statSync(path).isFile()) throw new InputError(`${program} is not a file`);
  if (!PROGRAM_EXT.has(extname(path)))
    throw new InputError(`${program} is not a JavaScript or TypeScript file (.js .mjs .cjs .ts .mts .cts)`);
  try {
    transform(readFileSync(path, 'utf8'), path, pathToFileURL(path).href, formatOf(path));
  } catch (e) {
    if (e instanceof TransformError) {
      const message = (e.message.split('\n')[0] ?? '').replace(/^.*?:\d+:\d+:\s*/, '');
      throw new InputError(`syntax error in ${program}:${e.line}:${e.column}: ${message}`);
    }
    throw e;
  }
  return path;
}

export function defaultTracePath(program: string, cwd: string): string {
  return resolve(cwd, `${basename(program).replace(/\.[cm]?[jt]s$/, '')}.ystrace`);
}

export function runTraced(options: RunOptions): Promise<RunResult> {
  const tracePath = options.out ?? defaultTracePath(options.program, options.cwd);
  // The tracer claims the file exclusively (a traced child process writes beside it instead).
  rmSync(tracePath, { force: true });
  const child = spawn(process.execPath, ['--require', options.registerPath, options.program, ...options.args], {
    cwd: options.cwd,
    stdio: 'inherit',
    env: { ...process.env, YIELDSCOPE_OUT: tracePath },
  });
  // Ctrl+C reaches the program directly; the CLI waits for it to decide.
  const ignore = (): void => {};
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  return new Promise((resolvePromise, reject) => {
    child.on('error', (e) => reject(new Error(`cannot start node: ${e.message}`)));
    child.on('exit', (exitCode, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', ignore);
      if (signal) appendSignalEnd(tracePath, signal, 128 + (constants.signals[signal] ?? 0));
      resolvePromise({ exitCode, signal, tracePath });
    });
  });
}
