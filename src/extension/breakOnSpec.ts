// "Break on coroutine events", the editor's half, as plain data: which events the user asked to pause on (a
// generator yields, a value is sent or thrown into one, a coroutine fails) and for which coroutines, the JSON text
// the tracer reads (src/tracer/runtime/breakOn.ts parses it; nothing is evaluated), the expression that hands it to
// a running program through the debugger's `evaluate`, and the words the picker shows. No `vscode`.

export type BreakKind = 'yield' | 'send' | 'throw' | 'fail';
export const BREAK_KINDS: readonly BreakKind[] = ['yield', 'send', 'throw', 'fail'];

/** Every coroutine, or the generators of these functions. */
export type BreakTarget = '*' | readonly string[];

/** What the user asked for; persisted per workspace. */
export type BreakSettings = { readonly [K in BreakKind]?: BreakTarget };

/** Coroutines picked in the Coroutines view, by id: they mean something only in their own process. */
export type BreakIds = { readonly [K in BreakKind]?: readonly number[] };

export const BREAK_ENV = 'YIELDSCOPE_BREAK_ON';

export const BREAK_LABELS: Record<BreakKind, { readonly label: string; readonly detail: string }> = {
  yield: { label: 'A generator yields', detail: 'Pause as a generator hands out a value with yield.' },
  send: { label: 'A value is sent into a generator', detail: 'Pause as next(value) resumes a generator.' },
  throw: { label: 'An error is thrown into a generator', detail: 'Pause as throw(error) resumes a generator.' },
  fail: { label: 'A coroutine fails', detail: 'Pause as a generator or an async function ends with an error.' },
};

const NAME = /^[\p{L}\p{N}_$.]{1,200}$/u;

/** The JSON text for the tracer: the settings, plus ids picked for this process. */
export function breakSpecText(settings: BreakSettings, ids: BreakIds = {}): string {
  const out: Partial<Record<BreakKind, '*' | string[]>> = {};
  for (const kind of BREAK_KINDS) {
    const target = settings[kind];
    const picked = (ids[kind] ?? []).map((id) => `#${id}`);
    if (target === '*') out[kind] = '*';
    else if ((target?.length ?? 0) + picked.length > 0) out[kind] = [...(target ?? []), ...picked];
  }
  return JSON.stringify(out);
}

/** True when nothing is asked for. */
export function isEmpty(settings: BreakSettings, ids: BreakIds = {}): boolean {
  return breakSpecText(settings, ids) === '{}';
}

/**
 * Evaluated in the running program: hands the text to the tracer. The text goes in as a string literal
 * (JSON.stringify quotes it), so whatever it holds is data for the tracer's parser, never code.
 */
export function breakOnExpression(specText: string): string {
  return (
    "(() => { const b = globalThis[Symbol.for('yieldscope.breakOn')]; " +
    "if (!b || typeof b.set !== 'function') return 'yieldscope:break:no-tracer'; " +
    `return b.set(${JSON.stringify(specText)}); })()`
  );
}

export type BreakAnswer = 'applied' | 'invalid' | 'no-tracer' | 'unknown';

/** Reads what `breakOnExpression` evaluated to (the adapter may quote a string result). */
export function parseBreakAnswer(result: unknown): BreakAnswer {
  const m = /yieldscope:break:([a-z,-]+)/.exec(typeof result === 'string' ? result : '');
  if (!m) return 'unknown';
  if (m[1] === 'invalid') return 'invalid';
  if (m[1] === 'no-tracer') return 'no-tracer';
  return 'applied';
}

/** Function names typed by the user ("counter, worker"); an error for anything that is not a name. */
export function parseFunctionNames(input: string): { names: string[] } | { error: string } {
  const names = input
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0) return { error: 'Type at least one function name.' };
  const bad = names.find((n) => !NAME.test(n));
  if (bad !== undefined) return { error: `"${bad.slice(0, 40)}" is not a function name.` };
  return { names: [...new Set(names)] };
}

/** One line for the picker and the log: "yields (counter), fails (any)". */
export function describeBreakOn(settings: BreakSettings, ids: BreakIds = {}): string {
  const words: Record<BreakKind, string> = { yield: 'yields', send: 'sent in', throw: 'thrown in', fail: 'fails' };
  const parts: string[] = [];
  for (const kind of BREAK_KINDS) {
    const target = settings[kind];
    const picked = (ids[kind] ?? []).map((id) => `#${id}`);
    if (target === '*') parts.push(`${words[kind]} (any)`);
    else if ((target?.length ?? 0) + picked.length > 0) {
      parts.push(`${words[kind]} (${[...(target ?? []), ...picked].join(', ')})`);
    }
  }
  return parts.length ? parts.join(', ') : 'off';
}

/** Settings read back from storage: anything malformed is dropped. */
export function readBreakSettings(stored: unknown): BreakSettings {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
  const out: Partial<Record<BreakKind, BreakTarget>> = {};
  for (const kind of BREAK_KINDS) {
    const v = (stored as Record<string, unknown>)[kind];
    if (v === '*') out[kind] = '*';
    else if (Array.isArray(v)) {
      const names = v.filter((n): n is string => typeof n === 'string' && NAME.test(n));
      if (names.length) out[kind] = names;
    }
  }
  return out;
}

/** The settings after the picker: these kinds on, for every coroutine or these names (failures: every one). */
export function settingsFromPick(kinds: readonly BreakKind[], names: readonly string[] | '*'): BreakSettings {
  const out: Partial<Record<BreakKind, BreakTarget>> = {};
  for (const kind of kinds) out[kind] = kind === 'fail' ? '*' : names;
  return out;
}
