// The instrumenter's plans for async functions and async generators (see runtime/async.ts and the files beside it
// for what each probe records). instrument.ts walks the tree and calls these with the node at hand; like it, they
// only ever insert text.
//   - An async function: `var __ys$i=__ys$A(SITE,ARGS);try{` first in the body (an expression body becomes a block
//     that returns it) and `}catch(__ys$x){__ys$X(__ys$i,__ys$x);throw __ys$x}finally{__ys$Z(__ys$i)}` last; and
//     `__ys$pr(__ys$ps(),…)` around its parameter defaults that may run code.
//   - An async generator: the creation probe in a hidden rest parameter, as for a sync generator (or first in the
//     body where that parameter would change meaning), `__ys$G(__ys$i)` first in the body, the same try around it.
//   - `__ys$w(__ys$i,await __ys$a(__ys$i,SITE,…))` for each `await …`; `return __ys$t(__ys$i,…)` for each return
//     with a value (`return __ys$T(__ys$i,SITE,…)` in an async generator, where it awaits), `{__ys$t(__ys$i,void
//     0);return;}` for each `return;`; `__ys$k(__ys$i,…)` first in each `catch` and `finally` block.
//   - In async generators, `__ys$W(__ys$i,yield __ys$Y(__ys$i,SITE,…))` for each `yield …`, and
//     `__ys$D(__ys$i,SITE),yield* …` with `;__ys$E(__ys$i);` after the statement for each `yield* …`.
//   - For each `for await` loop, the probes of runtime/forAwait.ts.

import { SiteKind } from '../../protocol/trace';
import {
  afterDirectives,
  creationProbeBlocker,
  findParamsClose,
  trailingComma,
  type FunctionNode,
  type Node,
} from './syntax';

/** What the plans write into: the file's text, its insertions and its sites. */
export interface PlanTarget {
  readonly code: string;
  /** `close` marks text that ends an expression opened earlier (a `)`), or stands alone at an end. */
  insert(offset: number, text: string, close?: boolean): void;
  addSite(kind: number, offset: number, name: string): number;
}

const BODY_END = '}catch(__ys$x){__ys$X(__ys$i,__ys$x);throw __ys$x}finally{__ys$Z(__ys$i)}';

export function planAsyncFunction(p: PlanTarget, fn: FunctionNode, site: number): void {
  const body = fn.body!;
  const simple = fn.params.every((param) => param.type === 'Identifier');
  // Arrow functions have no `arguments` of their own; their simple parameters stand in for it.
  const args =
    fn.type !== 'ArrowFunctionExpression'
      ? 'arguments'
      : simple
        ? `[${fn.params.map((param) => String(param['name'])).join(',')}]`
        : 'void 0';
  for (const param of fn.params) keepCallPromise(p, param);
  const start = `var __ys$i=__ys$A(${site},${args});try{`;
  if (body.type !== 'BlockStatement') {
    p.insert(body.start, `{${start}return __ys$t(__ys$i,`);
    p.insert(body.end, `)${BODY_END}}`, true);
    return;
  }
  const bodyAt = afterDirectives(body);
  p.insert(bodyAt, start);
  // An empty body: the end goes right after the start (as a closing text it would be placed before it).
  p.insert(body.end - 1, BODY_END, bodyAt < body.end - 1);
}

/**
 * An async generator: the creation probe as for a sync generator (it returns the call's record), then the
 * body as for an async function, with a start probe first.
 */
