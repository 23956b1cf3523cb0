// Worker threads and child processes are not traced: each start is recorded (`spawn`), so that the views can say
// that part of the program ran where the trace does not follow. Workers are seen through Node's diagnostics
// channel `worker_threads`, published in the Worker constructor (so the coroutine that made it is the current
// one). Child processes are seen where every form of starting one passes: ChildProcess.prototype.spawn for
// spawn, exec, execFile and fork, and the three synchronous functions of the child_process module.
// Nothing here runs the program's code: only data properties are read, and only strings are described.

import childProcess from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
import { emitSpawn } from './events';
import { namedLookAlike, replaceFunction } from './lookAlike';
import { currentCoroutine } from './generators';
import { isQuiet } from './tasks';

const WORKER = 0;
const CHILD = 1;
const MAX_COMMAND = 300;
const apply = Reflect.apply;
const ownDesc = Reflect.getOwnPropertyDescriptor;
const getPrototypeOf = Reflect.getPrototypeOf;
const stringSlice = Function.prototype.call.bind(String.prototype.slice) as (s: string, a: number, b: number) => string;

/** A data property of `o` or of its prototypes, without running getters or proxy traps; undefined otherwise. */
function dataProperty(o: unknown, key: string): unknown {
  let at: object | null = typeof o === 'object' && o !== null ? o : null;
  for (let depth = 0; at !== null && depth < 8; depth++) {
    const d = ownDesc(at, key);
    if (d !== undefined) return 'value' in d ? d.value : undefined;
    at = getPrototypeOf(at);
  }
  return undefined;
}

/** A command line from a file and an argument list, strings only, cut to MAX_COMMAND characters. */
function commandText(file: unknown, args: unknown, from = 0): string {
  let text = typeof file === 'string' ? file : '(a command)';
  if (Array.isArray(args)) {
    for (let i = from; i < args.length && text.length < MAX_COMMAND; i++) {
      const d = ownDesc(args, i);
      const a = d !== undefined && 'value' in d ? d.value : undefined;
      text += typeof a === 'string' ? ` ${a}` : ' …';
    }
  }
  return text.length > MAX_COMMAND ? `${stringSlice(text, 0, MAX_COMMAND - 1)}…` : text;
}

function onWorker(): void {
  if (isQuiet()) return; // the tracer's own drain worker
  // Not its threadId: the tracer's own threads shift the numbering, so it would not match the program's logs.
  emitSpawn(currentCoroutine(), WORKER, 'a worker thread');
}

/** Records a child process started, described by `describe`, at each call of `holder[name]`. */
function recordCalls(
  holder: object,
  name: string,
  describe: (self: unknown, args: unknown[]) => string | undefined,
): void {
  // Before the call: the synchronous forms return only when the child has ended, or throw.
  replaceFunction(holder, name, (orig) =>
    namedLookAlike(orig, (self, args) => {
      const command = describe(self, args);
      if (command !== undefined) emitSpawn(currentCoroutine(), CHILD, command);
      return apply(orig, self, args);
    }),
  );
}

/** Whether a NODE_OPTIONS value (a string, else nothing) names the tracer. */
function nodeOptionsMention(value: unknown, tracerFile: string): boolean {
  return typeof value === 'string' && value.includes(tracerFile);
}

/** Whether any string of `list` (an argv, or `NAME=value` pairs) names the tracer's own file. */
function mentions(list: unknown, tracerFile: string): boolean {
  if (!Array.isArray(list)) return false;
  for (let i = 0; i < list.length; i++) {
    const d = ownDesc(list, i);
    const v = d !== undefined && 'value' in d ? d.value : undefined;
    if (typeof v === 'string' && v.includes(tracerFile)) return true;
  }
  return false;
}

/**
 * Records the start of each worker thread and of each child process that is not traced itself. A child whose
 * command line or NODE_OPTIONS carries the tracer (a fork() of a traced program, a debugging session's children)
 * writes its own trace, so it is left out. `tracerFile` is the tracer's folder (its entry points are register.cjs and register.js).
 */
export function installSpawnHooks(tracerFile: string): void {
  diagnostics.subscribe('worker_threads', onWorker);
  const cp = childProcess as unknown as Record<string, unknown> & { ChildProcess: { prototype: object } };
  const inherited = typeof process.env['NODE_OPTIONS'] === 'string' && process.env['NODE_OPTIONS'].includes(tracerFile);
  /** The command line of a synchronous call's child, or undefined when that child is traced. */
  const untraced = (file: unknown, args: unknown, options: unknown): string | undefined => {
    const env = dataProperty(options, 'env');
    const viaEnv = env === undefined ? inherited : nodeOptionsMention(dataProperty(env, 'NODE_OPTIONS'), tracerFile);
    if (viaEnv || mentions(args, tracerFile)) return undefined;
    return commandText(file, Array.isArray(args) ? args : []);
  };
  // spawn, exec, execFile and fork: the options are Node's normalised object, whose argv starts with argv[0] and
  // whose envPairs hold the environment the child gets.
  recordCalls(cp.ChildProcess.prototype, 'spawn', (_self, [options]) => {
    const argv = dataProperty(options, 'args');
    if (mentions(argv, tracerFile) || mentions(dataProperty(options, 'envPairs'), tracerFile)) return undefined;
    if (!Array.isArray(argv) || argv.length === 0) return commandText(dataProperty(options, 'file'), []);
    return commandText(dataProperty(argv, '0'), argv, 1);
  });
  recordCalls(cp, 'spawnSync', (_self, [file, args, options]) =>
    untraced(file, args, Array.isArray(args) ? options : args),
  );
  recordCalls(cp, 'execFileSync', (_self, [file, args, options]) =>
    untraced(file, args, Array.isArray(args) ? options : args),
  );
  recordCalls(cp, 'execSync', (_self, [command, options]) => untraced(command, [], options));
}
