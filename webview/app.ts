// The webview app: holds the recordings and the view's own state (which recording, the replay cursor, the
// selected coroutine), turns the state at the cursor into layouts with the pure functions and hands those to
// the renderers, at most once per animation frame. Talks to the host only through `ViewHost` and the typed
// messages.

import { select } from 'd3-selection';
import { isHostMessage } from '../src/protocol/messages';
import { endWarnings } from '../src/model/explain';
import type { CoroutineModel } from '../src/model/coroutines';
import { boxOf, type Grid } from './cardGrid';
import { cardOrder, layoutStacks, neighbourCard, type StacksLayout } from './cards';
import { planCards, type CoroutinesDrawing, type CoroutinesViewport } from './cardsPlan';
import { NO_EVENTS, eventsView } from './eventsList';
import { layoutEventLoop } from './eventLoop';
import { coroutineLabel } from './format';
import { DrawPolicy } from './drawPolicy';
import { headerView } from './headerView';
import type { ViewHost } from './host';
import { inspectorView } from './inspector';
import { cursorFor, cursorIndex, playStep, stepIndex, type StepAction } from './playback';
import { Recording } from './recording';
import type { SiteRef } from './sites';
import { RecordingStore } from './store';
import { layoutTimeline } from './timelineLayout';
import { defaultUiState, parseUiState, type UiState } from './uiState';
import { buildCoroutines, coroutinesViewport, drawCoroutines, type CoroutineParts } from './render/coroutines';
import { buildEventLoop, drawEventLoop, type EventLoopParts } from './render/eventLoop';
import {
  atBottom,
  buildEvents,
  drawEvents,
  eventsScrollTop,
  eventsViewport,
  rowsCover,
  scrollEvents,
  type DrawnRows,
  type EventParts,
  type EventsView,
} from './render/events';
import { buildHeader, drawHeader, type HeaderParts } from './render/header';
import { buildInspector, drawInspector, type InspectorParts } from './render/inspector';
import { buildOutput, drawOutput, type OutputParts } from './render/output';
import { buildScrubber, drawScrubber, type ScrubberParts } from './render/scrubber';
import type { OpenSite } from './render/siteLink';
import { buildTimeline, drawTimeline, timelineViewport, type TimelineParts } from './render/timeline';
import { buildWarnings, drawWarnings, type WarningParts } from './render/warnings';

/**
 * Most cards laid out (only those in view are drawn); past it the layout keeps running and live ones first. High
 * enough for every coroutine of the scale the view is built for: the view virtualises rather than leaves out.
 */
const CARD_LIMIT = 100_000;
/** While playing or dragging the scrubber, the cards, Inspector, Events, warnings and output redraw at most this
 * often (ms); the scrubber, Timeline and Event loop redraw every frame, and a last full drawing follows. */
const HEAVY_EVERY = 50;
/** Inputs on the scrubber this close together (ms) mean the user is dragging it. */
const DRAG_WINDOW = 150;
/** Most items drawn in one lane of the Event loop (a lane shows a few at a time); the rest are counted. */
const LOOP_ITEMS = 16;
/** Most warnings listed: the newest up to the cursor. */
const WARNING_ROWS = 40;
/** Bytes of an embedded trace decoded before the first drawing, then per task while the page stays responsive. */
const FIRST_SLICE = 64 * 1024;
const SLICE = 2 * 1024 * 1024;

