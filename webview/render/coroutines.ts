// The Coroutines view: one card per coroutine, grouped into yield* stacks with a connector from each
// delegating card to its delegate. A data join over `layoutStacks`; all text is set with .text().

import type { BaseType, Selection } from 'd3-selection';
import type { CardView, StackView, StacksLayout } from '../cards';
import { countText } from '../format';
import { drawSite, type OpenSite } from './siteLink';

export interface CoroutineActions {
  readonly open: OpenSite;
  /** Enter, Space or a click on a card. */
  readonly toggleSelect: (id: number) => void;
  readonly toggleHideFinished: () => void;
  /** ArrowUp/ArrowDown/Home/End on a card: the renderer moves focus; the app knows the order. */
  readonly move: (from: number, key: 'up' | 'down' | 'first' | 'last') => void;
  readonly clearSelection: () => void;
}

export interface CoroutineParts {
  readonly section: Selection<HTMLElement, unknown, null, undefined>;
  readonly count: Selection<HTMLSpanElement, unknown, null, undefined>;
  readonly toggle: Selection<HTMLButtonElement, unknown, null, undefined>;
  readonly stacks: Selection<HTMLDivElement, unknown, null, undefined>;
  readonly note: Selection<HTMLParagraphElement, unknown, null, undefined>;
}

export function buildCoroutines(
  parent: Selection<HTMLElement, unknown, null, undefined>,
  actions: CoroutineActions,
): CoroutineParts {
  const section = parent
    .append('section')
    .attr('class', 'ys-coroutines ys-pane')
    .attr('aria-labelledby', 'ys-co-heading');
  const head = section.append('div').attr('class', 'ys-section-head');
  const h2 = head.append('h2').attr('id', 'ys-co-heading');
  h2.append('span').text('Coroutines');
  const count = h2.append('span').attr('class', 'ys-count');
  const toggle = head
    .append('button')
    .attr('type', 'button')
    .attr('class', 'ys-button ys-toggle-finished')
    .on('click', () => actions.toggleHideFinished());
  const stacks = section
    .append('div')
    .attr('class', 'ys-stacks')
    .attr('role', 'list')
    .on('keydown', (event: KeyboardEvent) => onCardKey(event, actions))
    .on('click', (event: MouseEvent) => {
      const id = cardIdOf(event.target);
      if (id !== undefined) actions.toggleSelect(id);
    });
  const note = section.append('p').attr('class', 'ys-note');
  return { section, count, toggle, stacks, note };
}

function cardIdOf(target: EventTarget | null): number | undefined {
  const card = target instanceof Element ? target.closest<HTMLElement>('.ys-card') : null;
  const id = card ? Number(card.dataset['co']) : NaN;
  return Number.isSafeInteger(id) ? id : undefined;
}

function onCardKey(event: KeyboardEvent, actions: CoroutineActions): void {
  if (!(event.target instanceof HTMLElement) || !event.target.classList.contains('ys-card')) return;
  const id = cardIdOf(event.target);
  if (id === undefined) return;
  const moves: Record<string, 'up' | 'down' | 'first' | 'last'> = {
    ArrowUp: 'up',
    ArrowDown: 'down',
    Home: 'first',
    End: 'last',
  };
  const move = moves[event.key];
  if (move) actions.move(id, move);
  else if (event.key === 'Enter' || event.key === ' ') actions.toggleSelect(id);
  else if (event.key === 'Escape') actions.clearSelection();
  else return;
  event.preventDefault();
}

export function drawCoroutines(
  parts: CoroutineParts,
  layout: StacksLayout | undefined,
  hideFinished: boolean,
  open: OpenSite,
): void {
  const shown = layout ? layout.stacks.reduce((n, s) => n + s.cards.length, 0) : 0;
  parts.count.text(layout ? String(layout.total) : '');
  parts.toggle
    .attr('aria-pressed', String(hideFinished))
    .text(hideFinished ? `Show closed (${layout?.hiddenFinished ?? 0})` : `Hide closed (${layout?.finished ?? 0})`)
    .property('disabled', !layout || (layout.finished === 0 && !hideFinished));

  const stacks = parts.stacks
    .selectAll<HTMLDivElement, StackView>('div.ys-stack')
    .data(layout?.stacks ?? [], (d) => String(d.key))
    .join((enter) => enter.append('div').attr('class', 'ys-stack'))
    .classed('is-running', (d) => d.running)
    .classed('is-finished', (d) => d.finished)
    .classed('is-chain', (d) => d.cards.length > 1);

  const items = stacks
    .selectAll<HTMLDivElement, CardView>('div.ys-chain-item')
    .data(
      (d) => d.cards,
      (d) => String(d.id),
    )
    .join((enter) => enterCard(enter.append('div').attr('class', 'ys-chain-item').attr('role', 'listitem')))
    .style('--depth', (d) => String(d.depth));
  items.select('.ys-link').classed('is-hidden', (d) => d.depth === 0);
  drawCard(items.select<HTMLDivElement>('.ys-card'), open);

  const notes: string[] = [];
  if (layout && layout.omitted > 0)
    notes.push(
      `${countText(layout.omitted, 'coroutine')} not drawn: showing the ${countText(shown, 'card')} that matter most.`,
    );
  if (layout && hideFinished && layout.hiddenFinished > 0)
    notes.push(`${countText(layout.hiddenFinished, 'closed coroutine')} hidden.`);
  if (!layout || layout.total === 0) notes.push('No coroutines yet.');
  parts.note.text(notes.join(' ')).classed('is-hidden', notes.length === 0);
}

