// Loader, TypeScript stripping: the walk over oxc-parser's AST that decides what to erase. It records ranges to
// blank out and single characters to write (`;` against ASI hazards, a moved `(` or `)`), following Node's own
// strip mode (amaro/swc) so that the output is the same text; it throws UnsupportedTypeScriptError where
// erasing is not enough (enum, namespace with values, parameter properties, `import x =`, `export =`, ...).
import { visitorKeys } from 'oxc-parser';
import { TypeScriptSyntaxError, UnsupportedTypeScriptError } from './strip-types-errors';
import { hasLineBreak, type TokenScanner } from './strip-types-text';

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

const keysByType: Readonly<Record<string, readonly string[]>> = visitorKeys;

function field(n: AstNode, key: string): unknown {
  return (n as unknown as Readonly<Record<string, unknown>>)[key];
}
function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}
function child(n: AstNode, key: string): AstNode | null {
  const v = field(n, key);
  return isNode(v) ? v : null;
}
function children(n: AstNode, key: string): AstNode[] {
  const v = field(n, key);
  return Array.isArray(v) ? v.filter(isNode) : [];
}
function flag(n: AstNode, key: string): boolean {
  return field(n, key) === true;
}
function text(n: AstNode, key: string): string | null {
  const v = field(n, key);
  return typeof v === 'string' ? v : null;
}

/** TypeScript-only modifiers of class members, erased with the blank rule. */
const memberModifiers = new Set(['public', 'private', 'protected', 'readonly', 'override', 'declare', 'abstract']);

/** Members of a class body that are types only and are erased whole. */
function isErasedMember(m: AstNode): boolean {
  switch (m.type) {
    case 'TSIndexSignature':
    case 'TSAbstractMethodDefinition':
    case 'TSAbstractPropertyDefinition':
    case 'TSAbstractAccessorProperty':
      return true;
    case 'PropertyDefinition':
      return flag(m, 'declare');
    case 'MethodDefinition':
      return child(m, 'value')?.type === 'TSEmptyBodyFunctionExpression';
    default:
      return false;
  }
}

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

/** A declaration that is erased whole (and in statement position leaves a `;` behind). */
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

export class TypeEraser {
  readonly edits: StripEdits = { blanks: [], writes: new Map() };
  private readonly src: string;

  constructor(
    private readonly scan: TokenScanner,
    private readonly filename: string,
  ) {
    this.src = scan.source;
  }

