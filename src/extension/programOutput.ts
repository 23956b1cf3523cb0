// Shows each program's stdout and stderr in the log: a header line when a recording starts, then its output
// line by line (a log channel stamps every append, so partial lines are held until their end arrives), then a
// closing line with how it ended. Plain Node, no `vscode`: it writes to a `Logger`.

import type { RecordingState } from '../protocol/messages';
import { Disposable } from './dispose';
import type { Logger } from './log';
import type { Recordings } from './recordings';

/** A partial line longer than this is written out anyway. */
const MAX_PARTIAL_LINE = 16 * 1024;

export class ProgramOutputLog extends Disposable {
  /** Unfinished last lines, per recording and stream. */
  private readonly partial = new Map<string, string>();

  constructor(
    recordings: Recordings,
    private readonly log: Logger,
  ) {
    super();
    this._register(
      recordings.onDidAdd((r) => {
        log.info(`──── ${r.title} ────`);
      }),
    );
    this._register(
      recordings.onDidOutput(({ recording, value }) =>
        this.write(recording.title, recording.id, value.stream, value.text),
      ),
    );
    this._register(
      recordings.onDidEnd(({ recording, value }) => {
        for (const stream of ['stdout', 'stderr'] as const) this.write(recording.title, recording.id, stream, '', true);
        log.info(`──── ${recording.title}: ${describeEnd(value)} (${recording.eventCount} events) ────`);
      }),
    );
  }

  private write(title: string, id: string, stream: 'stdout' | 'stderr', text: string, end = false): void {
    const key = `${id}\u0000${stream}`;
    const lines = ((this.partial.get(key) ?? '') + text).split(/\r?\n/);
    let rest = lines.pop() ?? '';
    if (end || rest.length > MAX_PARTIAL_LINE) {
      if (rest) lines.push(rest);
      rest = '';
    }
    if (rest) this.partial.set(key, rest);
    else this.partial.delete(key);
    for (const line of lines) {
      if (stream === 'stderr') this.log.warn(`[${title}] ${line}`);
      else this.log.info(`[${title}] ${line}`);
    }
  }
}

export function describeEnd(state: RecordingState): string {
  switch (state.kind) {
    case 'live':
      return 'running';
    case 'ended':
      if (state.signal) return `stopped by ${state.signal}`;
      return state.exitCode === null ? 'stopped before it started' : `exited with code ${state.exitCode}`;
    case 'failed':
      return `failed: ${state.message}`;
  }
}
