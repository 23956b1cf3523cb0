// Loader, TypeScript stripping: classes. `abstract`, type parameters, `implements`, and in the body: members
// that are types only (index signatures, overloads, `declare` and abstract members) go whole; modifiers
// (`public`, `readonly`, `override`...), `?`, `!` and type annotations go from the others, with Node's `;`
// against ASI hazards.
import { child, children, flag, text, type AstNode, type EraseContext } from './strip-types-ast';

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

/** A class declaration or expression (not a `declare class`, which goes whole). */
export function eraseClass(e: EraseContext, n: AstNode): void {
  const decorators = children(n, 'decorators');
  for (const d of decorators) e.visit(d);
  if (flag(n, 'abstract')) {
    // `abstract` follows the decorators, perhaps after `export` / `default`.
    let pos = decorators.at(-1)?.end ?? n.start;
    for (;;) {
      pos = e.scan.nextStart(pos);
      const word = e.scan.wordAt(pos);
      if (word === 'abstract') {
        e.blank(pos, pos + word.length);
        break;
      }
      if (word === '' || word === 'class') e.unsupported('abstract class', n.start, "no 'abstract' keyword");
      pos += word.length;
    }
  }
  e.blankNode(child(n, 'typeParameters'));
  const superClass = child(n, 'superClass');
  if (superClass !== null) e.visit(superClass);
  e.blankNode(child(n, 'superTypeArguments'));
  const impl = children(n, 'implements');
  const first = impl[0];
  const last = impl.at(-1);
  if (first !== undefined && last !== undefined) {
    const keywordEnd = e.scan.previousEnd(first.start);
    const keywordStart = keywordEnd - 'implements'.length;
    if (e.source.slice(keywordStart, keywordEnd) !== 'implements') e.unsupported('implements clause', first.start);
    e.blank(keywordStart, last.end);
  }
  const body = child(n, 'body');
  if (body !== null) eraseClassBody(e, children(body, 'body'), flag(n, 'abstract'), superClass !== null);
}

function eraseClassBody(e: EraseContext, members: readonly AstNode[], isAbstract: boolean, isDerived: boolean): void {
  let kept: AstNode | null = null;
  for (const m of members) {
    if (!isDerived && flag(m, 'override')) {
      const reason = "This member cannot have an 'override' modifier because its class does not extend another class.";
      e.invalid(reason, m.start);
    }
    if (isErasedMember(m)) {
      if (!isAbstract && m.type.startsWith('TSAbstract')) {
        const reason = 'Abstract members can only appear within an abstract class.';
        e.invalid(reason, m.start);
      }
      e.blank(m.start, m.end);
      guardErasedMember(e, m, kept);
    } else {
      eraseMember(e, m);
      kept = m;
    }
  }
}

/**
 * `x = 1` + erased `m(): void` + `[k]() {}` would read as `x = 1[k]() {}`. Node leaves this hazard; we put a
 * `;` where the erased member started (a deliberate difference: only when the output would change meaning).
 */
function guardErasedMember(e: EraseContext, m: AstNode, kept: AstNode | null): void {
  if (kept === null || child(kept, 'value') === null || kept.type === 'MethodDefinition') return;
  if (e.source[kept.end - 1] === ';') return;
  const next = e.scan.nextStart(m.end);
  if (e.source[next] === '[' || e.source[next] === '*') e.write(m.start, ';');
}

function eraseMember(e: EraseContext, m: AstNode): void {
  if (m.type !== 'MethodDefinition' && m.type !== 'PropertyDefinition' && m.type !== 'AccessorProperty') {
    return e.visitChildren(m); // StaticBlock
  }
  const decorators = children(m, 'decorators');
  for (const d of decorators) e.visit(d);
  const key = child(m, 'key');
  if (key === null) return e.unsupported(m.type, m.start, 'member without a key');
  const computed = flag(m, 'computed');
  const start = decorators.at(-1)?.end ?? m.start;
  const hasModifier = text(m, 'accessibility') !== null || flag(m, 'override') || flag(m, 'readonly');
  if (hasModifier) stripModifiers(e, start, key.start);
  // `?` or `!` right after the key (after its `]` when computed).
  if (flag(m, 'optional') || flag(m, 'definite')) {
    let pos = e.scan.nextStart(key.end);
    if (computed) pos = e.scan.nextStart(e.expectChar(pos, ']', 'computed key') + 1);
    e.blank(e.expectChar(pos, flag(m, 'optional') ? '?' : '!', 'class member'), pos + 1);
  }
  const value = child(m, 'value');
  const keyName = !computed && key.type === 'Identifier' ? text(key, 'name') : null;
  // `public [k]`, `public *g()`, `public in` after a line without `;` would join it: Node writes a `;`.
  if (hasModifier && !flag(m, 'static') && decorators.length === 0) {
    const generator = m.type === 'MethodDefinition' && value !== null && flag(value, 'generator');
    if (computed || generator || keyName === 'in' || keyName === 'instanceof') e.write(start, ';');
  }
  const ta = child(m, 'typeAnnotation');
  if (ta !== null) {
    e.blank(ta.start, ta.end);
    // `get: number` would become a getter with the next member: `get;`.
    if (value === null && (keyName === 'get' || keyName === 'set' || keyName === 'static')) e.write(ta.start, ';');
  }
  if (computed) e.visit(key);
  if (value !== null) e.visit(value);
}

/** Blanks `public`, `private`, `protected`, `readonly`, `override` between a member's start and its key. */
function stripModifiers(e: EraseContext, start: number, keyStart: number): void {
  let pos = start;
  for (;;) {
    pos = e.scan.nextStart(pos);
    if (pos >= keyStart) return;
    const word = e.scan.wordAt(pos);
    if (word === '') return;
    if (memberModifiers.has(word)) e.blank(pos, pos + word.length);
    pos += word.length;
  }
}
