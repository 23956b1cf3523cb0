// The webview app: holds the recordings and the view's own state (which recording, the replay cursor, the
// selected coroutine) and draws the state at the cursor, at most once per animation frame, deciding which views
// each frame draws. Talks to the host only through `ViewHost` and the typed messages. The layout is built in
// page.ts, the views are drawn in frame.ts and cardsPane.ts, playing is in player.ts, the page's keys are in
// keys.ts, and what is kept between drawings in viewCaches.ts.

import { isHostMessage } from '../src/protocol/messages';
import type { CoroutineModel } from '../src/model/coroutines';
import { CardsPane, focusedCard } from './cardsPane';
import { EventsPane, type EventsScroll } from './eventsPane';
import { coroutineLabel } from './format';
import { DrawPolicy } from './drawPolicy';
import { drawInspectorOf, drawLoopOf, drawNotesOf, drawTimelineOf, type FrameLinks, type FrameState } from './frame';
import { drawHeapChart } from './render/heapChart';
import { headerView } from './headerView';
import type { ViewHost } from './host';
import { keyAction } from './keys';
import { buildPage, type Page } from './page';
import { PartTimer } from './partTimer';
import { cursorFor, cursorIndex, stepIndex, type StepAction } from './playback';
import { Player } from './player';
import { Recording } from './recording';
import type { SiteRef } from './sites';
import { RecordingStore } from './store';
import { defaultUiState, parseUiState, type UiState } from './uiState';
import { ViewCaches } from './viewCaches';
import { coroutinesViewport } from './render/coroutines';
import { drawHeader } from './render/header';
import { drawScrubber } from './render/scrubber';
import type { OpenSite } from './render/siteLink';
import { timelineViewport } from './render/timeline';

/** While playing or dragging the scrubber, the cards, Inspector, Events, warnings and output redraw at most this
 * often (ms); the scrubber, Timeline and Event loop redraw every frame, and a last full drawing follows. */
const HEAVY_EVERY = 50;
/** Inputs on the scrubber this close together (ms) mean the user is dragging it. */
const DRAG_WINDOW = 150;
/** Bytes of an embedded trace decoded before the first drawing, then per task while the page stays responsive. */
const FIRST_SLICE = 64 * 1024;
const SLICE = 2 * 1024 * 1024;

export class App {
  private ui: UiState;
  private readonly store = new RecordingStore();
  /** Each view's elements (see page.ts). */
  private readonly page: Page;
  private readonly cards: CardsPane;
  private readonly events: EventsPane;
  private readonly open: OpenSite;
  /** Where links in the views lead: the editor (or nowhere, in a report) and the replay cursor. */
  private readonly links: FrameLinks;
  private readonly root: HTMLElement;
  private readonly player: Player;
  private readonly caches = new ViewCaches();
  private frame = 0;
  /** Which parts each frame draws, and a full drawing to follow a skipped one. */
  private readonly policy = new DrawPolicy({ every: HEAVY_EVERY, dragWindow: DRAG_WINDOW });
  private trailing: ReturnType<typeof setTimeout> | undefined;
  /** The Coroutines view scrolled: its cards must be drawn on the next frame, playing or not. */
  private cardsDirty = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Saved scroll positions are applied once, after the first render with content. */
  private scrollRestored = false;
  private firstDrawn = false;

