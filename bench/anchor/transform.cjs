// The anchor's source transform: a wrapper around every function of the program, the way instrumenting
// visualisers insert one (a Babel or acorn pass that brackets each function body with "entered" and "left"
// calls). Every function, arrow, method, getter, constructor, generator and async function gets
//
//   { __ysAnchor.enter(ID); try { …body… } finally { __ysAnchor.exit(ID); } }
//
// with the directive prologue kept first, and an arrow's expression body becomes `{ … return (expr); … }`.
// Nothing else changes and no line break is inserted, so lines stay where they were. JavaScript only: the
// benchmark workloads are plain .mjs files.
'use strict';

const { parseSync, visitorKeys } = require('oxc-parser');
const MagicString = require('magic-string').default ?? require('magic-string');

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** Calls `visit` on every function node of the AST, outermost first. */
function walk(node, visit) {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (typeof node.type !== 'string') return;
  if (FUNCTION_TYPES.has(node.type) && node.body) visit(node);
  for (const key of visitorKeys[node.type] ?? []) walk(node[key], visit);
}

/**
 * Returns the wrapped source, or undefined when the file does not parse (it is then loaded untouched) or has no
 * function. `nextId` hands out function ids, unique within the process.
 */
function wrapFunctions(source, filename, sourceType, nextId) {
  const parsed = parseSync(filename, source, { sourceType, lang: 'js' });
  if (parsed.errors.length > 0) return undefined;
  const out = new MagicString(source);
  let count = 0;
  walk(parsed.program, (fn) => {
    const id = nextId();
    count++;
    const enter = `__ysAnchor.enter(${id});try{`;
    const exit = `}finally{__ysAnchor.exit(${id})}`;
    const body = fn.body;
    if (body.type !== 'BlockStatement') {
      // An arrow with an expression body.
      out.appendLeft(body.start, `{${enter}return (`);
      out.prependRight(body.end, `);${exit}}`);
      return;
    }
    let at = body.start + 1;
    for (const statement of body.body) {
      if (statement.type !== 'ExpressionStatement' || typeof statement.directive !== 'string') break;
      at = statement.end;
    }
    out.appendLeft(at, enter);
    out.prependRight(body.end - 1, exit);
  });
  return count === 0 ? undefined : out.toString();
}

module.exports = { wrapFunctions };