  private blank(start: number, end: number): void {
    if (end > start) this.edits.blanks.push(start, end);
  }
  private blankNode(n: AstNode | null): void {
    if (n !== null) this.blank(n.start, n.end);
  }
  private write(pos: number, ch: string): void {
    this.edits.writes.set(pos, ch);
  }
  private unsupported(construct: string, at: number, detail?: string): never {
    throw new UnsupportedTypeScriptError(construct, at, this.src, this.filename, detail);
  }
  /** The single-character token expected at `pos`; anything else means our reading of the AST is wrong. */
  private expectChar(pos: number, ch: string, what: string): number {
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
        return n.type === 'ClassDeclaration' ? this.visitClass(n) : this.visitChildren(n);
      case 'ClassExpression':
        return this.visitClass(n);
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
        if (n.type in statementBodies) this.fixStatementBodies(n);
    }
  }

  visitChildren(n: AstNode): void {
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

  /** `if (a) type T = 1;` keeps a statement: the erased declaration leaves a `;`. */
  private fixStatementBodies(n: AstNode): void {
    for (const key of statementBodies[n.type] ?? []) {
      const body = child(n, key);
      if (body !== null && isErasedDeclaration(body)) this.write(body.start, ';');
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
    const decorators = children(n, 'decorators');
    if (decorators.length > 0) {
      this.unsupported('parameter decorator', decorators[0]?.start ?? n.start, 'experimental decorators');
    }
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

  private visitClass(n: AstNode): void {
    const decorators = children(n, 'decorators');
    for (const d of decorators) this.visit(d);
    if (flag(n, 'abstract')) {
      // `abstract` follows the decorators, perhaps after `export` / `default`.
      let pos = decorators.at(-1)?.end ?? n.start;
      for (;;) {
        pos = this.scan.nextStart(pos);
        const word = this.scan.wordAt(pos);
        if (word === 'abstract') {
          this.blank(pos, pos + word.length);
          break;
        }
        if (word === '' || word === 'class') this.unsupported('abstract class', n.start, "no 'abstract' keyword");
        pos += word.length;
      }
    }
    this.blankNode(child(n, 'typeParameters'));
    const superClass = child(n, 'superClass');
    if (superClass !== null) this.visit(superClass);
    this.blankNode(child(n, 'superTypeArguments'));
    const impl = children(n, 'implements');
    const first = impl[0];
    const last = impl.at(-1);
    if (first !== undefined && last !== undefined) {
      const keywordEnd = this.scan.previousEnd(first.start);
      const keywordStart = keywordEnd - 'implements'.length;
      if (this.src.slice(keywordStart, keywordEnd) !== 'implements') this.unsupported('implements clause', first.start);
      this.blank(keywordStart, last.end);
    }
    const body = child(n, 'body');
    if (body !== null) this.visitClassBody(children(body, 'body'), flag(n, 'abstract'), superClass !== null);
  }

  private visitClassBody(members: readonly AstNode[], isAbstract: boolean, isDerived: boolean): void {
    let kept: AstNode | null = null;
    for (const m of members) {
      if (!isDerived && flag(m, 'override')) {
        const reason = "This member cannot have an 'override' modifier because its class does not extend another class.";
        throw new TypeScriptSyntaxError(reason, m.start, this.src, this.filename);
      }
      if (isErasedMember(m)) {
        if (!isAbstract && m.type.startsWith('TSAbstract')) {
          const reason = 'Abstract members can only appear within an abstract class.';
          throw new TypeScriptSyntaxError(reason, m.start, this.src, this.filename);
        }
        this.blank(m.start, m.end);
        this.guardErasedMember(m, kept);
      } else {
        this.visitMember(m);
        kept = m;
      }
    }
  }

  /**
   * `x = 1` + erased `m(): void` + `[k]() {}` would read as `x = 1[k]() {}`. Node leaves this hazard; we put a
   * `;` where the erased member started (a deliberate difference: only when the output would change meaning).
   */
  private guardErasedMember(m: AstNode, kept: AstNode | null): void {
    if (kept === null || child(kept, 'value') === null || kept.type === 'MethodDefinition') return;
    if (this.src[kept.end - 1] === ';') return;
    const next = this.scan.nextStart(m.end);
    if (this.src[next] === '[' || this.src[next] === '*') this.write(m.start, ';');
  }

  private visitMember(m: AstNode): void {
    if (m.type !== 'MethodDefinition' && m.type !== 'PropertyDefinition' && m.type !== 'AccessorProperty') {
      return this.visitChildren(m); // StaticBlock
    }
    const decorators = children(m, 'decorators');
    for (const d of decorators) this.visit(d);
    const key = child(m, 'key');
    if (key === null) return this.unsupported(m.type, m.start, 'member without a key');
    const computed = flag(m, 'computed');
    const start = decorators.at(-1)?.end ?? m.start;
    const hasModifier = text(m, 'accessibility') !== null || flag(m, 'override') || flag(m, 'readonly');
    if (hasModifier) this.stripModifiers(start, key.start);
    // `?` or `!` right after the key (after its `]` when computed).
    if (flag(m, 'optional') || flag(m, 'definite')) {
      let pos = this.scan.nextStart(key.end);
      if (computed) pos = this.scan.nextStart(this.expectChar(pos, ']', 'computed key') + 1);
      this.blank(this.expectChar(pos, flag(m, 'optional') ? '?' : '!', 'class member'), pos + 1);
    }
    const value = child(m, 'value');
    const keyName = !computed && key.type === 'Identifier' ? text(key, 'name') : null;
    // `public [k]`, `public *g()`, `public in` after a line without `;` would join it: Node writes a `;`.
    if (hasModifier && !flag(m, 'static') && decorators.length === 0) {
      const generator = m.type === 'MethodDefinition' && value !== null && flag(value, 'generator');
      if (computed || generator || keyName === 'in' || keyName === 'instanceof') this.write(start, ';');
    }
    const ta = child(m, 'typeAnnotation');
    if (ta !== null) {
      this.blank(ta.start, ta.end);
      // `get: number` would become a getter with the next member: `get;`.
      if (value === null && (keyName === 'get' || keyName === 'set' || keyName === 'static')) this.write(ta.start, ';');
    }
    if (computed) this.visit(key);
    if (value !== null) this.visit(value);
  }

  /** Blanks `public`, `private`, `protected`, `readonly`, `override` between a member's start and its key. */
  private stripModifiers(start: number, keyStart: number): void {
    let pos = start;
    for (;;) {
      pos = this.scan.nextStart(pos);
      if (pos >= keyStart) return;
      const word = this.scan.wordAt(pos);
      if (word === '') return;
      if (memberModifiers.has(word)) this.blank(pos, pos + word.length);
      pos += word.length;
    }
  }
}
