// The tracer's entry point: `node --require <dist>/tracer/register.cjs program [args]` (or through NODE_OPTIONS;
// `--import <dist>/tracer/register.js` works too, but makes Node load a CommonJS entry differently).
// On the main thread it starts the sink, hooks generators, keeps toString and stack traces as they were, makes
// the probes reachable for instrumented files, and installs the module hooks that instrument the program as it
// loads. Worker threads of the program are not traced yet and are left alone.

import nodeModule from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, isMainThread, receiveMessageOnPort } from 'node:worker_threads';
import { readConfig } from './config';
import { formatOf, normalFormat, pathOf, shouldInstrument, transformPath, type HookOptions } from './loader/hooks';
import { isTypeScript, type TransformResult } from './loader/transform';
import { EndReason, emitEnd, flushWaiting } from './runtime/events';
import {
  installStackFilter,
  installToString,
  markOurs,
  registerFileText,
  setRetransform,
  wrapperDepth,
} from './runtime/fidelity';
import { installAsyncHooks } from './runtime/async';
import { sampleNow, startHeapSampler } from './runtime/heap';
import { installGeneratorHooks } from './runtime/generators';
import { installTaskHooks } from './runtime/tasks';
import { installPromiseTaskHooks } from './runtime/promiseTasks';
import { installSpawnHooks } from './runtime/spawns';
import { installBreakOn } from './runtime/breakOn';
import { registerFile } from './runtime/probes';
import { deliverNow, finishSink, startSink } from './sink/sink';

declare const __YS_VERSION__: string;
const VERSION = typeof __YS_VERSION__ === 'string' ? __YS_VERSION__ : 'dev';
const RUNTIME_KEY = Symbol.for('yieldscope.tracer');

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type SyncNextLoad = (url: string, context?: { format?: string | null }) => LoadResult;
interface ModuleWithHooks {
  registerHooks?: (hooks: {
    load: (url: string, context: { format?: string | null }, next: SyncNextLoad) => LoadResult;
  }) => unknown;
  register?: (specifier: URL, options: { data: HookOptions & { port: unknown }; transferList: unknown[] }) => void;
  prototype: { _compile: (content: unknown, filename: unknown, ...rest: unknown[]) => unknown };
}

function text(source: string | ArrayBuffer | Uint8Array): string {
  return typeof source === 'string' ? source : new TextDecoder().decode(source);
}

/** Transforms, or returns undefined so that Node loads the file itself (and reports its syntax errors). */
function tryTransform(
  source: string,
  path: string,
  url: string,
  format: 'module' | 'commonjs',
  options: HookOptions,
): TransformResult | undefined {
  try {
    const out = transformPath(source, path, url, format, options);
    registerFileText(url, path, out);
    return out;
  } catch {
    return undefined;
  }
}

function installInThreadHooks(mod: ModuleWithHooks, options: HookOptions): void {
  mod.registerHooks!({
    load(url, context, nextLoad) {
      const path = pathOf(url);
      if (!path || !shouldInstrument(path, options)) return nextLoad(url, context);
      if (isTypeScript(path)) {
        const format = normalFormat(context.format, path) ?? formatOf(path);
        const out = tryTransform(readFileSync(path, 'utf8'), path, url, format, options);
        if (!out) return nextLoad(url, context);
        // Node loads CommonJS TypeScript through a loader of its own (its stack frames show file: URLs): keep that
        // format so the program sees the same, at the price of Node stripping our plain JavaScript once more. ES
        // modules load the same either way, so they skip that second pass.
        const nodeFormat = context.format === 'commonjs-typescript' ? context.format : format;
        return { format: nodeFormat, source: out.code, shortCircuit: true };
      }
      const result = nextLoad(url, context);
      const format = normalFormat(result.format, path);
      if (!format || result.source === null || result.source === undefined) return result;
      const out = tryTransform(text(result.source), path, url, format, options);
      return out ? { format, source: out.code, shortCircuit: true } : result;
    },
  });
}

