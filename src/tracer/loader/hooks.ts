// Module hooks: which files are instrumented and in which module format. Shared by the in-thread hooks
// (module.registerHooks, Node >= 22.15), the off-thread hooks (module.register, Node 20) and the CommonJS
// compile hook (Node 20). The tracer's own files are never touched; files in node_modules only when the include
// globs name them; the exclude globs win over everything.

import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { globToRegExp, matchesAny } from './glob';
import { isTypeScript, transformFile, type ModuleFormat, type TransformResult } from './transform';

const SOURCE_EXT = /\.(?:[cm]?[jt]s)$/;

export interface HookOptions {
  readonly cacheDir: string | undefined;
  /** Folders whose files are never instrumented (the tracer's own). */
  readonly skip: readonly string[];
  /** The folder include/exclude globs are relative to (the program's working folder). */
  readonly root?: string;
  /** Globs of files to instrument (then only those, node_modules included if they say so); empty: the default. */
  readonly include?: readonly string[];
  /** Globs of files never to instrument. */
  readonly exclude?: readonly string[];
}

const compiled = new Map<string, RegExp>();
function globs(list: readonly string[] | undefined): RegExp[] {
  return (list ?? []).map((g) => {
    let re = compiled.get(g);
    if (!re) compiled.set(g, (re = globToRegExp(g)));
    return re;
  });
}

export function shouldInstrument(path: string, options: HookOptions): boolean {
  if (!SOURCE_EXT.test(path)) return false;
  if (options.skip.some((dir) => path.startsWith(dir))) return false;
  const rel = relative(options.root ?? process.cwd(), path).replace(/\\/g, '/');
  if (matchesAny(rel, globs(options.exclude))) return false;
  if (options.include && options.include.length > 0) return matchesAny(rel, globs(options.include));
  return !(path.includes('/node_modules/') || path.includes('\\node_modules\\'));
}

const typeCache = new Map<string, ModuleFormat>();

/** The format Node gives a file from its extension and the nearest package.json "type". */
export function formatOf(path: string): ModuleFormat {
  if (/\.m[jt]s$/.test(path)) return 'module';
  if (/\.c[jt]s$/.test(path)) return 'commonjs';
  let dir = dirname(path);
  const seen: string[] = [];
  for (;;) {
    const cached = typeCache.get(dir);
    if (cached) return remember(seen, cached);
    seen.push(dir);
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: unknown };
      return remember(seen, pkg.type === 'module' ? 'module' : 'commonjs');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return remember(seen, 'commonjs');
    }
    const up = dirname(dir);
    if (up === dir) return remember(seen, 'commonjs');
    dir = up;
  }
}

function remember(dirs: string[], format: ModuleFormat): ModuleFormat {
  for (const d of dirs) typeCache.set(d, format);
  return format;
}

/** Normalises Node's format names ('module-typescript' and the like) to the two we produce. */
export function normalFormat(format: string | null | undefined, path: string): ModuleFormat | undefined {
  if (format === 'module' || format === 'module-typescript') return 'module';
  if (format === 'commonjs' || format === 'commonjs-typescript') return 'commonjs';
  if (format === undefined || format === null)
    return isTypeScript(path) || /\.[cm]?js$/.test(path) ? formatOf(path) : undefined;
  return undefined;
}

export function transformPath(
  source: string,
  path: string,
  url: string,
  format: ModuleFormat,
  options: HookOptions,
): TransformResult {
  return transformFile(source, path, url, format, options.cacheDir);
}

export function pathOf(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}
