// Loader, TypeScript → JavaScript. `stripTypes` erases TypeScript-only syntax to blanks ("blank space"
// stripping, like Node's own `--experimental-strip-types`), so every JavaScript token stays at its line and
// column and no source map is needed; it throws UnsupportedTypeScriptError where erasing is not enough, and the
// loader then falls back to `transpileTypes` (oxc-transform with a source map).
import { parseSync, type ParserOptions } from 'oxc-parser';
import type { TransformOptions, transformSync as TransformSync } from 'oxc-transform';

/** oxc-transform (a native binding) is loaded only when a file needs it, not at every traced program's start. */
let transformSync: typeof TransformSync | undefined;
function loadTransform(): typeof TransformSync {
  // A plain require: CommonJS bundles have it, and the ES module bundle defines it in its banner.
  transformSync ??= (require('oxc-transform') as { transformSync: typeof TransformSync }).transformSync;
  return transformSync;
}
import { TypeScriptSyntaxError, UnsupportedTypeScriptError } from './strip-types-errors';
import { TokenScanner, blankText } from './strip-types-text';
import type { AstNode, StripEdits } from './strip-types-ast';
import { TypeEraser } from './strip-types-walk';
import { decoratorHelpersLine, hasParameterDecorators } from './strip-types-decorators';

export { TypeScriptSyntaxError, UnsupportedTypeScriptError, positionAt } from './strip-types-errors';

/** How a file name's extension is read: TypeScript (and in which module goal), TSX, or anything else (JS). */
type Dialect = { kind: 'ts'; sourceType: NonNullable<ParserOptions['sourceType']> } | { kind: 'tsx' } | { kind: 'js' };

/** The module goal a loader already knows for a file (from package.json "type"), when it does. */
export type KnownFormat = 'module' | 'commonjs' | undefined;

function dialectOf(filename: string, format?: KnownFormat): Dialect {
  // A URL (`file:///a/b.ts?v=2`) is read without its query and fragment; a path keeps every character.
  const name = /^[a-z][a-z\d+.-]*:\/\//i.test(filename) ? filename.replace(/[?#].*$/s, '') : filename;
  const lower = name.toLowerCase();
  if (lower.endsWith('.mts')) return { kind: 'ts', sourceType: 'module' };
  if (lower.endsWith('.cts')) return { kind: 'ts', sourceType: 'commonjs' };
  if (lower.endsWith('.ts')) return { kind: 'ts', sourceType: format ?? 'unambiguous' };
  if (lower.endsWith('.tsx')) return { kind: 'tsx' };
  return { kind: 'js' };
}

interface Parsed {
  readonly program: AstNode;
  readonly comments: readonly { start: number; end: number }[];
}

/**
 * Parses as TypeScript. A `.ts` file may be ESM or CommonJS: in the goal the loader knows for it when it knows
 * one (a module may use top-level await without import/export); otherwise it is read as ESM when it has
 * import/export and as a script if not, and if that fails, as CommonJS (which allows a top-level `return`).
 */
function parseTypeScript(source: string, filename: string, dialect: Dialect & { kind: 'ts' }): Parsed {
  let result = parseSync(filename, source, { lang: 'ts', sourceType: dialect.sourceType });
  let errors = errorsOf(result.errors);
  if (errors.length > 0 && dialect.sourceType === 'unambiguous') {
    const commonjs = parseSync(filename, source, { lang: 'ts', sourceType: 'commonjs' });
    if (errorsOf(commonjs.errors).length === 0) [result, errors] = [commonjs, []];
  }
  const error = errors[0];
  if (error !== undefined) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : '';
    throw new TypeScriptSyntaxError(error.message + more, error.labels[0]?.start ?? 0, source, filename);
  }
  // The hashbang is not in `comments`: like Node, we count it as a token before the first statement.
  return { program: result.program, comments: result.comments };
}

/** oxc's diagnostics that are errors (not warnings or advice). */
function errorsOf<T extends { severity: unknown }>(diagnostics: readonly T[]): T[] {
  return diagnostics.filter((d) => String(d.severity) === 'Error');
}

