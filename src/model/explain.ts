// Why an event happened, in one sentence a person can read: who resumed whom with what, where it paused and
// what it handed back, why it finished. Reads the event and the state just before it (a `History` gives both).
// Also the warnings that only the end of a program can raise. Pure text; the caller renders it as text.

import type { CoroutineModel, Warning } from './coroutines';
import { siteLabel } from './coroutines';
import type { CoroutineId, Preview, Trace, TraceEvent } from '../protocol/trace';

export interface ExplainContext {
  /** The state just before the event. */
  readonly before: Pick<CoroutineModel, 'coroutines' | 'running'>;
  readonly trace: Pick<Trace, 'files' | 'sites'>;
  readonly cwd: string;
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
    case 'task-queue':
      return `${self} queued ${queueText[ev.queue]} (task #${ev.task})${ev.delay ? ` due in ${ev.delay} ms` : ''}: it runs when the event loop reaches that queue.`;
    case 'task-run':
      return `The event loop took task #${ev.task} from its queue and runs it now.`;
    case 'task-end':
      return `Task #${ev.task} finished, so the event loop moves on to the next one.`;
  }
  const unknown: never = ev;
  return `${self}: ${(unknown as { kind: string }).kind}.`;
}

const consumer = {
  'for-of': 'a for…of loop',
  spread: 'a spread (...)',
  destructuring: 'an array destructuring',
  'array-from': 'Array.from',
  collection: 'new Set/Map',
} as const;

const queueText = {
  microtask: 'a microtask',
  nextTick: 'a process.nextTick callback',
  timer: 'a timer',
  interval: 'an interval',
  immediate: 'a setImmediate callback',
  io: 'an I/O callback',
} as const;

function runningNow(ctx: ExplainContext): string | undefined {
  const id = ctx.before.running[ctx.before.running.length - 1];
  return id === undefined ? undefined : who(ctx, id);
}

/**
 * Warnings that the end of the program raises: generators that were started or made and never finished (a
 * for…of that broke early calls return(), so those do finish). Empty while the program runs.
 */
export function endWarnings(model: Pick<CoroutineModel, 'ending' | 'list'>): Warning[] {
  const end = model.ending;
  if (!end || end.reason === 'cut') return [];
  const out: Warning[] = [];
  for (const c of model.list()) {
    if (c.coKind !== 'generator' && c.coKind !== 'async-generator') continue;
    const s = c.state.kind;
    if (s === 'closed' || s === 'failed') continue;
    out.push({
      seq: end.seq,
      co: c.id,
      kind: 'never-closed',
      message:
        s === 'created'
          ? `${c.name}#${c.id} was made but never started or closed`
          : `${c.name}#${c.id} was never closed: it was still ${s === 'delegating' ? 'in a yield*' : s} when the program ended (its finally blocks never ran)`,
    });
  }
  return out;
}