export class App {
  private ui: UiState;
  private readonly store = new RecordingStore();
  private readonly header: HeaderParts;
  private readonly scrubber: ScrubberParts;
  private readonly timeline: TimelineParts;
  private readonly loop: EventLoopParts;
  private readonly coroutines: CoroutineParts;
  private readonly inspector: InspectorParts;
  private readonly warnings: WarningParts;
  private readonly output: OutputParts;
  private readonly events: EventParts;
  private readonly open: OpenSite;
  private readonly root: HTMLElement;
  private layout: StacksLayout | undefined;
  private grid: Grid | undefined;
  private frame = 0;
  /** Which parts each frame draws, and a full drawing to follow a skipped one. */
  private readonly policy = new DrawPolicy({ every: HEAVY_EVERY, dragWindow: DRAG_WINDOW });
  private trailing: ReturnType<typeof setTimeout> | undefined;
  /** The Coroutines view scrolled: its cards must be drawn on the next frame, playing or not. */
  private cardsDirty = false;
  private eventsDirty = false;
  /** What the Event loop view read ahead in the trace, per recording (see `LoopContext.memo`). */
  private loopMemos = new WeakMap<Recording, Map<string, unknown>>();
  /** End-of-program warnings of the state last drawn (they scan every coroutine). */
  private endWarningsCache: { key: string; warnings: ReturnType<typeof endWarnings> } | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Saved scroll positions are applied once, after the first render with content. */
  private scrollRestored = false;
  private playing = false;
  private playCarry = 0;
  private playLast = 0;
  private playFrame = 0;
  private firstDrawn = false;
  /** Where the app last scrolled the Events list, and the rows it drew there. */
  private eventsTop = 0;
  private eventRows: DrawnRows | undefined;
  /** Lanes of the timeline, cached per recording and event count. */
  private lanes: { key: string; lanes: number[] } | undefined;

