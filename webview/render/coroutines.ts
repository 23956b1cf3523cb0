// The Coroutines view: one card per coroutine, grouped into yield* stacks with a connector from each
// delegating card to its delegate. A data join over `layoutStacks`; all text is set with .text().

import type { Selection } from 'd3-selection';
import type { EdgePath } from '../cardGrid';
import type { CardView } from '../cards';
import type { CoroutinesDrawing, CoroutinesViewport, Placed } from '../cardsPlan';
import { countText, numberText } from '../format';
import { drawSite, type OpenSite } from './siteLink';
import { setAttr, setClass, setText } from './text';

export interface CoroutineActions {
  readonly open: OpenSite;
  /** Enter, Space or a click on a card. */
  readonly toggleSelect: (id: number) => void;
  readonly toggleHideFinished: () => void;
  /** ArrowUp/ArrowDown/Home/End on a card: the renderer moves focus; the app knows the order. */
  readonly move: (from: number, key: 'up' | 'down' | 'first' | 'last') => void;
  readonly clearSelection: () => void;
  /** Scroll to a card (drawn or not), select it and focus it: the target of an await or resumed-by link. */
  readonly reveal: (id: number) => void;
}

export interface CoroutineParts {
  readonly section: Selection<HTMLElement, unknown, null, undefined>;
  readonly count: Selection<HTMLSpanElement, unknown, null, undefined>;
  readonly toggle: Selection<HTMLButtonElement, unknown, null, undefined>;
  readonly stacks: Selection<HTMLDivElement, unknown, null, undefined>;
  readonly edges: Selection<SVGSVGElement, unknown, null, undefined>;
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
  const note = section.append('p').attr('class', 'ys-note');
  const stacks = section
    .append('div')
    .attr('class', 'ys-stacks')
    .attr('role', 'list')
    .on('keydown', (event: KeyboardEvent) => onCardKey(event, actions))
    .on('click', (event: MouseEvent) => {
      const rel = event.target instanceof Element ? event.target.closest<HTMLElement>('.co-rel-to') : null;
      const to = Number(rel?.dataset['co']);
      if (rel) {
        event.stopPropagation();
        if (Number.isSafeInteger(to) && to > 0) actions.reveal(to);
        return;
      }
      const id = cardIdOf(event.target);
      if (id !== undefined) actions.toggleSelect(id);
    });
  const edges = stacks.append('svg').attr('class', 'ys-edges').attr('aria-hidden', 'true');
  const marker = edges
    .append('defs')
    .append('marker')
    .attr('id', 'ys-arrow')
    .attr('viewBox', '0 0 10 10')
    .attr('refX', 9)
    .attr('refY', 5)
    .attr('markerWidth', 7)
    .attr('markerHeight', 7)
    .attr('orient', 'auto-start-reverse');
  marker.append('path').attr('d', 'M0,0 L10,5 L0,10 z').attr('class', 'ys-arrowhead');
  return { section, count, toggle, stacks, edges, note };
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

export function coroutinesViewport(parts: CoroutineParts): CoroutinesViewport {
  const section = parts.section.node()!;
  const stacks = parts.stacks.node()!;
  const top = section.scrollTop - stacks.offsetTop;
  const em = parseFloat(getComputedStyle(stacks).fontSize) || 13;
  return { width: stacks.clientWidth, top, bottom: top + section.clientHeight, em };
}

export function drawCoroutines(
  parts: CoroutineParts,
  drawing: CoroutinesDrawing,
  hideFinished: boolean,
  open: OpenSite,
): void {
  const { layout, grid, metrics } = drawing;
  parts.count.text(layout ? String(layout.total) : '');
  parts.toggle
    .attr('aria-pressed', String(hideFinished))
    .text(hideFinished ? `Show closed (${layout?.hiddenFinished ?? 0})` : `Hide closed (${layout?.finished ?? 0})`)
    .property('disabled', !layout || (layout.finished === 0 && !hideFinished));

  parts.stacks.style('height', `${grid.total}px`).style('--card-h', `${metrics.cardHeight}px`);
  const shown = drawing.shown;
  const stacks = parts.stacks
    .selectAll<HTMLDivElement, Placed>('div.ys-stack')
    .data(shown, (d) => String(d.stack.key))
    .join((enter) => enter.append('div').attr('class', 'ys-stack'));
  setClass(stacks, 'is-running', (d) => d.stack.running);
  setClass(stacks, 'is-finished', (d) => d.stack.finished);
  setClass(stacks, 'is-chain', (d) => d.stack.ids.length > 1);
  stacks
    .style('transform', (d) => `translate(${d.box.x}px, ${d.box.y}px)`)
    .style('width', (d) => `${d.box.width}px`)
    .style('height', (d) => `${d.box.height}px`);

  const items = stacks
    .selectAll<HTMLDivElement, CardView>('div.ys-chain-item')
    .data(
      (d) => d.stack.cards,
      (d) => String(d.id),
    )
    .join((enter) => enterCard(enter.append('div').attr('class', 'ys-chain-item').attr('role', 'listitem')))
    .style('--depth', (d) => String(d.depth));
  setClass(items.select('.ys-link'), 'is-hidden', (d) => d.depth === 0);
  drawCard(items.select<HTMLDivElement>('.ys-card'), open);
  items.order();
  stacks.order();
  drawEdges(parts, drawing);

  const drawn = shown.reduce((n, s) => n + s.stack.ids.length, 0);
  const cards = drawing.cards;
  const notes: string[] = [];
  if (layout && layout.omitted > 0)
    notes.push(
      `${countText(layout.omitted, 'coroutine')} not drawn: showing the ${countText(cards, 'card')} that matter most.`,
    );
  if (cards > drawn && cards > VIRTUAL_NOTE_FROM)
    notes.push(
      `${countText(cards, 'card')}: only the ${numberText(drawn)} in view are drawn (virtualised); scroll for the rest.`,
    );
  if (layout && hideFinished && layout.hiddenFinished > 0)
    notes.push(`${countText(layout.hiddenFinished, 'closed coroutine')} hidden.`);
  if (!layout || layout.total === 0) notes.push('No coroutines yet.');
  parts.note.text(notes.join(' ')).classed('is-hidden', notes.length === 0);
}

/** From how many cards the view says on screen that it draws only those in view. */
const VIRTUAL_NOTE_FROM = 60;

/** The awaits and resumed-by edges between the cards drawn, over them (they take no pointer events). */
function drawEdges(parts: CoroutineParts, drawing: CoroutinesDrawing): void {
  parts.edges.attr('height', drawing.grid.total).attr('width', drawing.metrics.width);
  const edges = parts.edges
    .selectAll<SVGGElement, EdgePath>('g.ys-edge')
    .data(drawing.edges, (d) => d.key)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'ys-edge');
      g.append('path').attr('marker-end', 'url(#ys-arrow)');
      g.append('text').attr('text-anchor', 'middle');
      return g;
    })
    .attr('class', (d) => `ys-edge edge-${d.kind}`)
    .classed('is-active', (d) => d.active);
  edges.select('path').attr('d', (d) => d.d);
  edges
    .select('text')
    .attr('x', (d) => d.lx)
    .attr('y', (d) => d.ly - 3)
    .text((d) => (d.kind === 'awaits' ? 'awaits' : 'resumes'));
}

