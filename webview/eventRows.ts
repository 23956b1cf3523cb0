// Rows of the Events list: one line of text per trace event (seq, kind, coroutine, value, site). Pure; the
// renderer joins these to elements keyed by seq.

import type { CoroutineLookup } from '../src/model/coroutines';
import type { ConsumerName, CoroutineId, Trace, TraceEvent, TraceEventKind } from '../src/protocol/trace';
import { argsText, clip, coroutineLabel, previewText, resumeText } from './format';
import { siteRef, type SiteRef } from './sites';

export interface EventRow {
  readonly seq: number;
  readonly kind: TraceEventKind;
  readonly co: CoroutineId;
  /** `gen#1`, or `top level`. */
  readonly who: string;
  /** What moved: `next(42)`, the yielded value, the error … */
  readonly detail: string;
  readonly site: SiteRef | undefined;
  /** Milliseconds since the recording started. */
  readonly time: number;
}

export interface RowContext {
  readonly model: { readonly coroutines: CoroutineLookup };
  readonly trace: Pick<Trace, 'files' | 'sites'>;
  readonly cwd: string;
}

const consumerText: Record<ConsumerName, string> = {
  'for-of': 'for…of',
  spread: 'a spread (...)',
  destructuring: 'destructuring',
  'array-from': 'Array.from',
  collection: 'new Set/Map',
};

export function eventRow(ev: TraceEvent, ctx: RowContext): EventRow {
  const base = { seq: ev.seq, kind: ev.kind, co: ev.co, who: coroutineLabel(ctx.model, ev.co), time: ev.time };
  return { ...base, detail: eventDetail(ev, ctx), site: eventSite(ev, ctx) };
}

function eventDetail(ev: TraceEvent, ctx: RowContext): string {
  switch (ev.kind) {
    case 'create':
      return `${ev.coKind}(${argsText(ev.args)})${ev.parent ? ` in ${coroutineLabel(ctx.model, ev.parent)}` : ''}`;
    case 'resume':
      return `${resumeText(ev.mode, ev.value)}${ev.resumer ? ` from ${coroutineLabel(ctx.model, ev.resumer)}` : ''}`;
    case 'yield':
      return previewText(ev.value);
    case 'delegate':
      return ev.target ? `yield* ${coroutineLabel(ctx.model, ev.target)}` : `yield* ${previewText(ev.iterable)}`;
    case 'return':
      return previewText(ev.value);
    case 'finally':
      return 'a finally block runs';
    case 'consume':
      return `driven by ${consumerText[ev.how]}`;
    case 'throw':
      return previewText(ev.error);
    case 'reenter':
      return `${ev.mode}() while running: ${previewText(ev.error)}`;
    case 'output':
      return `${ev.stream}: ${clip(JSON.stringify(ev.text.replace(/\r?\n$/, '')).slice(1, -1))}`;
    case 'end':
      return endText(ev);
    case 'dropped':
      return `${ev.count.toLocaleString('en-US')} events dropped`;
    case 'await':
      return `await ${ev.target ? coroutineLabel(ctx.model, ev.target) : previewText(ev.value)}`;
    case 'task-queue':
      return `${ev.queue} task #${ev.task}${ev.delay ? ` in ${ev.delay} ms` : ''}`;
    case 'task-run':
      return `task #${ev.task} runs`;
    case 'task-end':
      return `task #${ev.task} done`;
    case 'task-cancel':
      return `task #${ev.task} cleared`;
    case 'spawn':
      return `${ev.what === 'child' ? 'child process' : 'worker'} not traced: ${clip(ev.command)}`;
  }
}

function endText(ev: Extract<TraceEvent, { kind: 'end' }>): string {
  const error = ev.error ? `: ${previewText(ev.error)}` : '';
  switch (ev.reason) {
    case 'exit':
      return `exit code ${ev.exitCode}`;
    case 'uncaught':
      return `uncaught${error}, exit code ${ev.exitCode}`;
    case 'signal':
      return `signal${error}`;
    case 'cut':
      return `recording cut${error}`;
  }
}

function eventSite(ev: TraceEvent, ctx: RowContext): SiteRef | undefined {
  switch (ev.kind) {
    case 'create':
    case 'yield':
    case 'delegate':
    case 'finally':
    case 'consume':
    case 'await':
      return siteRef(ctx.trace, ev.site, ctx.cwd);
    default:
      return undefined;
  }
}

/** The newest `capacity` events, oldest first: the webview never holds the whole of a long trace. */
export class EventRing {
  private readonly items: TraceEvent[] = [];
  private start = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  push(ev: TraceEvent): void {
    if (this.capacity <= 0) return;
    if (this.items.length < this.capacity) {
      this.items.push(ev);
      return;
    }
    this.items[this.start] = ev;
    this.start = (this.start + 1) % this.capacity;
  }

  /** Oldest first; only those `keep` accepts when given. */
  toArray(keep?: (ev: TraceEvent) => boolean): TraceEvent[] {
    const out: TraceEvent[] = [];
    for (let i = 0; i < this.items.length; i++) {
      const ev = this.items[(this.start + i) % this.items.length]!;
      if (!keep || keep(ev)) out.push(ev);
    }
    return out;
  }
}
