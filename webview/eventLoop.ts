// Layout of the Event loop view: the call path running now (the callback or promise reaction at the bottom,
// then the running chain of coroutines out to the innermost), and one lane per queue with what waits in it at
// the cursor: who queued each item (and where, when the trace says), when a timer is due, and what the item
// resumes when it runs (read ahead in the trace when the recording has got that far). Items that entered or
// left at the cursor's event are marked, so stepping shows them arrive and go. Pure over the models; no DOM.

import type { CoroutineModel } from '../src/model/coroutines';
import type { EventStore } from '../src/model/eventStore';
import { LANES, type LaneName, type QueueItem, type QueueModel, type RunningTask } from '../src/model/queues';
import { awaitEnd, taskRunAfter } from '../src/model/taskEffects';
import type { CoroutineId, QueueName, Trace } from '../src/protocol/trace';
import { coroutineLabel, countText, numberText, previewText } from './format';
import { siteRef, type SiteRef } from './sites';

export interface PathStep {
  readonly key: string;
  readonly kind: 'root' | 'task' | 'coroutine';
  readonly label: string;
  /** What it is, in a few words: `queued by the top level`, `async function, resumed by main#1` … */
  readonly detail: string;
  readonly co: CoroutineId | undefined;
  readonly site: SiteRef | undefined;
  /** The innermost step: what executes at the cursor. */
  readonly current: boolean;
}

export interface LoopItemView {
  readonly key: string;
  readonly title: string;
  /** `due at 12.3 ms (in 4.0 ms)`, `awaits double#2` … */
  readonly detail: string;
  /** `queued by the top level, in io #3` / `parked by main#1`. */
  readonly queuedBy: string;
  readonly site: SiteRef | undefined;
  /** `will resume streamer#2`, `ran at event 30: resumed main#1`, `not run yet` … */
  readonly resumes: string;
  /** Seq of the event that put it there. */
  readonly seq: number;
  /** Index of the event where it runs (or resumes), when known. */
  readonly runIndex: number | undefined;
  /** It entered at the cursor's event. */
  readonly entered: boolean;
  /** It left at the cursor's event (shown once more, faded, so that the reader sees it go). */
  readonly left: boolean;
  /** The program ended with it still waiting. */
  readonly stranded: boolean;
  /** The coroutine to select for it: the awaiting one, or the one that queued it. */
  readonly co: CoroutineId | undefined;
  /** A coroutine parked on an await, not a queued callback. */
  readonly parked: boolean;
}

export interface LoopLaneView {
  readonly lane: LaneName;
  readonly label: string;
  readonly hint: string;
  readonly items: readonly LoopItemView[];
  /** Items waiting, shown or not. */
  readonly total: number;
}

export interface EventLoopView {
  readonly path: readonly PathStep[];
  /** The lanes with something in them (or something that just left), in Node's order. */
  readonly lanes: readonly LoopLaneView[];
  /** The names of the empty lanes, listed on one line. */
  readonly empty: readonly string[];
  /** Items waiting in all lanes. */
  readonly waiting: number;
  readonly notes: readonly string[];
}

export interface LoopContext {
  readonly queues: QueueModel;
  readonly model: Pick<CoroutineModel, 'coroutines' | 'running'>;
  readonly store: Pick<
    EventStore,
    | 'length'
    | 'kindAt'
    | 'coAt'
    | 'eventsOfTask'
    | 'eventsOf'
    | 'taskAt'
    | 'resumerAt'
    | 'nextOf'
    | 'timeAt'
    | 'queueAt'
    | 'lastAtOrBeforeSeq'
    | 'seqAt'
  >;
  readonly trace: Pick<Trace, 'files' | 'sites'>;
  readonly cwd: string;
  /** Index of the event at the cursor (-1: before the first). */
  readonly index: number;
  /** Most items drawn per lane; the rest are counted. */
  readonly perLane: number;
  /**
   * Remembers what was read ahead in the trace for an item (how a task's run went, when an await ended): what
   * the trace says about the future does not change once recorded. Keyed by the item's entry seq and the
   * store's length (a later event may yet come while the program runs).
   */
  readonly memo?: Map<string, unknown>;
}

