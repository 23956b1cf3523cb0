// The webview app: holds the recordings and the view's own state, turns them into layouts with the pure
// functions and hands those to the renderers, at most once per animation frame. Talks to the host only
// through `ViewHost` and the typed messages.

import { select } from 'd3-selection';
import { isHostMessage } from '../src/protocol/messages';
import { cardOrder, layoutStacks, neighbourCard, type StacksLayout } from './cards';
import { eventRow } from './eventRows';
import { coroutineLabel } from './format';
import { headerView } from './headerView';
import type { ViewHost } from './host';
import { Recording } from './recording';
import type { SiteRef } from './sites';
import { RecordingStore } from './store';
import { defaultUiState, parseUiState, type UiState } from './uiState';
import { buildCoroutines, drawCoroutines, type CoroutineParts } from './render/coroutines';
import { atBottom, buildEvents, drawEvents, type EventParts, type EventsView } from './render/events';
import { buildHeader, drawHeader, type HeaderParts } from './render/header';
import type { OpenSite } from './render/siteLink';
import { buildWarnings, drawWarnings, type WarningParts } from './render/warnings';

/** Most cards drawn at once; the layout keeps running and live ones first. */
const CARD_LIMIT = 300;

export class App {
  private ui: UiState;
  private readonly store = new RecordingStore();
  private readonly header: HeaderParts;
  private readonly coroutines: CoroutineParts;
  private readonly warnings: WarningParts;
  private readonly events: EventParts;
  private readonly open: OpenSite;
  private layout: StacksLayout | undefined;
  private frame = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Saved scroll positions are applied once, after the first render with content. */
  private scrollRestored = false;

  constructor(
    rootElement: HTMLElement,
    private readonly host: ViewHost,
  ) {
    this.ui = parseUiState(host.loadState(), defaultUiState(host.mode === 'vscode'));
    this.open = host.mode === 'vscode' ? (site) => this.openSite(site) : undefined;
    const root = select(rootElement).attr('aria-busy', null).classed(`mode-${host.mode}`, true);
    root.selectAll('*').remove();
    this.header = buildHeader(root, (id) => this.pickRecording(id));
    const main = root.append('main').attr('class', 'ys-main');
    this.coroutines = buildCoroutines(main, {
      open: this.open,
      toggleSelect: (id) => this.setUi({ coroutine: this.ui.coroutine === id ? undefined : id }),
      toggleHideFinished: () => this.setUi({ hideFinished: !this.ui.hideFinished }),
      move: (from, key) => this.moveFocus(from, key),
      clearSelection: () => this.setUi({ coroutine: undefined }),
    });
    const side = main.append<HTMLElement>('div').attr('class', 'ys-side');
    this.warnings = buildWarnings(side);
    this.events = buildEvents(side, () => this.setUi({ coroutine: undefined }));
    this.coroutines.section.on('scroll', (event: Event) => {
      this.ui = { ...this.ui, cardsScroll: (event.currentTarget as HTMLElement).scrollTop };
      this.saveSoon();
    });
    this.events.body.on('scroll', (event: Event) => {
      const el = event.currentTarget as HTMLElement;
      this.ui = { ...this.ui, eventsScroll: el.scrollTop, followEvents: atBottom(el) };
      this.saveSoon();
    });
  }

  /** A message from the host: validated, folded into the store, drawn on the next frame. */
  receive(raw: unknown): void {
    if (!isHostMessage(raw)) {
      console.warn('Yieldscope: dropped a message that is not a host message', raw);
      return;
    }
    const outcome = this.store.receive(raw, this.ui.recording);
    if (outcome.kind === 'resync') this.host.post({ type: 'resync', reason: outcome.reason });
    if (outcome.kind === 'ignored') return;
    if (this.store.activeId !== this.ui.recording) this.setUi({ recording: this.store.activeId, coroutine: undefined });
    this.scheduleRender();
  }

