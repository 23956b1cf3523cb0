// `yieldscope events`: one JSON object per line for each event, with the function name of its coroutine and
// its source site as `file:line:column`. Pure formatting over a decoded trace, so that tests can check it.

import { displayPath } from '../model/coroutines';
import type { Preview, Trace, TraceEvent } from '../protocol/trace';

export interface EventLine {
  seq: number;
  time: number;
  kind: string;
  coroutine: number;
  fn: string | null;
  site: string | null;
  [field: string]: unknown;
}

function previewJson(p: Preview): { type: string; text: string; truncated?: true } {
  return p.truncated ? { type: p.type, text: p.text, truncated: true } : { type: p.type, text: p.text };
}

/** Turns events into lines; `names` carries coroutine names across calls when events arrive in batches. */
export function eventLines(
  trace: Trace,
  events: readonly TraceEvent[],
  names = new Map<number, string>(),
): EventLine[] {
  const cwd = trace.header?.cwd ?? '';
  const site = (id: number): string | null => {
    const s = trace.sites.get(id);
    if (!s) return null;
    const url = trace.files.get(s.file)?.url ?? '?';
    return `${displayPath(url, cwd)}:${s.line}:${s.column}`;
  };
  const fn = (co: number): string | null => (co === 0 ? null : (names.get(co) ?? 'coroutine'));
  return events.map((ev) => {
    if (ev.kind === 'create') names.set(ev.co, trace.sites.get(ev.site)?.name || ev.coKind);
    const line: EventLine = {
      seq: ev.seq,
      time: Math.round(ev.time * 1000) / 1000,
      kind: ev.kind,
      coroutine: ev.co,
      fn: fn(ev.co),
      site: null,
    };
    switch (ev.kind) {
      case 'create':
        line.site = site(ev.site);
        line.coKind = ev.coKind;
        line.parent = ev.parent;
        line.args = ev.args.map(previewJson);
        break;
      case 'resume':
        line.mode = ev.mode;
        line.value = previewJson(ev.value);
        line.resumer = ev.resumer;
        break;
      case 'yield':
        line.site = site(ev.site);
        line.value = previewJson(ev.value);
        break;
      case 'delegate':
        line.site = site(ev.site);
        line.target = ev.target === 0 ? null : ev.target;
        line.delegate = ev.target === 0 ? previewJson(ev.iterable) : fn(ev.target);
        break;
      case 'return':
        line.value = previewJson(ev.value);
        break;
      case 'finally':
        line.site = site(ev.site);
        break;
      case 'consume':
        line.site = site(ev.site);
        line.how = ev.how;
        break;
      case 'throw':
        line.error = previewJson(ev.error);
        break;
      case 'reenter':
        line.mode = ev.mode;
        line.resumer = ev.resumer;
        line.error = previewJson(ev.error);
        break;
      case 'output':
        line.stream = ev.stream;
        line.text = ev.text;
        break;
      case 'spawn':
        line.what = ev.what;
        line.command = ev.command;
        break;
      case 'end':
        line.exitCode = ev.exitCode;
        line.reason = ev.reason;
        if (ev.error) line.error = previewJson(ev.error);
        break;
      case 'dropped':
        line.count = ev.count;
        break;
      case 'await':
        line.site = site(ev.site);
        line.value = previewJson(ev.value);
        line.target = ev.target === 0 ? null : ev.target;
        break;
      case 'task-queue':
        line.task = ev.task;
        line.queue = ev.queue;
        if (ev.queue === 'timer' || ev.queue === 'interval') line.delay = ev.delay;
        break;
      case 'task-run':
      case 'task-end':
      case 'task-cancel':
        line.task = ev.task;
        break;
    }
    return line;
  });
}
