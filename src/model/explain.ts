// Why an event happened, in one sentence a person can read: who resumed whom with what, where it paused and
// what it handed back, why it finished. Reads the event and the state just before it (a `History` gives both).
// Also the warnings that only the end of a program can raise. Pure text; the caller renders it as text.

import type { Coroutine, CoroutineModel, StateBefore, Warning } from './coroutines';
import { siteLabel } from './coroutines';
import type { QueueItem, QueueModel } from './queues';
import type { CoroutineId, Preview, QueueName, Trace, TraceEvent } from '../protocol/trace';

export interface ExplainContext {
  /** The state just before the event (`History.beforeAt` gives it without a second seek). */
  readonly before: StateBefore;
  readonly trace: Pick<Trace, 'files' | 'sites'>;
  readonly cwd: string;
  /** The event loop just after the event, when known: says which callback ran and what queued it. */
  readonly queues?: Pick<QueueModel, 'running' | 'lastChange'>;
}

const MAX = 80;

function value(p: Preview): string {
  const text = p.type === 'string' ? JSON.stringify(p.text) : p.text;
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : p.truncated ? `${text}…` : text;
}

function who(ctx: ExplainContext, id: CoroutineId): string {
  if (id === 0) return 'the top level';
  const c = ctx.before.coroutines.get(id);
  return c ? `${c.name}#${id}` : `#${id}`;
}

function at(ctx: ExplainContext, site: number): string {
  const label = siteLabel(ctx.trace, site, ctx.cwd);
  return label ? ` at ${label}` : '';
}

export function explain(ev: TraceEvent, ctx: ExplainContext): string {
  const text = sentence(ev, ctx);
  // "The top level …" starts with a capital; a coroutine's name keeps its own case (`gen#1 paused …`).
  return text.startsWith('the top level') ? `T${text.slice(1)}` : text;
}

