// `yieldscope`: the tracer and the model from a terminal. Commands: run, report, events, summary.
// Mistakes and bad input get one line on stderr and a non-zero exit code, never a stack dump.

import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { decodeTrace } from '../protocol/codec';
import type { Trace } from '../protocol/trace';
import { InputError, parseArgs, UsageError } from './args';
import { loadWebviewAssets, renderReport } from './report';
import { checkProgram, runTraced } from './run';
import { countTrace, notATrace, streamEvents, unreadable } from './streamEvents';
import { summaryText } from './summary';

declare const __YS_VERSION__: string;
const VERSION = typeof __YS_VERSION__ === 'string' ? __YS_VERSION__ : 'dev';

const HELP = `Yieldscope ${VERSION}: see coroutines run.

Usage:
  yieldscope run [--out FILE] [--html FILE] [--quiet] <program> [args…]
      Runs a JavaScript or TypeScript program under the tracer and writes its trace
      (default: <program>.ystrace in the current folder). --html also writes a report.
  yieldscope report <trace> --html FILE
      Writes one self-contained HTML file that shows the trace.
  yieldscope events <trace>
      Prints the events as JSON lines: seq, time, kind, coroutine, fn, site, and per kind
      mode, value, error, target …; heap samples (when recorded) as kind "heap" lines.
  yieldscope summary <trace>
      Prints the coroutines and how each ended.
  yieldscope --version | --help
`;

const COMMANDS: Record<string, readonly string[]> = {
  run: ['--out', '--html', '--quiet'],
  report: ['--html'],
  events: [],
  summary: [],
};

/** The dist folder this CLI was built into (dist/cli/yieldscope.js → dist). */
const distDir = resolve(__dirname, '..');

function readTrace(path: string): Trace {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw unreadable(path, e);
  }
  const trace = decodeTrace(new Uint8Array(bytes));
  if (!trace.header) throw notATrace(path, trace);
  for (const p of trace.problems) process.stderr.write(`yieldscope: warning: ${path}: ${p}\n`);
  return trace;
}

function writeReport(tracePath: string, htmlPath: string, title: string): void {
  const html = renderReport(new Uint8Array(readFileSync(tracePath)), title, loadWebviewAssets(distDir));
  writeFileSync(htmlPath, html);
}

function one(operands: string[], what: string): string {
  if (operands.length !== 1) throw new UsageError(`expected one ${what}`);
  return operands[0]!;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(HELP);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { command, options, operands, rest } = parseArgs(argv, COMMANDS);
  const cwd = process.cwd();
  switch (command) {
    case 'run': {
      const program = one(operands, 'program');
      const path = checkProgram(program, cwd);
      const out = options.get('--out');
      const result = await runTraced({
        program: path,
        args: rest,
        out: typeof out === 'string' ? resolve(cwd, out) : undefined,
        cwd,
        registerPath: join(distDir, 'tracer', 'register.cjs'),
      });
      const html = options.get('--html');
      if (typeof html === 'string') writeReport(result.tracePath, resolve(cwd, html), basename(program));
      if (!options.has('--quiet')) {
        const { events, coroutines } = countTrace(result.tracePath);
        const also = typeof html === 'string' ? ` and ${html}` : '';
        process.stderr.write(`yieldscope: ${events} events, ${coroutines} coroutines → ${result.tracePath}${also}\n`);
      }
      if (result.signal) return 128 + (constants.signals[result.signal] ?? 0);
      return result.exitCode ?? 1;
    }
    case 'report': {
      const tracePath = one(operands, 'trace file');
      const html = options.get('--html');
      if (typeof html !== 'string') throw new UsageError('report needs --html FILE');
      readTrace(tracePath);
      writeReport(tracePath, resolve(cwd, html), basename(tracePath));
      return 0;
    }
    case 'events': {
      await streamEvents(
        one(operands, 'trace file'),
        (text) => process.stdout.write(text),
        () => once(process.stdout, 'drain'),
        (text) => process.stderr.write(text),
      );
      return 0;
    }
    case 'summary': {
      process.stdout.write(summaryText(readTrace(one(operands, 'trace file'))));
      return 0;
    }
  }
  throw new UsageError(`unknown command '${command}'`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`yieldscope: ${message}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
    if (!(e instanceof UsageError) && !(e instanceof InputError) && process.env['YIELDSCOPE_DEBUG']) {
      process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
    }
  },
);