  constructor(
    rootElement: HTMLElement,
    private readonly host: ViewHost,
  ) {
    this.root = rootElement;
    this.ui = parseUiState(host.loadState(), defaultUiState(host.mode === 'vscode'));
    this.open = host.mode === 'vscode' ? (site) => this.openSite(site) : undefined;
    const root = select(rootElement).attr('aria-busy', null).classed(`mode-${host.mode}`, true);
    root.selectAll('*').remove();
    this.header = buildHeader(root, (id) => this.pickRecording(id));
    this.scrubber = buildScrubber(root, {
      step: (action) => this.step(action),
      seek: (index) => {
        this.policy.input(performance.now());
        this.seek(index);
      },
      togglePlay: () => this.togglePlay(),
      speed: (speed) => this.setUi({ speed }),
      follow: () => this.follow(),
    });
    const main = root.append('main').attr('class', 'ys-main');
    const left = main.append<HTMLElement>('div').attr('class', 'ys-left');
    this.timeline = buildTimeline(left, {
      pick: (index, co) => {
        this.seek(index);
        if (co) this.setUi({ coroutine: co });
      },
      changed: () => this.scheduleRender(),
    });
    this.loop = buildEventLoop(left, {
      open: this.open,
      seek: (index) => this.seek(index),
      seekSeq: (seq) => this.seekSeq(seq),
      select: (co) => {
        this.setUi({ coroutine: co });
        this.revealCard(co, false);
      },
    });
    this.coroutines = buildCoroutines(left, {
      open: this.open,
      toggleSelect: (id) => this.setUi({ coroutine: this.ui.coroutine === id ? undefined : id }),
      toggleHideFinished: () => this.setUi({ hideFinished: !this.ui.hideFinished }),
      move: (from, key) => this.moveFocus(from, key),
      clearSelection: () => this.setUi({ coroutine: undefined }),
      reveal: (id) => {
        this.setUi({ coroutine: id });
        this.revealCard(id);
      },
    });
    const side = main.append<HTMLElement>('div').attr('class', 'ys-side');
    this.inspector = buildInspector(side);
    this.warnings = buildWarnings(side);
    this.output = buildOutput(side);
    this.events = buildEvents(
      side,
      () => this.setUi({ coroutine: undefined }),
      (seq) => this.seekSeq(seq),
    );
    this.coroutines.section.on('scroll', (event: Event) => {
      this.ui = { ...this.ui, cardsScroll: (event.currentTarget as HTMLElement).scrollTop };
      this.cardsDirty = true;
      this.scheduleRender();
      this.saveSoon();
    });
    this.events.body.on('scroll', (event: Event) => {
      const el = event.currentTarget as HTMLElement;
      // Scrolls the app makes itself (to follow the cursor) are already drawn.
      if (Math.abs(el.scrollTop - this.eventsTop) < 1) return;
      this.eventsTop = el.scrollTop;
      this.ui = { ...this.ui, eventsScroll: el.scrollTop, followEvents: atBottom(el) };
      // The rows drawn may still cover the view (the list moved a little as the panes around it changed size).
      if (!this.eventRows || !rowsCover(this.eventRows, el)) {
        this.eventsDirty = true;
        this.scheduleRender();
      }
      this.saveSoon();
    });
    document.addEventListener('keydown', (event) => this.onKey(event));
    window.addEventListener('resize', () => {
      this.policy.invalidate();
      this.scheduleRender();
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
    const tlView = timelineViewport(this.timeline, history?.length ?? 0);
    const cardsView = coroutinesViewport(this.coroutines);
    const eventsVp = eventsViewport(this.events);

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
    const { heavy, trail } = this.policy.decide(key, started, this.playing);
    if (trail) this.trailSoon();

    // What each part of the drawing cost, for the benchmark (`data-parts`).
    const parts: Record<string, number> = {};
    let lap = performance.now();
    const took = (part: string): void => {
      const now = performance.now();
      parts[part] = (parts[part] ?? 0) + (now - lap);
      lap = now;
    };
    took('read');
    const seekStarted = performance.now();
    const model: CoroutineModel | undefined = history?.at(index);
    const seekMs = performance.now() - seekStarted;

    const choices = this.store.recordings.map((r) => ({ id: r.id, title: r.title }));
    took('seek');
    // The Events list is scrolled first, while the rest of the page is as the browser last laid it out.
    const drawEventRows = heavy || this.eventsDirty;
    this.eventsDirty = false;
    let events: { view: EventsView; top: number } | undefined;
    if (drawEventRows) {
      const view = rec && model ? eventsView(rec, model, index, selected) : NO_EVENTS;
      const restore = !this.scrollRestored && rec && rec.eventCount > 0;
      const follow = this.ui.followEvents;
      const top = restore && !follow ? this.ui.eventsScroll : eventsScrollTop(view, eventsVp, follow);
      this.eventsTop = scrollEvents(this.events, view, eventsVp, top);
      events = { view, top: this.eventsTop };
    }
    took('events');
    drawHeader(this.header, rec ? headerView(rec) : undefined, choices, this.store.activeId);
    drawScrubber(this.scrubber, {
      index,
      length: history?.length ?? 0,
      seq: history && index >= 0 ? history.store.seqAt(index) : undefined,
      playing: this.playing,
      speed: this.ui.speed,
      live: rec?.state.kind === 'live' && !rec.loading,
      following: this.ui.cursor === undefined,
      selected: selected !== undefined && rec ? coroutineLabel(rec.model, selected) : undefined,
    });

    if (rec && history) {
      const lanes = this.laneOrder(rec);
      const label = (co: number): string => (co === 0 ? 'program' : coroutineLabel(rec.model, co));
      drawTimeline(this.timeline, layoutTimeline(history.store, lanes, label, tlView, index, selected), tlView);
    } else {
      drawTimeline(this.timeline, layoutTimeline(EMPTY_STORE, [], String, tlView, -1, undefined), tlView);
    }
    took('header+timeline');
    drawEventLoop(
      this.loop,
      rec && history && model
        ? layoutEventLoop({
            queues: history.queuesAt(index),
            model,
            store: history.store,
            trace: rec.trace,
            cwd: rec.cwd,
            index,
            perLane: LOOP_ITEMS,
            memo: this.loopMemo(rec),
          })
        : undefined,
      this.open,
    );

    took('loop');
    if (heavy || this.cardsDirty) {
      this.cardsDirty = false;
      this.layout =
        rec && model
          ? layoutStacks(model, {
              trace: rec.trace,
              cwd: rec.cwd,
              hideFinished: this.ui.hideFinished,
              selected,
              limit: CARD_LIMIT,
            })
          : undefined;
      const scrollTo = !this.scrollRestored && rec && rec.eventCount > 0 ? this.ui.cardsScroll : undefined;
      const drawing = this.cardsDrawing(model, cardsView, scrollTo);
      drawCoroutines(this.coroutines, drawing, this.ui.hideFinished, this.open);
    }
    took('cards');
    if (heavy && rec && history) {
      // The inspector reads the state just before the cursor through the state at it: no second seek.
      drawInspector(this.inspector, inspectorView(history, rec.trace, rec.cwd, index, selected), this.open, (i) =>
        this.seek(i),
      );
    } else if (heavy) {
      drawInspector(this.inspector, { event: undefined, coroutine: undefined }, this.open, (i) => this.seek(i));
    }
    took('inspector');
    if (heavy) {
      // The newest warnings up to the cursor; the older ones are counted.
      const all = model ? model.warnings.concat(this.endWarningsOf(rec, model, index)) : [];
      const warnings = all.slice(-WARNING_ROWS);
      const older = (rec?.forgottenWarnings ?? 0) + all.length - warnings.length;
      drawWarnings(this.warnings, warnings, older, (seq) => this.seekSeq(seq));
      drawOutput(this.output, model?.output ?? [], `${rec?.instance ?? ''}`, (seq) => this.seekSeq(seq));
    }
    took('warnings+output');
    if (events) this.eventRows = drawEvents(this.events, events.view, eventsVp, events.top, this.open);
    if (!this.scrollRestored && rec && rec.eventCount > 0) this.scrollRestored = true;
    if (focused !== undefined && !document.activeElement?.closest('.ys-card')) this.focusCard(focused);
    if (!this.firstDrawn && history && history.length > 0) {
      this.firstDrawn = true;
      performance.mark('ys-first-draw');
    }
    // For the benchmark and the browser tests: what the last drawing cost.
    took('events');
    this.root.dataset['parts'] = Object.entries(parts)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ');
    this.root.dataset['seekMs'] = seekMs.toFixed(3);
    this.root.dataset['renderMs'] = (performance.now() - started).toFixed(3);
    this.root.dataset['cursor'] = String(index);
    this.root.dataset['heavy'] = String(heavy);
  }

  /** Where the stacks go, which are in view, and the edges between the cards drawn. */
  private cardsDrawing(
    model: CoroutineModel | undefined,
    vp: CoroutinesViewport,
    scrollTo: number | undefined,
  ): CoroutinesDrawing {
    let top = vp.top;
    if (scrollTo !== undefined) {
      // A reloaded panel: draw where it was scrolled to, and scroll there once the stacks have their height.
      const section = this.coroutines.section.node()!;
      top = scrollTo - (vp.top - section.scrollTop);
      requestAnimationFrame(() => {
        section.scrollTop = scrollTo;
      });
    }
    const drawing = planCards(this.layout, model, vp, top);
    this.grid = drawing.grid;
    return drawing;
  }

  private loopMemo(rec: Recording): Map<string, unknown> {
    let m = this.loopMemos.get(rec);
    if (!m) this.loopMemos.set(rec, (m = new Map()));
    return m;
  }

  private endWarningsOf(
    rec: Recording | undefined,
    model: CoroutineModel,
    index: number,
  ): ReturnType<typeof endWarnings> {
    if (!model.ending) return [];
    const key = `${rec?.instance}:${index}:${rec?.history.length}`;
    if (this.endWarningsCache?.key !== key) this.endWarningsCache = { key, warnings: endWarnings(model) };
    return this.endWarningsCache.warnings;
  }

  /** A full drawing after the last of a run of throttled ones. */
  private trailSoon(): void {
    if (this.trailing !== undefined) clearTimeout(this.trailing);
    this.trailing = setTimeout(() => {
      this.trailing = undefined;
      this.scheduleRender();
    }, HEAVY_EVERY + 5);
  }

  scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Lanes in order of each coroutine's first event; the top level (output, end) first. */
  private laneOrder(rec: Recording): number[] {
    const key = `${rec.instance}:${rec.history.length}:${rec.history.forgottenEvents}`;
    if (this.lanes?.key !== key) {
      const ids = rec.history.store.coroutines();
      this.lanes = { key, lanes: ids.includes(0) ? [0, ...ids.filter((id) => id !== 0)] : ids };
    }
    return this.lanes.lanes;
  }

  private seek(index: number): void {
    const rec = this.store.active;
    if (!rec) return;
    this.stopPlaying();
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
    this.stopPlaying();
    this.setUi({ cursor: undefined, followEvents: true });
  }

  private togglePlay(): void {
    if (this.playing) {
      this.stopPlaying();
      this.scheduleRender();
      return;
    }
    const rec = this.store.active;
    if (!rec || rec.history.length === 0) return;
    const store = rec.history.store;
    // Playing from the end starts again from the first event.
    if (cursorIndex(store, this.ui.cursor) >= store.length - 1) this.setUi({ cursor: store.seqAt(0) });
    this.playing = true;
    this.playCarry = 0;
    this.playLast = performance.now();
    const tick = (now: number): void => {
      if (!this.playing) return;
      const active = this.store.active;
      if (!active) return this.stopPlaying();
      const s = active.history.store;
      const { steps, carry } = playStep(this.playCarry, now - this.playLast, this.ui.speed);
      this.playCarry = carry;
      this.playLast = now;
      const from = cursorIndex(s, this.ui.cursor);
      const to = Math.min(s.length - 1, from + steps);
      if (to !== from) this.setUi({ cursor: cursorFor(s, to, active.state.kind === 'live') });
      if (to >= s.length - 1) {
        this.stopPlaying();
        this.scheduleRender();
        return;
      }
      this.playFrame = requestAnimationFrame(tick);
    };
    this.playFrame = requestAnimationFrame(tick);
    this.scheduleRender();
  }

  private stopPlaying(): void {
    this.playing = false;
    if (this.playFrame) cancelAnimationFrame(this.playFrame);
    this.playFrame = 0;
  }

  /** Arrow keys step (with Shift: by the selected coroutine), P plays and pauses, Home/End jump. */
  private onKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target instanceof Element ? event.target : null;
    // Controls that use these keys themselves keep them.
    if (target?.closest('input, select, textarea, [contenteditable="true"]')) return;
    const inCards = !!target?.closest('.ys-card');
    const actions: Record<string, StepAction | 'play' | undefined> = {
      ArrowLeft: event.shiftKey ? 'previous-of' : 'back',
      ArrowRight: event.shiftKey ? 'next-of' : 'forward',
      Home: inCards ? undefined : 'start',
      End: inCards ? undefined : 'end',
      p: 'play',
      P: 'play',
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    if (action === 'play') this.togglePlay();
    else this.step(action);
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
    this.stopPlaying();
    this.setUi({ recording: id, coroutine: undefined, cursor: undefined, cardsScroll: 0, eventsScroll: 0 });
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
    if (target !== undefined) this.revealCard(target);
  }

  private focusCard(id: number): boolean {
    const card = this.coroutines.stacks.select<HTMLElement>(`.ys-card[data-co="${id}"]`).node();
    card?.focus({ preventScroll: true });
    return !!card;
  }

  /**
   * Scrolls the Coroutines view to a card (drawn or not: only the cards in view are), draws, and focuses it.
   * `focus` false only scrolls (a click elsewhere selected it: keep the focus there).
   */
  private revealCard(id: number, focus = true): void {
    const layout = this.layout;
    const at = layout ? layout.indexOf(id) : -1;
    if (layout && this.grid && at >= 0 && at < this.grid.count) {
      const box = boxOf(this.grid, at);
      const section = this.coroutines.section.node()!;
      const offset = this.coroutines.stacks.node()!.offsetTop;
      const ids = layout.stack(at).ids;
      const y = offset + box.y + (ids.indexOf(id) * box.height) / ids.length;
      if (y < section.scrollTop || y + 60 > section.scrollTop + section.clientHeight) {
        section.scrollTop = Math.max(0, y - section.clientHeight / 3);
      }
    }
    this.cardsDirty = true;
    this.render();
    if (focus) this.focusCard(id);
  }
}

const EMPTY_STORE = { length: 0, kindAt: () => 'end' as const, eventsOf: () => [] };

/** The coroutine id of the focused card, to give focus back if a re-render replaced the element. */
function focusedCard(): number | undefined {
  const el = document.activeElement?.closest<HTMLElement>('.ys-card');
  const id = el ? Number(el.dataset['co']) : NaN;
  return Number.isSafeInteger(id) ? id : undefined;
}
