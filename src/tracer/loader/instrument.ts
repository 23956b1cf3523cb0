// The instrumenter: plans probe insertions into one JavaScript file (TypeScript already blanked to JS with
// every position kept). It only ever inserts text, never removes or rewrites the user's, never adds a line
// break before the end of the file, so lines stay where they were and the original text of any function can
// be recovered by cutting the insertions out again (see runtime/fidelity.ts).
//
// For each sync generator function it inserts:
//   - a hidden trailing rest parameter `...{__ys$:__ys$i=__ys$c(SITE,arguments)}` whose default runs when the
//     generator object is created (parameters are evaluated at the call, before the body), and hands the new
//     coroutine id to the body; skipped where it could change meaning (see `creationProbeBlocker`);
//   - `__ys$s(__ys$i)` first in the body, which links that id to the generator object on its first resumption;
//   - `__ys$y(SITE,…)` around each `yield` argument and `__ys$d(SITE,…)` around each `yield*` argument.
// For each async function (see runtime/async.ts for what each probe records):
//   - `var __ys$i=__ys$A(SITE,ARGS);try{` first in the body (an expression body becomes a block that returns it)
//     and `}catch(__ys$x){__ys$X(__ys$i,__ys$x);throw __ys$x}finally{__ys$Z(__ys$i)}` last;
//   - `__ys$w(__ys$i,await __ys$a(__ys$i,SITE,…))` for each `await …`, `return __ys$t(__ys$i,…)` for each return
//     with a value, and `__ys$k(__ys$i,…)` first in each `catch` and `finally` block.
// The probe functions are declared once, hoisted, after the last line of the file.

import { parseSync } from 'oxc-parser';
import { SiteKind } from '../../protocol/trace';

export interface PlannedSite {
  readonly kind: number;
  /** UTF-16 offset in the source. */
  readonly offset: number;
  readonly name: string;
}

export interface Insertion {
  /** UTF-16 offset in the original text where `text` goes (before the character at that offset). */
  readonly offset: number;
  readonly text: string;
}

export interface InstrumentPlan {
  readonly sites: PlannedSite[];
  readonly insertions: Insertion[];
}

/** Minimal view of the oxc ESTree nodes this file reads. */
interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

interface FunctionNode extends Node {
  id: Node | null;
  generator: boolean;
  async: boolean;
  params: Node[];
  body: (Node & { body: Node[] }) | null;
}

interface Frame {
  fn: FunctionNode;
  /** The function's site when it is a sync generator, else -1. */
  site: number;
  /** The function's site when it is an async function (not an async generator), else -1. */
  asyncSite: number;
  name: string;
  strict: boolean;
}

export class InstrumentSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

/** Parses JavaScript and plans the insertions. `module` says whether the file is an ES module (strict). */
export function planInstrumentation(code: string, filename: string, module: boolean): InstrumentPlan {
  const result = parseSync(filename.replace(/\.[cm]?ts$/, '.js'), code, {
    sourceType: module ? 'module' : 'script',
    lang: 'js',
  });
  const first = result.errors[0];
  if (first) {
    const at = first.labels?.[0]?.start ?? 0;
    const { line, column } = lineColumn(code, at);
    throw new InstrumentSyntaxError(first.message, line, column);
  }
  const planner = new Planner(code);
  const program = result.program as unknown as Node;
  planner.visitProgram(program, module || hasUseStrict(program['body'] as Node[]));
  return { sites: planner.sites, insertions: planner.ordered() };
}

class Planner {
  readonly sites: PlannedSite[] = [];
  private readonly stack: Frame[] = [];
  /** The nodes above the one being visited, nearest last. */
  private readonly ancestors: Node[] = [];
  private readonly classNames: string[] = [];
  private classDepth = 0;
  private strictTop = false;

  constructor(private readonly code: string) {}

  visitProgram(program: Node, strict: boolean): void {
    this.strictTop = strict;
    this.visit(program);
  }

  private up(n: number): Node | undefined {
    return this.ancestors[this.ancestors.length - n];
  }

