// Display text for what the program produced: value previews, resumptions, coroutine labels. Pure string
// functions; the text they return is always set with textContent, never parsed as HTML.

import type { Preview, ResumeMode } from '../src/protocol/trace';
import type { CoroutineLookup } from '../src/model/coroutines';

/** Longest value text a card or row shows; the full text goes in the title attribute. */
export const MAX_VALUE_CHARS = 160;

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max = MAX_VALUE_CHARS): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}

/** A preview as a reader expects it: strings quoted and escaped like a JS literal, truncation marked. */
export function previewText(p: Preview, max = MAX_VALUE_CHARS): string {
  if (p.type === 'string') {
    const quoted = JSON.stringify(p.text);
    return clip(p.truncated ? `${quoted.slice(0, -1)}…"` : quoted, max);
  }
  return clip(p.truncated ? `${p.text}…` : p.text, max);
}

/** `next(42)`, `throw(Error: bad)`, `return(undefined)`; `next()` for a plain next with no value. */
export function resumeText(mode: ResumeMode, value: Preview, max = MAX_VALUE_CHARS): string {
  if (mode === 'next' && value.type === 'undefined') return 'next()';
  return `${mode}(${previewText(value, max)})`;
}

/** Comma-separated argument previews. */
export function argsText(args: readonly Preview[], max = MAX_VALUE_CHARS): string {
  return clip(args.map((a) => previewText(a, max)).join(', '), max);
}

/** `gen#3`, `top level` for 0, `#7` for a coroutine the model has not seen. */
export function coroutineLabel(model: { readonly coroutines: CoroutineLookup }, id: number): string {
  if (id === 0) return 'top level';
  const c = model.coroutines.get(id);
  return c ? `${c.name}#${id}` : `#${id}`;
}

/** Made once: `toLocaleString` builds a formatter on every call, which shows when hundreds of cards redraw. */
const numbers = new Intl.NumberFormat('en-US');

/** `12,345`: a count with thousands separators. */
export function numberText(n: number): string {
  return numbers.format(n);
}

/** `1 event`, `2 events`, with thousands separators. */
export function countText(n: number, one: string, many = `${one}s`): string {
  return `${numbers.format(n)} ${n === 1 ? one : many}`;
}

/** The last segment of a path or URL, for compact display. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return i >= 0 ? trimmed.slice(i + 1) : trimmed;
}