export function planAsyncGenerator(p: PlanTarget, fn: FunctionNode, site: number, strict: boolean): void {
  const body = fn.body!;
  const bodyAt = afterDirectives(body);
  if (creationProbeBlocker(fn, strict, p.code)) {
    p.insert(bodyAt, `var __ys$i=__ys$C(${site},arguments);try{__ys$G(__ys$i);`);
  } else {
    const close = findParamsClose(p.code, fn);
    const last = fn.params[fn.params.length - 1];
    const needsComma = last !== undefined && !trailingComma(p.code, last.end, close);
    p.insert(close, `${needsComma ? ',' : ''}...{__ys$:__ys$i=__ys$C(${site},arguments)}`);
    p.insert(bodyAt, 'try{__ys$G(__ys$i);');
  }
  // An empty body: the end goes right after the start (as a closing text it would be placed before it).
  p.insert(body.end - 1, BODY_END, bodyAt < body.end - 1);
}

/**
 * Parameter defaults run before the body's start probe, which takes the promise made last for the call's own:
 * each default that may make a promise of its own is `__ys$pr(__ys$ps(),x)`, which puts the call's back. A
 * default that is an anonymous function or class stays as it is (it takes the parameter's name, and runs
 * nothing), and so do literals and plain names.
 */
function keepCallPromise(p: PlanTarget, pattern: Node): void {
  walkPattern(pattern, (value) => {
    let inner = value;
    while (inner.type === 'ParenthesizedExpression') inner = inner['expression'] as Node;
    if (inner.type === 'Literal' || inner.type === 'Identifier' || isAnonymousDefinition(inner)) return;
    p.insert(value.start, '__ys$pr(__ys$ps(),');
    p.insert(value.end, ')', true);
  });
}

/** Calls `visit` with each default value in a binding pattern (not inside the defaults themselves). */
function walkPattern(pattern: Node, visit: (value: Node) => void): void {
  switch (pattern.type) {
    case 'AssignmentPattern':
      visit(pattern['right'] as Node);
      walkPattern(pattern['left'] as Node, visit);
      return;
    case 'ArrayPattern':
      for (const item of pattern['elements'] as (Node | null)[]) if (item) walkPattern(item, visit);
      return;
    case 'ObjectPattern':
      for (const prop of pattern['properties'] as Node[])
        walkPattern(prop.type === 'RestElement' ? prop : (prop['value'] as Node), visit);
      return;
    case 'RestElement':
      walkPattern(pattern['argument'] as Node, visit);
      return;
  }
}

/** An anonymous function or class, which a default names after its parameter. */
function isAnonymousDefinition(node: Node): boolean {
  if (node.type === 'ArrowFunctionExpression') return true;
  return (node.type === 'FunctionExpression' || node.type === 'ClassExpression') && node['id'] === null;
}

export function planAwait(p: PlanTarget, node: Node, name: string): void {
  const arg = node['argument'] as Node;
  const site = p.addSite(SiteKind.Await, node.start, name);
  p.insert(node.start, '__ys$w(__ys$i,');
  p.insert(node.end, ')', true);
  p.insert(arg.start, `__ys$a(__ys$i,${site},`);
  p.insert(arg.end, ')', true);
}

/**
 * A `return` says the value it returns (a `return;` too: in a `finally`, it overrides one given before). In an
 * async generator, `return x` awaits x first: it parks there. `loop`: the site of the for-await loop it leaves,
 * whose iterator's return() it awaits once its value is known (`__ys$fc` parks there as the loop does), or -1.
 */
export function planReturn(p: PlanTarget, node: Node, name: string, generator: boolean, loop: number): void {
  const arg = node['argument'] as Node | null;
  if (!arg) {
    // No argument may be added: in an async generator, `return undefined` would await, `return;` does not.
    const close = loop >= 0 ? `__ys$fc(__ys$i,${loop});` : '';
    p.insert(node.start, `{__ys$t(__ys$i,void 0);${close}`);
    p.insert(node.end, '}', true);
  } else if (loop >= 0) {
    p.insert(arg.start, `__ys$fc(__ys$i,${loop},__ys$t(__ys$i,`);
    p.insert(arg.end, '))', true);
  } else if (generator) {
    const site = p.addSite(SiteKind.Await, node.start, name);
    p.insert(arg.start, `__ys$T(__ys$i,${site},`);
    p.insert(arg.end, ')', true);
  } else {
    p.insert(arg.start, '__ys$t(__ys$i,');
    p.insert(arg.end, ')', true);
  }
}

