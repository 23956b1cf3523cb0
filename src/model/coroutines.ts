// The coroutine model: a pure fold of trace events into the state of every coroutine, the chain that is
// running now, and what the program printed. No DOM, no vscode, no I/O. The webview, the CLI and the tests
// all read the trace through this.

import type {
  ConsumerName,
  CoroutineId,
  CoroutineKind,
  Preview,
  ResumeMode,
  Site,
  Trace,
  TraceEvent,
} from '../protocol/trace';

export type CoroutineState =
  | { readonly kind: 'created' }
  | { readonly kind: 'running' }
  | { readonly kind: 'suspended'; readonly site: number }
  | { readonly kind: 'delegating'; readonly site: number; readonly target: CoroutineId }
  /** Parked on an `await` at `site`; `target` is the coroutine whose promise it waits for, or 0. */
  | { readonly kind: 'awaiting'; readonly site: number; readonly target: CoroutineId; readonly value: Preview }
  | { readonly kind: 'closed'; readonly value: Preview }
  | { readonly kind: 'failed'; readonly error: Preview };

export type CoroutineStateName = CoroutineState['kind'];

export interface Coroutine {
  readonly id: CoroutineId;
  readonly coKind: CoroutineKind;
  /** Site of the function that made it; 0 when it was first seen without a creation record. */
  readonly site: number;
  readonly name: string;
  /** The coroutine that was running when this one was created; 0 for the top level. */
  readonly parent: CoroutineId;
  readonly args: readonly Preview[];
  /** Seq of the first event about it. */
  readonly firstSeq: number;
  state: CoroutineState;
  /** The last value sent in (next(v), throw(e), return(v)) and how. */
  lastIn: { readonly mode: ResumeMode; readonly value: Preview } | undefined;
  /** The last value that came out (yielded, returned or thrown). */
  lastOut: Preview | undefined;
  /** Who resumed it last: a coroutine id, or 0 for the top level. */
  resumer: CoroutineId;
  /** The coroutine (or 0 for a plain iterable) it currently delegates to with yield*. */
  delegate: CoroutineId | undefined;
  /** Description of a non-coroutine delegate (an array, a string …). */
  delegateIterable: Preview | undefined;
  resumes: number;
  yields: number;
  /** `finally` blocks that started to run in it. */
  finallies: number;
  /** What drives it, when the program handed it to a for…of, a spread, a destructuring, Array.from … */
  consumer: { readonly how: ConsumerName; readonly site: number } | undefined;
  lastSeq: number;
}

export interface Warning {
  readonly seq: number;
  readonly co: CoroutineId;
  /** The last three come from `endWarnings` (explain.ts), not from folding events. */
  readonly kind:
    'discarded-send' | 'reentry' | 'untraced-spawn' | 'never-closed' | 'await-never-resumed' | 'unhandled-rejection';
  readonly message: string;
}

