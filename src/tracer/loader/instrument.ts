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
// For async functions and async generators, see async-plan.ts.
// The probe functions are declared once, hoisted, after the last line of the file.

import { parseSync } from 'oxc-parser';
import { SiteKind } from '../../protocol/trace';
import {
  type PlanTarget,
  planAsyncDelegate,
  planAsyncFunction,
  planAsyncGenerator,
  planAsyncYield,
  planAwait,
  planCatchProbes,
  planForAwait,
  planReturn,
} from './async-plan';
import {
  afterDirectives,
  creationProbeBlocker,
  findParamsClose,
  hasUseStrict,
  isNode,
  lineColumn,
  trailingComma,
  type FunctionNode,
  type Node,
} from './syntax';

export { creationProbeBlocker, lineColumn, lineColumnAt, lineStarts, skipTrivia } from './syntax';

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

interface Frame {
  fn: FunctionNode;
  /** The function's site when it is a sync generator, else -1. */
  site: number;
  /** The function's site when it is an async function or an async generator, else -1. */
  asyncSite: number;
  name: string;
  strict: boolean;
  /** How many loops (see `loops`) were around it: the ones after are its own. */
  loopDepth: number;
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

class Planner implements PlanTarget {
  readonly sites: PlannedSite[] = [];
  private readonly stack: Frame[] = [];
  /** The nodes above the one being visited, nearest last. */
  private readonly ancestors: Node[] = [];
  private readonly classNames: string[] = [];
  private classDepth = 0;
  private strictTop = false;

  constructor(readonly code: string) {}

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
      case 'BreakStatement':
        this.visitBreak(node);
        break;
      case 'SwitchStatement':
        this.loops.push({ node, labels: this.labelsAbove(), site: -1, loop: false });
        this.children(node);
        this.loops.pop();
        return;
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
      planAsyncFunction(this, fn, asyncSite);
    } else if (fn.async && fn.generator && fn.body) {
      asyncSite = this.addSite(SiteKind.Function, fn.start, name);
      planAsyncGenerator(this, fn, asyncSite, strict);
    }
    this.stack.push({ fn, site, asyncSite, name, strict, loopDepth: this.loops.length });
    this.children(fn);
    this.stack.pop();
  }

  private visitYield(node: Node): void {
    const frame = this.stack[this.stack.length - 1];
    const delegate = node['delegate'] === true;
    if (frame && frame.asyncSite >= 0) {
      if (!delegate) planAsyncYield(this, node, frame.name);
      else planAsyncDelegate(this, node, frame.name, this.isWholeStatement(node), this.enclosingListStatement());
      return;
    }
    if (!frame || frame.site < 0) return;
    const arg = node['argument'] as Node | null;
    const site = this.addSite(delegate ? SiteKind.Delegate : SiteKind.Yield, node.start, frame.name);
    if (delegate) {
      // The argument of yield* stays as written: V8 words its errors (not iterable, no throw method) from the
      // argument's own text and position. The probe runs just before, in a comma expression; at the start of
      // a statement it needs no parentheses (a leading `(` could join the previous line).
      if (this.isWholeStatement(node)) {
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

  private isWholeStatement(node: Node): boolean {
    const parent = this.up(1);
    return parent?.type === 'ExpressionStatement' && parent['expression'] === node;
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

  /**
   * The loops and switches around the code being visited, innermost last, with their labels and for-await sites
   * (a labelled statement that is neither is not listed: a `break` to it is not followed).
   */
  private readonly loops: Array<{ node: Node; labels: string[]; site: number; loop: boolean }> = [];

  private labelsAbove(): string[] {
    const labels: string[] = [];
    for (let i = 1; this.up(i)?.type === 'LabeledStatement'; i++)
      labels.push(String((this.up(i)!['label'] as Node)['name']));
    return labels;
  }

  private visitLoop(node: Node): void {
    const labels = this.labelsAbove();
    let site = -1;
    if (node.type === 'ForOfStatement') {
      if (node['await'] !== true) this.consume(node['right'] as Node, node.start, Consumer.ForOf);
      else if (this.asyncFrame())
        site = planForAwait(this, node, this.up(labels.length) ?? node, this.asyncFrame()!.name);
    }
    this.loops.push({ node, labels, site, loop: true });
    this.children(node);
    this.loops.pop();
  }

  /** A `continue` to a for-await loop goes to its implicit await: the coroutine parks there. */
  private visitContinue(node: Node): void {
    const label = node['label'] as Node | null;
    const target = label
      ? this.loops.findLast((l) => l.labels.includes(String(label['name'])))
      : this.loops.findLast((l) => l.loop);
    if (!target || target.site < 0) return;
    this.insert(node.start, `{__ys$fp(__ys$i,${target.site});`);
    this.insert(node.end, '}', true);
  }

  /**
   * A `break` that leaves a for-await loop calls its iterator's return() and awaits what that gives: the coroutine
   * parks there. Only where it leaves one such loop (leaving several awaits each one's return(), in turn).
   */
  private visitBreak(node: Node): void {
    const label = node['label'] as Node | null;
    const at = label
      ? this.loops.findLastIndex((l) => l.labels.includes(String(label['name'])))
      : this.loops.length - 1;
    if (at < 0) return;
    const site = this.closedLoop(this.loops.slice(at), node);
    if (site < 0) return;
    this.insert(node.start, `{__ys$fb(__ys$i,${site});`);
    this.insert(node.end, '}', true);
  }

  /**
   * The site of the one for-await loop among `left` that a jump from `from` closes, or -1: none, several, or one
   * that a `finally` block between runs before (the probe, at the jump, would come too early).
   */
  private closedLoop(left: ReadonlyArray<{ node: Node; site: number }>, from: Node): number {
    const loops = left.filter((l) => l.site >= 0);
    if (loops.length !== 1) return -1;
    const loop = loops[0]!;
    for (let i = this.ancestors.length - 1; i >= 0 && this.ancestors[i] !== loop.node; i--) {
      const a = this.ancestors[i]!;
      if (a.type === 'TryStatement' && a['finalizer'] && (this.ancestors[i + 1] ?? from) !== a['finalizer']) return -1;
    }
    return loop.site;
  }

  /** The async function the code being visited belongs to, if it is directly in one. */
  private asyncFrame(): Frame | undefined {
    const frame = this.stack[this.stack.length - 1];
    return frame && frame.asyncSite >= 0 ? frame : undefined;
  }

  private visitAwait(node: Node): void {
    const frame = this.asyncFrame();
    if (frame) planAwait(this, node, frame.name); // else a top-level await in a module: no coroutine of its own
  }

  private visitReturn(node: Node): void {
    const frame = this.asyncFrame();
    if (!frame) return;
    // A return out of for-await loops awaits each one's iterator's return(): the coroutine parks there, where it
    // leaves one (an async generator's `return x` awaits x first, with no probe after: not followed).
    const closing =
      frame.fn.generator && node['argument'] ? -1 : this.closedLoop(this.loops.slice(frame.loopDepth), node);
    planReturn(this, node, frame.name, frame.fn.generator, closing);
  }

  /** A `finally` inside a generator says when it runs: on completion, on return(), on an error. */
  private visitTry(node: Node): void {
    if (this.asyncFrame()) planCatchProbes(this, node);
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

  addSite(kind: number, offset: number, name: string): number {
    this.sites.push({ kind, offset, name });
    return this.sites.length - 1;
  }

  /** `close` marks text that ends an expression opened earlier (a `)`), or stands alone at an end. */
  insert(offset: number, text: string, close = false): void {
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