/** A `catch` or `finally` block is where a rejected await shows itself. */
export function planCatchProbes(p: PlanTarget, tryNode: Node): void {
  const handler = tryNode['handler'] as Node | null;
  const finalizer = tryNode['finalizer'] as Node | null;
  if (handler) {
    const param = handler['param'] as Node | null;
    const body = handler['body'] as Node;
    const known = param?.type === 'Identifier';
    p.insert(body.start + 1, `__ys$k(__ys$i,${known ? String(param['name']) : 'void 0'},${known ? 1 : 0});`);
  }
  if (finalizer) p.insert(finalizer.start + 1, '__ys$k(__ys$i,void 0,0);');
}

/** A `yield` in an async generator: its value on the way out, the value it receives on the way back in. */
export function planAsyncYield(p: PlanTarget, node: Node, name: string): void {
  const arg = node['argument'] as Node | null;
  const site = p.addSite(SiteKind.Yield, node.start, name);
  p.insert(node.start, '__ys$W(__ys$i,');
  p.insert(node.end, ')', true);
  if (arg) {
    p.insert(arg.start, `__ys$Y(__ys$i,${site},`);
    p.insert(arg.end, ')', true);
  } else {
    p.insert(node.end, ` __ys$Y(__ys$i,${site},void 0)`, true);
  }
}

/**
 * A `yield*` in an async generator, planned as a sync generator's is (see instrument.ts): the argument stays as
 * written, the probe runs just before it (`statement`: the yield* is a whole expression statement, where no
 * parentheses are needed), and the end is marked after `after`, the statement that holds it.
 */
export function planAsyncDelegate(
  p: PlanTarget,
  node: Node,
  name: string,
  statement: boolean,
  after: Node | undefined,
): void {
  const site = p.addSite(SiteKind.Delegate, node.start, name);
  if (statement) {
    p.insert(node.start, `__ys$D(__ys$i,${site}),`);
  } else {
    p.insert(node.start, `(__ys$D(__ys$i,${site}),`);
    p.insert(node.end, ')', true);
  }
  if (after) p.insert(after.end, ';__ys$E(__ys$i);', true);
}

/**
 * `for await (x of y)` awaits the iterator's next() before each turn: the coroutine parks after `y` is evaluated
 * and at the end of each turn (and at each `continue`), and runs again at the start of the next turn, or after
 * the loop (a block around it, and its labels, holds the probe there). `outer` is the loop with its labels.
 * Returns the loop's site, for the `continue` and `break` statements that go to it.
 */
export function planForAwait(p: PlanTarget, node: Node, outer: Node, name: string): number {
  const site = p.addSite(SiteKind.Await, node.start, name);
  // Planned first: the outermost text at both ends.
  p.insert(outer.start, '{');
  p.insert(node.end, `;__ys$fe(__ys$i,${site})}`, true);
  const right = node['right'] as Node;
  p.insert(right.start, `__ys$fq(__ys$i,${site},`);
  p.insert(right.end, ')', true);
  const left = node['left'] as Node;
  const decl = left.type === 'VariableDeclaration' ? ((left['declarations'] as Node[])[0]?.['id'] as Node) : left;
  const value = decl?.type === 'Identifier' ? String(decl['name']) : 'void 0';
  const body = node['body'] as Node;
  const turn = `__ys$fr(__ys$i,${site},${value});`;
  const park = `__ys$fp(__ys$i,${site});`;
  if (body.type === 'BlockStatement') {
    p.insert(body.start + 1, turn);
    p.insert(body.end - 1, park, true);
  } else {
    p.insert(body.start, `{${turn}`);
    p.insert(body.end, `;${park}}`, true);
  }
  return site;
}
