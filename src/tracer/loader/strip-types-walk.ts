// Loader, TypeScript stripping: the walk over oxc-parser's AST that decides what to erase. It records ranges to
// blank out and single characters to write (`;` against ASI hazards, a moved `(` or `)`), following Node's own
// strip mode (amaro/swc) so that the output is the same text; it throws UnsupportedTypeScriptError where
// erasing is not enough (enum, namespace with values, parameter properties, `import x =`, `export =`, ...).
import {
  child,
  children,
  field,
  flag,
  isNode,
  keysByType,
  text,
  type AstNode,
  type EraseContext,
  type StripEdits,
} from './strip-types-ast';
import { eraseClass } from './strip-types-class';
import { TypeScriptSyntaxError, UnsupportedTypeScriptError } from './strip-types-errors';
import { hasLineBreak, type TokenScanner } from './strip-types-text';

/** A namespace whose body holds only types (and such namespaces): swc's "uninstantiated". */
function isUninstantiated(ns: AstNode): boolean {
  const body = child(ns, 'body');
  if (body === null) return false;
  return children(body, 'body').every((statement) => {
    const d = statement.type === 'ExportNamedDeclaration' ? child(statement, 'declaration') : statement;
    if (d === null) return false;
    if (d.type === 'TSInterfaceDeclaration' || d.type === 'TSTypeAliasDeclaration') return true;
    return d.type === 'TSModuleDeclaration' && isUninstantiated(d);
  });
}

/** A declaration that is erased whole. */
function isErasedDeclaration(d: AstNode): boolean {
  switch (d.type) {
    case 'TSInterfaceDeclaration':
    case 'TSTypeAliasDeclaration':
    case 'TSDeclareFunction':
      return true;
    case 'TSEnumDeclaration':
    case 'VariableDeclaration':
    case 'ClassDeclaration':
      return flag(d, 'declare');
    case 'TSImportEqualsDeclaration':
      return text(d, 'importKind') === 'type';
    case 'TSModuleDeclaration':
      return (
        text(d, 'kind') === 'global' || child(d, 'id')?.type === 'Literal' || flag(d, 'declare') || isUninstantiated(d)
      );
    default:
      return false;
  }
}

/** Statements whose body is a single statement, and the fields that hold it. */
const statementBodies: Readonly<Record<string, readonly string[]>> = {
  IfStatement: ['consequent', 'alternate'],
  ForStatement: ['body'],
  ForInStatement: ['body'],
  ForOfStatement: ['body'],
  WhileStatement: ['body'],
  DoWhileStatement: ['body'],
  LabeledStatement: ['body'],
  WithStatement: ['body'],
};

export class TypeEraser implements EraseContext {
  readonly edits: StripEdits = { blanks: [], writes: new Map() };
  readonly source: string;
  private readonly src: string;

  constructor(
    readonly scan: TokenScanner,
    private readonly filename: string,
  ) {
    this.source = scan.source;
    this.src = scan.source;
  }

  blank(start: number, end: number): void {
    if (end > start) this.edits.blanks.push(start, end);
  }
  blankNode(n: AstNode | null): void {
    if (n !== null) this.blank(n.start, n.end);
  }
  write(pos: number, ch: string): void {
    this.edits.writes.set(pos, ch);
  }
  unsupported(construct: string, at: number, detail?: string): never {
    throw new UnsupportedTypeScriptError(construct, at, this.src, this.filename, detail);
  }
  invalid(reason: string, at: number): never {
    throw new TypeScriptSyntaxError(reason, at, this.src, this.filename);
  }
  /** The single-character token expected at `pos`; anything else means our reading of the AST is wrong. */
  expectChar(pos: number, ch: string, what: string): number {
    if (this.src[pos] !== ch) this.unsupported(what, Math.max(pos, 0), `expected '${ch}'`);
    return pos;
  }

