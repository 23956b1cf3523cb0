// Layout of the Coroutines view: which coroutines get a card, grouped into yield* stacks (a delegating
// coroutine with its delegate below it, and so on down the chain), and the text each card shows. Pure over
// the model; the renderer only joins this data to elements.

import type { Coroutine, CoroutineModel, CoroutineStateName } from '../src/model/coroutines';
import type { CoroutineId, CoroutineKind, Trace } from '../src/protocol/trace';
import type { Edge } from './cardGrid';
import { argsText, coroutineLabel, previewText, resumeText } from './format';
import { siteRef, type SiteRef } from './sites';

export interface CardView {
  readonly id: CoroutineId;
  /** The coroutine's display name, exactly as the model names it. */
  readonly name: string;
  readonly idLabel: string;
  readonly kind: CoroutineKind;
  readonly state: CoroutineStateName;
  /** `suspended at`, `delegating to internal#2 at`, `closed, returned 3` …; followed by `stateSite` if any. */
  readonly stateText: string;
  readonly stateSite: SiteRef | undefined;
  readonly definedAt: SiteRef | undefined;
  readonly args: string;
  readonly lastIn: string;
  readonly lastOut: string;
  readonly resumes: number;
  readonly yields: number;
  /** On the running chain (something it resumed is running, or it is). */
  readonly running: boolean;
  /** The coroutine executing right now: the innermost of the running chain. */
  readonly current: boolean;
  /** Closed or failed. */
  readonly finished: boolean;
  readonly selected: boolean;
  /** Position in its yield* stack: 0 for the outermost. */
  readonly depth: number;
  /** Its place on the running path (1 for the outermost running coroutine), if it is on it. */
  readonly pathStep: number | undefined;
  /** `awaits double#2`, `resumed by scheduler#1`: the edge to another card, as text; '' for none. */
  readonly relation: string;
  /** The coroutine the relation names, to move to. */
  readonly relationTo: CoroutineId | undefined;
}

export interface StackView {
  /** The outermost coroutine's id: stable while the chain grows and shrinks below it. */
  readonly key: CoroutineId;
  /** Its coroutines, outermost first. */
  readonly ids: readonly CoroutineId[];
  /** Its cards, made when first asked for: the view asks only for the stacks in view. */
  readonly cards: readonly CardView[];
  readonly running: boolean;
  readonly finished: boolean;
}

export interface StacksLayout {
  /** Every stack, as views made on first use. Reading all of them costs a view per stack: prefer `stack(i)`. */
  readonly stacks: readonly StackView[];
  /** How many stacks there are, how many cards stack `i` has, and its view (made once, on first use). */
  readonly count: number;
  size(i: number): number;
  stack(i: number): StackView;
  /** The position of the stack that holds coroutine `id`, or -1. */
  indexOf(id: CoroutineId): number;
  /** Coroutines the model knows. */
  readonly total: number;
  /** Closed or failed coroutines, shown or not. */
  readonly finished: number;
  /** Cards left out because closed coroutines are hidden. */
  readonly hiddenFinished: number;
  /** Cards left out because there are more than `limit`. */
  readonly omitted: number;
}

export interface StackOptions {
  readonly trace: Pick<Trace, 'files' | 'sites'>;
  readonly cwd: string;
  readonly hideFinished: boolean;
  readonly selected: CoroutineId | undefined;
  /** Most cards to draw; live and running stacks are kept first, then the newest finished ones. */
  readonly limit: number;
}

type Model = Pick<CoroutineModel, 'coroutines' | 'running' | 'list' | 'chain' | 'delegatedTo'>;

/** Groups coroutines into yield* stacks, outermost first, stacks in creation order of their outermost. */
export function chainsOf(model: Pick<CoroutineModel, 'coroutines' | 'list' | 'chain' | 'delegatedTo'>): Coroutine[][] {
  const out: Coroutine[][] = [];
  groupStacks(model, {
    take: (head, chain) => out.push(chain ?? [head]),
    reset: () => (out.length = 0),
  });
  return out;
}

/** Where `groupStacks` puts the stacks: `reset` forgets those taken so far (it starts again, in order). */
interface StackSink {
  take(head: Coroutine, chain: Coroutine[] | undefined): void;
  reset(): void;
}

/**
 * Calls `sink.take` for each yield* stack in order: its outermost coroutine, and the whole chain when it has more
 * than one. One pass over the coroutines, with no allocation for the many that delegate to nothing: tens of
 * thousands of coroutines are grouped on every drawing while a replay plays, and reading each of them costs
 * (they lie all over memory), so each is read once.
 */