function sentence(ev: TraceEvent, ctx: ExplainContext): string {
  const self = who(ctx, ev.co);
  const c = ctx.before.coroutines.get(ev.co);
  switch (ev.kind) {
    case 'create': {
      const by = ev.parent ? `${who(ctx, ev.parent)} called` : 'The top level called';
      const fn = ctx.trace.sites.get(ev.site)?.name || 'a generator function';
      return `${by} ${fn}(), which made ${fn}#${ev.co} without running any of its body: it waits for its first next().`;
    }
    case 'resume': {
      const by = who(ctx, ev.resumer);
      const through =
        ev.resumer !== 0 && ctx.before.coroutines.get(ev.resumer)?.delegate === ev.co
          ? `, which delegates to it with yield* and passes its own ${ev.mode}() on`
          : '';
      if (c?.state.kind === 'awaiting' && ev.resumer === 0) return resumedFromAwait(ev, ctx, c);
      if (c?.state.kind === 'created' && ev.mode === 'next') {
        const lost = ev.value.type === 'undefined' ? '' : ` (the ${value(ev.value)} it was sent is discarded)`;
        return `${by} called next() on ${self}${through}, so its body starts running from the top${lost}.`;
      }
      const where = c?.state.kind === 'suspended' ? at(ctx, c.state.site) : '';
      switch (ev.mode) {
        case 'next':
          return `${by} called next(${ev.value.type === 'undefined' ? '' : value(ev.value)}) on ${self}${through}, so the yield where it paused${where} evaluates to ${value(ev.value)} and it runs on.`;
        case 'throw':
          return `${by} called throw(${value(ev.value)}) on ${self}${through}, so that error is raised at the yield where it paused${where}.`;
        case 'return':
          return `${by} called return(${value(ev.value)}) on ${self}${through}, so it finishes at the yield where it paused${where}, running its finally blocks first.`;
      }
      break;
    }
    case 'yield': {
      const site = ctx.trace.sites.get(ev.site);
      if (site?.kind === 'delegate' && c?.delegate) {
        return `${self} passes on ${value(ev.value)}, which ${who(ctx, c.delegate)} yielded, through its yield*${at(ctx, ev.site)}, and pauses.`;
      }
      const caller = c && c.resumer !== undefined ? who(ctx, c.resumer) : 'its caller';
      return `${self} paused at a yield${at(ctx, ev.site)}: ${caller} gets {value: ${value(ev.value)}, done: false}.`;
    }
    case 'delegate':
      return ev.target
        ? `${self} started yield* ${who(ctx, ev.target)}${at(ctx, ev.site)}: until that one finishes, every resumption of ${self} goes to it.`
        : `${self} started yield* over ${value(ev.iterable)}${at(ctx, ev.site)}: it yields each of its items in turn.`;
    case 'return':
      return c?.lastIn?.mode === 'return'
        ? `${self} finished because return(${value(c.lastIn.value)}) was called: its caller gets {value: ${value(ev.value)}, done: true}.`
        : `${self} finished: its body returned ${value(ev.value)}, so its caller gets {value: ${value(ev.value)}, done: true}.`;
    case 'throw':
      return c?.lastIn?.mode === 'throw'
        ? `${self} failed: throw(${value(c.lastIn.value)}) raised an error in it that it did not catch, so it propagates to its caller.`
        : `${self} failed: an error left its body (${value(ev.error)}) and propagates to its caller.`;
    case 'finally':
      return `A finally block in ${self} starts to run${at(ctx, ev.site)}, because control is leaving its try block.`;
    case 'consume':
      return `${self} was handed to ${consumer[ev.how]}${at(ctx, ev.site)}, which calls next() on it until it is done.`;
    case 'reenter':
      return `${who(ctx, ev.resumer)} called ${ev.mode}() on ${self} while it was already running, so JavaScript threw ${value(ev.error)}.`;
    case 'output': {
      const running = runningNow(ctx);
      return `The program wrote a line to ${ev.stream}${running ? ` while ${running} was running` : ''}.`;
    }
    case 'end':
      return ev.reason === 'uncaught'
        ? `The program ended with an uncaught error${ev.error ? ` (${value(ev.error)})` : ''}, exit code ${ev.exitCode}.`
        : ev.reason === 'cut'
          ? 'The recording was cut here: what happened after is not known.'
          : ev.reason === 'signal'
            ? `The program was stopped by a signal${ev.error ? ` (${value(ev.error)})` : ''}.`
            : `The program ended with exit code ${ev.exitCode}.`;
    case 'dropped':
      return `The tracer dropped ${ev.count.toLocaleString('en-US')} events here because its buffer was full: states after this point may be out of date.`;
    case 'await':
      return `${self} paused at an await${at(ctx, ev.site)} on ${ev.target ? who(ctx, ev.target) : value(ev.value)}: it resumes from a microtask once that settles, and the event loop runs other work meanwhile.`;
    case 'task-queue': {
      const running = ctx.queues?.running;
      const within = running?.[running.length - 1]?.task;
      const inside = within ? ` inside task #${within}` : '';
      return `${self} queued ${queueText[ev.queue]} (task #${ev.task})${ev.delay ? ` due in ${ev.delay} ms` : ''}${inside}: it runs when the event loop reaches that queue.`;
    }
    case 'task-run': {
      const item = ctx.queues?.lastChange()?.removed.find((it: QueueItem) => it.task === ev.task);
      if (!item || item.queue === 'await')
        return `The event loop took task #${ev.task} from its queue and runs it now.`;
      const since = item.runs ? `, run ${item.runs + 1} of an interval` : '';
      return `The event loop took ${queueText[item.queue]} (task #${ev.task}${since}) that ${who(ctx, item.co)} queued at seq ${item.seq} from its queue and runs it now.`;
    }
    case 'task-end':
      return `Task #${ev.task} finished, so the event loop moves on to the next one.`;
    case 'spawn':
      return `${self} started ${ev.what === 'child' ? `a child process: ${ev.command}` : ev.command}. Yieldscope does not trace it: its coroutines and output are not in this recording.`;
    case 'task-cancel':
      return `${self} cleared task #${ev.task}: it leaves its queue without running (an interval stops repeating).`;
  }
  const unknown: never = ev;
  return `${self}: ${(unknown as { kind: string }).kind}.`;
}

