// Layout of the Coroutines view: which coroutines get a card, grouped into yield* stacks (a delegating
// coroutine with its delegate below it, and so on down the chain), and the text each card shows. Pure over
// the model; the renderer only joins this data to elements.

import type { Coroutine, CoroutineModel, CoroutineStateName } from '../src/model/coroutines';
import type { CoroutineId, CoroutineKind, Trace } from '../src/protocol/trace';
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
}

export interface StackView {
  /** The outermost coroutine's id: stable while the chain grows and shrinks below it. */
  readonly key: CoroutineId;
  readonly cards: readonly CardView[];
  readonly running: boolean;
  readonly finished: boolean;
}

export interface StacksLayout {
  readonly stacks: readonly StackView[];
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

type Model = Pick<CoroutineModel, 'coroutines' | 'running' | 'list' | 'chain'>;

/** Groups coroutines into yield* stacks, outermost first, stacks in creation order of their outermost. */
export function chainsOf(model: Pick<CoroutineModel, 'coroutines' | 'list' | 'chain'>): Coroutine[][] {
  const all = model.list();
  const delegatedTo = new Set<CoroutineId>();
  for (const c of all)
    if (c.delegate && c.delegate !== c.id && model.coroutines.has(c.delegate)) delegatedTo.add(c.delegate);
  const placed = new Set<CoroutineId>();
  const chains: Coroutine[][] = [];
  const take = (start: Coroutine): void => {
    if (!start.delegate) {
      // Most coroutines delegate to nothing: a chain of one, without the walk.
      if (placed.has(start.id)) return;
      placed.add(start.id);
      chains.push([start]);
      return;
    }
    const chain = model.chain(start.id).filter((c) => !placed.has(c.id));
    for (const c of chain) placed.add(c.id);
    if (chain.length) chains.push(chain);
  };
  for (const c of all) if (!delegatedTo.has(c.id)) take(c);
  // Whatever is left is on a delegation cycle (only a damaged trace makes one): show it rather than lose it.
  for (const c of all) if (!placed.has(c.id)) take(c);
  return chains;
}

export function isFinished(c: Pick<Coroutine, 'state'>): boolean {
  return c.state.kind === 'closed' || c.state.kind === 'failed';
}

export function layoutStacks(model: Model, opts: StackOptions): StacksLayout {
  const chains = chainsOf(model);
  const running = new Set(model.running);
  const current = model.running[model.running.length - 1];
  let finished = 0;
  let hiddenFinished = 0;
  const candidates: { chain: Coroutine[]; rank: number }[] = [];
  for (const chain of chains) {
    const done = chain.filter(isFinished).length;
    finished += done;
    if (opts.hideFinished && done === chain.length) {
      hiddenFinished += done;
      continue;
    }
    const rank = chain.some((c) => running.has(c.id)) ? 0 : done === chain.length ? 2 : 1;
    candidates.push({ chain, rank });
  }
  const keep = pickWithinLimit(candidates, opts.limit);
  let omitted = 0;
  const stacks: StackView[] = [];
  candidates.forEach(({ chain }, i) => {
    if (!keep.has(i)) {
      omitted += chain.length;
      return;
    }
    const cards = chain.map((c, depth) => cardView(model, c, depth, { ...opts, running, current }));
    stacks.push({
      key: chain[0]!.id,
      cards,
      running: cards.some((c) => c.running),
      finished: cards.every((c) => c.finished),
    });
  });
  return { stacks, total: model.coroutines.size, finished, hiddenFinished, omitted };
}

/** Indexes of the candidates to draw: by rank (running, live, finished), newest first within a rank. */
function pickWithinLimit(candidates: readonly { chain: Coroutine[]; rank: number }[], limit: number): Set<number> {
  // One pass per rank, newest first, instead of sorting every candidate: tens of thousands of coroutines are
  // laid out on every frame while a replay plays.
  const keep = new Set<number>();
  let budget = Math.max(0, limit);
  for (let rank = 0; rank <= 2 && budget > 0; rank++) {
    for (let i = candidates.length - 1; i >= 0 && budget > 0; i--) {
      const c = candidates[i]!;
      if (c.rank !== rank || c.chain.length > budget) continue;
      budget -= c.chain.length;
      keep.add(i);
    }
  }
  return keep;
}

interface CardContext extends StackOptions {
  readonly running: ReadonlySet<CoroutineId>;
  readonly current: CoroutineId | undefined;
}

export function cardView(
  model: Pick<CoroutineModel, 'coroutines'>,
  c: Coroutine,
  depth: number,
  ctx: CardContext,
): CardView {
  const { stateText, stateSite } = describeState(model, c, ctx);
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
export function cardOrder(layout: Pick<StacksLayout, 'stacks'>): CoroutineId[] {
  return layout.stacks.flatMap((s) => s.cards.map((c) => c.id));
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
