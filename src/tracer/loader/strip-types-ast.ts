// Loader, TypeScript stripping: how the stripper reads oxc-parser's ESTree AST (typed loosely: only the fields
// it needs, read through small helpers) and what a part of the walk may do to the output.
import { visitorKeys } from 'oxc-parser';
import type { TokenScanner } from './strip-types-text';

/** The part of an oxc ESTree node that every node has; other fields are read through the helpers below. */
export interface AstNode {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

/** The edits of one file: ranges to blank (flat start/end pairs) and characters to write afterwards. */
export interface StripEdits {
  readonly blanks: number[];
  readonly writes: Map<number, string>;
}

export const keysByType: Readonly<Record<string, readonly string[]>> = visitorKeys;

export function field(n: AstNode, key: string): unknown {
  return (n as unknown as Readonly<Record<string, unknown>>)[key];
}
export function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}
export function child(n: AstNode, key: string): AstNode | null {
  const v = field(n, key);
  return isNode(v) ? v : null;
}
export function children(n: AstNode, key: string): AstNode[] {
  const v = field(n, key);
  return Array.isArray(v) ? v.filter(isNode) : [];
}
export function flag(n: AstNode, key: string): boolean {
  return field(n, key) === true;
}
export function text(n: AstNode, key: string): string | null {
  const v = field(n, key);
  return typeof v === 'string' ? v : null;
}

/** What the parts of the walk share: the source, its tokens, the edits, and the walk itself. */
export interface EraseContext {
  readonly source: string;
  readonly scan: TokenScanner;
  /** Blanks `source[start, end)`. */
  blank(start: number, end: number): void;
  blankNode(n: AstNode | null): void;
  /** Writes one character at `pos` after blanking (a `;`, a moved parenthesis). */
  write(pos: number, ch: string): void;
  /** Throws UnsupportedTypeScriptError. */
  unsupported(construct: string, at: number, detail?: string): never;
  /** Throws TypeScriptSyntaxError, for what Node rejects and oxc accepts. */
  invalid(reason: string, at: number): never;
  /** `pos` if the source has `ch` there; otherwise our reading of the AST is wrong, and we ask for a transpile. */
  expectChar(pos: number, ch: string, what: string): number;
  visit(n: AstNode): void;
  visitChildren(n: AstNode): void;
}