function groupStacks(
  model: Pick<CoroutineModel, 'coroutines' | 'list' | 'chain' | 'delegatedTo'>,
  sink: StackSink,
): void {
  // The model keeps who delegates to whom: no scan of every coroutine to find the delegates.
  let delegatedTo: Set<CoroutineId> | undefined;
  for (const [target, by] of model.delegatedTo()) {
    if (!model.coroutines.has(target)) continue;
    for (const id of by) {
      if (id !== target && model.coroutines.get(id)?.delegate === target) {
        (delegatedTo ??= new Set()).add(target);
        break;
      }
    }
  }
  // Only members of chains can be met twice (a damaged trace's cycle): only they are noted.
  const placed = new Set<CoroutineId>();
  const chain = (start: Coroutine): void => {
    const members = model.chain(start.id).filter((c) => !placed.has(c.id));
    for (const c of members) placed.add(c.id);
    if (members.length > 1) sink.take(members[0]!, members);
    else if (members.length === 1) sink.take(members[0]!, undefined);
  };
  /** Takes each stack of `all`; with `check`, stops (false) at the first coroutine out of creation order. */
  const walk = (all: Iterable<Coroutine>, check: boolean): boolean => {
    let last = -Infinity;
    for (const c of all) {
      if (check) {
        if (c.firstSeq < last) return false;
        last = c.firstSeq;
      }
      if (delegatedTo?.has(c.id)) continue;
      if (!c.delegate) sink.take(c, undefined);
      else chain(c);
    }
    return true;
  };
  // The map is almost always in creation order: walk it as it is, and only when it is not, start again over a
  // sorted copy.
  if (!walk(model.coroutines.values(), true)) {
    sink.reset();
    placed.clear();
    walk(model.list(), false);
  }
  // Whatever is left is on a delegation cycle (only a damaged trace makes one): show it rather than lose it.
  if (!delegatedTo) return;
  const left: Coroutine[] = [];
  for (const id of delegatedTo) {
    const c = placed.has(id) ? undefined : model.coroutines.get(id);
    if (c) left.push(c);
  }
  left.sort((a, b) => a.firstSeq - b.firstSeq);
  for (const c of left) if (!placed.has(c.id)) chain(c);
}

export function isFinished(c: Pick<Coroutine, 'state'>): boolean {
  return c.state.kind === 'closed' || c.state.kind === 'failed';
}

/** Rank of a stack when there are more cards than the limit: running first, then live, then finished. */
const RUNNING = 0;
const LIVE = 1;
const FINISHED = 2;

export function layoutStacks(model: Model, opts: StackOptions): StacksLayout {
  const running = new Set(model.running);
  const current = model.running[model.running.length - 1];
  let finished = 0;
  let hiddenFinished = 0;
  // The candidate stacks, as columns: the outermost coroutine, the chain (only for chains), the rank.
  const heads: Coroutine[] = [];
  const chains: (Coroutine[] | undefined)[] = [];
  const ranks: number[] = [];
  let cards = 0;
  const take = (head: Coroutine, chain: Coroutine[] | undefined): void => {
    let done = 0;
    let on = false;
    if (chain) {
      for (const c of chain) {
        if (isFinished(c)) done++;
        if (running.has(c.id)) on = true;
      }
    } else {
      done = isFinished(head) ? 1 : 0;
      on = running.size > 0 && running.has(head.id);
    }
    const size = chain ? chain.length : 1;
    finished += done;
    if (opts.hideFinished && done === size) {
      hiddenFinished += done;
      return;
    }
    heads.push(head);
    chains.push(chain);
    ranks.push(on ? RUNNING : done === size ? FINISHED : LIVE);
    cards += size;
  };
  const reset = (): void => {
    heads.length = chains.length = ranks.length = 0;
    finished = hiddenFinished = cards = 0;
  };
  groupStacks(model, { take, reset });
  let omitted = 0;
  const ctx: CardContext = { ...opts, running, current, path: model.running };
  if (cards > opts.limit) {
    const keep = pickWithinLimit(chains, ranks, opts.limit);
    let w = 0;
    for (let i = 0; i < heads.length; i++) {
      if (!keep.has(i)) {
        omitted += chains[i]?.length ?? 1;
        continue;
      }
      heads[w] = heads[i]!;
      chains[w] = chains[i];
      ranks[w] = ranks[i]!;
      w++;
    }
    heads.length = chains.length = ranks.length = w;
  }
  return new Stacks(model, heads, chains, ranks, ctx, {
    total: model.coroutines.size,
    finished,
    hiddenFinished,
    omitted,
  });
}