export interface OutputLine {
  readonly seq: number;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface Ending {
  readonly seq: number;
  readonly exitCode: number;
  readonly reason: string;
  readonly error: Preview | undefined;
}

/** What a model holds besides its coroutines, as plain data: what `restoreRest` takes. */
export interface ModelState {
  readonly running: readonly CoroutineId[];
  readonly warnings: readonly Warning[];
  readonly output: readonly OutputLine[];
  readonly ending: Ending | undefined;
  readonly dropped: number;
  readonly seq: number;
}

const UNKNOWN_SITE_NAME = 'generator';

/** What one event changed, so that `undo` can take it back (see `CoroutineModel.journal`). */
export interface CoroutineUndo {
  /** The coroutines the event changed, as they were before it (undefined: it did not exist yet), each once. */
  readonly coroutines: [CoroutineId, Coroutine | undefined][];
  /** The running chain before the event, when the event changed it. */
  running: CoroutineId[] | undefined;
  readonly warnings: number;
  readonly output: number;
  readonly ending: Ending | undefined;
  readonly dropped: number;
  readonly seq: number;
}

/** Where coroutines are looked up by id: a model's map, or a view of one (`StateBefore`). */
export interface CoroutineLookup {
  get(id: CoroutineId): Coroutine | undefined;
}

/**
 * The state just before an event, for explaining it, read through the state after it: the coroutines the event
 * changed as they were before it, every other one as it is (the event did not change it).
 */
export interface StateBefore {
  readonly coroutines: CoroutineLookup;
  readonly running: readonly CoroutineId[];
}

/** Closed or failed: how it ended stays, whatever is done to it afterwards. */
function ended(c: Coroutine): boolean {
  return c.state.kind === 'closed' || c.state.kind === 'failed';
}

/** Mutable state after folding events in order. Build with `new CoroutineModel(trace)` then `applyAll`. */
export class CoroutineModel {
  readonly coroutines = new Map<CoroutineId, Coroutine>();
  /** The running chain, outermost first. */
  readonly running: CoroutineId[] = [];
  readonly warnings: Warning[] = [];
  readonly output: OutputLine[] = [];
  ending: Ending | undefined;
  dropped = 0;
  /** Seq of the last event applied, or -1. */
  seq = -1;
  /**
   * Ids of coroutines changed since the owner last cleared the set; undefined when nobody asks. `History` uses
   * it to copy only what changed when it takes a snapshot.
   */
  touched: Set<CoroutineId> | undefined;
  /** Set to an array to keep one entry per applied event, for `undo` and `before`; the owner trims it. */
  journal: CoroutineUndo[] | undefined;
  /** The journal entry of the event being applied. */
  private entry: CoroutineUndo | undefined;
  /** Who delegates to each coroutine, so that a finishing delegate releases them without a scan of all. */
  private readonly delegators = new Map<CoroutineId, Set<CoroutineId>>();

  constructor(private readonly trace: Pick<Trace, 'sites'>) {}

  site(id: number): Site | undefined {
    return this.trace.sites.get(id);
  }

  applyAll(events: readonly TraceEvent[], until = Infinity): this {
    for (const ev of events) {
      if (ev.seq > until) break;
      this.apply(ev);
    }
    return this;
  }

