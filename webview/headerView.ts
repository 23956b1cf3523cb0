// What the header says about a recording: program, Node version, live or ended (and how), counts, and the
// problems found in the trace. Pure; no DOM.

import { displayPath } from '../src/model/coroutines';
import { previewText } from './format';
import type { Recording } from './recording';

export type StatusKind = 'live' | 'ended' | 'failed' | 'problem';

export interface HeaderView {
  readonly title: string;
  /** The program as run, relative to its folder when inside it, with its arguments. */
  readonly program: string;
  /** The full program path, for the tooltip. */
  readonly programTitle: string;
  readonly node: string;
  readonly status: StatusKind;
  readonly statusText: string;
  readonly events: number;
  readonly dropped: number;
  readonly coroutines: number;
  readonly problems: readonly string[];
}

type RecordingFacts = Pick<
  Recording,
  'title' | 'state' | 'trace' | 'model' | 'eventCount' | 'forgottenCoroutines' | 'decoder'
> &
  Partial<Pick<Recording, 'loading'>>;

export function headerView(rec: RecordingFacts): HeaderView {
  const h = rec.trace.header;
  const program = h ? displayPath(h.program, h.cwd) : '';
  const args = h?.args.length ? ` ${h.args.join(' ')}` : '';
  const problems = [...rec.trace.problems];
  if (rec.model.dropped > 0) {
    problems.push(`The tracer dropped ${rec.model.dropped.toLocaleString('en-US')} events: states may be out of date.`);
  }
  if (rec.forgottenCoroutines > 0) {
    problems.push(`${rec.forgottenCoroutines.toLocaleString('en-US')} old finished coroutines are no longer kept.`);
  }
  const { status, statusText } = statusOf(rec);
  return {
    title: rec.title || (program ? `${program}${args}` : 'Recording'),
    program: `${program}${args}`,
    programTitle: h ? `${displayPath(h.program)}${args}` : '',
    node: h?.node ?? '',
    status,
    statusText,
    events: rec.eventCount,
    dropped: rec.model.dropped,
    coroutines: rec.model.coroutines.size + rec.forgottenCoroutines,
    problems,
  };
}

function statusOf(rec: RecordingFacts): { status: StatusKind; statusText: string } {
  const s = rec.state;
  if (s.kind === 'failed') return { status: 'failed', statusText: `failed: ${s.message}` };
  if (rec.decoder.failed && !rec.trace.header) return { status: 'problem', statusText: 'unreadable trace' };
  if (rec.loading) {
    const pct = Math.floor((100 * rec.loading.done) / Math.max(1, rec.loading.total));
    return { status: 'live', statusText: `loading ${pct}%` };
  }
  if (s.kind === 'live') return { status: 'live', statusText: 'live' };
  const end = rec.model.ending;
  if (end?.reason === 'uncaught') {
    const error = end.error ? `: ${previewText(end.error, 80)}` : '';
    return { status: 'failed', statusText: `ended, uncaught${error} (exit code ${end.exitCode})` };
  }
  if (end?.reason === 'cut') return { status: 'problem', statusText: 'recording cut short' };
  if (s.signal) return { status: 'ended', statusText: `ended by ${s.signal}` };
  const code = s.exitCode ?? end?.exitCode;
  if (code === undefined || code === null) return { status: 'ended', statusText: 'ended' };
  return { status: code === 0 ? 'ended' : 'failed', statusText: `ended, exit code ${code}` };
}