  visit(n: AstNode): void {
    switch (n.type) {
      case 'TSInterfaceDeclaration':
      case 'TSTypeAliasDeclaration':
      case 'TSDeclareFunction':
      case 'TSNamespaceExportDeclaration': // `export as namespace X` (d.ts only): erased; Node leaves it, broken
        return this.eraseStatement(n.start, n.end);
      case 'TSEnumDeclaration':
        return flag(n, 'declare') ? this.eraseStatement(n.start, n.end) : this.unsupported('enum', n.start);
      case 'TSModuleDeclaration':
        this.checkModuleKeyword(n);
        if (isErasedDeclaration(n)) return this.eraseStatement(n.start, n.end);
        return this.unsupported('namespace', n.start, 'a namespace with values');
      case 'TSImportEqualsDeclaration':
        if (text(n, 'importKind') === 'type') return this.eraseStatement(n.start, n.end);
        return this.unsupported('import equals declaration', n.start);
      case 'TSExportAssignment':
        return this.unsupported('export assignment', n.start);
      case 'TSParameterProperty':
        return this.unsupported('parameter property', n.start);
      case 'TSTypeAssertion':
        return this.unsupported('type assertion', n.start, 'use `expr as T` instead of `<T>expr`');
      case 'VariableDeclaration':
      case 'ClassDeclaration':
        if (flag(n, 'declare')) return this.eraseStatement(n.start, n.end);
        return n.type === 'ClassDeclaration' ? eraseClass(this, n) : this.visitChildren(n);
      case 'ClassExpression':
        return eraseClass(this, n);
      case 'ImportDeclaration':
        if (text(n, 'importKind') === 'type') return this.eraseStatement(n.start, n.end);
        for (const s of children(n, 'specifiers')) if (text(s, 'importKind') === 'type') this.eraseSpecifier(s);
        return;
      case 'ExportNamedDeclaration':
        return this.visitExportNamed(n);
      case 'ExportDefaultDeclaration': {
        const d = child(n, 'declaration');
        if (d !== null && (d.type === 'TSInterfaceDeclaration' || d.type === 'TSDeclareFunction')) {
          return this.eraseStatement(n.start, n.end);
        }
        return this.visitChildren(n);
      }
      case 'ExportAllDeclaration':
        if (text(n, 'exportKind') === 'type') this.eraseStatement(n.start, n.end);
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
        return this.visitFunction(n);
      case 'ArrowFunctionExpression':
        return this.visitArrow(n);
      case 'ReturnStatement':
      case 'ThrowStatement':
      case 'YieldExpression':
        return this.visitArgumentHead(n);
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
        return this.visitTypeOperatorExpression(n);
      case 'TSNonNullExpression':
        this.blank(n.end - 1, n.end);
        return this.visitChildren(n);
      case 'TSInstantiationExpression': {
        const e = child(n, 'expression');
        if (e !== null) {
          this.blank(e.end, n.end);
          this.visit(e);
        }
        return;
      }
      case 'TSTypeAnnotation':
      case 'TSTypeParameterDeclaration':
      case 'TSTypeParameterInstantiation':
        return this.blank(n.start, n.end);
      case 'Identifier':
      case 'ObjectPattern':
      case 'ArrayPattern':
      case 'RestElement':
      case 'AssignmentPattern':
        return this.visitBinding(n);
      case 'VariableDeclarator':
        return this.visitDeclarator(n);
      default:
        if (n.type.startsWith('TS')) return this.unsupported(n.type, n.start);
        this.visitChildren(n);
    }
  }

  visitChildren(n: AstNode): void {
    if (n.type in statementBodies) this.checkStatementBodies(n);
    const keys = keysByType[n.type];
    if (keys === undefined) return this.unsupported(n.type, n.start, 'unknown syntax');
    for (const key of keys) {
      const v = field(n, key);
      if (Array.isArray(v)) {
        for (const item of v) if (isNode(item)) this.visit(item);
      } else if (isNode(v)) this.visit(v);
    }
  }

  /**
   * Erases a statement and guards against the next line joining the previous statement: when the next token
   * starts a new line with `(`, `[`, `` ` ``, `+`, `-` or `/`, a `;` takes the statement's first character, or
   * is written again over the previous token when that is a `;` (which an erased statement may have blanked).
   * This is what Node does.
   */
  private eraseStatement(start: number, end: number): void {
    this.blank(start, end);
    const previous = this.scan.previousEnd(start);
    if (previous < 0) return;
    const next = this.scan.next(end);
    if (next.start >= this.src.length || !next.lineBreak) return;
    if (!'([`+-/'.includes(this.src[next.start] ?? '')) return;
    this.write(this.src[previous - 1] === ';' ? previous - 1 : start, ';');
  }

  /**
   * `if (a) function f(): void;`: oxc rejects most type-only declarations as the body of `if`, loops and labels
   * (as TypeScript does), and Node rejects the ones oxc lets through (overloads, `import type x =`); so do we.
   */
  private checkStatementBodies(n: AstNode): void {
    for (const key of statementBodies[n.type] ?? []) {
      const body = child(n, key);
      if (body !== null && isErasedDeclaration(body)) {
        this.invalid('A declaration cannot be the body of a single-statement context.', body.start);
      }
    }
  }

  /** Erases `type A` in `import { type A, b }` / `export { type A, b }` with the comma after it. */
  private eraseSpecifier(s: AstNode): void {
    const next = this.scan.nextStart(s.end);
    this.blank(s.start, this.src[next] === ',' ? next + 1 : s.end);
  }

  /** Node rejects the old `module M {}` spelling of namespaces, at any depth (`module 'x'` is fine). */
  private checkModuleKeyword(ns: AstNode): void {
    if (text(ns, 'kind') === 'module' && child(ns, 'id')?.type !== 'Literal') {
      this.unsupported('`module` keyword', ns.start, 'use `namespace` instead');
    }
    const body = child(ns, 'body');
    if (body === null) return;
    for (const statement of children(body, 'body')) {
      const d = statement.type === 'ExportNamedDeclaration' ? child(statement, 'declaration') : statement;
      if (d !== null && d.type === 'TSModuleDeclaration') this.checkModuleKeyword(d);
    }
  }