/** The stacks of a layout, as columns; a stack's view is made when first asked for. */
class Stacks implements StacksLayout {
  readonly total: number;
  readonly finished: number;
  readonly hiddenFinished: number;
  readonly omitted: number;
  private readonly views: (StackView | undefined)[] = [];
  private positions: Map<CoroutineId, number> | undefined;

  constructor(
    private readonly model: Pick<CoroutineModel, 'coroutines'>,
    private readonly heads: readonly Coroutine[],
    private readonly chains: readonly (Coroutine[] | undefined)[],
    private readonly ranks: readonly number[],
    private readonly ctx: CardContext,
    counts: { total: number; finished: number; hiddenFinished: number; omitted: number },
  ) {
    this.total = counts.total;
    this.finished = counts.finished;
    this.hiddenFinished = counts.hiddenFinished;
    this.omitted = counts.omitted;
  }

  get count(): number {
    return this.heads.length;
  }

  size(i: number): number {
    return this.chains[i]?.length ?? 1;
  }

  stack(i: number): StackView {
    let v = this.views[i];
    if (!v) {
      const chain = this.chains[i] ?? [this.heads[i]!];
      v = new LazyStack(this.model, chain, this.ctx, this.ranks[i] === RUNNING, this.ranks[i] === FINISHED);
      this.views[i] = v;
    }
    return v;
  }

  get stacks(): readonly StackView[] {
    const out: StackView[] = [];
    for (let i = 0; i < this.heads.length; i++) out.push(this.stack(i));
    return out;
  }

  indexOf(id: CoroutineId): number {
    if (!this.positions) {
      this.positions = new Map();
      for (let i = 0; i < this.heads.length; i++) {
        const chain = this.chains[i];
        if (chain) for (const c of chain) this.positions.set(c.id, i);
        else this.positions.set(this.heads[i]!.id, i);
      }
    }
    return this.positions.get(id) ?? -1;
  }
}

/** A stack whose cards are described on first use. */
class LazyStack implements StackView {
  readonly key: CoroutineId;
  readonly ids: readonly CoroutineId[];
  private made: CardView[] | undefined;

  constructor(
    private readonly model: Pick<CoroutineModel, 'coroutines'>,
    private readonly chain: readonly Coroutine[],
    private readonly ctx: CardContext,
    readonly running: boolean,
    readonly finished: boolean,
  ) {
    this.key = chain[0]!.id;
    this.ids = chain.map((c) => c.id);
  }

  get cards(): readonly CardView[] {
    this.made ??= this.chain.map((c, depth) => cardView(this.model, c, depth, this.ctx));
    return this.made;
  }
}

/**
 * The edges between cards that the yield* stacks do not show: an await of another coroutine's promise, and the
 * coroutine that last resumed a live one (when it is not the one delegating to it). An edge is active when it is
 * part of the running path. Only edges from the coroutines in `from` are made.
 */
export function cardEdges(model: Pick<CoroutineModel, 'coroutines' | 'running'>, from: Iterable<CoroutineId>): Edge[] {
  const running = model.running;
  const edges: Edge[] = [];
  for (const id of from) {
    const c = model.coroutines.get(id);
    if (!c) continue;
    if (c.state.kind === 'awaiting' && c.state.target && c.state.target !== id) {
      edges.push({ from: id, to: c.state.target, kind: 'awaits', active: false });
    }
    const by = resumedBy(model, c);
    if (by !== undefined) {
      const i = running.indexOf(id);
      edges.push({ from: by, to: id, kind: 'resumed-by', active: i > 0 && running[i - 1] === by });
    }
  }
  return edges;
}

/** The coroutine that last resumed `c`, when that is worth an edge: a live `c`, not resumed through yield*. */
function resumedBy(model: Pick<CoroutineModel, 'coroutines'>, c: Coroutine): CoroutineId | undefined {
  if (!c.resumer || c.resumer === c.id || isFinished(c) || c.state.kind === 'created') return undefined;
  const r = model.coroutines.get(c.resumer);
  if (!r || r.delegate === c.id) return undefined;
  return c.resumer;
}

/** Indexes of the candidates to draw: by rank (running, live, finished), newest first within a rank. */
function pickWithinLimit(
  chains: readonly (Coroutine[] | undefined)[],
  ranks: readonly number[],
  limit: number,
): Set<number> {
  // One pass per rank, newest first, instead of sorting every candidate.
  const keep = new Set<number>();
  let budget = Math.max(0, limit);
  for (let rank = RUNNING; rank <= FINISHED && budget > 0; rank++) {
    for (let i = ranks.length - 1; i >= 0 && budget > 0; i--) {
      const size = chains[i]?.length ?? 1;
      if (ranks[i] !== rank || size > budget) continue;
      budget -= size;
      keep.add(i);
    }
  }
  return keep;
}

