// Off-thread module hooks for Node versions without module.registerHooks (Node 20): loaded with
// module.register from register.ts. ES modules are transformed here; CommonJS files are left to the CommonJS
// compile hook on the main thread, so that require() inside them keeps Node's own loader.

import { readFileSync } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
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

/** Tells the main thread which files were transformed here (it reads them when it needs them). */
let port: MessagePort | undefined;

export function initialize(data: HookOptions & { port?: MessagePort }): void {
  options = { cacheDir: data.cacheDir, skip: data.skip, root: data.root, include: data.include, exclude: data.exclude };
  port = data.port;
}

function transformed(source: string, path: string, url: string, format: 'module' | 'commonjs'): string {
  const out = transformPath(source, path, url, format, options);
  if (out.insertions.length > 0) port?.postMessage(url);
  return out.code;
}

export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<LoadResult> {
  const path = pathOf(url);
  if (!path || !shouldInstrument(path, options)) return nextLoad(url, context);
  if (isTypeScript(path)) {
    const format = formatOf(path);
    // CommonJS TypeScript goes through the main thread's compile hook, like CommonJS JavaScript.
    if (format === 'commonjs') return { format: 'commonjs', source: null, shortCircuit: true };
    const source = readFileSync(path, 'utf8');
    return { format, source: transformed(source, path, url, format), shortCircuit: true };
  }
  const result = await nextLoad(url, context);
  const format = normalFormat(result.format, path);
  if (format !== 'module' || result.source === null || result.source === undefined) return result;
  const source = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
  return { format, source: transformed(source, path, url, format), shortCircuit: true };
}