  /** The standalone report: one finished trace, drawn once. */
  showTrace(bytes: Uint8Array, title: string): void {
    const rec = new Recording('report', title, { kind: 'live' });
    rec.append(bytes);
    rec.finish({ kind: 'ended', exitCode: rec.model.ending?.exitCode ?? null, signal: null });
    this.store.add(rec);
    this.ui = { ...this.ui, recording: rec.id };
    this.render();
  }

  /** Draws now; callers that receive streams use `scheduleRender`. */
  render(): void {
    const rec = this.store.active;
    const focused = focusedCard();
    const choices = this.store.recordings.map((r) => ({ id: r.id, title: r.title }));
    drawHeader(this.header, rec ? headerView(rec) : undefined, choices, this.store.activeId);

    this.layout = rec
      ? layoutStacks(rec.model, {
          trace: rec.trace,
          cwd: rec.cwd,
          hideFinished: this.ui.hideFinished,
          selected: this.ui.coroutine,
          limit: CARD_LIMIT,
        })
      : undefined;
    drawCoroutines(this.coroutines, this.layout, this.ui.hideFinished, this.open);
    drawWarnings(this.warnings, rec?.model.warnings ?? [], rec?.forgottenWarnings ?? 0);

    const body = this.events.body.node()!;
    drawEvents(this.events, rec ? eventsView(rec, this.ui.coroutine) : NO_EVENTS, this.open);

    if (!this.scrollRestored && rec && rec.eventCount > 0) {
      this.scrollRestored = true;
      this.coroutines.section.node()!.scrollTop = this.ui.cardsScroll;
      body.scrollTop = this.ui.followEvents ? body.scrollHeight : this.ui.eventsScroll;
    } else if (this.ui.followEvents) {
      body.scrollTop = body.scrollHeight;
    }
    if (focused !== undefined && !document.activeElement?.closest('.ys-card')) this.focusCard(focused);
  }

  scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private setUi(change: Partial<UiState>): void {
    this.ui = { ...this.ui, ...change };
    this.saveSoon();
    this.scheduleRender();
  }

  private saveSoon(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.host.saveState(this.ui);
    }, 150);
  }

  private pickRecording(id: string): void {
    if (!this.store.select(id)) return;
    this.host.post({ type: 'select-recording', id });
    this.scrollRestored = false;
    this.setUi({ recording: id, coroutine: undefined, cardsScroll: 0, eventsScroll: 0 });
  }

  private openSite(site: SiteRef): void {
    this.host.post({ type: 'open-source', url: site.url, line: site.line, column: site.column });
  }

  private moveFocus(from: number, key: 'up' | 'down' | 'first' | 'last'): void {
    const order = this.layout ? cardOrder(this.layout) : [];
    const target =
      key === 'first'
        ? order[0]
        : key === 'last'
          ? order[order.length - 1]
          : neighbourCard(order, from, key === 'up' ? -1 : 1);
    if (target !== undefined) this.focusCard(target);
  }

  private focusCard(id: number): void {
    const card = this.coroutines.stacks.select<HTMLElement>(`.ys-card[data-co="${id}"]`).node();
    card?.focus();
  }
}

/** The Events list before there is a recording: no rows, so nothing is ever described. */
const NO_EVENTS: EventsView = {
  events: [],
  describe: () => {
    throw new Error('no recording to describe events of');
  },
  key: '',
  total: 0,
  kept: 0,
  only: undefined,
};

function eventsView(rec: Recording, only: number | undefined): EventsView {
  const ctx = { model: rec.model, trace: rec.trace, cwd: rec.cwd };
  return {
    events: rec.recent.toArray(only === undefined ? undefined : (ev) => ev.co === only),
    describe: (ev) => eventRow(ev, ctx),
    key: `${rec.instance}`,
    total: rec.eventCount,
    kept: rec.recent.size,
    only: only === undefined ? undefined : coroutineLabel(rec.model, only),
  };
}

/** The coroutine id of the focused card, to give focus back if a re-render replaced the element. */
function focusedCard(): number | undefined {
  const el = document.activeElement?.closest<HTMLElement>('.ys-card');
  const id = el ? Number(el.dataset['co']) : NaN;
  return Number.isSafeInteger(id) ? id : undefined;
}