function enterCard(
  item: Selection<HTMLDivElement, CardView, HTMLDivElement, Placed>,
): Selection<HTMLDivElement, CardView, HTMLDivElement, Placed> {
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
  head.append('span').attr('class', 'co-step');
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
  const rel = card.append('div').attr('class', 'co-rel');
  rel.append('span').attr('class', 'co-rel-text');
  rel
    .append('button')
    .attr('type', 'button')
    .attr('class', 'ys-link-button co-rel-to')
    .attr('title', 'Go to that coroutine')
    .text('↗');
  const foot = card.append('div').attr('class', 'co-foot');
  foot.append('span').attr('class', 'co-counts');
  foot.append('span').attr('class', 'co-defined ys-site-slot');
  return item;
}

function drawCard(card: Selection<HTMLDivElement, CardView, HTMLDivElement, Placed>, open: OpenSite): void {
  // Written only where something changed: the cards in view are drawn on every frame while a replay plays.
  setAttr(card, 'class', (d) =>
    [
      `ys-card state-${d.state} kind-${d.kind}`,
      d.running ? ' is-running' : '',
      d.current ? ' is-current' : '',
      d.finished ? ' is-finished' : '',
      d.selected ? ' is-selected' : '',
    ].join(''),
  );
  setAttr(card, 'aria-current', (d) => (d.selected ? 'true' : null));
  setText(card.select('.co-name'), (d) => d.name);
  setAttr(card.select('.co-name'), 'title', (d) => d.name);
  setText(card.select('.co-id'), (d) => d.idLabel);
  setText(card.select('.co-kind'), (d) => d.kind);
  setText(card.select('.co-state-text'), (d) => (d.stateSite ? `${d.stateText} ` : d.stateText));
  drawSite(card.select<HTMLElement>('.co-state .ys-site-slot'), (d) => d.stateSite, open);
  const field = (key: string, value: (d: CardView) => string): void => {
    const row = card.select(`.co-${key}`);
    setClass(row, 'is-empty', (d) => !value(d));
    const dd = row.select<HTMLElement>('dd');
    setAttr(dd, 'title', (d) => value(d) || null);
    setText(dd, (d) => value(d) || '—');
  };
  field('args', (d) => d.args);
  field('in', (d) => d.lastIn);
  field('out', (d) => d.lastOut);
  setText(card.select('.co-step'), (d) => (d.pathStep === undefined ? '' : String(d.pathStep)));
  setAttr(card.select('.co-step'), 'title', (d) =>
    d.pathStep === undefined ? null : `Step ${d.pathStep} of the running path`,
  );
  setText(card.select('.co-rel-text'), (d) => d.relation);
  setClass(card.select('.co-rel'), 'is-empty', (d) => !d.relation);
  const to = card.select('.co-rel-to');
  setAttr(to, 'data-co', (d) => (d.relationTo === undefined ? null : String(d.relationTo)));
  setAttr(to, 'aria-label', (d) =>
    d.relation ? `Go to the coroutine it ${d.relation.startsWith('awaits') ? 'awaits' : 'was resumed by'}` : null,
  );
  setText(card.select('.co-counts'), (d) => `${countText(d.resumes, 'resume')} · ${countText(d.yields, 'yield')}`);
  drawSite(card.select<HTMLElement>('.co-defined'), (d) => d.definedAt, open);
}
