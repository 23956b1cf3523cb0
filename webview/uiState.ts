// The view's own state, saved with the webview's setState so that a hidden or reloaded panel comes back as
// the user left it (recording, selection, replay cursor and speed, scroll positions). Validated on the way in:
// saved state may come from an older version of the view.

import { DEFAULT_SPEED, SPEEDS } from './playback';

export interface UiState {
  readonly v: 1;
  readonly recording: string | undefined;
  readonly coroutine: number | undefined;
  readonly hideFinished: boolean;
  readonly cardsScroll: number;
  readonly eventsScroll: number;
  /** Keep the Events list scrolled to its newest row as rows arrive. */
  readonly followEvents: boolean;
  /** The replay cursor: the seq of the event shown, or undefined to follow the newest event. */
  readonly cursor: number | undefined;
  /** Replay speed in events per second, one of `SPEEDS`. */
  readonly speed: number;
}

export function defaultUiState(followEvents: boolean): UiState {
  return {
    v: 1,
    recording: undefined,
    coroutine: undefined,
    hideFinished: false,
    cardsScroll: 0,
    eventsScroll: 0,
    followEvents,
    cursor: undefined,
    speed: DEFAULT_SPEED,
  };
}

/** Reads saved state, keeping each valid field and defaulting the rest. */
export function parseUiState(raw: unknown, fallback: UiState): UiState {
  if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1) return fallback;
  const r = raw as Record<string, unknown>;
  const id = r['recording'];
  const co = r['coroutine'];
  const scroll = (k: string, d: number): number => {
    const n = r[k];
    return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : d;
  };
  const flag = (k: string, d: boolean): boolean => (typeof r[k] === 'boolean' ? (r[k] as boolean) : d);
  return {
    v: 1,
    recording: typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : fallback.recording,
    coroutine: typeof co === 'number' && Number.isSafeInteger(co) && co > 0 ? co : fallback.coroutine,
    hideFinished: flag('hideFinished', fallback.hideFinished),
    cardsScroll: scroll('cardsScroll', fallback.cardsScroll),
    eventsScroll: scroll('eventsScroll', fallback.eventsScroll),
    followEvents: flag('followEvents', fallback.followEvents),
    cursor:
      typeof r['cursor'] === 'number' && Number.isSafeInteger(r['cursor']) && r['cursor'] >= 0
        ? r['cursor']
        : undefined,
    speed: SPEEDS.includes(r['speed'] as number) ? (r['speed'] as number) : fallback.speed,
  };
}
