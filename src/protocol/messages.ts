// Every message between the extension host and the webview, defined once with a guard for each. The name
// says the direction: `Host…` messages go to the webview, `View…` messages go to the host. Both ends check
// what they receive with `isHostMessage` / `isViewMessage` and drop anything else.
//
// Streaming follows the "ready, then snapshot, then numbered batches" pattern: a hidden webview keeps only
// the newest message, so when the view sees a gap in `batch` numbers it asks for a resync and gets a snapshot.

export interface HostSnapshot {
  readonly type: 'snapshot';
  /** One entry per recording the panel shows, oldest first. */
  readonly recordings: readonly RecordingSnapshot[];
  /** The recording the view should select. */
  readonly active: string | undefined;
}

export interface RecordingSnapshot {
  readonly id: string;
  readonly title: string;
  /** The raw trace bytes received so far (the same bytes as a trace file). */
  readonly bytes: Uint8Array;
  /** Number of the last batch folded into `bytes`. */
  readonly batch: number;
  readonly state: RecordingState;
}

export type RecordingState =
  | { readonly kind: 'live' }
  | { readonly kind: 'ended'; readonly exitCode: number | null; readonly signal: string | null }
  | { readonly kind: 'failed'; readonly message: string };

export interface HostRecordingStarted {
  readonly type: 'recording-started';
  readonly id: string;
  readonly title: string;
}

export interface HostTraceBytes {
  readonly type: 'trace-bytes';
  readonly id: string;
  /** Consecutive per recording, from 1. */
  readonly batch: number;
  readonly bytes: Uint8Array;
}

export interface HostRecordingEnded {
  readonly type: 'recording-ended';
  readonly id: string;
  readonly batch: number;
  readonly state: RecordingState;
}

export type HostMessage = HostSnapshot | HostRecordingStarted | HostTraceBytes | HostRecordingEnded;

export interface ViewReady {
  readonly type: 'ready';
}

export interface ViewResync {
  readonly type: 'resync';
  readonly reason: string;
}

export interface ViewOpenSource {
  readonly type: 'open-source';
  /** A file: URL or an absolute path, as recorded in the trace. */
  readonly url: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export interface ViewSelectRecording {
  readonly type: 'select-recording';
  readonly id: string;
}

export type ViewMessage = ViewReady | ViewResync | ViewOpenSource | ViewSelectRecording;

const MAX_ID = 200;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isShortString(v: unknown, max = MAX_ID): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isPosition(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

export function isRecordingState(v: unknown): v is RecordingState {
  if (!isRecord(v)) return false;
  switch (v['kind']) {
    case 'live':
      return true;
    case 'ended':
      return (
        (v['exitCode'] === null || Number.isSafeInteger(v['exitCode'])) &&
        (v['signal'] === null || isShortString(v['signal']))
      );
    case 'failed':
      return typeof v['message'] === 'string' && v['message'].length <= 4000;
    default:
      return false;
  }
}

function isRecordingSnapshot(v: unknown): v is RecordingSnapshot {
  return (
    isRecord(v) &&
    isShortString(v['id']) &&
    typeof v['title'] === 'string' &&
    v['title'].length <= 1000 &&
    v['bytes'] instanceof Uint8Array &&
    isCount(v['batch']) &&
    isRecordingState(v['state'])
  );
}

export function isHostMessage(v: unknown): v is HostMessage {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'snapshot':
      return (
        Array.isArray(v['recordings']) &&
        v['recordings'].every(isRecordingSnapshot) &&
        (v['active'] === undefined || isShortString(v['active']))
      );
    case 'recording-started':
      return isShortString(v['id']) && typeof v['title'] === 'string' && v['title'].length <= 1000;
    case 'trace-bytes':
      return isShortString(v['id']) && isCount(v['batch']) && v['bytes'] instanceof Uint8Array;
    case 'recording-ended':
      return isShortString(v['id']) && isCount(v['batch']) && isRecordingState(v['state']);
    default:
      return false;
  }
}

export function isViewMessage(v: unknown): v is ViewMessage {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'ready':
      return true;
    case 'resync':
      return typeof v['reason'] === 'string' && v['reason'].length <= 1000;
    case 'open-source':
      return isShortString(v['url'], 4096) && isPosition(v['line']) && isPosition(v['column']);
    case 'select-recording':
      return isShortString(v['id']);
    default:
      return false;
  }
}
