// Maps a position in transpiled TypeScript back to the original, for the rare files that need real code
// generation (enums, namespaces, parameter properties) instead of blanking.

import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';

export interface RawSourceMap {
  version: number;
  sources: string[];
  names: string[];
  mappings: string;
}

const cache = new WeakMap<RawSourceMap, TraceMap>();

/** 1-based line and column in, 1-based line and column out; the input position when it cannot be mapped. */
export function originalPosition(map: RawSourceMap, line: number, column: number): { line: number; column: number } {
  let tm = cache.get(map);
  if (!tm) {
    tm = new TraceMap(map as ConstructorParameters<typeof TraceMap>[0]);
    cache.set(map, tm);
  }
  const pos = originalPositionFor(tm, { line, column: column - 1 });
  if (pos.line === null || pos.column === null) return { line, column };
  return { line: pos.line, column: pos.column + 1 };
}