const LANE_TEXT: Record<LaneName, { label: string; hint: string }> = {
  nextTick: { label: 'nextTick', hint: 'process.nextTick callbacks: run as soon as the current callback returns' },
  microtask: { label: 'Microtasks', hint: 'queueMicrotask callbacks: run after the nextTicks' },
  await: {
    label: 'Awaiting',
    hint: 'Coroutines parked on an await: each resumes from a microtask (a promise reaction) once its promise settles',
  },
  timer: { label: 'Timers', hint: 'setTimeout and setInterval, soonest due first' },
  immediate: { label: 'Immediates', hint: 'setImmediate callbacks: the check phase, after I/O' },
  io: { label: 'I/O', hint: 'fs callbacks: run when the operation completes' },
};

const QUEUE_TEXT: Record<QueueName, string> = {
  microtask: 'microtask',
  nextTick: 'nextTick',
  timer: 'timer',
  interval: 'interval',
  immediate: 'immediate',
  io: 'I/O',
};

export function layoutEventLoop(ctx: LoopContext): EventLoopView {
  const q = ctx.queues;
  const change = q.lastChange();
  const entered = new Set(change?.added ?? []);
  const now = ctx.index >= 0 ? ctx.store.timeAt(ctx.index) : 0;
  const lanes: LoopLaneView[] = [];
  const notes: string[] = [];
  let waiting = 0;
  for (const lane of LANES) {
    const all = q.lane(lane);
    waiting += all.length;
    // Timers in the order they are due; the others in the order they entered (which is the order they run).
    const shown = lane === 'timer' ? soonest(all, ctx.perLane) : all.slice(0, ctx.perLane);
    const items = shown.map((it) => itemView(it, ctx, now, entered.has(it), false));
    // What left the lane at this event, once more, faded.
    for (const it of change?.removed ?? []) {
      if (it.lane === lane && !all.includes(it)) items.unshift(itemView(it, ctx, now, false, true));
    }
    if (all.length > shown.length) {
      notes.push(
        `${LANE_TEXT[lane].label}: showing ${numberText(shown.length)} of ${countText(all.length, 'item')}; the rest are counted, not drawn.`,
      );
    }
    lanes.push({ lane, label: LANE_TEXT[lane].label, hint: LANE_TEXT[lane].hint, items, total: all.length });
  }
  if (q.ended !== undefined && waiting > 0) {
    notes.push(`The program ended with ${countText(waiting, 'item')} still waiting: they never ran.`);
  }
  const shown = lanes.filter((l) => l.items.length > 0);
  const empty = lanes.filter((l) => l.items.length === 0).map((l) => l.label);
  return { path: callPath(ctx), lanes: shown, empty, waiting, notes };
}

function byDue(a: QueueItem, b: QueueItem): number {
  return (a.due ?? 0) - (b.due ?? 0) || a.serial - b.serial;
}

/** The `k` items due soonest, in order: one pass, not a sort of thousands of timers on every frame. */
export function soonest(items: readonly QueueItem[], k: number): QueueItem[] {
  const out: QueueItem[] = [];
  for (const it of items) {
    if (out.length === k && byDue(it, out[k - 1]!) >= 0) continue;
    let at = out.length;
    while (at > 0 && byDue(it, out[at - 1]!) < 0) at--;
    out.splice(at, 0, it);
    if (out.length > k) out.pop();
  }
  return out;
}

/**
 * `compute()`, remembered in the context's memo under `key` when it has one. Keys hold the store's length and
 * first seq: what is read ahead holds indexes, which shift when old events are forgotten.
 */
function memo<T>(ctx: LoopContext, what: string, compute: () => T): T {
  if (!ctx.memo) return compute();
  const key = `${what}:${ctx.store.length}:${ctx.store.length ? ctx.store.seqAt(0) : 0}`;
  if (ctx.memo.has(key)) return ctx.memo.get(key) as T;
  const value = compute();
  if (ctx.memo.size > 20_000) ctx.memo.clear();
  ctx.memo.set(key, value);
  return value;
}

