// Where the "Visualize" CodeLenses go (src/extension/codeLensPlaces.ts): above generator and async functions of
// every form and above the entry point, never for look-alikes in comments, strings and templates; checked against
// a real parser (oxc-parser) on every file of the sample gallery.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSync } from 'oxc-parser';
import { blankCommentsAndStrings, lensPlaces } from '../../../src/extension/codeLensPlaces';

const SAMPLES = path.join(__dirname, '..', '..', '..', 'samples');

const SOURCE = `import { setTimeout as sleep } from 'node:timers/promises';
// function* notAGenerator() in a comment
const text = "async function fake() {}";
const tpl = \`function* \${1 + 2} async function inTemplate()\`;

function* counter(limit: number) {
  for (let i = 0; i < limit; i++) yield i;
}

export async function load(url: string): Promise<string> {
  await sleep(1);
  return url;
}

const fetchAll = async (urls: string[]) => Promise.all(urls.map(load));
const named = function* (x: number) { yield x; };

class Worker {
  async *jobs() { yield 1; }
  *[Symbol.iterator]() { yield 2; }
  async run() { await this.jobs().next(); }
  plain() { return 3; }
}

async function main() {
  for (const n of counter(3)) console.log(n);
  await Promise.all([1].map(async (x) => x));
}

main().catch(console.error);
`;

describe('CodeLens places', () => {
  it('finds each kind of coroutine function, by name, and the entry point', () => {
    assert.deepEqual(lensPlaces(SOURCE), [
      { line: 29, kind: 'entry', name: undefined },
      { line: 5, kind: 'generator', name: 'counter' },
      { line: 9, kind: 'async', name: 'load' },
      { line: 14, kind: 'async', name: 'fetchAll' },
      { line: 15, kind: 'generator', name: 'named' },
      { line: 18, kind: 'async-generator', name: 'jobs' },
      { line: 19, kind: 'generator', name: '[Symbol.iterator]' },
      { line: 20, kind: 'async', name: 'run' },
      { line: 24, kind: 'async', name: 'main' },
      { line: 26, kind: 'async', name: undefined },
    ]);
  });

  it('offers nothing in a file without coroutines, and the top of the file when nothing runs at the top level', () => {
    assert.deepEqual(lensPlaces('export const x = 1;\nfunction plain() { return "function*"; }\n'), []);
    assert.deepEqual(lensPlaces('export function* gen() {\n  yield 1;\n}\n'), [
      { line: 0, kind: 'entry', name: undefined },
      { line: 0, kind: 'generator', name: 'gen' },
    ]);
  });

  it('blanks comments, strings and templates without moving a line or a column', () => {
    const masked = blankCommentsAndStrings(SOURCE);
    assert.equal(masked.length, SOURCE.length);
    assert.deepEqual(
      masked.split('\n').map((l) => l.length),
      SOURCE.split('\n').map((l) => l.length),
    );
    assert.ok(!masked.includes('notAGenerator') && !masked.includes('fake') && !masked.includes('inTemplate'));
    assert.ok(masked.includes('${1 + 2}'), 'code inside ${} stays');
  });

  it('agrees with a parser on every generator and async function of the sample gallery', () => {
    const files = fs
      .readdirSync(SAMPLES, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.includes('node_modules'));
    assert.ok(files.length >= 15, `samples found: ${files.length}`);
    let functions = 0;
    for (const file of files) {
      const text = fs.readFileSync(path.join(SAMPLES, file), 'utf8');
      const expected = new Set(coroutineLines(file, text));
      const found = lensPlaces(text).filter((p) => p.kind !== 'entry');
      assert.deepEqual(
        [...new Set(found.map((p) => p.line))].sort((a, b) => a - b),
        [...expected].sort((a, b) => a - b),
        file,
      );
      functions += expected.size;
    }
    assert.ok(functions >= 30, `coroutine functions in the samples: ${functions}`);
  });
});

/** 0-based lines where a generator or async function (or method) starts, by oxc-parser. */
function coroutineLines(file: string, text: string): number[] {
  const { program } = parseSync(file, text);
  const lines: number[] = [];
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length - 1;
  const visit = (node: unknown, owner: { start: number } | undefined): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, owner);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as { type?: string; generator?: boolean; async?: boolean; start: number };
    const isFunction =
      n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
    if (isFunction && (n.generator || n.async)) lines.push(lineOf((owner ?? n).start));
    const methodLike =
      n.type === 'MethodDefinition' || (n.type === 'Property' && (node as { method?: boolean }).method);
    for (const [key, value] of Object.entries(n)) {
      if (key === 'parent') continue;
      visit(
        value,
        methodLike && key === 'value' ? n : n.type === 'VariableDeclarator' && key === 'init' ? n : undefined,
      );
    }
  };
  visit(program, undefined);
  return lines;
}
