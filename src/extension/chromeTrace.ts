// A Yieldscope trace as a Chrome Trace Event file (the JSON that Perfetto and chrome://tracing open). Pure: it
// reads decoded events and writes JSON text, a piece at a time, so that a long trace is exported without holding
// all of it (the caller decodes in slices, feeds `push`, writes what comes back).
//
// What it draws, in one process (the program's pid):
// - a thread per coroutine (`gen#3`), holding a complete slice ("X") for each time it ran: from the resume to the
//   yield, await, return or throw that ended the run, named after both (`next(1) → yield 2`);
// - a thread "top level" for the program's own code: the main script until the first task, then each task's
//   callback (timer, immediate, nextTick, I/O…);
// - each coroutine's life as nestable async events ("b"/"e", category `coroutine`, one id per coroutine), with
//   the times it waited nested inside (`suspended at main.ts:6`, `awaiting fetch#4`), and instants for yields;
// - causality as flow events ("s"/"f"): who resumed whom, the awaited call whose end resumed an await, and the
//   code that queued a task to the task.
// Times: the tracer reads its clock only every so often, so several events may share a time; each event is
// moved forward to at least 2 µs after the one before, so that order is kept and flows bind to their slices.

import { TraceDecoder } from '../protocol/codec';
import type { Preview, Trace, TraceEvent } from '../protocol/trace';

export interface ChromeEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts?: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid?: number;
  readonly cat?: string;
  readonly id?: string;
  readonly bp?: string;
  readonly s?: string;
  readonly args?: Record<string, unknown>;
}

/** The top level's thread; coroutine `n` is on thread `n + 1`. */
const TOP_TID = 1;
const STEP_US = 2;
const MAX_TEXT = 60;

interface Run {
  readonly start: number;
  readonly name: string;
  readonly args: Record<string, unknown>;
}

interface Wait {
  readonly name: string;
}

/** Feeds decoded events in order; collects JSON text. `finish()` closes what is still open and the file. */
export class ChromeTraceWriter {
  private readonly pid: number;
  private ts = -STEP_US;
  private first = true;
  private nextFlow = 1;
  private readonly runs = new Map<number, Run>();
  private readonly waits = new Map<number, Wait>();
  private readonly alive = new Set<number>();
  private readonly named = new Set<number>();
  /** The coroutine whose promise an await waits for, per awaiting coroutine. */
  private readonly awaiting = new Map<number, number>();
  /** When each coroutine ended (for flows from an awaited call's end). */
  private readonly endedAt = new Map<number, number>();
  /** Queued tasks: their queue and the flow that leads to their run. */
  private readonly tasks = new Map<number, { queue: string; flow: number | undefined }>();
  private topSlice: { start: number; name: string; args: Record<string, unknown> } | undefined;
  /** Function names, from creation events. */
  private readonly names = new Map<number, string>();
  private mainOpen = true;

  constructor(private readonly trace: Pick<Trace, 'header' | 'files' | 'sites' | 'problems'>) {
    this.pid = trace.header?.pid ?? 1;
  }

  /** The opening of the file and the metadata events. */
  start(): string {
    const h = this.trace.header;
    const program = h?.program ? h.program.split(/[\\/]/).at(-1) : 'program';
    const parts = [
      meta('process_name', this.pid, undefined, { name: `${program} (Yieldscope)` }),
      meta('thread_name', this.pid, TOP_TID, { name: 'top level' }),
      meta('thread_sort_index', this.pid, TOP_TID, { sort_index: 0 }),
    ];
    return `{"traceEvents":[\n${parts.map((p) => this.json(p)).join('')}`;
  }

  /** The JSON text for these events (in trace order). */
  push(events: readonly TraceEvent[]): string {
    const out: ChromeEvent[] = [];
    for (const ev of events) this.event(ev, out);
    return out.map((e) => this.json(e)).join('');
  }

  /** Closes open slices and spans at the last time, and the file (with the trace's header as `otherData`). */
  finish(): string {
    const out: ChromeEvent[] = [];
    const t = this.tick(undefined);
    for (const co of [...this.runs.keys()]) this.endRun(co, t, 'still running at the end of the trace', out);
    for (const co of [...this.waits.keys()]) this.endWait(co, t, out);
    for (const co of this.alive) out.push(this.async('e', co, t, this.label(co), { state: 'never finished' }));
    this.alive.clear();
    this.endTop(t, out);
    const h = this.trace.header;
    const other = {
      source: 'Yieldscope',
      program: h?.program ?? '',
      args: h?.args ?? [],
      cwd: h?.cwd ?? '',
      node: h?.node ?? '',
      tracer: h?.tracer ?? '',
      startTime: h ? new Date(h.startTime).toISOString() : '',
      problems: this.trace.problems,
    };
    return `${out.map((e) => this.json(e)).join('')}\n],"displayTimeUnit":"ms","otherData":${JSON.stringify(other)}}\n`;
  }

