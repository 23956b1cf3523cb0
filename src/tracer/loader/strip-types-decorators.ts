// Loader, TypeScript → JavaScript fallback: experimental (legacy) decorators. Parameter decorators exist only in
// TypeScript's `experimentalDecorators` dialect, so a file that has them is transpiled with legacy decorators.
// oxc-transform then calls helpers on a `babelHelpers` object; this module defines that object on a line of its
// own (the semantics of tslib's __decorate, __param and __metadata) so the output needs no runtime package.
import { parseSync, visitorKeys } from 'oxc-parser';
import type { TranspiledSourceMap } from './strip-types';

const keysByType: Readonly<Record<string, readonly string[]>> = visitorKeys;

function isNodeLike(v: unknown): v is { type: string } & Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

function hasDecoratedParam(params: unknown): boolean {
  if (!Array.isArray(params)) return false;
  return params.some((p) => isNodeLike(p) && Array.isArray(p['decorators']) && p['decorators'].length > 0);
}

function findParameterDecorator(node: { type: string } & Readonly<Record<string, unknown>>): boolean {
  if ('params' in node && hasDecoratedParam(node['params'])) return true;
  for (const key of keysByType[node.type] ?? []) {
    const v = node[key];
    if (Array.isArray(v)) {
      for (const item of v) if (isNodeLike(item) && findParameterDecorator(item)) return true;
    } else if (isNodeLike(v) && findParameterDecorator(v)) return true;
  }
  return false;
}

/** Whether any function parameter (or parameter property) has a decorator. */
export function hasParameterDecorators(source: string, filename: string): boolean {
  if (!source.includes('@')) return false;
  const result = parseSync(filename, source, { lang: filename.toLowerCase().endsWith('x') ? 'tsx' : 'ts' });
  return result.errors.length === 0 && findParameterDecorator(result.program as unknown as { type: string });
}

/** tslib's decorator helpers under the names oxc-transform uses, on one line. */
const helperSource: Readonly<Record<string, string>> = {
  decorate:
    'decorate: function (ds, t, k, d) { var c = arguments.length, r = c < 3 ? t : d === null ? d = Object.getOwnPropertyDescriptor(t, k) : d, f; ' +
    'if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(ds, t, k, d); ' +
    'else for (var i = ds.length - 1; i >= 0; i--) if (f = ds[i]) r = (c < 3 ? f(r) : c > 3 ? f(t, k, r) : f(t, k)) || r; ' +
    'return c > 3 && r && Object.defineProperty(t, k, r), r; }',
  decorateParam: 'decorateParam: function (i, f) { return function (t, k) { f(t, k, i); }; }',
  decorateMetadata:
    'decorateMetadata: function (k, v) { if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v); }',
};

/** A hashbang or a directive (`"use strict";`): lines that must stay before any statement of ours. */
const prologueLine = /^\s*(?:#!.*|(["'])[^"'\\]*\1;?)\s*$/;

/**
 * Inserts `var babelHelpers = {...};` as a new line after the hashbang and directive prologue, and shifts the
 * source map by that line.
 */
export function decoratorHelpersLine(
  code: string,
  map: TranspiledSourceMap,
  helpers: readonly string[],
  filename: string,
): { code: string; map: TranspiledSourceMap } {
  const parts = helpers.map((name) => {
    const part = helperSource[name];
    if (part === undefined) throw new Error(`${filename}: oxc-transform needs a helper we do not provide: ${name}`);
    return part;
  });
  const lines = code.split('\n');
  let at = 0;
  while (at < lines.length && prologueLine.test(lines[at] ?? '')) at++;
  lines.splice(at, 0, `var babelHelpers = { ${parts.join(', ')} };`);
  const mappings = map.mappings.split(';');
  while (mappings.length < at) mappings.push('');
  mappings.splice(at, 0, '');
  return { code: lines.join('\n'), map: { ...map, mappings: mappings.join(';') } };
}