  private visit(node: Node): void {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.visitFunction(node as FunctionNode);
        return;
      case 'ClassDeclaration':
      case 'ClassExpression':
        this.visitClass(node);
        return;
      case 'YieldExpression':
        this.visitYield(node);
        break;
      case 'TryStatement':
        this.visitTry(node);
        break;
      case 'AwaitExpression':
        this.visitAwait(node);
        break;
      case 'ReturnStatement':
        this.visitReturn(node);
        break;
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
        this.visitLoop(node);
        return;
      case 'ContinueStatement':
        this.visitContinue(node);
        break;
      case 'SpreadElement': {
        const parent = this.up(1);
        // Spreads into arrays and calls iterate; spreads into object literals copy properties.
        if (parent && parent.type !== 'ObjectExpression')
          this.consume(node['argument'] as Node, node.start, Consumer.Spread);
        break;
      }
      case 'VariableDeclarator':
        if ((node['id'] as Node).type === 'ArrayPattern' && node['init']) {
          this.consume(node['init'] as Node, node.start, Consumer.Destructuring);
        }
        break;
      case 'AssignmentExpression':
        if ((node['left'] as Node).type === 'ArrayPattern')
          this.consume(node['right'] as Node, node.start, Consumer.Destructuring);
        break;
      case 'CallExpression':
      case 'NewExpression': {
        const how = iteratingCall(node);
        const first = (node['arguments'] as Node[])[0];
        if (how && first && first.type !== 'SpreadElement') this.consume(first, node.start, how);
        break;
      }
    }
    this.children(node);
  }

  private children(node: Node): void {
    this.ancestors.push(node);
    for (const key in node) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const v = node[key];
      if (Array.isArray(v)) {
        for (const item of v) if (isNode(item)) this.visit(item);
      } else if (isNode(v)) {
        this.visit(v);
      }
    }
    this.ancestors.pop();
  }

  private visitClass(node: Node): void {
    const id = node['id'] as Node | null;
    this.classNames.push(id ? String(id['name']) : (bindingName(this.up(1)) ?? 'class'));
    this.classDepth++;
    this.children(node);
    this.classDepth--;
    this.classNames.pop();
  }

  private visitFunction(fn: FunctionNode): void {
    const outer = this.stack[this.stack.length - 1];
    const strict =
      this.classDepth > 0 ||
      (outer ? outer.strict : this.strictTop) ||
      (fn.body?.type === 'BlockStatement' && hasUseStrict(fn.body.body));
    const name = this.functionName(fn, outer);
    let site = -1;
    let asyncSite = -1;
    if (fn.generator && !fn.async && fn.body) {
      site = this.addSite(SiteKind.Function, fn.start, name);
      this.planGenerator(fn, site, strict);
    } else if (fn.async && !fn.generator && fn.body) {
      asyncSite = this.addSite(SiteKind.Function, fn.start, name);
      this.planAsync(fn, asyncSite);
    } else if (fn.async && fn.generator && fn.body) {
      asyncSite = this.addSite(SiteKind.Function, fn.start, name);
      this.planAsyncGenerator(fn, asyncSite, strict);
    }
    this.stack.push({ fn, site, asyncSite, name, strict });
    this.children(fn);
    this.stack.pop();
  }

  private visitYield(node: Node): void {
    const frame = this.stack[this.stack.length - 1];
    if (frame && frame.asyncSite >= 0 && node['delegate'] !== true) {
      // An async generator: the yield's value on the way out, the value it receives on the way back in.
      const arg = node['argument'] as Node | null;
      const site = this.addSite(SiteKind.Yield, node.start, frame.name);
      this.insert(node.start, '__ys$W(__ys$i,');
      this.insert(node.end, ')', true);
      if (arg) {
        this.insert(arg.start, `__ys$Y(__ys$i,${site},`);
        this.insert(arg.end, ')', true);
      } else {
        this.insert(node.end, ` __ys$Y(__ys$i,${site},void 0)`, true);
      }
      return;
    }
    if (!frame || frame.site < 0) return; // yield* in async generators: not recorded yet
    const arg = node['argument'] as Node | null;
    const delegate = node['delegate'] === true;
    const site = this.addSite(delegate ? SiteKind.Delegate : SiteKind.Yield, node.start, frame.name);
    if (delegate) {
      // The argument of yield* stays as written: V8 words its errors (not iterable, no throw method) from the
      // argument's own text and position. The probe runs just before, in a comma expression; at the start of
      // a statement it needs no parentheses (a leading `(` could join the previous line).
      const parent = this.up(1);
      if (parent?.type === 'ExpressionStatement' && parent['expression'] === node) {
        this.insert(node.start, `__ys$d(${site}),`);
      } else {
        this.insert(node.start, `(__ys$d(${site}),`);
        this.insert(node.end, ')', true);
      }
      // Nothing may wrap the yield* either (V8 would name the wrapper in its errors), so the end of the delegation
      // is marked by a statement of its own after the enclosing one; `;` first, in case that one has none.
      const after = this.enclosingListStatement();
      if (after) this.insert(after.end, ';__ys$e();', true);
    } else if (arg) {
      this.insert(arg.start, `__ys$y(${site},`);
      this.insert(arg.end, ')', true);
    } else {
      this.insert(node.end, ` __ys$y(${site})`, true);
    }
  }

  /** The nearest ancestor that is a statement directly in a list (a block, a case, the program). */
  private enclosingListStatement(): Node | undefined {
    for (let i = this.ancestors.length - 1; i > 0; i--) {
      const holder = this.ancestors[i - 1]!.type;
      if (holder === 'BlockStatement' || holder === 'StaticBlock' || holder === 'SwitchCase' || holder === 'Program') {
        return this.ancestors[i];
      }
      if (/Function/.test(this.ancestors[i]!.type)) return undefined;
    }
    return undefined;
  }

  /** Marks an expression whose value a construct is about to iterate: `__ys$o(SITE,HOW,expr)`. */
  private consume(expr: Node, at: number, how: number): void {
    const frame = this.stack[this.stack.length - 1];
    const site = this.addSite(SiteKind.Consume, at, frame ? frame.name : '(top level)');
    this.insert(expr.start, `__ys$o(${site},${how},`);
    this.insert(expr.end, ')', true);
  }

  /** The loops around the code being visited, innermost last, with their labels and for-await sites. */
  private readonly loops: Array<{ labels: string[]; site: number }> = [];

  private visitLoop(node: Node): void {
    const labels: string[] = [];
    for (let i = 1; this.up(i)?.type === 'LabeledStatement'; i++)
      labels.push(String((this.up(i)!['label'] as Node)['name']));
    let site = -1;
    if (node.type === 'ForOfStatement') {
      if (node['await'] !== true) this.consume(node['right'] as Node, node.start, Consumer.ForOf);
      else if (this.asyncFrame()) site = this.planForAwait(node);
    }
    this.loops.push({ labels, site });
    this.children(node);
    this.loops.pop();
  }

  /** A `continue` to a for-await loop goes to its implicit await: the coroutine parks there. */
  private visitContinue(node: Node): void {
    const label = node['label'] as Node | null;
    const target = label
      ? this.loops.findLast((l) => l.labels.includes(String(label['name'])))
      : this.loops[this.loops.length - 1];
    if (!target || target.site < 0) return;
    this.insert(node.start, `{__ys$fp(__ys$i,${target.site});`);
    this.insert(node.end, '}', true);
  }

  /**
   * `for await (x of y)` awaits the iterator's next() before each turn: the coroutine parks after `y` is evaluated
   * and at the end of each turn (and at each `continue`), and runs again at the start of the next turn.
   */
  private planForAwait(node: Node): number {
    const frame = this.asyncFrame()!;
    const site = this.addSite(SiteKind.Await, node.start, frame.name);
    const right = node['right'] as Node;
    this.insert(right.start, `__ys$fq(__ys$i,${site},`);
    this.insert(right.end, ')', true);
    const left = node['left'] as Node;
    const decl = left.type === 'VariableDeclaration' ? ((left['declarations'] as Node[])[0]?.['id'] as Node) : left;
    const value = decl?.type === 'Identifier' ? String(decl['name']) : 'void 0';
    const body = node['body'] as Node;
    const turn = `__ys$fr(__ys$i,${site},${value});`;
    const park = `__ys$fp(__ys$i,${site});`;
    if (body.type === 'BlockStatement') {
      this.insert(body.start + 1, turn);
      this.insert(body.end - 1, park, true);
    } else {
      this.insert(body.start, `{${turn}`);
      this.insert(body.end, `;${park}}`, true);
    }
    return site;
  }

  /** The async function the code being visited belongs to, if it is directly in one. */
  private asyncFrame(): Frame | undefined {
    const frame = this.stack[this.stack.length - 1];
    return frame && frame.asyncSite >= 0 ? frame : undefined;
  }

  private visitAwait(node: Node): void {
    const frame = this.asyncFrame();
    const arg = node['argument'] as Node;
    if (!frame) return; // top-level await in a module: no coroutine of its own
    const site = this.addSite(SiteKind.Await, node.start, frame.name);
    this.insert(node.start, '__ys$w(__ys$i,');
    this.insert(node.end, ')', true);
    this.insert(arg.start, `__ys$a(__ys$i,${site},`);
    this.insert(arg.end, ')', true);
  }

  private visitReturn(node: Node): void {
    const arg = node['argument'] as Node | null;
    if (!arg || !this.asyncFrame()) return;
    this.insert(arg.start, '__ys$t(__ys$i,');
    this.insert(arg.end, ')', true);
  }

  /** In an async function, a `catch` or `finally` block is where a rejected await shows itself. */
  private probeRejection(node: Node): void {
    if (!this.asyncFrame()) return;
    const handler = node['handler'] as Node | null;
    const finalizer = node['finalizer'] as Node | null;
    if (handler) {
      const param = handler['param'] as Node | null;
      const body = handler['body'] as Node;
      const known = param?.type === 'Identifier';
      this.insert(body.start + 1, `__ys$k(__ys$i,${known ? String(param['name']) : 'void 0'},${known ? 1 : 0});`);
    }
    if (finalizer) this.insert(finalizer.start + 1, '__ys$k(__ys$i,void 0,0);');
  }

  /**
   * An async generator: the creation probe as for a sync generator (it returns the call's record), then the
   * body as for an async function, with a start probe first.
   */
  private planAsyncGenerator(fn: FunctionNode, site: number, strict: boolean): void {
    const body = fn.body!;
    const bodyAt = afterDirectives(body);
    const end = '}catch(__ys$x){__ys$X(__ys$i,__ys$x);throw __ys$x}finally{__ys$Z(__ys$i)}';
    if (creationProbeBlocker(fn, strict, this.code)) {
      this.insert(bodyAt, `var __ys$i=__ys$C(${site},arguments);try{__ys$G(__ys$i);`);
    } else {
      const close = findParamsClose(this.code, fn);
      const last = fn.params[fn.params.length - 1];
      const needsComma = last !== undefined && !trailingComma(this.code, last.end, close);
      this.insert(close, `${needsComma ? ',' : ''}...{__ys$:__ys$i=__ys$C(${site},arguments)}`);
      this.insert(bodyAt, 'try{__ys$G(__ys$i);');
    }
    // An empty body: the end goes right after the start (as a closing text it would be placed before it).
    this.insert(body.end - 1, end, bodyAt < body.end - 1);
  }

  private planAsync(fn: FunctionNode, site: number): void {
    const body = fn.body!;
    const simple = fn.params.every((p) => p.type === 'Identifier');
    // Arrow functions have no `arguments` of their own; their simple parameters stand in for it.
    const args =
      fn.type !== 'ArrowFunctionExpression'
        ? 'arguments'
        : simple
          ? `[${fn.params.map((p) => String(p['name'])).join(',')}]`
          : 'void 0';
    const start = `var __ys$i=__ys$A(${site},${args});try{`;
    const end = '}catch(__ys$x){__ys$X(__ys$i,__ys$x);throw __ys$x}finally{__ys$Z(__ys$i)}';
    if (body.type !== 'BlockStatement') {
      this.insert(body.start, `{${start}return __ys$t(__ys$i,`);
      this.insert(body.end, `)${end}}`, true);
      return;
    }
    const bodyAt = afterDirectives(body);
    this.insert(bodyAt, start);
    // An empty body: the end goes right after the start (as a closing text it would be placed before it).
    this.insert(body.end - 1, end, bodyAt < body.end - 1);
  }

  /** A `finally` inside a generator says when it runs: on completion, on return(), on an error. */
  private visitTry(node: Node): void {
    this.probeRejection(node);
    const frame = this.stack[this.stack.length - 1];
    const finalizer = node['finalizer'] as Node | null;
    if (!frame || frame.site < 0 || !finalizer) return;
    // The site is the `finally` keyword, just before the block (only blanks or comments come between).
    const keyword = this.code.lastIndexOf('finally', finalizer.start);
    const site = this.addSite(SiteKind.Finally, keyword >= 0 ? keyword : finalizer.start, frame.name);
    this.insert(finalizer.start + 1, `__ys$f(${site});`);
  }

  private planGenerator(fn: FunctionNode, site: number, strict: boolean): void {
    const body = fn.body!;
    const blocked = creationProbeBlocker(fn, strict, this.code);
    const bodyAt = afterDirectives(body);
    if (blocked) {
      this.insert(bodyAt, `__ys$s(0,${site},arguments);`);
      return;
    }
    const close = findParamsClose(this.code, fn);
    const last = fn.params[fn.params.length - 1];
    const needsComma = last !== undefined && !trailingComma(this.code, last.end, close);
    const self = selfReference(fn);
    const more = self ? `,${self}` : '';
    this.insert(close, `${needsComma ? ',' : ''}...{__ys$:__ys$i=__ys$c(${site},arguments${more})}`);
    this.insert(bodyAt, `__ys$s(__ys$i,${site});`);
  }

  private addSite(kind: number, offset: number, name: string): number {
    this.sites.push({ kind, offset, name });
    return this.sites.length - 1;
  }

  /** `close` marks text that ends an expression opened earlier (a `)`), or stands alone at an end. */
  private insert(offset: number, text: string, close = false): void {
    this.planned.push({ offset, text, close, seq: this.planned.length });
  }

  private readonly planned: Array<Insertion & { close: boolean; seq: number }> = [];

  /**
   * Insertions by offset. At one offset, closing text comes first, innermost first (inner expressions are
   * planned after the outer ones that contain them), then opening text, outermost first.
   */
  ordered(): Insertion[] {
    return this.planned
      .sort(
        (a, b) =>
          a.offset - b.offset || (a.close === b.close ? (a.close ? b.seq - a.seq : a.seq - b.seq) : a.close ? -1 : 1),
      )
      .map(({ offset, text }) => ({ offset, text }));
  }

  /** A name a user recognises: the declared name, the binding or key it is assigned to, its class. */
  private functionName(fn: FunctionNode, outer: Frame | undefined): string {
    const parent = this.up(1);
    if (parent && (parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition')) {
      const cls = this.classNames[this.classNames.length - 1] ?? 'class';
      const sep = parent['static'] ? '.' : '#';
      const kind = parent['kind'] === 'get' || parent['kind'] === 'set' ? `${String(parent['kind'])} ` : '';
      return `${kind}${cls}${sep}${keyName(parent, this.code)}`;
    }
    if (parent && parent.type === 'Property' && parent['value'] === fn) {
      // up(2) is the object literal; up(3) is what the object is bound to, if anything.
      const objName = bindingName(this.up(3));
      const key = keyName(parent, this.code);
      return objName ? `${objName}.${key}` : key;
    }
    if (fn.id) return String(fn.id['name']);
    const bound = bindingName(parent);
    if (bound) return bound;
    if (parent?.type === 'ExportDefaultDeclaration') return 'default';
    if (outer) return `${outer.name}/anonymous`;
    return 'anonymous';
  }
}