  private event(ev: TraceEvent, out: ChromeEvent[]): void {
    const t = this.tick(ev);
    switch (ev.kind) {
      case 'create':
        if (!this.names.has(ev.co)) this.names.set(ev.co, this.trace.sites.get(ev.site)?.name || 'generator');
        this.born(ev.co, t, out, { args: ev.args.map(text), kind: ev.coKind, createdBy: this.label(ev.parent) });
        this.startWait(ev.co, t, 'not started', out);
        return;
      case 'resume': {
        this.born(ev.co, t, out);
        this.endWait(ev.co, t, out);
        if (this.runs.has(ev.co)) this.endRun(ev.co, t, 'left', out);
        const flow = this.nextFlow++;
        const awaited = ev.resumer === 0 ? this.awaiting.get(ev.co) : undefined;
        const awaitedEnd = awaited === undefined ? undefined : this.endedAt.get(awaited);
        if (awaited !== undefined && awaitedEnd !== undefined) {
          out.push(flowEvent('s', this.pid, tidOf(awaited), awaitedEnd - 1, flow, 'await'));
        } else {
          out.push(flowEvent('s', this.pid, this.sourceTid(ev.resumer), t, flow, 'resume'));
        }
        out.push(flowEvent('f', this.pid, tidOf(ev.co), t, flow, awaited === undefined ? 'resume' : 'await'));
        this.awaiting.delete(ev.co);
        this.runs.set(ev.co, {
          start: t,
          name: `${ev.mode}(${text(ev.value)})`,
          args: { sent: text(ev.value), mode: ev.mode, resumedBy: this.label(ev.resumer) },
        });
        return;
      }
      case 'yield': {
        const where = this.where(ev.site);
        this.endRun(ev.co, t, `yield ${text(ev.value)}`, out, { yielded: text(ev.value), at: where });
        out.push(this.async('n', ev.co, t, `yield ${text(ev.value)}`, { at: where }));
        this.startWait(ev.co, t, `suspended at ${where}`, out);
        return;
      }
      case 'await': {
        const where = this.where(ev.site);
        const on = ev.target ? this.label(ev.target) : text(ev.value);
        this.endRun(ev.co, t, `await ${on}`, out, { awaits: on, at: where });
        if (ev.target) this.awaiting.set(ev.co, ev.target);
        this.startWait(ev.co, t, `awaiting ${on}`, out);
        return;
      }
      case 'return':
      case 'throw': {
        const what = ev.kind === 'return' ? `return ${text(ev.value)}` : `throw ${text(ev.error)}`;
        this.endRun(ev.co, t, what, out);
        this.endWait(ev.co, t, out);
        this.endedAt.set(ev.co, t);
        if (this.alive.delete(ev.co)) out.push(this.async('e', ev.co, t, this.label(ev.co), { ended: what }));
        return;
      }
      case 'delegate':
        out.push(this.async('n', ev.co, t, `yield* ${ev.target ? this.label(ev.target) : text(ev.iterable)}`, {}));
        return;
      case 'reenter':
        out.push(instant(`${ev.mode}() while running: ${text(ev.error)}`, this.pid, tidOf(ev.co), t));
        return;
      case 'finally':
      case 'consume':
        return;
      case 'output':
        out.push(
          instant(`${ev.stream}: ${clip(ev.text.trim())}`, this.pid, TOP_TID, t, { stream: ev.stream, text: ev.text }),
        );
        return;
      case 'dropped':
        out.push(instant(`${ev.count} events dropped`, this.pid, TOP_TID, t, {}, 'p'));
        return;
      case 'end':
        out.push(
          instant(
            ev.reason === 'uncaught' ? `uncaught ${ev.error ? text(ev.error) : 'error'}` : `end: ${ev.reason}`,
            this.pid,
            TOP_TID,
            t,
            { exitCode: ev.exitCode, reason: ev.reason },
            'p',
          ),
        );
        return;
      case 'task-queue': {
        const flow = this.nextFlow++;
        out.push(flowEvent('s', this.pid, this.sourceTid(ev.co), t, flow, 'task'));
        this.tasks.set(ev.task, { queue: ev.queue, flow });
        return;
      }
      case 'task-run': {
        this.endTop(t - 1, out);
        const task = this.tasks.get(ev.task);
        const queue = task?.queue ?? 'task';
        this.topSlice = { start: t, name: `${queue} callback`, args: { task: ev.task, queue } };
        if (task?.flow !== undefined) {
          out.push(flowEvent('f', this.pid, TOP_TID, t, task.flow, 'task'));
          // An interval runs many times: only its first run is tied to the code that queued it.
          task.flow = undefined;
        }
        return;
      }
      case 'task-end':
        this.endTop(t, out);
        return;
    }
  }

  /** The thread a flow starts on: the resumer's, or the top level's (while a slice of it is open). */
  private sourceTid(co: number): number {
    return co === 0 ? TOP_TID : tidOf(co);
  }

  private tick(ev: TraceEvent | undefined): number {
    const us = ev ? Math.round(ev.time * 1000) : this.ts;
    this.ts = Math.max(us, this.ts + STEP_US);
    if (this.mainOpen && !this.topSlice) this.topSlice = { start: this.ts, name: 'main script', args: {} };
    this.mainOpen = false;
    return this.ts;
  }

