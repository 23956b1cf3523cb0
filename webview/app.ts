// The webview app: holds the recordings and the view's own state (which recording, the replay cursor, the
// selected coroutine), turns the state at the cursor into layouts with the pure functions and hands those to
// the renderers, at most once per animation frame. Talks to the host only through `ViewHost` and the typed
// messages.

import { select } from 'd3-selection';
import { isHostMessage } from '../src/protocol/messages';
import { upperBound } from '../src/model/eventStore';
import { endWarnings } from '../src/model/explain';
import type { CoroutineModel } from '../src/model/coroutines';
import { cardOrder, layoutStacks, neighbourCard, type StacksLayout } from './cards';
import { eventRow } from './eventRows';
import { coroutineLabel } from './format';
import { headerView } from './headerView';
import type { ViewHost } from './host';
import { inspectorView } from './inspector';
import { cursorFor, cursorIndex, playStep, stepIndex, type StepAction } from './playback';
import { Recording } from './recording';
import type { SiteRef } from './sites';
import { RecordingStore } from './store';
import { layoutTimeline } from './timelineLayout';
import { defaultUiState, parseUiState, type UiState } from './uiState';
import { buildCoroutines, drawCoroutines, type CoroutineParts } from './render/coroutines';
import { atBottom, buildEvents, drawEvents, type EventParts, type EventsView } from './render/events';
import { buildHeader, drawHeader, type HeaderParts } from './render/header';
import { buildInspector, drawInspector, type InspectorParts } from './render/inspector';
import { buildOutput, drawOutput, scrollOutput, type OutputParts } from './render/output';
import { buildScrubber, drawScrubber, type ScrubberParts } from './render/scrubber';
import type { OpenSite } from './render/siteLink';
import { buildTimeline, drawTimeline, timelineViewport, type TimelineParts } from './render/timeline';
import { buildWarnings, drawWarnings, type WarningParts } from './render/warnings';

/** Most cards drawn at once; the layout keeps running and live ones first. */
const CARD_LIMIT = 300;
/** Most warnings listed: the newest up to the cursor. */
const WARNING_ROWS = 100;
/** Most rows in the Events list: the newest up to the cursor. */
const EVENT_ROWS = 150;
/** Bytes of an embedded trace decoded before the first drawing, then per task while the page stays responsive. */
const FIRST_SLICE = 64 * 1024;
const SLICE = 2 * 1024 * 1024;

export class App {
  private ui: UiState;
  private readonly store = new RecordingStore();
  private readonly header: HeaderParts;
  private readonly scrubber: ScrubberParts;
  private readonly timeline: TimelineParts;
  private readonly coroutines: CoroutineParts;
  private readonly inspector: InspectorParts;
  private readonly warnings: WarningParts;
  private readonly output: OutputParts;
  private readonly events: EventParts;
  private readonly open: OpenSite;
  private readonly root: HTMLElement;
  private layout: StacksLayout | undefined;
  private frame = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Saved scroll positions are applied once, after the first render with content. */
  private scrollRestored = false;
  private playing = false;
  private playCarry = 0;
  private playLast = 0;
  private playFrame = 0;
  private firstDrawn = false;
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
      seek: (index) => this.seek(index),
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
    this.coroutines = buildCoroutines(left, {
      open: this.open,
      toggleSelect: (id) => this.setUi({ coroutine: this.ui.coroutine === id ? undefined : id }),
      toggleHideFinished: () => this.setUi({ hideFinished: !this.ui.hideFinished }),
      move: (from, key) => this.moveFocus(from, key),
      clearSelection: () => this.setUi({ coroutine: undefined }),
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
      this.saveSoon();
    });
    this.events.body.on('scroll', (event: Event) => {
      const el = event.currentTarget as HTMLElement;
      this.ui = { ...this.ui, eventsScroll: el.scrollTop, followEvents: atBottom(el) };
      this.saveSoon();
    });
    document.addEventListener('keydown', (event) => this.onKey(event));
    window.addEventListener('resize', () => this.scheduleRender());
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

