// Test generators for the TypeScript stripper: random but valid TypeScript snippets (seeded, so a failure can
// be replayed) that mix types into every place the grammar allows them, with comments, line breaks and
// non-ASCII text inside the erased parts; and a realistic large file for the timing test.

/** A small deterministic PRNG (mulberry32). */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class SnippetGenerator {
  private names = 0;
  constructor(private readonly random: () => number) {}

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  private chance(p: number): boolean {
    return this.random() < p;
  }
  private name(): string {
    return this.pick(['a', 'b', 'value', 'item', 'ñame', 'données', '名前', 'x$', '_y']) + this.names++;
  }
  /** Whitespace that may sit between the tokens of a type. */
  private gap(): string {
    return this.pick([' ', ' ', ' ', '', '\n    ', ' /* c */ ', ' /* é */ ', '\t']);
  }

  type(depth = 0): string {
    const leaf = depth > 2 || this.chance(0.4);
    if (leaf) {
      return this.pick([
        'number',
        'string',
        'boolean',
        'unknown',
        'any',
        'void',
        'never',
        'bigint',
        'null',
        'undefined',
        'object',
        'Foo',
        'ns.Type',
        '"lit"',
        "'é'",
        '42',
        'true',
        '`tpl${string}`',
        'typeof console',
        'keyof Foo',
        '日本',
        '"😀"',
        'T',
      ]);
    }
    const inner = (): string => this.type(depth + 1);
    // Operands of type operators are parenthesised unless they are one token, so every snippet stays valid.
    const operand = (): string => {
      const t = inner();
      return /^[^\s|&?=()[\]{}]+$/.test(t) ? t : `(${t})`;
    };
    switch (Math.floor(this.random() * 10)) {
      case 0:
        return `Array<${inner()}>`;
      case 1:
        return `Map<${inner()},${this.gap()}${inner()}>`;
      case 2:
        return `${operand()} |${this.gap()}${operand()}`;
      case 3:
        return `${operand()} & ${operand()}`;
      case 4:
        return `${this.chance(0.3) ? 'readonly ' : ''}${operand()}[]`;
      case 5:
        return `[a: ${inner()}, b?: ${inner()}]`;
      case 6:
        return `((a: ${inner()}, b?: ${inner()}) => ${operand()})`;
      case 7:
        return `{${this.gap()}a: ${inner()};${this.gap()}b?: ${inner()};${this.gap()}readonly [k: string]: any;${this.gap()}m(): void${this.gap()}}`;
      case 8:
        return `(${operand()} extends ${operand()} ? ${operand()} : ${operand()})`;
      default:
        return `(${inner()})`;
    }
  }

  private typeParams(): string {
    return this.pick([
      '<T>',
      '<T, U>',
      '<T extends object = {}>',
      '<const T>',
      '<T extends keyof Foo>',
      '<\n  T,\n  U = T\n>',
    ]);
  }

  private annotation(): string {
    return this.chance(0.8) ? `:${this.gap()}${this.type()}` : '';
  }

  expression(depth = 0): string {
    if (depth > 2) return this.pick(['1', 'x', '"s"', 'obj.p', 'null', 'f()']);
    const e = (): string => this.expression(depth + 1);
    switch (Math.floor(this.random() * 12)) {
      case 0:
        return `${e()} as ${this.type()}`;
      case 1:
        return `(${e()}) satisfies ${this.type()}`;
      case 2:
        return `${this.pick(['x', 'obj.p', 'f()', 'arr[0]'])}!`;
      case 3:
        return `f<${this.type()}>(${e()})`;
      case 4:
        return `new Map<string, ${this.type()}>()`;
      case 5:
        return this.arrow(depth);
      case 6:
        return `{ m${this.pick(['', '<T>'])}(p${this.annotation()})${this.annotation()} { return p }, v: ${e()} }`;
      case 7:
        return `[${e()}, ${e()}]`;
      case 8:
        return `${e()} ? ${e()} : ${e()}`;
      case 9:
        return `${this.pick(['x', 'obj'])}?.m!(${e()})`;
      default:
        return this.pick(['1', 'x', '"s"', 'obj.p', '`t${x}`', 'f()']);
    }
  }

  private arrow(depth: number): string {
    const isAsync = this.chance(0.3) ? 'async ' : '';
    const tp = this.chance(0.4) ? this.pick(['<T,>', '<T extends unknown>', '<\n  T,\n>']) : '';
    const params = this.params(false);
    // A return type that ends in a non-ASCII character before a line break is a known difference (see the test).
    const type = this.type().replace(/^(.*[^ -~])$/su, '($1)');
    const ret = this.chance(0.5) ? `:${this.pick([' ', '\n  '])}${type}` : '';
    return `${isAsync}${tp}(${params})${ret} => ${this.expression(depth + 1)}`;
  }

  private params(allowThis: boolean): string {
    const out: string[] = [];
    if (allowThis && this.chance(0.2)) out.push(`this: ${this.type()}`);
    const n = Math.floor(this.random() * 3);
    let optional = false;
    for (let i = 0; i < n; i++) {
      const p = this.name();
      // After an optional parameter, only optional ones or ones with a default may follow.
      const forms = [`${p}?${this.annotation()}`, `${p}${this.annotation()} = ${this.expression(2)}`];
      if (!optional)
        forms.push(`${p}${this.annotation()}`, `{ ${p} }: { ${p}: ${this.type()} }`, `[${p}]${this.annotation()}`);
      const param = this.pick(forms);
      if (param.startsWith(`${p}?`)) optional = true;
      out.push(param);
    }
    if (this.chance(0.2)) out.push(`...rest: ${this.type()}[]`);
    return out.join(', ');
  }

  private body(kind: 'plain' | 'generator'): string {
    const lines: string[] = [];
    const n = 1 + Math.floor(this.random() * 3);
    for (let i = 0; i < n; i++) {
      if (kind === 'generator' && this.chance(0.6)) {
        lines.push(
          this.pick([
            `yield ${this.expression(1)}`,
            `const r${i}: ${this.type()} = yield ${this.expression(1)} as ${this.type()}`,
            `yield* (${this.expression(2)} as Iterable<number>)`,
            `const s${i} = (yield) as ${this.type()}`,
          ]),
        );
      } else lines.push(`const v${i}${this.annotation()} = ${this.expression(1)}`);
    }
    lines.push(`return ${this.expression(1)}`);
    return `{\n    ${lines.join(this.pick([';\n    ', '\n    ']))}\n  }`;
  }

  private func(): string {
    const kind = this.pick(['function', 'function*', 'async function', 'async function*']);
    const generator = kind.endsWith('*');
    const name = this.name();
    const tp = this.chance(0.4) ? this.typeParams() : '';
    const ret = this.chance(0.6) ? `:${this.gap()}${generator ? `Generator<${this.type()}>` : this.type()}` : '';
    const overload = this.chance(0.2) ? `function ${name}(): void;\n` : '';
    return `${overload}${kind} ${name}${tp}(${this.params(true)})${ret} ${this.body(generator ? 'generator' : 'plain')}`;
  }

  private member(abstract: boolean): string {
    const modifier = (): string =>
      this.pick([
        '',
        '',
        'public ',
        'private ',
        'protected ',
        'readonly ',
        'static ',
        'private static ',
        'protected readonly ',
      ]);
    switch (Math.floor(this.random() * 9)) {
      case 0: {
        const m = modifier();
        const mark = this.pick(m.includes('static') ? ['', '?'] : ['', '?', '!']); // `static x!` is an error
        return `${m}${this.name()}${mark}${this.annotation() || ': number'}`;
      }
      case 1:
        return `${modifier()}${this.name()}${this.pick(['', '?'])}${this.annotation()} = ${this.expression(1)}`;
      case 2:
        return `${modifier().replace('readonly ', '')}${this.name()}${this.pick(['', '<T>'])}(${this.params(true)})${this.annotation()} ${this.body('plain')}`;
      case 3:
        return `${modifier().replace('readonly ', '')}*${this.pick(['[Symbol.iterator]', this.name()])}()${this.pick(['', ': Generator<number>', ': Iterator<T>'])} ${this.body('generator')}`;
      case 4:
        return `get ${this.name()}()${this.annotation()} { return 1 }`;
      case 5:
        return `declare ${this.name()}: ${this.type()}`;
      case 6:
        return `[key: string]: ${this.type()}`;
      case 7:
        return abstract ? `abstract ${this.name()}(): ${this.type()}` : `static { const z${this.annotation()} = 1 }`;
      default:
        return `${this.pick(['', 'private ', 'public '])}async *${this.name()}(${this.params(false)}): AsyncGenerator<${this.type()}> ${this.body('generator')}`;
    }
  }

  private cls(): string {
    const abstract = this.chance(0.3);
    const heritage = this.pick([
      '',
      ` extends Base<${this.type()}>`,
      ' extends Base',
      ` implements I<${this.type()}>, J`,
    ]);
    const members: string[] = [];
    const n = 1 + Math.floor(this.random() * 4);
    for (let i = 0; i < n; i++) members.push(this.member(abstract));
    const sep = this.pick([';\n  ', '\n  ']);
    const tp = this.chance(0.3) ? this.typeParams() : '';
    return `${abstract ? 'abstract ' : ''}class ${this.name()}${tp}${heritage} {\n  ${members.join(sep)}\n}`;
  }

  statement(): string {
    switch (Math.floor(this.random() * 14)) {
      case 0:
      case 1:
        return `${this.pick(['let', 'const', 'var'])} ${this.name()}${this.annotation()} = ${this.expression()}`;
      case 2:
        return `let ${this.name()}!: ${this.type()}`;
      case 3:
      case 4:
        return this.func();
      case 5:
      case 6:
        return this.cls();
      case 7:
        return `interface ${this.name()}${this.chance(0.3) ? '<T>' : ''} {\n  a: ${this.type()}\n  m${this.chance(0.5) ? '?' : ''}(): void\n}`;
      case 8:
        return `type ${this.name()}${this.chance(0.3) ? '<T>' : ''} = ${this.type()}`;
      case 9:
        return this.pick([
          `declare const ${this.name()}: ${this.type()}`,
          `declare function ${this.name()}(): ${this.type()}`,
          `namespace ${this.name()} { export type T = ${this.type()} }`,
          `declare namespace ${this.name()} { const x: number }`,
          `import type { ${this.name()} } from "m"`,
          `export type { ${this.name()} }`,
        ]);
      case 10:
        return this.pick(['(x)', '[1, 2].forEach(f)', '`tpl`', '+1', '-x', '/re/.test(s)']);
      case 11:
        return `${this.pick(['x', 'obj.p'])} = ${this.expression()}`;
      case 12:
        return `const ${this.name()} = ${this.arrow(0)}`;
      default:
        return `export const ${this.name()}${this.annotation()} = ${this.expression()}`;
    }
  }

  program(): string {
    const n = 1 + Math.floor(this.random() * 5);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.statement());
    return out.map((s, i) => (i === out.length - 1 ? s : s + this.pick([';\n', '\n', '\n\n', ';\r\n']))).join('');
  }
}

