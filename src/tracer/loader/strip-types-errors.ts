// Loader, TypeScript stripping: the errors that stripTypes throws, and how they name a place in the source
// (1-based line and column, columns counted in UTF-16 code units like editors and V8 stack traces).

/** A 1-based line and column of an offset into a source text. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** The line and column of `offset` in `source`; \r\n, \n, \r, U+2028 and U+2029 end lines, as in JavaScript. */
export function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), source.length);
  for (let i = 0; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || c === 0x2028 || c === 0x2029 || (c === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * The source uses TypeScript that cannot be erased to blanks: it needs code generation (enum, namespace with
 * values, parameter properties, `import x =`, `export =`, ...). The loader falls back to `transpileTypes`.
 */
export class UnsupportedTypeScriptError extends Error {
  /** Like Node's own error for the same case. */
  readonly code = 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX';
  /** Offset (UTF-16) of the construct in the source. */
  readonly start: number;
  /** A short name of the construct, for example `enum` or `parameter property`. */
  readonly construct: string;
  readonly line: number;
  readonly column: number;

  constructor(construct: string, start: number, source: string, filename: string, detail?: string) {
    const { line, column } = positionAt(source, start);
    super(
      `${filename}:${line}:${column}: TypeScript ${construct} is not supported by type stripping` +
        (detail === undefined ? '' : ` (${detail})`),
    );
    this.name = 'UnsupportedTypeScriptError';
    this.start = start;
    this.construct = construct;
    this.line = line;
    this.column = column;
  }
}

/** The source is not valid TypeScript. */
export class TypeScriptSyntaxError extends SyntaxError {
  readonly code = 'ERR_INVALID_TYPESCRIPT_SYNTAX';
  readonly start: number;
  readonly line: number;
  readonly column: number;

  constructor(reason: string, start: number, source: string, filename: string) {
    const { line, column } = positionAt(source, start);
    super(`${filename}:${line}:${column}: ${reason}`);
    this.name = 'SyntaxError';
    this.start = start;
    this.line = line;
    this.column = column;
  }
}