  private visitExportNamed(n: AstNode): void {
    if (text(n, 'exportKind') === 'type') return this.eraseStatement(n.start, n.end);
    const d = child(n, 'declaration');
    if (d !== null) {
      if (d.type === 'TSModuleDeclaration') this.checkModuleKeyword(d);
      if (isErasedDeclaration(d)) return this.eraseStatement(n.start, n.end);
      return this.visit(d);
    }
    for (const s of children(n, 'specifiers')) if (text(s, 'exportKind') === 'type') this.eraseSpecifier(s);
  }

  /** `return <T>\n(x) => x` must not become `return\n(x) => x`: the `(` moves up to where `<` was. */
  private visitArgumentHead(n: AstNode): void {
    this.visitChildren(n);
    const arg = child(n, 'argument');
    if (arg === null || arg.type !== 'ArrowFunctionExpression' || flag(arg, 'async')) return;
    this.moveArrowParenUp(arg);
  }

  private moveArrowParenUp(arrow: AstNode): void {
    const tp = child(arrow, 'typeParameters');
    if (tp === null) return;
    const paren = this.expectChar(this.scan.nextStart(tp.end), '(', 'arrow function');
    if (!hasLineBreak(this.src, tp.start, paren)) return;
    this.write(paren, ' ');
    this.write(tp.start, '(');
  }

  private visitArrow(n: AstNode): void {
    const tp = child(n, 'typeParameters');
    this.blankNode(tp);
    // `async <\nT>(x) => x` would read as a call of `async`: the `(` moves up, as after `return`.
    if (tp !== null && flag(n, 'async')) this.moveArrowParenUp(n);
    this.visitParams(children(n, 'params'));
    const rt = child(n, 'returnType');
    if (rt !== null) {
      this.blank(rt.start, rt.end);
      const paren = this.expectChar(this.scan.previousEnd(rt.start) - 1, ')', 'arrow function return type');
      const arrow = this.scan.nextStart(rt.end);
      // `(a): \n T => a`: a line break before `=>` is not allowed, so the `)` moves down to the type's end.
      if (hasLineBreak(this.src, paren, arrow)) {
        this.blank(paren, paren + 1);
        let last = rt.end - 1;
        if ((this.src.charCodeAt(last) & 0xfc00) === 0xdc00 && last > rt.start) this.write(last--, ' ');
        this.write(last, ')');
      }
    }
    const body = child(n, 'body');
    if (body !== null) this.visit(body);
  }

  private visitFunction(n: AstNode): void {
    this.blankNode(child(n, 'typeParameters'));
    this.visitParams(children(n, 'params'));
    this.blankNode(child(n, 'returnType'));
    const body = child(n, 'body');
    if (body !== null) this.visit(body);
  }

  /** Parameters; a leading `this: T` parameter goes with its comma. */
  private visitParams(params: readonly AstNode[]): void {
    params.forEach((p, i) => {
      if (i === 0 && p.type === 'Identifier' && text(p, 'name') === 'this') {
        const next = this.scan.nextStart(p.end);
        this.blank(p.start, this.src[next] === ',' ? next + 1 : p.end);
      } else this.visit(p);
    });
  }

  /** A binding (parameter, variable, catch parameter): its type annotation and `?` go. */
  private visitBinding(n: AstNode): void {
    const decorator = children(n, 'decorators')[0];
    if (decorator !== undefined) this.unsupported('parameter decorator', decorator.start, 'experimental decorators');
    const ta = child(n, 'typeAnnotation');
    if (flag(n, 'optional')) {
      const mark = this.scan.previousEnd(ta === null ? n.end : ta.start) - 1;
      this.blank(this.expectChar(mark, '?', 'optional parameter'), mark + 1);
    }
    this.blankNode(ta);
    if (n.type === 'Identifier') return;
    for (const key of keysByType[n.type] ?? []) {
      if (key === 'typeAnnotation' || key === 'decorators') continue;
      const v = field(n, key);
      if (Array.isArray(v)) {
        for (const item of v) if (isNode(item)) this.visit(item);
      } else if (isNode(v)) this.visit(v);
    }
  }

  private visitDeclarator(n: AstNode): void {
    const id = child(n, 'id');
    if (id !== null && flag(n, 'definite')) {
      const ta = child(id, 'typeAnnotation');
      const mark = this.scan.previousEnd(ta === null ? id.end : ta.start) - 1;
      this.blank(this.expectChar(mark, '!', 'definite assignment'), mark + 1);
    }
    this.visitChildren(n);
  }

  /** `e as T` / `e satisfies T`: the operator and type go; a `;` stands in when the next line would join. */
  private visitTypeOperatorExpression(n: AstNode): void {
    const e = child(n, 'expression');
    if (e === null) return;
    this.blank(e.end, n.end);
    const next = this.scan.next(n.end);
    if (next.lineBreak && next.start < this.src.length && '([`'.includes(this.src[next.start] ?? '')) {
      this.write(this.scan.nextStart(e.end), ';');
    }
    this.visit(e);
  }
}