function enterCard(
  item: Selection<HTMLDivElement, CardView, HTMLDivElement, StackView>,
): Selection<HTMLDivElement, CardView, HTMLDivElement, StackView> {
  const link = item.append('div').attr('class', 'ys-link').attr('aria-hidden', 'true');
  link.append('span').attr('class', 'ys-link-label').text('yield*');
  const card = item
    .append('div')
    .attr('class', 'ys-card')
    .attr('tabindex', 0)
    .attr('data-co', (d) => d.id);
  const head = card.append('div').attr('class', 'ys-card-head');
  head.append('span').attr('class', 'co-name');
  head.append('span').attr('class', 'co-id');
  head.append('span').attr('class', 'co-kind');
  head.append('span').attr('class', 'co-now').text('running');
  const state = card.append('div').attr('class', 'co-state');
  state.append('span').attr('class', 'co-state-text');
  state.append('span').attr('class', 'ys-site-slot');
  const fields = card.append('dl').attr('class', 'co-fields');
  for (const [key, label] of [
    ['args', 'args'],
    ['in', 'in'],
    ['out', 'out'],
  ] as const) {
    const row = fields.append('div').attr('class', `co-field co-${key}`);
    row.append('dt').text(label);
    row.append('dd');
  }
  const foot = card.append('div').attr('class', 'co-foot');
  foot.append('span').attr('class', 'co-counts');
  foot.append('span').attr('class', 'co-defined ys-site-slot');
  return item;
}

function drawCard(card: Selection<HTMLDivElement, CardView, HTMLDivElement, StackView>, open: OpenSite): void {
  card
    .attr('class', (d) => `ys-card state-${d.state} kind-${d.kind}`)
    .classed('is-running', (d) => d.running)
    .classed('is-current', (d) => d.current)
    .classed('is-finished', (d) => d.finished)
    .classed('is-selected', (d) => d.selected)
    .attr('aria-current', (d) => (d.selected ? 'true' : null));
  setText(card.select('.co-name'), (d) => d.name);
  card.select('.co-name').attr('title', (d) => d.name);
  setText(card.select('.co-id'), (d) => d.idLabel);
  setText(card.select('.co-kind'), (d) => d.kind);
  setText(card.select('.co-state-text'), (d) => (d.stateSite ? `${d.stateText} ` : d.stateText));
  drawSite(card.select<HTMLElement>('.co-state .ys-site-slot'), (d) => d.stateSite, open);
  const field = (key: string, value: (d: CardView) => string): void => {
    const row = card.select(`.co-${key}`).classed('is-empty', (d) => !value(d));
    const dd = row.select<HTMLElement>('dd').attr('title', (d) => value(d) || null);
    setText(dd, (d) => value(d) || '—');
  };
  field('args', (d) => d.args);
  field('in', (d) => d.lastIn);
  field('out', (d) => d.lastOut);
  setText(card.select('.co-counts'), (d) => `${countText(d.resumes, 'resume')} · ${countText(d.yields, 'yield')}`);
  drawSite(card.select<HTMLElement>('.co-defined'), (d) => d.definedAt, open);
}

/** Sets text only where it changed: cards are redrawn every frame while a program runs. */
function setText<E extends BaseType, D, PE extends BaseType, PD>(
  sel: Selection<E, D, PE, PD>,
  text: (d: D) => string,
): void {
  sel.each(function (d) {
    const t = text(d);
    if (this instanceof Element && this.textContent !== t) this.textContent = t;
  });
}