  apply(ev: TraceEvent): void {
    this.entry = undefined;
    if (this.journal) {
      this.entry = {
        coroutines: [],
        running: undefined,
        warnings: this.warnings.length,
        output: this.output.length,
        ending: this.ending,
        dropped: this.dropped,
        seq: this.seq,
      };
      this.journal.push(this.entry);
    }
    this.seq = ev.seq;
    this.touched?.add(ev.co);
    switch (ev.kind) {
      case 'create':
        this.remember(ev.co);
        this.coroutines.set(ev.co, this.fresh(ev.co, ev.coKind, ev.site, ev.parent, ev.args, ev.seq));
        return;
      case 'resume': {
        const c = this.ensure(ev.co, ev.seq);
        if (c.state.kind === 'created' && ev.mode === 'next' && ev.value.type !== 'undefined') {
          this.warnings.push({
            seq: ev.seq,
            co: c.id,
            kind: 'discarded-send',
            message: `${c.name} was sent ${ev.value.text} before it started; a just-started generator discards that value`,
          });
        }
        c.lastIn = { mode: ev.mode, value: ev.value };
        c.resumer = ev.resumer;
        c.resumes++;
        // A finished generator resumed again runs nothing and stays as it ended.
        if (!ended(c)) c.state = { kind: 'running' };
        c.lastSeq = ev.seq;
        this.rememberRunning();
        this.running.push(c.id);
        return;
      }
      case 'yield': {
        const c = this.ensure(ev.co, ev.seq);
        c.lastOut = ev.value;
        c.yields++;
        c.state =
          c.delegate !== undefined && this.site(ev.site)?.kind === 'delegate'
            ? { kind: 'delegating', site: ev.site, target: c.delegate }
            : { kind: 'suspended', site: ev.site };
        c.lastSeq = ev.seq;
        this.leave(c.id);
        return;
      }
      case 'delegate': {
        const c = this.ensure(ev.co, ev.seq);
        this.setDelegate(c, ev.target);
        c.delegateIterable = ev.target === 0 ? ev.iterable : undefined;
        c.lastSeq = ev.seq;
        return;
      }
      case 'return': {
        const c = this.ensure(ev.co, ev.seq);
        c.lastOut = ev.value;
        if (!ended(c)) c.state = { kind: 'closed', value: ev.value };
        this.setDelegate(c, undefined);
        c.lastSeq = ev.seq;
        this.leave(c.id);
        this.finishDelegation(c.id);
        return;
      }
      case 'consume': {
        const c = this.ensure(ev.co, ev.seq);
        c.consumer = { how: ev.how, site: ev.site };
        c.lastSeq = ev.seq;
        return;
      }
      case 'finally': {
        const c = this.ensure(ev.co, ev.seq);
        c.finallies++;
        c.lastSeq = ev.seq;
        return;
      }
      case 'throw': {
        const c = this.ensure(ev.co, ev.seq);
        c.lastOut = ev.error;
        if (!ended(c)) c.state = { kind: 'failed', error: ev.error };
        this.setDelegate(c, undefined);
        c.lastSeq = ev.seq;
        this.leave(c.id);
        this.finishDelegation(c.id);
        return;
      }
      case 'reenter': {
        const c = this.ensure(ev.co, ev.seq);
        this.warnings.push({
          seq: ev.seq,
          co: c.id,
          kind: 'reentry',
          message: `${c.name} was resumed with ${ev.mode}() while already running: ${ev.error.text}`,
        });
        return;
      }
      case 'output':
        this.output.push({ seq: ev.seq, stream: ev.stream, text: ev.text });
        return;
      case 'end':
        this.ending = { seq: ev.seq, exitCode: ev.exitCode, reason: ev.reason, error: ev.error };
        this.rememberRunning();
        this.running.length = 0;
        return;
      case 'dropped':
        this.dropped += ev.count;
        return;
      case 'await': {
        const c = this.ensure(ev.co, ev.seq);
        c.state = { kind: 'awaiting', site: ev.site, target: ev.target, value: ev.value };
        c.lastSeq = ev.seq;
        this.leave(c.id);
        return;
      }
      case 'spawn': {
        const who = ev.co ? `${this.ensure(ev.co, ev.seq).name}#${ev.co}` : 'The top level';
        const what = ev.what === 'child' ? `a child process (${ev.command})` : ev.command;
        this.warnings.push({
          seq: ev.seq,
          co: ev.co,
          kind: 'untraced-spawn',
          message: `${who} started ${what}: its coroutines are not traced`,
        });
        return;
      }
      case 'task-queue':
      case 'task-run':
      case 'task-end':
      case 'task-cancel':
        return; // the queues are the event loop model's business
    }
  }

  /** Takes back the last event applied while `journal` was set; false when there is nothing to take back. */
  undo(): boolean {
    const e = this.journal?.pop();
    if (!e) return false;
    for (let k = e.coroutines.length - 1; k >= 0; k--) {
      const [id, c] = e.coroutines[k]!;
      this.restore(id, c);
    }
    if (e.running) replace(this.running, e.running);
    this.warnings.length = e.warnings;
    this.output.length = e.output;
    this.ending = e.ending;
    this.dropped = e.dropped;
    this.seq = e.seq;
    return true;
  }

  /**
   * The state just before the last event applied, read through this model (see `StateBefore`); undefined when
   * the journal has no entry for it. Valid until the model changes.
   */
  before(): StateBefore | undefined {
    const e = this.journal?.[this.journal.length - 1];
    if (!e) return undefined;
    const after = this.coroutines;
    return {
      coroutines: {
        get(id) {
          for (const [changed, c] of e.coroutines) if (changed === id) return c;
          return after.get(id);
        },
      },
      running: e.running ?? this.running,
    };
  }