/** Consumer codes, as in the trace's `consumerNames`. */
const Consumer = { ForOf: 1, Spread: 2, Destructuring: 3, ArrayFrom: 4, Collection: 5 } as const;

/** `Array.from(x)` and `new Set(x)`, `new Map(x)` … iterate their first argument. */
function iteratingCall(node: Node): number | undefined {
  const callee = node['callee'] as Node;
  if (node.type === 'CallExpression' && callee.type === 'MemberExpression' && !callee['computed']) {
    const obj = callee['object'] as Node;
    const prop = callee['property'] as Node;
    if (obj.type === 'Identifier' && obj['name'] === 'Array' && prop['name'] === 'from') return Consumer.ArrayFrom;
  }
  if (
    node.type === 'NewExpression' &&
    callee.type === 'Identifier' &&
    /^(Weak)?(Set|Map)$/.test(String(callee['name']))
  ) {
    return Consumer.Collection;
  }
  return undefined;
}

/** Where the body's statements start: after its directive prologue, so that a directive stays a directive. */
function afterDirectives(body: Node & { body: Node[] }): number {
  let at = body.start + 1;
  for (const stmt of body.body) {
    if (stmt.type === 'ExpressionStatement' && typeof stmt['directive'] === 'string') at = stmt.end;
    else break;
  }
  return at;
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';
}