function ms(t: number): string {
  return `${t.toFixed(1)} ms`;
}

function label(ctx: LoopContext, co: CoroutineId): string {
  return co === 0 ? 'the top level' : coroutineLabel(ctx.model, co);
}

function list(ctx: LoopContext, ids: readonly CoroutineId[], max = 3): string {
  const names = ids.slice(0, max).map((id) => label(ctx, id));
  return ids.length > max ? `${names.join(', ')} and ${ids.length - max} more` : names.join(', ');
}

function taskName(queue: QueueName | undefined, task: number): string {
  return `${queue ? QUEUE_TEXT[queue] : 'task'} #${task}`;
}

/** `, in io #3`: the callback that was running when something was queued. */
function withinText(ctx: LoopContext, within: number): string {
  if (!within) return '';
  const first = ctx.store.eventsOfTask(within)[0];
  const queue = first === undefined ? undefined : ctx.store.queueAt(first);
  return `, in ${taskName(queue, within)}`;
}

function itemView(it: QueueItem, ctx: LoopContext, now: number, entered: boolean, left: boolean): LoopItemView {
  const stranded = ctx.queues.ended !== undefined && !left;
  if (it.queue === 'await') {
    const end = memo(ctx, `a${it.co}:${it.seq}`, () => awaitEnd(ctx.store, it.co, entryIndex(ctx, it)));
    const on = it.target ? label(ctx, it.target) : previewText(it.value ?? { type: 'undefined', text: '' }, 60);
    const c = ctx.model.coroutines.get(it.co);
    return {
      key: `a${it.serial}`,
      title: `${label(ctx, it.co)}`,
      detail: `awaits ${on}`,
      queuedBy: `parked since ${ms(it.time)}${withinText(ctx, it.within)}`,
      site: it.site ? siteRef(ctx.trace, it.site, ctx.cwd) : undefined,
      resumes: left
        ? `resumed now: ${label(ctx, it.co)} runs on`
        : stranded
          ? `never resumed: the program ended first`
          : end >= 0
            ? `resumes ${label(ctx, it.co)} at event ${numberText(end + 1)}`
            : `will resume ${c ? label(ctx, it.co) : 'it'} when the promise settles (not yet recorded)`,
      seq: it.seq,
      runIndex: end >= 0 ? end : undefined,
      entered,
      left,
      stranded,
      co: it.co,
      parked: true,
    };
  }
  const q = it.queue;
  const run = memo(ctx, `t${it.task}:${it.seq}`, () => taskRunAfter(ctx.store, it.task, entryIndex(ctx, it)));
  let detail = '';
  if (it.due !== undefined) {
    const until = it.due - now;
    const every = q === 'interval' ? `every ${it.delay} ms, ` : '';
    const ran = it.runs ? `, ran ${countText(it.runs, 'time')}` : '';
    detail = `${every}due at ${ms(it.due)} (${until >= 0 ? `in ${ms(until)}` : `${ms(-until)} ago`})${ran}`;
  } else detail = `queued at ${ms(it.time)}`;
  let resumes: string;
  if (left) resumes = 'runs now';
  else if (stranded)
    resumes = it.runs
      ? 'never ran again: the program ended (or it was cleared)'
      : it.due !== undefined
        ? 'never ran: the program ended first (or it was cleared)'
        : 'never ran: the program ended first';
  else if (!run)
    resumes = it.due !== undefined ? 'not run yet (or cleared: clearTimeout is not recorded)' : 'not run yet';
  else resumes = runText(ctx, run);
  const c = it.co ? ctx.model.coroutines.get(it.co) : undefined;
  return {
    key: `t${it.serial}`,
    title: taskName(q, it.task),
    detail,
    queuedBy: `queued by ${label(ctx, it.co)}${withinText(ctx, it.within)}`,
    site: c?.site ? siteRef(ctx.trace, c.site, ctx.cwd) : undefined,
    resumes,
    seq: it.seq,
    runIndex: run?.run,
    entered,
    left,
    stranded,
    co: it.co || undefined,
    parked: false,
  };
}

