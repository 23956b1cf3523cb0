// The anchor: a reference recorder of the usual way event-loop visualisers record a Node program, run on the
// same workloads as Yieldscope so the benchmark can say how the two compare. Loaded like the tracer:
// `node --require bench/anchor/register.cjs program`. It records into memory (see recorder.cjs):
//  - async_hooks with every callback (init, before, after, destroy, promiseResolve), one event per callback;
//  - a wrapper around every function of the program, by a source transform (transform.cjs) installed with the
//    same module-hook mechanism as the tracer: module.registerHooks where Node has it (22.15+), otherwise
//    module.register (off-thread, for ES modules) and Module.prototype._compile (CommonJS).
// Files under node_modules and the anchor's own are left alone. The event count is exposed for bench/measure.cjs.
// Only the main thread records: Node 20 runs --require preloads in its module-hooks thread too.
'use strict';

if (require('node:worker_threads').isMainThread) install();

function install() {
  const asyncHooks = require('node:async_hooks');
  const nodeModule = require('node:module');
  const { fileURLToPath, pathToFileURL } = require('node:url');
  const { Kind, createRecorder } = require('./recorder.cjs');
  const { shouldWrap, sourceTypeOf } = require('./files.cjs');
  const { wrapFunctions } = require('./transform.cjs');

  const recorder = createRecorder();
  const { record } = recorder;

  Object.defineProperty(globalThis, '__ysAnchor', {
    value: Object.freeze({
      enter: (id) => record(Kind.Enter, id, 0),
      exit: (id) => record(Kind.Exit, id, 0),
    }),
    enumerable: false,
  });
  Object.defineProperty(globalThis, Symbol.for('yieldscope.bench.anchor'), {
    value: { events: recorder.count, bytes: recorder.bytes },
    enumerable: false,
  });

  const types = new Map();
  asyncHooks
    .createHook({
      init(asyncId, type, triggerAsyncId) {
        let t = types.get(type);
        if (t === undefined) types.set(type, (t = types.size + 1));
        record(Kind.Init | (t << 8), asyncId, triggerAsyncId);
      },
      before: (asyncId) => record(Kind.Before, asyncId, 0),
      after: (asyncId) => record(Kind.After, asyncId, 0),
      destroy: (asyncId) => record(Kind.Destroy, asyncId, 0),
      promiseResolve: (asyncId) => record(Kind.PromiseResolve, asyncId, 0),
    })
    .enable();

  // Function ids made on this thread; the off-thread hooks (Node 20, ES modules) number from 1.
  let nextId = 1 << 24;
  const newId = () => nextId++;
  const wrap = (source, path) => {
    try {
      return wrapFunctions(source, path, sourceTypeOf(path), newId);
    } catch {
      return undefined;
    }
  };
  const text = (source) => (typeof source === 'string' ? source : new TextDecoder().decode(source));

  if (typeof nodeModule.registerHooks === 'function') {
    nodeModule.registerHooks({
      load(url, context, nextLoad) {
        const result = nextLoad(url, context);
        if (!url.startsWith('file:') || result.source == null) return result;
        const path = fileURLToPath(url);
        if (!shouldWrap(path) || (result.format !== 'module' && result.format !== 'commonjs')) return result;
        const code = wrap(text(result.source), path);
        return code === undefined ? result : { ...result, source: code, shortCircuit: true };
      },
    });
  } else {
    nodeModule.register('./hooks.mjs', pathToFileURL(__filename));
    const proto = nodeModule.prototype;
    const compile = proto._compile;
    proto._compile = function (content, filename, ...rest) {
      if (typeof content === 'string' && shouldWrap(filename)) content = wrap(content, filename) ?? content;
      return compile.call(this, content, filename, ...rest);
    };
  }
}