interface CardContext extends StackOptions {
  readonly running: ReadonlySet<CoroutineId>;
  readonly current: CoroutineId | undefined;
  /** The running chain, outermost first. */
  readonly path?: readonly CoroutineId[];
}

export function cardView(
  model: Pick<CoroutineModel, 'coroutines'>,
  c: Coroutine,
  depth: number,
  ctx: CardContext,
): CardView {
  const { stateText, stateSite } = describeState(model, c, ctx);
  const step = ctx.path ? ctx.path.indexOf(c.id) : -1;
  const awaiting = c.state.kind === 'awaiting' && c.state.target ? c.state.target : undefined;
  const by = awaiting === undefined ? resumedBy(model, c) : undefined;
  return {
    id: c.id,
    name: c.name,
    idLabel: `#${c.id}`,
    kind: c.coKind,
    state: c.state.kind,
    stateText,
    stateSite,
    definedAt: c.site ? siteRef(ctx.trace, c.site, ctx.cwd) : undefined,
    args: c.args.length ? argsText(c.args) : '',
    lastIn: c.lastIn ? resumeText(c.lastIn.mode, c.lastIn.value) : '',
    lastOut: c.lastOut ? previewText(c.lastOut) : '',
    resumes: c.resumes,
    yields: c.yields,
    running: ctx.running.has(c.id),
    current: ctx.current === c.id,
    finished: isFinished(c),
    selected: ctx.selected === c.id,
    depth,
    pathStep: step >= 0 ? step + 1 : undefined,
    relation:
      awaiting !== undefined
        ? `awaits ${coroutineLabel(model, awaiting)}`
        : by !== undefined
          ? `resumed by ${coroutineLabel(model, by)}`
          : '',
    relationTo: awaiting ?? by,
  };
}

function describeState(
  model: Pick<CoroutineModel, 'coroutines'>,
  c: Coroutine,
  ctx: Pick<StackOptions, 'trace' | 'cwd'>,
): { stateText: string; stateSite: SiteRef | undefined } {
  const s = c.state;
  switch (s.kind) {
    case 'created':
      return { stateText: 'created, not started', stateSite: undefined };
    case 'running':
      return c.delegate !== undefined
        ? { stateText: `running, delegating to ${delegateText(model, c)}`, stateSite: undefined }
        : { stateText: 'running', stateSite: undefined };
    case 'suspended':
      return { stateText: 'suspended at', stateSite: siteRef(ctx.trace, s.site, ctx.cwd) };
    case 'delegating': {
      const site = siteRef(ctx.trace, s.site, ctx.cwd);
      return { stateText: `delegating to ${delegateText(model, c)}${site ? ' at' : ''}`, stateSite: site };
    }
    case 'awaiting': {
      const on = s.target ? coroutineLabel(model, s.target) : previewText(s.value, 60);
      const site = siteRef(ctx.trace, s.site, ctx.cwd);
      return { stateText: `awaiting ${on}${site ? ' at' : ''}`, stateSite: site };
    }
    case 'closed':
      return { stateText: `closed, returned ${previewText(s.value)}`, stateSite: undefined };
    case 'failed':
      return { stateText: `failed: ${previewText(s.error)}`, stateSite: undefined };
  }
}

function delegateText(model: Pick<CoroutineModel, 'coroutines'>, c: Coroutine): string {
  if (c.delegate) return coroutineLabel(model, c.delegate);
  return c.delegateIterable ? `${c.delegateIterable.type} ${previewText(c.delegateIterable, 60)}` : 'an iterable';
}

/** Every card of a layout in reading order: what ArrowUp/ArrowDown walk through. */
export function cardOrder(layout: Pick<StacksLayout, 'count' | 'stack'>): CoroutineId[] {
  const out: CoroutineId[] = [];
  for (let i = 0; i < layout.count; i++) out.push(...layout.stack(i).ids);
  return out;
}

/** The id of the card `delta` steps from `from` in `order`, clamped at the ends; the first card if `from` is absent. */
export function neighbourCard(
  order: readonly CoroutineId[],
  from: CoroutineId | undefined,
  delta: number,
): CoroutineId | undefined {
  if (!order.length) return undefined;
  const i = from === undefined ? -1 : order.indexOf(from);
  if (i < 0) return order[0];
  return order[Math.min(order.length - 1, Math.max(0, i + delta))];
}