/** `count` random snippets from `seed`. */
export function generateSnippets(seed: number, count: number): string[] {
  const generator = new SnippetGenerator(makeRandom(seed));
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(generator.program());
  return out;
}

/** A realistic TypeScript module of about `lines` lines: services, generics, generators, async code. */
export function generateLargeFile(lines: number): string {
  const chunks: string[] = [
    'import { EventEmitter } from "node:events";',
    'import type { Readable } from "node:stream";',
    '',
  ];
  let count = 3;
  for (let i = 0; count < lines; i++) {
    const chunk = `
export interface Task${i}<T = unknown> {
  readonly id: number;
  payload: T;
  priority?: "low" | "high";
  onDone?(result: T, error?: Error): void;
}

export type Handler${i}<T> = (task: Task${i}<T>) => Promise<T> | T;

export abstract class Queue${i}<T extends { id: number }> extends EventEmitter implements Iterable<T> {
  protected readonly items: T[] = [];
  private pending!: number;
  static readonly limit: number = ${i};
  declare readonly tag: string;
  abstract score(item: T): number;

  push(this: Queue${i}<T>, item: T, front?: boolean): this {
    front ? this.items.unshift(item) : this.items.push(item as T);
    this.emit("push", item satisfies T);
    return this;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const item of this.items as readonly T[]) yield item!;
  }

  async *drain(signal?: AbortSignal): AsyncGenerator<T, void, undefined> {
    while (this.items.length > 0 && !signal?.aborted) {
      const next = this.items.shift()!;
      yield await Promise.resolve<T>(next);
    }
  }
}

export function* range${i}(start: number, end: number, step: number = 1): Generator<number, void, unknown> {
  for (let n: number = start; n < end; n += step) {
    const received: number | undefined = yield n;
    if (received !== undefined) n = received as number;
  }
}

export async function run${i}<T>(tasks: ReadonlyArray<Task${i}<T>>, handler: Handler${i}<T>): Promise<Map<number, T>> {
  const results = new Map<number, T>();
  for (const task of tasks) {
    const value: T = await handler(task);
    results.set(task.id, value);
  }
  return results;
}

export const compare${i} = <T extends { id: number }>(a: T, b: T): number => a.id - b.id;
`;
    chunks.push(chunk);
    count += chunk.split('\n').length - 1;
  }
  return chunks.join('\n');
}
