// Loader, TypeScript stripping: text-level helpers. Finding the token next to a place in the source (the
// parser gives nodes, not tokens, so the few tokens that stripping needs — `?`, `!`, `)`, `,`, modifiers — are
// found by skipping whitespace and comments), and turning an erased range into blanks exactly the way Node's
// own type stripping does.

/** A comment, or the hashbang line: text that is not a token. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** What follows a place in the source: where the next token starts and whether a line ends before it. */
export interface NextToken {
  readonly start: number;
  readonly lineBreak: boolean;
}

export function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** JavaScript WhiteSpace (not line terminators): TAB, VT, FF, ZWNBSP and the Space_Separator characters. */
export function isWhiteSpace(c: number): boolean {
  if (c < 0x80) return c === 32 || c === 9 || c === 11 || c === 12;
  return (
    c === 0xa0 ||
    c === 0xfeff ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

export function hasLineBreak(source: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (isLineTerminator(source.charCodeAt(i))) return true;
  return false;
}

function isIdentifierPart(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 36 ||
    c === 95 ||
    c === 92 ||
    (c >= 0x80 && !isWhiteSpace(c) && !isLineTerminator(c))
  );
}

/** Finds tokens around a place, skipping whitespace and comments. */
export class TokenScanner {
  /** Comment (and hashbang) start by comment end, to step backwards over comments. */
  private readonly commentStartByEnd = new Map<number, number>();

  constructor(
    readonly source: string,
    comments: readonly TextSpan[],
  ) {
    for (const c of comments) this.commentStartByEnd.set(c.end, c.start);
  }

  /** The next token at or after `pos` (`start` is the source length when there is none). */
  next(pos: number): NextToken {
    const s = this.source;
    const n = s.length;
    let lineBreak = false;
    while (pos < n) {
      const c = s.charCodeAt(pos);
      if (isWhiteSpace(c)) pos++;
      else if (isLineTerminator(c)) {
        lineBreak = true;
        pos++;
      } else if (c === 47 && s.charCodeAt(pos + 1) === 47) {
        pos += 2;
        while (pos < n && !isLineTerminator(s.charCodeAt(pos))) pos++;
      } else if (c === 47 && s.charCodeAt(pos + 1) === 42) {
        const close = s.indexOf('*/', pos + 2);
        const end = close < 0 ? n : close + 2;
        if (!lineBreak && hasLineBreak(s, pos, end)) lineBreak = true;
        pos = end;
      } else break;
    }
    return { start: pos, lineBreak };
  }

  /** Start of the next token at or after `pos`. */
  nextStart(pos: number): number {
    return this.next(pos).start;
  }

  /** End of the last token that ends at or before `pos`, or -1 when there is no token before `pos`. */
  previousEnd(pos: number): number {
    const s = this.source;
    for (;;) {
      while (pos > 0) {
        const c = s.charCodeAt(pos - 1);
        if (isWhiteSpace(c) || isLineTerminator(c)) pos--;
        else break;
      }
      if (pos === 0) return -1;
      const commentStart = this.commentStartByEnd.get(pos);
      if (commentStart === undefined) return pos;
      pos = commentStart;
    }
  }

  /** The identifier-like word that starts at `pos` ('' when none does). */
  wordAt(pos: number): string {
    const s = this.source;
    let end = pos;
    while (end < s.length && isIdentifierPart(s.charCodeAt(end))) end++;
    return s.slice(pos, end);
  }
}

/**
 * The blank that replaces `source[start, end)`: whitespace and line terminators stay as they are, every other
 * character becomes whitespace of the same length. Node (amaro/swc) keeps the UTF-8 byte length, so it writes a
 * space for an ASCII character, U+00A0 for a 2-byte character, U+2002 for a 3-byte one and a space followed by
 * U+FEFF for a 4-byte one (a surrogate pair); each of these also has the UTF-16 length of what it replaces, so
 * the same rule keeps our UTF-16 positions and gives Node's exact text.
 */
export function blankText(source: string, start: number, end: number): string {
  let out = '';
  let spaces = 0;
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    // Printable ASCII and the space itself become spaces; they are counted and written in one go.
    if (c < 0x80 && (c === 32 || c > 13 || c < 9)) {
      spaces++;
      continue;
    }
    if (spaces > 0) {
      out += ' '.repeat(spaces);
      spaces = 0;
    }
    if (c < 0x80 || isWhiteSpace(c) || isLineTerminator(c)) out += source[i];
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && (source.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += ' \ufeff';
      i++;
    } else out += c < 0x800 ? '\u00a0' : '\u2002';
  }
  if (spaces > 0) out += ' '.repeat(spaces);
  return out;
}