  private born(co: number, t: number, out: ChromeEvent[], args: Record<string, unknown> = {}): void {
    if (this.alive.has(co) || this.endedAt.has(co)) return;
    this.alive.add(co);
    if (!this.named.has(co)) {
      this.named.add(co);
      out.push(meta('thread_name', this.pid, tidOf(co), { name: this.label(co) }));
      out.push(meta('thread_sort_index', this.pid, tidOf(co), { sort_index: co }));
    }
    out.push(this.async('b', co, t, this.label(co), args));
  }

  private endRun(co: number, t: number, end: string, out: ChromeEvent[], extra: Record<string, unknown> = {}): void {
    const run = this.runs.get(co);
    if (!run) return;
    this.runs.delete(co);
    out.push({
      name: `${run.name} → ${end}`,
      ph: 'X',
      ts: run.start,
      dur: Math.max(1, t - run.start),
      pid: this.pid,
      tid: tidOf(co),
      cat: 'run',
      args: { ...run.args, ...extra },
    });
  }

  private startWait(co: number, t: number, name: string, out: ChromeEvent[]): void {
    if (!this.alive.has(co)) return;
    this.endWait(co, t, out);
    this.waits.set(co, { name });
    out.push(this.async('b', co, t, name, {}));
  }

  private endWait(co: number, t: number, out: ChromeEvent[]): void {
    const wait = this.waits.get(co);
    if (!wait) return;
    this.waits.delete(co);
    out.push(this.async('e', co, t, wait.name, {}));
  }

  private endTop(t: number, out: ChromeEvent[]): void {
    const top = this.topSlice;
    if (!top) return;
    this.topSlice = undefined;
    out.push({
      name: top.name,
      ph: 'X',
      ts: top.start,
      dur: Math.max(1, t - top.start),
      pid: this.pid,
      tid: TOP_TID,
      cat: 'task',
      args: top.args,
    });
  }

  private async(ph: 'b' | 'e' | 'n', co: number, t: number, name: string, args: Record<string, unknown>): ChromeEvent {
    return { name, ph, ts: t, pid: this.pid, tid: tidOf(co), cat: 'coroutine', id: `0x${co.toString(16)}`, args };
  }

  private label(co: number): string {
    if (co === 0) return 'top level';
    return `${this.coName(co)}#${co}`;
  }

  private coName(co: number): string {
    return this.names.get(co) ?? 'generator';
  }

  private where(siteId: number): string {
    const site = this.trace.sites.get(siteId);
    if (!site) return '?';
    const url = this.trace.files.get(site.file)?.url ?? '?';
    return `${url.split(/[\\/]/).at(-1)}:${site.line}`;
  }

  private json(e: ChromeEvent): string {
    const text = `${this.first ? '' : ',\n'}${JSON.stringify(e)}`;
    this.first = false;
    return text;
  }
}

/** A whole decoded trace as Chrome Trace Event JSON text. */
export function toChromeTraceJson(trace: Trace): string {
  const w = new ChromeTraceWriter(trace);
  return w.start() + w.push(trace.events) + w.finish();
}

/** Slices a trace is decoded in by `chromeTraceText`, so that its events are never all held at once. */
const EXPORT_SLICE = 1024 * 1024;

/** The Chrome Trace Event JSON of a trace's bytes, decoded a slice at a time. */
export function chromeTraceText(bytes: Uint8Array, slice = EXPORT_SLICE): string {
  const decoder = new TraceDecoder();
  const parts: string[] = [];
  let writer: ChromeTraceWriter | undefined;
  for (let at = 0; at < bytes.length; at += slice) {
    const events = decoder.push(bytes.subarray(at, at + slice));
    if (!writer && decoder.trace.header) {
      writer = new ChromeTraceWriter(decoder.trace);
      parts.push(writer.start());
    }
    if (writer) parts.push(writer.push(events));
    decoder.trace.events.length = 0;
  }
  decoder.finish();
  writer ??= new ChromeTraceWriter(decoder.trace);
  if (parts.length === 0) parts.push(writer.start());
  parts.push(writer.finish());
  return parts.join('');
}

function tidOf(co: number): number {
  return co + 1;
}

function meta(name: string, pid: number, tid: number | undefined, args: Record<string, unknown>): ChromeEvent {
  return tid === undefined ? { name, ph: 'M', pid, args } : { name, ph: 'M', pid, tid, args };
}

function flowEvent(ph: 's' | 'f', pid: number, tid: number, ts: number, id: number, name: string): ChromeEvent {
  return ph === 'f'
    ? { name, ph, ts, pid, tid, cat: 'causality', id: String(id), bp: 'e' }
    : { name, ph, ts, pid, tid, cat: 'causality', id: String(id) };
}

function instant(
  name: string,
  pid: number,
  tid: number,
  ts: number,
  args: Record<string, unknown> = {},
  scope: 't' | 'p' = 't',
): ChromeEvent {
  return { name, ph: 'i', ts, pid, tid, s: scope, args };
}

function text(p: Preview): string {
  return clip(p.type === 'string' ? JSON.stringify(p.text) : p.text);
}

function clip(s: string): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}