  /**
   * Sets coroutine `id` to a saved copy (made by `savedCopy`), or removes it when `saved` is undefined (`History`
   * moving this model to another point of the recording). The saved copy is shared, not copied: this model copies
   * it only when an event changes it. A new id goes last, as a newly created coroutine would.
   */
  restore(id: CoroutineId, saved: Coroutine | undefined, old = this.coroutines.get(id)): void {
    if (old?.delegate) this.delegators.get(old.delegate)?.delete(id);
    if (!saved) {
      this.coroutines.delete(id);
      return;
    }
    this.coroutines.set(id, saved);
    if (saved.delegate) {
      let set = this.delegators.get(saved.delegate);
      if (!set) this.delegators.set(saved.delegate, (set = new Set()));
      set.add(id);
    }
  }

  /** Sets everything but the coroutines to a saved state (see `restore`). */
  restoreRest(state: ModelState): void {
    replace(this.running, state.running);
    replace(this.warnings, state.warnings);
    replace(this.output, state.output);
    this.ending = state.ending;
    this.dropped = state.dropped;
    this.seq = state.seq;
  }

  /**
   * The coroutines that others delegate to with yield* now, each with those that do (kept up to date as events
   * are applied and states restored, so that the view need not scan every coroutine to find them).
   */
  delegatedTo(): ReadonlyMap<CoroutineId, ReadonlySet<CoroutineId>> {
    return this.delegators;
  }

  /** Display name of a coroutine's function, from its site. */
  nameOf(site: number): string {
    return this.site(site)?.name || UNKNOWN_SITE_NAME;
  }

  /** Coroutines in creation order. */
  list(): Coroutine[] {
    const all = [...this.coroutines.values()];
    // The map is almost always in creation order already: sort only when it is not.
    for (let i = 1; i < all.length; i++) {
      if (all[i - 1]!.firstSeq > all[i]!.firstSeq) return all.sort((a, b) => a.firstSeq - b.firstSeq);
    }
    return all;
  }

  /** The yield* chain starting at `id`: the coroutine, its delegate, the delegate's delegate … */
  chain(id: CoroutineId): Coroutine[] {
    const out: Coroutine[] = [];
    const seen = new Set<CoroutineId>();
    for (
      let c = this.coroutines.get(id);
      c && !seen.has(c.id);
      c = c.delegate ? this.coroutines.get(c.delegate) : undefined
    ) {
      seen.add(c.id);
      out.push(c);
    }
    return out;
  }

  private fresh(
    id: CoroutineId,
    coKind: CoroutineKind,
    site: number,
    parent: CoroutineId,
    args: readonly Preview[],
    seq: number,
  ): Coroutine {
    return {
      id,
      coKind,
      site,
      name: this.nameOf(site),
      parent,
      args,
      firstSeq: seq,
      state: { kind: 'created' },
      lastIn: undefined,
      lastOut: undefined,
      resumer: 0,
      delegate: undefined,
      delegateIterable: undefined,
      resumes: 0,
      yields: 0,
      finallies: 0,
      consumer: undefined,
      lastSeq: seq,
    };
  }

  /** A coroutine seen without its creation record (dropped, or made where no probe runs). */
  private ensure(id: CoroutineId, seq: number): Coroutine {
    this.remember(id);
    let c = this.coroutines.get(id);
    if (!c) {
      c = this.fresh(id, 'generator', 0, 0, [], seq);
      this.coroutines.set(id, c);
    }
    return this.own(c);
  }

  /** A coroutine this model may change: a saved copy (shared with saved states, see `restore`) is copied first. */
  private own(c: Coroutine): Coroutine {
    if (!savedCopies.has(c)) return c;
    const copy = copyOf(c);
    this.coroutines.set(c.id, copy);
    return copy;
  }

  private leave(id: CoroutineId): void {
    const i = this.running.lastIndexOf(id);
    if (i < 0) return;
    this.rememberRunning();
    this.running.length = i;
  }