function runText(ctx: LoopContext, run: NonNullable<ReturnType<typeof taskRunAfter>>): string {
  const parts: string[] = [];
  if (run.resumed.length) parts.push(`resumes ${list(ctx, run.resumed)}`);
  if (run.queued.length) parts.push(`queues ${run.queued.map((t) => `#${t}`).join(', ')}`);
  if (run.reactions.length) parts.push(`then its promise reactions resume ${list(ctx, run.reactions)}`);
  const at = `runs at event ${numberText(run.run + 1)}`;
  return parts.length ? `${at}: ${parts.join('; ')}` : `${at}; resumes no coroutine`;
}

/**
 * The index of the event that put `it` in its lane (items keep seq, not index: indexes shift when old events are
 * forgotten), or -1 when that event was forgotten.
 */
function entryIndex(ctx: LoopContext, it: QueueItem): number {
  const list = it.task ? ctx.store.eventsOfTask(it.task) : ctx.store.eventsOf(it.co);
  const k = ctx.store.lastAtOrBeforeSeq(list, it.seq);
  return k < 0 ? -1 : list[k]!;
}

/** From the callback (or the main script, or a promise reaction) at the bottom to the innermost coroutine. */
export function callPath(ctx: LoopContext): PathStep[] {
  const q = ctx.queues;
  const running = ctx.model.running;
  const steps: PathStep[] = [];
  const outer = running[0];
  if (q.running.length) {
    q.running.forEach((t, i) => steps.push(taskStep(ctx, t, i)));
  } else if (q.ended !== undefined) {
    steps.push(root('ended', 'The program ended', 'nothing runs any more'));
  } else if (q.main) {
    steps.push(root('main', 'Main script', 'the program’s top-level code, before the event loop starts'));
  } else if (outer !== undefined && q.reaction?.co === outer) {
    steps.push(root('reaction', 'Promise reaction', `a microtask: the promise ${label(ctx, outer)} awaited settled`));
  } else {
    steps.push(
      root('loop', 'Event loop', running.length ? 'the top level' : 'between callbacks: nothing recorded runs'),
    );
  }
  running.forEach((id, i) => {
    const c = ctx.model.coroutines.get(id);
    const by = c && i === 0 ? (c.resumer ? `, resumed by ${label(ctx, c.resumer)}` : '') : '';
    const via = i > 0 && c && ctx.model.coroutines.get(running[i - 1]!)?.delegate === id ? ', through yield*' : '';
    steps.push({
      key: `c${id}`,
      kind: 'coroutine',
      label: label(ctx, id),
      detail: `${c ? KIND_TEXT[c.coKind] : 'coroutine'}${by}${via}`,
      co: id,
      site: c?.site ? siteRef(ctx.trace, c.site, ctx.cwd) : undefined,
      current: false,
    });
  });
  const last = steps.length - 1;
  return steps.map((s, i) => (i === last ? { ...s, current: true } : s));
}

const KIND_TEXT = {
  generator: 'generator',
  async: 'async function',
  'async-generator': 'async generator',
  iterator: 'iterator',
} as const;

function root(key: string, text: string, detail: string): PathStep {
  return { key, kind: 'root', label: text, detail, co: undefined, site: undefined, current: false };
}

function taskStep(ctx: LoopContext, t: RunningTask, i: number): PathStep {
  const by = t.queue ? `queued by ${label(ctx, t.co)}` : 'queued before the recording';
  const again = t.runs ? `, run ${t.runs + 1}` : '';
  const c = t.co ? ctx.model.coroutines.get(t.co) : undefined;
  return {
    key: `t${t.task}:${i}`,
    kind: 'task',
    label: taskName(t.queue, t.task),
    detail: `${by}${again}`,
    co: undefined,
    site: c?.site ? siteRef(ctx.trace, c.site, ctx.cwd) : undefined,
    current: false,
  };
}
