// The anchor's off-thread module hooks for Node versions without module.registerHooks (Node 20): ES modules are
// wrapped here; CommonJS goes through the _compile wrapper in register.cjs.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { shouldWrap, sourceTypeOf } = require('./files.cjs');
const { wrapFunctions } = require('./transform.cjs');

let nextId = 1;
const newId = () => nextId++;

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!url.startsWith('file:') || result.format !== 'module' || result.source == null) return result;
  const path = fileURLToPath(url);
  if (!shouldWrap(path)) return result;
  const source = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
  try {
    const code = wrapFunctions(source, path, sourceTypeOf(path), newId);
    return code === undefined ? result : { ...result, source: code, shortCircuit: true };
  } catch {
    return result;
  }
}