/** Node 20: ES modules through off-thread hooks, CommonJS through Module.prototype._compile. */
function installNode20Hooks(mod: ModuleWithHooks, options: HookOptions): void {
  // The hooks thread announces each file it transforms on this port; nothing listens (so nothing is scheduled on
  // the program's event loop): the fidelity code reads the port synchronously when it needs a file's text.
  const { port1, port2 } = new MessageChannel();
  mod.register!(new URL('./hooks.mjs', import.meta.url), { data: { ...options, port: port2 }, transferList: [port2] });
  const announcements = (): string[] => {
    const urls: string[] = [];
    for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) urls[urls.length] = String(m.message);
    return urls;
  };
  const proto = mod.prototype;
  const compile = proto._compile;
  const ErrorCtor = Error;
  const patched = {
    _compile(this: unknown, content: unknown, filename: unknown, ...rest: unknown[]): unknown {
      if (typeof content === 'string' && typeof filename === 'string' && shouldInstrument(filename, options)) {
        const out = tryTransform(content, filename, pathToFileURL(filename).href, 'commonjs', options);
        if (out) content = out.code;
      }
      // This frame sits between Node's loader frames while the module body runs: hide it, keep the count.
      const limit = ErrorCtor.stackTraceLimit;
      const bumped = typeof limit === 'number' && Reflect.set(ErrorCtor, 'stackTraceLimit', limit + 1);
      wrapperDepth.value++;
      try {
        return compile.call(this, content, filename, ...rest);
      } finally {
        wrapperDepth.value--;
        if (bumped && ErrorCtor.stackTraceLimit === limit + 1) Reflect.set(ErrorCtor, 'stackTraceLimit', limit);
      }
    },
  }._compile;
  markOurs(patched, Function.prototype.toString.call(compile));
  Object.defineProperty(proto, '_compile', { ...Reflect.getOwnPropertyDescriptor(proto, '_compile'), value: patched });
  setRetransform((url) => {
    const path = pathOf(url);
    if (!path) return undefined;
    try {
      return transformPath(readFileSync(path, 'utf8'), path, url, formatOf(path), options);
    } catch {
      return undefined;
    }
  }, announcements);
}

function start(): void {
  const config = readConfig(process.env, process.cwd(), process.pid);
  const ourFile = fileURLToPath(import.meta.url);
  const ourDir = fileURLToPath(new URL('.', import.meta.url));
  const options: HookOptions = {
    cacheDir: config.cacheDir,
    skip: [ourDir],
    root: process.cwd(),
    include: config.include,
    exclude: config.exclude,
  };

  startSink(
    config,
    { program: process.argv[1] ?? '', args: process.argv.slice(2), tracer: VERSION },
    new URL('./drain.cjs', import.meta.url),
  );
  startHeapSampler(config.heapIntervalMs);
  installGeneratorHooks();
  installBreakOn(process.env);
  installAsyncHooks();
  installTaskHooks();
  installPromiseTaskHooks();
  installToString();
  installStackFilter([import.meta.url, ourFile]);
  Object.defineProperty(globalThis, RUNTIME_KEY, {
    value: Object.freeze({
      file: registerFile,
      // Called by the editor while a debugger has the program paused: write out what waits, and deliver it.
      flush: () => {
        flushWaiting();
        deliverNow();
      },
    }),
    enumerable: false,
    writable: false,
    configurable: false,
  });

  const mod = nodeModule as unknown as ModuleWithHooks;
  if (typeof mod.registerHooks === 'function') installInThreadHooks(mod, options);
  else installNode20Hooks(mod, options);
  // After the loader's own hooks thread (Node 20) has started: only the program's workers are recorded.
  installSpawnHooks(ourDir);

  let uncaught: { value: unknown } | undefined;
  process.on('uncaughtExceptionMonitor', (error) => {
    uncaught = { value: error };
  });
  process.on('exit', (code) => {
    sampleNow();
    emitEnd(typeof code === 'number' ? code : 0, uncaught ? EndReason.Uncaught : EndReason.Exit, uncaught);
    finishSink(3000);
  });
}

if (isMainThread && !(RUNTIME_KEY in globalThis)) start();
