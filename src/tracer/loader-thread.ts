// Off-thread module hooks for Node versions without module.registerHooks (Node 20): loaded with
// module.register from register.ts. ES modules are transformed here; CommonJS files are left to the CommonJS
// compile hook on the main thread, so that require() inside them keeps Node's own loader.

import { readFileSync } from 'node:fs';
import { formatOf, normalFormat, pathOf, shouldInstrument, transformPath, type HookOptions } from './loader/hooks';
import { isTypeScript } from './loader/transform';

interface LoadContext {
  format?: string | null;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context?: LoadContext) => Promise<LoadResult>;

let options: HookOptions = { cacheDir: undefined, skip: [] };

export function initialize(data: HookOptions): void {
  options = data;
}

export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<LoadResult> {
  const path = pathOf(url);
  if (!path || !shouldInstrument(path, options)) return nextLoad(url, context);
  if (isTypeScript(path)) {
    const format = formatOf(path);
    // CommonJS TypeScript goes through the main thread's compile hook, like CommonJS JavaScript.
    if (format === 'commonjs') return { format: 'commonjs', source: null, shortCircuit: true };
    const source = readFileSync(path, 'utf8');
    return { format, source: transformPath(source, path, url, format, options).code, shortCircuit: true };
  }
  const result = await nextLoad(url, context);
  const format = normalFormat(result.format, path);
  if (format !== 'module' || result.source === null || result.source === undefined) return result;
  const source = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
  return { format, source: transformPath(source, path, url, format, options).code, shortCircuit: true };
}
