// Where the "Visualize" CodeLenses go, found in a file's text without parsing it: above each generator function,
// async function and async generator (declarations, expressions, arrows assigned to a name, class and object
// methods), and above the file's entry point (its first top-level statement that runs something; the top of the
// file when it has none). Comments, strings and template literals are blanked first, so that a `function*` in
// them is not taken for code. Plain text in, lines out; no `vscode`.

export type LensKind = 'generator' | 'async' | 'async-generator' | 'entry';

export interface LensPlace {
  /** 0-based. */
  readonly line: number;
  readonly kind: LensKind;
  /** The function's name, when it has one. */
  readonly name: string | undefined;
}

const ID = '[A-Za-z_$][\\w$]*';
const DECLARATION = new RegExp(`\\b(async\\s+)?function\\s*(\\*)?\\s*(${ID})?`, 'g');
const ASYNC_ARROW = new RegExp(`\\b(?:const|let|var)\\s+(${ID})\\s*(?::[^=;]*)?=\\s*async\\b(?!\\s+function)`, 'g');
const ASYNC_ARGUMENT_ARROW = new RegExp(`\\basync\\s*(?:\\([^()]*\\)|${ID})\\s*(?::[^=;]*)?=>`, 'g');
const METHOD = new RegExp(
  `^\\s*(?:(?:public|private|protected|static|override|readonly)\\s+)*(async\\s+)?(\\*)?\\s*(${ID}|\\[[^\\]]+\\])\\s*(?:<[^>]*>)?\\(`,
);
const NOT_METHOD = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'await', 'yield', 'new']);
const NOT_ENTRY =
  /^(?:import\b|export\s+(?:type|interface|default\s+(?:function|class)|function|class|async\s+function|\{)|type\b|interface\b|declare\b|function\b|async\s+function\b|class\b|abstract\s+class\b|enum\b|const\s+enum\b|'use strict'|"use strict"|#!)/;
const RUNS =
  /^(?:await\b|for\b|if\b|while\b|do\b|try\b|void\b|switch\b|\(|[A-Za-z_$][\w$.]*\s*(?:\(|\.|`|\?\.|!\s*\())/;
/** A declaration whose initializer calls something: `const g = gen(1);`, `const data = await load();`. */
const RUNS_DECLARATION =
  /^(?:export\s+)?(?:const|let|var)\s+[^=]+=\s*(?!async\b|function\b)(?:await\b|new\b|[A-Za-z_$][\w$.]*\s*[(`])/;

/** The lens places of a file, in line order. */
export function lensPlaces(text: string): LensPlace[] {
  const masked = blankCommentsAndStrings(text);
  const lines = masked.split('\n');
  const places = new Map<number, LensPlace>();
  const lineOf = lineIndex(masked);
  for (const m of masked.matchAll(DECLARATION)) {
    if (!m[1] && !m[2]) continue;
    const kind: LensKind = m[1] && m[2] ? 'async-generator' : m[2] ? 'generator' : 'async';
    const line = lineOf(m.index);
    if (!places.has(line)) places.set(line, { line, kind, name: m[3] ?? nameBefore(masked, m.index) });
  }
  for (const m of masked.matchAll(ASYNC_ARROW)) {
    const line = lineOf(m.index);
    if (!places.has(line)) places.set(line, { line, kind: 'async', name: m[1] });
  }
  for (const m of masked.matchAll(ASYNC_ARGUMENT_ARROW)) {
    const line = lineOf(m.index);
    if (!places.has(line)) places.set(line, { line, kind: 'async', name: nameBefore(masked, m.index) });
  }
  lines.forEach((l, line) => {
    const m = METHOD.exec(l);
    if (!m || (!m[1] && !m[2]) || NOT_METHOD.has(m[3]!) || places.has(line)) return;
    places.set(line, { line, kind: m[1] && m[2] ? 'async-generator' : m[2] ? 'generator' : 'async', name: m[3] });
  });
  if (places.size === 0 && !/\bawait\b|\byield\b/.test(masked)) return [];
  const entry = entryLine(lines);
  const out = [...places.values()].sort((a, b) => a.line - b.line);
  return [{ line: entry, kind: 'entry', name: undefined }, ...out];
}

/** `const name = function* (` or `name: async function (`: the name the function is assigned to. */
function nameBefore(text: string, index: number): string | undefined {
  const before = text.slice(Math.max(0, index - 200), index);
  const m = new RegExp(`(${ID})\\s*(?::[^=;]*)?[=:]\\s*$`).exec(before);
  return m?.[1];
}

/** The first line at the top level (no open bracket) whose statement runs something; else 0. */
function entryLine(lines: readonly string[]): number {
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (depth === 0 && trimmed && !NOT_ENTRY.test(trimmed) && (RUNS.test(trimmed) || RUNS_DECLARATION.test(trimmed)))
      return i;
    for (const ch of line) {
      if (ch === '{' || ch === '(' || ch === '[') depth++;
      else if ((ch === '}' || ch === ')' || ch === ']') && depth > 0) depth--;
    }
  }
  return 0;
}

function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

/**
 * The text with comments and the insides of strings and template literals turned to spaces (line breaks kept).
 * `${…}` inside a template is code and stays. A `/` that starts a regular expression is not told apart from a
 * division: a regex holding a quote may blank the rest of its line, which only costs a lens on that line.
 */
export function blankCommentsAndStrings(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const templates: number[] = []; // brace depth at each open `${`
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      blank(i + 1, Math.min(j, n));
      i = j + 1;
    } else if (c === '`' || (c === '}' && templates.length && templates.at(-1) === depth)) {
      if (c === '}') templates.pop();
      let j = i + 1;
      while (j < n && text[j] !== '`' && !(text[j] === '$' && text[j + 1] === '{')) j += text[j] === '\\' ? 2 : 1;
      blank(i + 1, Math.min(j, n));
      if (text[j] === '$') {
        templates.push(depth);
        i = j + 2;
      } else i = j + 1;
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      i++;
    }
  }
  return out.join('');
}