  /** Notes coroutine `id` as it is, before the event being applied changes it (when keeping a journal). */
  private remember(id: CoroutineId): void {
    const e = this.entry;
    if (!e) return;
    for (const [changed] of e.coroutines) if (changed === id) return;
    const c = this.coroutines.get(id);
    // A saved copy is never changed (the model copies it first): it can be kept as it is.
    e.coroutines.push([id, c && !savedCopies.has(c) ? copyOf(c) : c]);
  }

  private rememberRunning(): void {
    if (this.entry && !this.entry.running) this.entry.running = this.running.slice();
  }

  /** Sets `c.delegate`, keeping the index of who delegates to whom in step. */
  private setDelegate(c: Coroutine, target: CoroutineId | undefined): void {
    if (c.delegate) this.delegators.get(c.delegate)?.delete(c.id);
    c.delegate = target;
    if (!target) return;
    let set = this.delegators.get(target);
    if (!set) this.delegators.set(target, (set = new Set()));
    set.add(c.id);
  }

  /** When a delegate finishes, whoever delegated to it is no longer delegating. */
  private finishDelegation(id: CoroutineId): void {
    const delegators = this.delegators.get(id);
    if (!delegators) return;
    this.delegators.delete(id);
    for (const cid of delegators) {
      const found = this.coroutines.get(cid);
      if (found?.delegate !== id) continue;
      this.remember(cid);
      const c = this.own(found);
      this.touched?.add(cid);
      c.delegate = undefined;
      if (c.state.kind === 'delegating') c.state = { kind: 'running' };
    }
  }
}

/** Copies kept in saved states: models share them and copy one before they change it. */
const savedCopies = new WeakSet<Coroutine>();

/**
 * A copy of `c` to keep in a saved state (`History`). Not frozen on purpose: every coroutine object keeps the
 * same shape, which keeps property reads fast when tens of thousands are laid out each frame.
 */
export function savedCopy(c: Coroutine): Coroutine {
  const copy = copyOf(c);
  savedCopies.add(copy);
  return copy;
}

/** Field by field, in the order `fresh` makes them, so that copies share one hidden class with the originals. */
function copyOf(c: Coroutine): Coroutine {
  return {
    id: c.id,
    coKind: c.coKind,
    site: c.site,
    name: c.name,
    parent: c.parent,
    args: c.args,
    firstSeq: c.firstSeq,
    state: c.state,
    lastIn: c.lastIn,
    lastOut: c.lastOut,
    resumer: c.resumer,
    delegate: c.delegate,
    delegateIterable: c.delegateIterable,
    resumes: c.resumes,
    yields: c.yields,
    finallies: c.finallies,
    consumer: c.consumer,
    lastSeq: c.lastSeq,
  };
}

/** Makes `target` hold what `source` holds (a loop, not a spread: lists of output may be long). */
function replace<T>(target: T[], source: readonly T[]): void {
  target.length = source.length;
  for (let i = 0; i < source.length; i++) target[i] = source[i]!;
}

/** The model after the events up to and including `seq` (all of them when omitted). */
export function modelAt(trace: Trace, seq = Infinity): CoroutineModel {
  return new CoroutineModel(trace).applyAll(trace.events, seq);
}

/** `file:line:column` for a site, with the file shown relative to `cwd` when it lies inside it. */
export function siteLabel(trace: Pick<Trace, 'files' | 'sites'>, siteId: number, cwd = ''): string {
  const site = trace.sites.get(siteId);
  if (!site) return '';
  const url = trace.files.get(site.file)?.url ?? '?';
  return `${displayPath(url, cwd)}:${site.line}:${site.column}`;
}

/** A file URL or path as a user reads it: a plain path, relative to `cwd` when inside it. */
export function displayPath(url: string, cwd = ''): string {
  let path = url;
  if (path.startsWith('file://')) {
    try {
      path = decodeURIComponent(new URL(path).pathname);
    } catch {
      // keep the URL as it is
    }
  }
  if (cwd) {
    const base = cwd.endsWith('/') ? cwd : cwd + '/';
    if (path.startsWith(base)) return path.slice(base.length);
  }
  return path;
}