/** A resumption after an await: a promise reaction, run from the microtask queue once the promise settled. */
function resumedFromAwait(ev: Extract<TraceEvent, { kind: 'resume' }>, ctx: ExplainContext, c: Coroutine): string {
  const self = who(ctx, ev.co);
  const s = c.state.kind === 'awaiting' ? c.state : undefined;
  const where = s ? at(ctx, s.site) : '';
  const what = s?.target
    ? `the promise of ${who(ctx, s.target)}`
    : `the promise it awaited${s ? ` (${value(s.value)})` : ''}`;
  const unseen = ev.value.type === 'other' && ev.value.text === '(not observed)';
  if (ev.mode === 'throw') {
    return `${self} was resumed by a microtask: ${what} rejected${unseen ? '' : ` with ${value(ev.value)}`}, so the await${where} throws that error in it.`;
  }
  return `${self} was resumed by a microtask: ${what} fulfilled${unseen ? '' : ` with ${value(ev.value)}`}, so the await${where} evaluates to it and ${self} runs on.`;
}

const consumer = {
  'for-of': 'a for…of loop',
  spread: 'a spread (...)',
  destructuring: 'an array destructuring',
  'array-from': 'Array.from',
  collection: 'new Set/Map',
} as const;

const queueText: Record<QueueName, string> = {
  microtask: 'a microtask',
  nextTick: 'a process.nextTick callback',
  timer: 'a timer',
  interval: 'an interval',
  immediate: 'a setImmediate callback',
  io: 'an I/O callback',
};

function runningNow(ctx: ExplainContext): string | undefined {
  const id = ctx.before.running[ctx.before.running.length - 1];
  return id === undefined ? undefined : who(ctx, id);
}

/**
 * Warnings that the end of the program raises: generators that were started or made and never finished (a
 * for…of that broke early calls return(), so those do finish), awaits that never resumed, and a promise rejected
 * with no handler (the program ended with an uncaught error that an async function or generator failed with).
 * Empty while the program runs.
 */
export function endWarnings(model: Pick<CoroutineModel, 'ending' | 'list'>): Warning[] {
  const end = model.ending;
  if (!end || end.reason === 'cut') return [];
  const out: Warning[] = [];
  const all = model.list();
  let byId: Map<CoroutineId, Coroutine> | undefined;
  const nameOf = (id: CoroutineId): string => {
    byId ??= new Map(all.map((c) => [c.id, c]));
    const c = byId.get(id);
    return c ? `${c.name}#${id}` : `#${id}`;
  };
  const rejected = unhandledRejection(all, end.reason === 'uncaught' ? end.error : undefined);
  if (rejected) {
    const from =
      rejected.origin !== rejected.last ? ` (it came from ${rejected.origin.name}#${rejected.origin.id})` : '';
    out.push({
      seq: end.seq,
      co: rejected.last.id,
      kind: 'unhandled-rejection',
      message: `${rejected.last.name}#${rejected.last.id} rejected with ${value(end.error!)} and no handler caught it${from}: the program ended with that error`,
    });
  }
  for (const c of all) {
    const s = c.state;
    if (s.kind === 'awaiting') {
      const on = s.target ? nameOf(s.target) : value(s.value);
      out.push({
        seq: end.seq,
        co: c.id,
        kind: 'await-never-resumed',
        message: `${c.name}#${c.id} was still awaiting ${on} when the program ended: that promise never settled, so the await never resumed`,
      });
    }
    if (c.coKind !== 'generator' && c.coKind !== 'async-generator') continue;
    if (s.kind === 'closed' || s.kind === 'failed' || s.kind === 'awaiting') continue;
    out.push({
      seq: end.seq,
      co: c.id,
      kind: 'never-closed',
      message:
        s.kind === 'created'
          ? `${c.name}#${c.id} was made but never started or closed`
          : `${c.name}#${c.id} was never closed: it was still ${s.kind === 'delegating' ? 'in a yield*' : s.kind} when the program ended (its finally blocks never ran)`,
    });
  }
  return out;
}

/**
 * The async coroutines that failed with the program's uncaught error: the last of them is the promise nobody
 * handled, the first is where the error came from (each await passed it on to the next).
 */
function unhandledRejection(
  all: readonly Coroutine[],
  error: Preview | undefined,
): { last: Coroutine; origin: Coroutine } | undefined {
  if (!error) return undefined;
  let last: Coroutine | undefined;
  let origin: Coroutine | undefined;
  for (const c of all) {
    if (c.coKind !== 'async' && c.coKind !== 'async-generator') continue;
    if (c.state.kind !== 'failed' || c.state.error.text !== error.text) continue;
    if (!last || c.lastSeq > last.lastSeq) last = c;
    if (!origin || c.lastSeq < origin.lastSeq) origin = c;
  }
  return last && origin ? { last, origin } : undefined;
}
