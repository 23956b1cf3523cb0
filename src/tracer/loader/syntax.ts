// Syntax helpers for the instrumenter (instrument.ts, async-plan.ts): the oxc ESTree nodes it reads, where a
// function's parameters and body start and end in the text, and offsets as lines and columns.

/** Minimal view of the oxc ESTree nodes the loader reads. */
export interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export interface FunctionNode extends Node {
  id: Node | null;
  generator: boolean;
  async: boolean;
  params: Node[];
  body: (Node & { body: Node[] }) | null;
}

/** Where the body's statements start: after its directive prologue, so that a directive stays a directive. */
export function afterDirectives(body: Node & { body: Node[] }): number {
  let at = body.start + 1;
  for (const stmt of body.body) {
    if (stmt.type === 'ExpressionStatement' && typeof stmt['directive'] === 'string') at = stmt.end;
    else break;
  }
  return at;
}

export function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';
}

export function hasUseStrict(body: Node[] | undefined): boolean {
  for (const stmt of body ?? []) {
    if (stmt.type !== 'ExpressionStatement' || typeof stmt['directive'] !== 'string') return false;
    if (stmt['directive'] === 'use strict') return true;
  }
  return false;
}

/** Why the hidden creation parameter cannot be added without changing meaning, or undefined when it can. */
export function creationProbeBlocker(fn: FunctionNode, strict: boolean, code: string): string | undefined {
  if (fn.params.some((p) => p.type === 'RestElement')) return 'it already has a rest parameter';
  if (fn.body && hasUseStrict(fn.body.body)) return "a 'use strict' body needs simple parameters";
  const simple = fn.params.every((p) => p.type === 'Identifier');
  if (!strict && simple) {
    // Sloppy functions with simple parameters alias `arguments` to them and allow duplicate names; a
    // non-simple parameter list would change both.
    const names = fn.params.map((p) => String(p['name']));
    if (new Set(names).size !== names.length) return 'duplicate parameter names';
    if (fn.body && /\barguments\b/.test(code.slice(fn.body.start, fn.body.end))) return 'sloppy-mode use of arguments';
  }
  return undefined;
}

/** Offset of the `)` that closes the parameter list. */
export function findParamsClose(code: string, fn: FunctionNode): number {
  const last = fn.params[fn.params.length - 1];
  let i = last ? last.end : findParamsOpen(code, fn) + 1;
  for (;;) {
    i = skipTrivia(code, i);
    const ch = code[i];
    if (ch === ')') return i;
    if (ch === ',') {
      i++;
      continue;
    }
    // A TypeScript annotation blanked to spaces ends up as trivia; anything else means we misread the AST.
    throw new Error(`cannot find the end of the parameters near offset ${i}`);
  }
}

function findParamsOpen(code: string, fn: FunctionNode): number {
  let i = fn.start;
  // The first `(` after the function's head that is not inside a comment; type parameters are blanked.
  for (;;) {
    i = skipTrivia(code, i);
    if (i >= code.length) throw new Error('cannot find the parameters');
    if (code[i] === '(') return i;
    if (code[i] === '[')
      i = skipBrackets(code, i); // computed method key
    else i++;
  }
}

function skipBrackets(code: string, i: number): number {
  let depth = 0;
  for (; i < code.length; i++) {
    const ch = code[i];
    if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return i + 1;
    else if (ch === '"' || ch === "'" || ch === '`') i = skipString(code, i);
  }
  return i;
}

function skipString(code: string, i: number): number {
  const quote = code[i];
  for (i++; i < code.length; i++) {
    if (code[i] === '\\') i++;
    else if (code[i] === quote) return i;
  }
  return i;
}

export function trailingComma(code: string, from: number, close: number): boolean {
  let i = from;
  while (i < close) {
    i = skipTrivia(code, i);
    if (code[i] === ',') return true;
    if (i >= close) break;
    i++;
  }
  return false;
}

/** Skips whitespace and comments. */
export function skipTrivia(code: string, i: number): number {
  for (;;) {
    const ch = code.charCodeAt(i);
    if (
      ch === 32 ||
      ch === 9 ||
      ch === 10 ||
      ch === 13 ||
      ch === 11 ||
      ch === 12 ||
      ch === 0xa0 ||
      ch === 0xfeff ||
      ch === 0x2028 ||
      ch === 0x2029
    ) {
      i++;
    } else if (ch === 47 && code.charCodeAt(i + 1) === 47) {
      while (i < code.length && code[i] !== '\n' && code[i] !== '\r') i++;
    } else if (ch === 47 && code.charCodeAt(i + 1) === 42) {
      const end = code.indexOf('*/', i + 2);
      i = end < 0 ? code.length : end + 2;
    } else if (ch > 127 && /\s/.test(code[i] ?? '')) {
      i++;
    } else {
      return i;
    }
  }
}

/** Offsets where each line starts, for turning offsets into 1-based lines and columns. */
export function lineStarts(code: string): number[] {
  const starts = [0];
  for (let i = 0; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    if (ch === 10 || ch === 0x2028 || ch === 0x2029 || (ch === 13 && code.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line and column of a UTF-16 offset, given `lineStarts(code)`. */
export function lineColumnAt(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

export function lineColumn(code: string, offset: number): { line: number; column: number } {
  return lineColumnAt(lineStarts(code), offset);
}