function hasUseStrict(body: Node[] | undefined): boolean {
  for (const stmt of body ?? []) {
    if (stmt.type !== 'ExpressionStatement' || typeof stmt['directive'] !== 'string') return false;
    if (stmt['directive'] === 'use strict') return true;
  }
  return false;
}

/**
 * A name that refers to the generator function itself from its parameters, if there is one: the name of a named
 * function expression (always bound to it), or of a declaration no parameter shadows. The creation probe uses it
 * to recognise the objects the function makes (see generators.ts, `unstarted`).
 */
function selfReference(fn: FunctionNode): string | undefined {
  if (!fn.id || (fn.type !== 'FunctionExpression' && fn.type !== 'FunctionDeclaration')) return undefined;
  const name = String(fn.id['name']);
  const shadowed =
    fn.params.some((p) => p.type === 'Identifier' && p['name'] === name) ||
    fn.params.some((p) => p.type !== 'Identifier');
  return shadowed ? undefined : name;
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
function findParamsClose(code: string, fn: FunctionNode): number {
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

function trailingComma(code: string, from: number, close: number): boolean {
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

function keyName(member: Node, code: string): string {
  const key = member['key'] as Node;
  if (member['computed']) return `[${code.slice(key.start, key.end).trim()}]`;
  if (key.type === 'Identifier' || key.type === 'PrivateIdentifier') {
    return (key.type === 'PrivateIdentifier' ? '#' : '') + String(key['name']);
  }
  if (key.type === 'Literal') return String(key['value']);
  return code.slice(key.start, key.end);
}

/** The name a function or class expression is bound to by its parent, if any. */
function bindingName(parent: Node | undefined): string | undefined {
  if (!parent) return undefined;
  if (parent.type === 'VariableDeclarator' && (parent['id'] as Node).type === 'Identifier') {
    return String((parent['id'] as Node)['name']);
  }
  if (parent.type === 'AssignmentExpression') {
    const left = parent['left'] as Node;
    if (left.type === 'Identifier') return String(left['name']);
    if (left.type === 'MemberExpression' && !left['computed']) {
      const obj = left['object'] as Node;
      const prop = String((left['property'] as Node)['name']);
      return obj.type === 'Identifier' ? `${String(obj['name'])}.${prop}` : prop;
    }
  }
  if (parent.type === 'Property' && !parent['computed']) {
    const key = parent['key'] as Node;
    if (key.type === 'Identifier') return String(key['name']);
  }
  if (parent.type === 'AssignmentPattern' && (parent['left'] as Node).type === 'Identifier') {
    return String((parent['left'] as Node)['name']);
  }
  return undefined;
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
