// Globs for the include/exclude settings: `**` (any folders), `*` (any name part), `?` (one character), `{a,b}`
// (alternatives). Matched against a path relative to the program's working folder, with `/` separators. A glob
// without a `/` matches a name in any folder (`*.test.ts`), as in most tools' ignore files.

export function globToRegExp(glob: string): RegExp {
  let g = glob.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  if (!g.includes('/')) g = `**/${g}`;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const ch = g[i]!;
    if (ch === '*' && g[i + 1] === '*') {
      // `**/` is zero or more folders; a trailing `**` is everything below.
      if (g[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const end = g.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${g
          .slice(i + 1, end)
          .split(',')
          .map((s) => s.replace(/[.+^$()|[\]\\*?]/g, '\\$&'))
          .join('|')})`;
        i = end;
      }
    } else re += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  // A folder matches everything in it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

/** Whether `relPath` (relative, `/` separators) matches any of `globs`. */
export function matchesAny(relPath: string, globs: readonly RegExp[]): boolean {
  return globs.some((re) => re.test(relPath));
}