/** Applies the edits: blanks first (merged in order), then the single characters written over them. */
function applyEdits(source: string, edits: StripEdits): string {
  const { blanks, writes } = edits;
  const order: number[] = [];
  for (let i = 0; i < blanks.length; i += 2) order.push(i);
  order.sort((a, b) => (blanks[a] ?? 0) - (blanks[b] ?? 0));
  let out = '';
  let pos = 0;
  for (const i of order) {
    const start = Math.max(blanks[i] ?? 0, pos);
    const end = blanks[i + 1] ?? 0;
    if (end <= start) continue;
    out += source.slice(pos, start) + blankText(source, start, end);
    pos = end;
  }
  out += source.slice(pos);
  if (writes.size === 0) return out;
  let written = '';
  pos = 0;
  for (const at of [...writes.keys()].sort((a, b) => a - b)) {
    written += out.slice(pos, at) + (writes.get(at) ?? '');
    pos = at + 1;
  }
  return written + out.slice(pos);
}

/**
 * TypeScript source → JavaScript with the same length (UTF-16) and every JavaScript token, and every line
 * break, at the same offset. `.js`/`.mjs`/`.cjs` (and any other non-TypeScript name) come back unchanged.
 * @throws TypeScriptSyntaxError when the source does not parse.
 * @throws UnsupportedTypeScriptError when the source needs more than erasing (use `transpileTypes`).
 */
export function stripTypes(source: string, filename: string, format?: KnownFormat): string {
  const dialect = dialectOf(filename, format);
  if (dialect.kind === 'js') return source;
  if (dialect.kind === 'tsx') throw new UnsupportedTypeScriptError('TSX', 0, source, filename, 'JSX needs a transform');
  const { program, comments } = parseTypeScript(source, filename, dialect);
  const eraser = new TypeEraser(new TokenScanner(source, comments), filename);
  eraser.visitChildren(program);
  return applyEdits(source, eraser.edits);
}

/** A version 3 source map, as oxc-transform gives it. */
export interface TranspiledSourceMap {
  mappings: string;
  sources: string[];
  names: string[];
  version: number;
  sourcesContent?: string[];
}

/**
 * The fallback: TypeScript → JavaScript by oxc-transform, for what stripping cannot do (enum, namespace,
 * parameter properties, `import x = require()`, `export =`, parameter decorators). Only TypeScript is removed
 * (no lowering of newer JavaScript), imports are kept as written, like Node's own `--experimental-transform-types`
 * (so a file behaves the same whichever path it takes), and the source map leads back to the original lines.
 */
export function transpileTypes(
  source: string,
  filename: string,
  format?: KnownFormat,
): { code: string; map: TranspiledSourceMap } {
  const dialect = dialectOf(filename, format);
  const legacyDecorators = dialect.kind !== 'js' && hasParameterDecorators(source, filename);
  const options: TransformOptions = {
    lang: dialect.kind === 'tsx' ? 'tsx' : dialect.kind === 'ts' ? 'ts' : 'js',
    sourcemap: true,
    typescript: { onlyRemoveTypeImports: true },
  };
  if (dialect.kind === 'ts') options.sourceType = dialect.sourceType;
  if (legacyDecorators) {
    options.decorator = { legacy: true };
    // Helpers are read from a `babelHelpers` object that a line of our own defines (see below).
    options.helpers = { mode: 'External' as NonNullable<TransformOptions['helpers']>['mode'] };
  }
  const result = loadTransform()(filename, source, options);
  const error = errorsOf(result.errors)[0];
  if (error !== undefined) {
    throw new TypeScriptSyntaxError(error.message, error.labels[0]?.start ?? 0, source, filename);
  }
  const raw = result.map;
  if (raw === undefined) throw new Error(`oxc-transform gave no source map for ${filename}`);
  const map: TranspiledSourceMap = {
    mappings: raw.mappings,
    sources: raw.sources,
    names: raw.names,
    version: raw.version,
  };
  if (raw.sourcesContent !== undefined) map.sourcesContent = raw.sourcesContent;
  const helpers = Object.keys(result.helpersUsed);
  if (helpers.length === 0) return { code: result.code, map };
  return decoratorHelpersLine(result.code, map, helpers, filename);
}
