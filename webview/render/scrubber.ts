// The scrubber: a slider over the events and buttons to step through them (first, previous of the selected
// coroutine, back, play/pause, forward, next of the selected coroutine, last), a speed picker, where the cursor
// is, and a "Follow" button when a live recording has been scrubbed back. Every control is a native button,
// slider or select, so it is reachable and operable by keyboard and shows the theme's focus ring.

import type { Selection } from 'd3-selection';
import { SPEEDS, type StepAction } from '../playback';
import { setAttr, setText } from './text';

export interface ScrubberActions {
  readonly step: (action: StepAction) => void;
  readonly seek: (index: number) => void;
  readonly togglePlay: () => void;
  readonly speed: (eventsPerSecond: number) => void;
  readonly follow: () => void;
}

export interface ScrubberView {
  /** Index shown, and how many events there are. */
  readonly index: number;
  readonly length: number;
  readonly seq: number | undefined;
  readonly playing: boolean;
  readonly speed: number;
  readonly live: boolean;
  readonly following: boolean;
  /** The selected coroutine, as `gen#1`, for the labels of the per-coroutine steps. */
  readonly selected: string | undefined;
}

export interface ScrubberParts {
  readonly root: Selection<HTMLDivElement, unknown, null, undefined>;
  readonly buttons: Map<string, Selection<HTMLButtonElement, unknown, null, undefined>>;
  readonly play: Selection<HTMLButtonElement, unknown, null, undefined>;
  readonly range: Selection<HTMLInputElement, unknown, null, undefined>;
  readonly speed: Selection<HTMLSelectElement, unknown, null, undefined>;
  readonly position: Selection<HTMLSpanElement, unknown, null, undefined>;
  readonly follow: Selection<HTMLButtonElement, unknown, null, undefined>;
}

const STEPS: readonly { action: StepAction; text: string; label: string }[] = [
  { action: 'start', text: '|◀', label: 'First event (Home)' },
  { action: 'previous-of', text: '⇤', label: 'Previous event of the selected coroutine (Shift+←)' },
  { action: 'back', text: '◀', label: 'One event back (←)' },
];
const STEPS_AFTER: readonly { action: StepAction; text: string; label: string }[] = [
  { action: 'forward', text: '▶', label: 'One event forward (→)' },
  { action: 'next-of', text: '⇥', label: 'Next event of the selected coroutine (Shift+→)' },
  { action: 'end', text: '▶|', label: 'Last event (End)' },
];

export function buildScrubber(
  parent: Selection<HTMLElement, unknown, null, undefined>,
  actions: ScrubberActions,
): ScrubberParts {
  const root = parent.append('div').attr('class', 'ys-scrubber').attr('role', 'toolbar').attr('aria-label', 'Replay');
  const buttons = new Map<string, Selection<HTMLButtonElement, unknown, null, undefined>>();
  const stepButton = (s: { action: StepAction; text: string; label: string }): void => {
    buttons.set(
      s.action,
      root
        .append('button')
        .attr('type', 'button')
        .attr('class', `ys-button ys-step step-${s.action}`)
        .attr('title', s.label)
        .attr('aria-label', s.label)
        .text(s.text)
        .on('click', () => actions.step(s.action)),
    );
  };
  STEPS.forEach(stepButton);
  const play = root
    .append('button')
    .attr('type', 'button')
    .attr('class', 'ys-button ys-play')
    .on('click', () => actions.togglePlay());
  STEPS_AFTER.forEach(stepButton);
  const speedLabel = root.append('label').attr('class', 'ys-speed-label');
  speedLabel.append('span').attr('class', 'ys-visually-hidden').text('Speed');
  const speed = speedLabel
    .append('select')
    .attr('class', 'ys-speed')
    .attr('title', 'Replay speed')
    .on('change', (event: Event) => actions.speed(Number((event.currentTarget as HTMLSelectElement).value)));
  speed
    .selectAll('option')
    .data(SPEEDS)
    .join('option')
    .attr('value', (d) => String(d))
    .text((d) => `${d.toLocaleString('en-US')} events/s`);
  const rangeLabel = root.append('label').attr('class', 'ys-range-label');
  rangeLabel.append('span').attr('class', 'ys-visually-hidden').text('Event');
  const range = rangeLabel
    .append('input')
    .attr('type', 'range')
    .attr('class', 'ys-range')
    .attr('min', 0)
    .attr('step', 1)
    .on('input', (event: Event) => actions.seek(Number((event.currentTarget as HTMLInputElement).value)));
  const position = root.append('span').attr('class', 'ys-position').attr('aria-live', 'off');
  const follow = root
    .append('button')
    .attr('type', 'button')
    .attr('class', 'ys-button ys-follow')
    .attr('title', 'Follow the newest event as the program runs')
    .text('Follow ⤓')
    .on('click', () => actions.follow());
  return { root, buttons, play, range, speed, position, follow };
}

export function drawScrubber(parts: ScrubberParts, view: ScrubberView): void {
  const empty = view.length === 0;
  const atStart = view.index <= 0;
  const atEnd = view.index >= view.length - 1;
  const disable = (action: StepAction, off: boolean): void => {
    parts.buttons.get(action)?.property('disabled', off);
  };
  disable('start', empty || atStart);
  disable('back', empty || atStart);
  disable('forward', empty || atEnd);
  disable('end', empty || atEnd);
  disable('previous-of', empty || view.selected === undefined);
  disable('next-of', empty || view.selected === undefined);
  for (const action of ['previous-of', 'next-of'] as const) {
    const label = `${action === 'next-of' ? 'Next' : 'Previous'} event of ${view.selected ?? 'the selected coroutine'} (Shift+${action === 'next-of' ? '→' : '←'})`;
    const button = parts.buttons.get(action);
    if (button) {
      setAttr(button, 'title', () => label);
      setAttr(button, 'aria-label', () => label);
    }
  }
  // Drawn on every frame while playing: written only where something changed.
  setText(parts.play, () => (view.playing ? 'Pause' : 'Play'));
  setAttr(parts.play, 'aria-label', () => (view.playing ? 'Pause (P)' : 'Play (P)'));
  setAttr(parts.play, 'title', () => (view.playing ? 'Pause (P)' : 'Play (P)'));
  setAttr(parts.play, 'aria-pressed', () => String(view.playing));
  parts.play.property('disabled', empty || (atEnd && !view.playing));
  parts.speed.property('value', String(view.speed));
  const node = parts.range.node()!;
  const max = String(Math.max(0, view.length - 1));
  if (node.max !== max) node.max = max;
  if (node.valueAsNumber !== view.index) node.value = String(Math.max(0, view.index));
  parts.range.property('disabled', empty);
  setAttr(parts.range, 'aria-valuetext', () => (empty ? 'no events' : `event ${view.index + 1} of ${view.length}`));
  setText(parts.position, () =>
    empty
      ? 'no events'
      : `event ${(view.index + 1).toLocaleString('en-US')} of ${view.length.toLocaleString('en-US')}${view.seq !== undefined && view.seq !== view.index ? ` · seq ${view.seq}` : ''}`,
  );
  parts.follow.classed('is-hidden', !view.live || view.following);
}
