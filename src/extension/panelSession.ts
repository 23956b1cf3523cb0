// The conversation with one webview, without the webview: nothing is sent before the view says 'ready'; then
// a full snapshot, then 'recording-started', numbered 'trace-bytes' batches and 'recording-ended' as they
// happen; a 'resync' gets a fresh snapshot. Every incoming message is checked with `isViewMessage`; anything
// else is logged and dropped. Plain Node, no `vscode`: panel.ts supplies the port and the source opener.

import { isViewMessage } from '../protocol/messages';
import type { HostMessage, HostSnapshot, ViewMessage, ViewOpenSource } from '../protocol/messages';
import { Disposable } from './dispose';
import type { Logger } from './log';
import type { RecordingSource } from './traceRecording';

export interface ViewPort {
  /** Delivers a message to the view; failures are the port's to report. */
  post(message: HostMessage): void;
}

export class PanelSession extends Disposable {
  /** The view has said 'ready' since its document was last (re)loaded: messages may flow. */
  private ready = false;
  /** The recording the view should select in the next snapshot. */
  private active: string | undefined;
  /** The recording the view shows, as far as the host knows. */
  private shown: string | undefined;

  constructor(
    private readonly recordings: RecordingSource,
    private readonly port: ViewPort,
    private readonly log: Logger,
    private readonly openSource: (request: ViewOpenSource) => Promise<void>,
  ) {
    super();
    this.active = recordings.list().at(-1)?.id;
    this._register(
      recordings.onDidAdd((r) => {
        this.active = r.id;
        if (this.ready) this.shown = r.id; // the view switches to a recording that starts
        this.post({ type: 'recording-started', id: r.id, title: r.title });
      }),
    );
    this._register(
      recordings.onDidBatch(({ recording, value }) =>
        this.post({ type: 'trace-bytes', id: recording.id, batch: value.batch, bytes: value.bytes }),
      ),
    );
    this._register(
      recordings.onDidEnd(({ recording, value }) =>
        this.post({ type: 'recording-ended', id: recording.id, batch: recording.batch, state: value }),
      ),
    );
    this._register(recordings.onDidRemove(() => this.post(this.snapshot())));
  }

  /**
   * Makes the view show `id` (a debugger paused its program). The protocol has no message that selects a
   * recording, so a view showing another one gets a fresh snapshot; one already showing it gets nothing.
   */
  focus(id: string): void {
    if (!this.recordings.get(id)) return;
    this.active = id;
    if (this.ready && this.shown !== id) this.post(this.snapshot());
  }

  /** The view's document is gone (hidden without retained context, or reloading): wait for 'ready' again. */
  viewLost(): void {
    this.ready = false;
  }

  /** A message from the view, not yet trusted. */
  receive(message: unknown): void {
    if (!isViewMessage(message)) {
      this.log.warn(`ignored a message from the view that is not a known request: ${describe(message)}`);
      return;
    }
    this.handle(message);
  }

  private handle(message: ViewMessage): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post(this.snapshot());
        return;
      case 'resync':
        this.log.info(`the view asked for a resync: ${message.reason}`);
        this.ready = true;
        this.post(this.snapshot());
        return;
      case 'select-recording':
        if (this.recordings.get(message.id)) this.active = this.shown = message.id;
        else this.log.warn(`the view selected an unknown recording ${JSON.stringify(message.id)}`);
        return;
      case 'open-source':
        this.openSource(message).catch((e: unknown) => this.log.warn(`could not open ${message.url}: ${String(e)}`));
        return;
    }
  }

  private post(message: HostMessage): void {
    if (this.ready && !this.isDisposed) this.port.post(message);
  }

  private snapshot(): HostSnapshot {
    const recordings = this.recordings.list().map((r) => {
      const { bytes, batch } = r.snapshot();
      return { id: r.id, title: r.title, bytes, batch, state: r.state };
    });
    if (this.active === undefined || !this.recordings.get(this.active)) this.active = recordings.at(-1)?.id;
    this.shown = this.active;
    return { type: 'snapshot', recordings, active: this.active };
  }
}

/** A short, safe description of an unexpected message for the log. */
function describe(message: unknown): string {
  if (typeof message !== 'object' || message === null) return typeof message;
  const type = (message as { type?: unknown }).type;
  return typeof type === 'string' ? `type ${JSON.stringify(type.slice(0, 40))}` : 'an object without a type';
}