  constructor(
    rootElement: HTMLElement,
    private readonly host: ViewHost,
  ) {
    this.root = rootElement;
    this.ui = parseUiState(host.loadState(), defaultUiState(host.mode === 'vscode'));
    this.open = host.mode === 'vscode' ? (site) => this.openSite(site) : undefined;
    this.links = { open: this.open, seek: (i) => this.seek(i), seekSeq: (seq) => this.seekSeq(seq) };
    this.player = new Player({
      recording: () => {
        const rec = this.store.active;
        return rec ? { store: rec.history.store, live: rec.state.kind === 'live' } : undefined;
      },
      cursor: () => this.ui.cursor,
      speed: () => this.ui.speed,
      moveCursor: (cursor) => this.setUi({ cursor }),
      redraw: () => this.scheduleRender(),
    });

    const page = buildPage(rootElement, host.mode, {
      pickRecording: (id) => this.pickRecording(id),
      scrubber: {
        step: (action) => this.step(action),
        seek: (index) => {
          this.policy.input(performance.now());
          this.seek(index);
        },
        togglePlay: () => this.player.toggle(),
        speed: (speed) => this.setUi({ speed }),
        follow: () => this.follow(),
      },
      timeline: {
        pick: (index, co) => {
          this.seek(index);
          if (co) this.setUi({ coroutine: co });
        },
        changed: () => this.scheduleRender(),
      },
      loop: {
        open: this.open,
        seek: (index) => this.seek(index),
        seekSeq: (seq) => this.seekSeq(seq),
        select: (co) => {
          this.setUi({ coroutine: co });
          this.revealCard(co, false);
        },
      },
      coroutines: {
        open: this.open,
        toggleSelect: (id) => this.setUi({ coroutine: this.ui.coroutine === id ? undefined : id }),
        toggleHideFinished: () => this.setUi({ hideFinished: !this.ui.hideFinished }),
        move: (from, key) => {
          const to = this.cards.neighbour(from, key);
          if (to !== undefined) this.revealCard(to);
        },
        clearSelection: () => this.setUi({ coroutine: undefined }),
        reveal: (id) => {
          this.setUi({ coroutine: id });
          this.revealCard(id);
        },
      },
      clearSelection: () => this.setUi({ coroutine: undefined }),
      seekSeq: (seq) => this.seekSeq(seq),
    });
    this.page = page;
    this.cards = new CardsPane(page.coroutines, this.open);
    this.events = new EventsPane(page.events);
    this.listen();
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
    if (this.store.activeId !== this.ui.recording)
      this.setUi({ recording: this.store.activeId, coroutine: undefined, cursor: undefined });
    this.scheduleRender();
  }

  /**
   * The standalone report: one finished trace. The first slice is drawn at once; the rest is decoded a slice
   * per task, so that the page draws and answers while a long trace loads.
   */
  showTrace(bytes: Uint8Array, title: string): void {
    const rec = new Recording('report', title, { kind: 'live' });
    this.store.add(rec);
    this.ui = { ...this.ui, recording: rec.id };
    const load = (at: number, size: number): void => {
      const end = Math.min(bytes.length, at + size);
      rec.append(bytes.subarray(at, end));
      if (end < bytes.length) {
        rec.loading = { done: end, total: bytes.length };
        this.scheduleRender();
        setTimeout(() => load(end, SLICE), 0);
        return;
      }
      rec.loading = undefined;
      rec.finish({ kind: 'ended', exitCode: rec.model.ending?.exitCode ?? null, signal: null });
      performance.mark('ys-loaded');
      this.render();
    };
    load(0, FIRST_SLICE);
    if (rec.loading) this.render();
  }

  /**
   * Draws now; callers that receive streams use `scheduleRender`. Sizes and scroll positions are read first,
   * then everything is written, so the browser lays the page out once. While playing or dragging the scrubber,
   * the parts that cost most (cards, Inspector, Events, warnings, output) are drawn at most every
   * `HEAVY_EVERY` ms, and a full drawing follows the last step.
   */
  render(): void {
    const started = performance.now();
    const rec = this.store.active;
    const focused = focusedCard();
    const history = rec?.history;
    const index = history ? cursorIndex(history.store, this.ui.cursor) : -1;
    const selected = this.ui.coroutine;

    // Read: sizes and scroll positions, before anything is written.
    const tlView = timelineViewport(this.page.timeline, history?.length ?? 0);
    const cardsView = coroutinesViewport(this.cards.parts);
    const eventsVp = this.events.viewport();

    // The heavy parts are drawn again only when what they show changed: a scroll of a list draws just that list.
    const key = [
      rec?.instance,
      history?.length,
      history?.forgottenEvents,
      index,
      selected,
      this.ui.hideFinished,
      rec?.state.kind,
    ].join(':');
    const { heavy, trail } = this.policy.decide(key, started, this.player.playing);
    if (trail) this.trailSoon();

    const timer = new PartTimer();
    timer.took('read');
    const seekStarted = performance.now();
    const model: CoroutineModel | undefined = history?.at(index);
    const seekMs = performance.now() - seekStarted;
    const restoring = !this.scrollRestored && !!rec && rec.eventCount > 0;
    const frame: FrameState = { rec, model, index, selected };
    timer.took('seek');

    // The Events list is scrolled first, while the rest of the page is as the browser last laid it out.
    if (heavy || this.events.dirty) {
      const follow = this.ui.followEvents;
      const at: EventsScroll = follow ? { follow } : { follow, top: restoring ? this.ui.eventsScroll : undefined };
      this.events.scroll(rec, model, index, selected, eventsVp, at);
    }
    timer.took('events');

    const choices = this.store.recordings.map((r) => ({ id: r.id, title: r.title }));
    drawHeader(this.page.header, rec ? headerView(rec) : undefined, choices, this.store.activeId);
    drawScrubber(this.page.scrubber, {
      index,
      length: history?.length ?? 0,
      seq: history && index >= 0 ? history.store.seqAt(index) : undefined,
      playing: this.player.playing,
      speed: this.ui.speed,
      live: rec?.state.kind === 'live' && !rec.loading,
      following: this.ui.cursor === undefined,
      selected: selected !== undefined && rec ? coroutineLabel(rec.model, selected) : undefined,
    });
    drawTimelineOf(this.page, this.caches, frame, tlView);
    timer.took('header+timeline');

    drawLoopOf(this.page, this.caches, frame, this.open);
    timer.took('loop');

    if (heavy || this.cardsDirty) {
      this.cardsDirty = false;
      this.cards.draw({
        rec,
        model,
        hideFinished: this.ui.hideFinished,
        selected,
        viewport: cardsView,
        scrollTo: restoring ? this.ui.cardsScroll : undefined,
      });
    }
    timer.took('cards');

    if (heavy) drawInspectorOf(this.page, frame, this.links);
    timer.took('inspector');

    if (heavy) drawNotesOf(this.page, this.caches, frame, this.links);
    timer.took('warnings+output');

    drawHeapChart(this.page.heap, rec, history && index >= 0 ? history.store.timeAt(index) : undefined);
    this.events.drawRows(this.open);
    if (restoring) this.scrollRestored = true;
    if (focused !== undefined && !document.activeElement?.closest('.ys-card')) this.cards.focus(focused);
    if (!this.firstDrawn && history && history.length > 0) {
      this.firstDrawn = true;
      performance.mark('ys-first-draw');
    }
    timer.took('events');

    // For the benchmark and the browser tests: what the last drawing cost.
    this.root.dataset['parts'] = timer.text();
    this.root.dataset['seekMs'] = seekMs.toFixed(3);
    this.root.dataset['renderMs'] = (performance.now() - started).toFixed(3);
    this.root.dataset['cursor'] = String(index);
    this.root.dataset['heavy'] = String(heavy);
  }

  scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Scrolls of the two lists, the page's keys and resizes. */
  private listen(): void {
    this.cards.parts.section.on('scroll', (event: Event) => {
      this.ui = { ...this.ui, cardsScroll: (event.currentTarget as HTMLElement).scrollTop };
      this.cardsDirty = true;
      this.scheduleRender();
      this.saveSoon();
    });
    this.events.listen((top, follow, redraw) => {
      this.ui = { ...this.ui, eventsScroll: top, followEvents: follow };
      if (redraw) this.scheduleRender();
      this.saveSoon();
    });
    document.addEventListener('keydown', (event) => {
      const action = keyAction(event);
      if (!action) return;
      event.preventDefault();
      if (action === 'play') this.player.toggle();
      else this.step(action);
    });
    window.addEventListener('resize', () => {
      this.policy.invalidate();
      this.scheduleRender();
    });
  }

  /** A full drawing after the last of a run of throttled ones. */
  private trailSoon(): void {
    if (this.trailing !== undefined) clearTimeout(this.trailing);
    this.trailing = setTimeout(() => {
      this.trailing = undefined;
      this.scheduleRender();
    }, HEAVY_EVERY + 5);
  }

  private seek(index: number): void {
    const rec = this.store.active;
    if (!rec) return;
    this.player.stop();
    this.setUi({ cursor: cursorFor(rec.history.store, index, rec.state.kind === 'live' && !rec.loading) });
  }

  private seekSeq(seq: number): void {
    const rec = this.store.active;
    if (rec) this.seek(Math.max(0, rec.history.store.indexOfSeq(seq)));
  }

  private step(action: StepAction): void {
    const rec = this.store.active;
    if (!rec) return;
    const store = rec.history.store;
    this.seek(stepIndex(store, cursorIndex(store, this.ui.cursor), action, this.ui.coroutine));
  }

  private follow(): void {
    this.player.stop();
    this.setUi({ cursor: undefined, followEvents: true });
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
    this.player.stop();
    this.setUi({ recording: id, coroutine: undefined, cursor: undefined, cardsScroll: 0, eventsScroll: 0 });
  }

  private openSite(site: SiteRef): void {
    this.host.post({ type: 'open-source', url: site.url, line: site.line, column: site.column });
  }

  /**
   * Scrolls the Coroutines view to a card (drawn or not: only the cards in view are), draws, and focuses it.
   * `focus` false only scrolls (a click elsewhere selected it: keep the focus there).
   */
  private revealCard(id: number, focus = true): void {
    this.cards.scrollToCard(id);
    this.cardsDirty = true;
    this.render();
    if (focus) this.cards.focus(id);
  }
}