  /** Draws now; callers that receive streams use `scheduleRender`. */
  render(): void {
    const started = performance.now();
    const rec = this.store.active;
    const focused = focusedCard();
    const choices = this.store.recordings.map((r) => ({ id: r.id, title: r.title }));
    drawHeader(this.header, rec ? headerView(rec) : undefined, choices, this.store.activeId);

    const history = rec?.history;
    const index = history ? cursorIndex(history.store, this.ui.cursor) : -1;
    const selected = this.ui.coroutine;
    const seekStarted = performance.now();
    history?.at(index);
    const seekMs = performance.now() - seekStarted;
    // The inspector reads the state just before the cursor, then at it; everything else reads it at the cursor.
    const inspector =
      rec && history
        ? inspectorView(history, rec.trace, rec.cwd, index, selected)
        : { event: undefined, coroutine: undefined };
    const model: CoroutineModel | undefined = history?.at(index);

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
      const vp = timelineViewport(this.timeline, history.length);
      const lanes = this.laneOrder(rec);
      const label = (co: number): string => (co === 0 ? 'program' : coroutineLabel(rec.model, co));
      drawTimeline(this.timeline, layoutTimeline(history.store, lanes, label, vp, index, selected), vp);
    } else {
      const vp = timelineViewport(this.timeline, 0);
      drawTimeline(this.timeline, layoutTimeline(EMPTY_STORE, [], String, vp, -1, undefined), vp);
    }

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
    drawCoroutines(this.coroutines, this.layout, this.ui.hideFinished, this.open);
    drawInspector(this.inspector, inspector, this.open, (i) => this.seek(i));
    // The newest warnings up to the cursor; the older ones are counted.
    const all = model ? model.warnings.concat(endWarnings(model)) : [];
    const warnings = all.slice(-WARNING_ROWS);
    const older = (rec?.forgottenWarnings ?? 0) + all.length - warnings.length;
    drawWarnings(this.warnings, warnings, older, (seq) => this.seekSeq(seq));
    drawOutput(this.output, model?.output ?? [], `${rec?.instance ?? ''}`, (seq) => this.seekSeq(seq));

    const body = this.events.body.node()!;
    drawEvents(this.events, rec && model ? eventsView(rec, model, index, selected) : NO_EVENTS, this.open);

    if (!this.scrollRestored && rec && rec.eventCount > 0) {
      this.scrollRestored = true;
      this.coroutines.section.node()!.scrollTop = this.ui.cardsScroll;
      body.scrollTop = this.ui.followEvents ? body.scrollHeight : this.ui.eventsScroll;
    } else if (this.ui.followEvents) {
      body.scrollTop = body.scrollHeight;
    } else {
      keepInView(body, body.querySelector<HTMLElement>('.is-cursor'));
    }
    scrollOutput(this.output);
    if (focused !== undefined && !document.activeElement?.closest('.ys-card')) this.focusCard(focused);
    if (!this.firstDrawn && history && history.length > 0) {
      this.firstDrawn = true;
      performance.mark('ys-first-draw');
    }
    // For the benchmark and the browser tests: what the last drawing cost.
    this.root.dataset['seekMs'] = seekMs.toFixed(3);
    this.root.dataset['renderMs'] = (performance.now() - started).toFixed(3);
    this.root.dataset['cursor'] = String(index);
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
    if (target !== undefined) this.focusCard(target);
  }

  private focusCard(id: number): void {
    const card = this.coroutines.stacks.select<HTMLElement>(`.ys-card[data-co="${id}"]`).node();
    card?.focus();
  }
}

const EMPTY_STORE = { length: 0, kindAt: () => 'end' as const, eventsOf: () => [] };

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
  cursorSeq: undefined,
};

/** The newest events up to the cursor (of one coroutine when `only` is set). */
function eventsView(rec: Recording, model: CoroutineModel, index: number, only: number | undefined): EventsView {
  const store = rec.history.store;
  let indexes: number[];
  if (only === undefined) {
    const from = Math.max(0, index - EVENT_ROWS + 1);
    indexes = [];
    for (let i = from; i <= index; i++) indexes.push(i);
  } else {
    const lane = store.eventsOf(only);
    const end = upperBound(lane, index);
    indexes = lane.slice(Math.max(0, end - EVENT_ROWS), end);
  }
  // Rows are described with the state at the cursor: names of coroutines made later are not known yet.
  const ctx = { model, trace: rec.trace, cwd: rec.cwd };
  return {
    events: indexes.map((i) => store.event(i)),
    describe: (ev) => eventRow(ev, ctx),
    key: `${rec.instance}`,
    total: rec.eventCount,
    kept: indexes.length,
    only: only === undefined ? undefined : coroutineLabel(rec.model, only),
    cursorSeq: index >= 0 ? store.seqAt(index) : undefined,
  };
}

/** Scrolls `list` (and nothing around it) so that `row` is visible. */
function keepInView(list: HTMLElement, row: HTMLElement | null): void {
  if (!row) return;
  const top = row.offsetTop - list.offsetTop;
  if (top < list.scrollTop || top + row.offsetHeight > list.scrollTop + list.clientHeight) {
    list.scrollTop = top - list.clientHeight / 2;
  }
}

/** The coroutine id of the focused card, to give focus back if a re-render replaced the element. */
function focusedCard(): number | undefined {
  const el = document.activeElement?.closest<HTMLElement>('.ys-card');
  const id = el ? Number(el.dataset['co']) : NaN;
  return Number.isSafeInteger(id) ? id : undefined;
}
