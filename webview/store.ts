// The recordings the webview shows, kept in step with the host: snapshots replace everything, numbered byte
// batches append, a gap in the numbering asks for a resync and ignores further batches until the snapshot
// comes. Pure over the typed host messages; posting the resync is the caller's business.

import type { HostMessage, RecordingSnapshot } from '../src/protocol/messages';
import { Recording, type RecordingLimits } from './recording';

export type StoreOutcome =
  | { readonly kind: 'changed' }
  | { readonly kind: 'ignored'; readonly reason: string }
  /** The view has lost track: ask the host for a snapshot (once; later batches are ignored until it comes). */
  | { readonly kind: 'resync'; readonly reason: string };

export class RecordingStore {
  private readonly byId = new Map<string, Recording>();
  /** The recording shown; undefined only when there are none. */
  activeId: string | undefined;
  /** Set after a resync request, cleared by the next snapshot. */
  awaitingSnapshot = false;

  constructor(private readonly limits?: RecordingLimits) {}

  /** Oldest first. */
  get recordings(): Recording[] {
    return [...this.byId.values()];
  }

  get active(): Recording | undefined {
    return this.activeId === undefined ? undefined : this.byId.get(this.activeId);
  }

  get(id: string): Recording | undefined {
    return this.byId.get(id);
  }

  /** Adds a recording built outside the message flow (the standalone report). */
  add(recording: Recording): void {
    this.byId.set(recording.id, recording);
    this.activeId ??= recording.id;
  }

  /** Selects a recording; false when there is no such recording. */
  select(id: string): boolean {
    if (!this.byId.has(id)) return false;
    this.activeId = id;
    return true;
  }

  receive(msg: HostMessage, preferredActive?: string): StoreOutcome {
    if (msg.type === 'snapshot') {
      this.byId.clear();
      for (const r of msg.recordings) this.byId.set(r.id, this.fromSnapshot(r));
      this.awaitingSnapshot = false;
      const pick = [msg.active, preferredActive, this.activeId].find((id) => id !== undefined && this.byId.has(id));
      this.activeId = pick ?? msg.recordings[msg.recordings.length - 1]?.id;
      return { kind: 'changed' };
    }
    if (this.awaitingSnapshot) return { kind: 'ignored', reason: 'waiting for a snapshot' };
    switch (msg.type) {
      case 'recording-started': {
        if (this.byId.has(msg.id)) return this.resync(`recording ${msg.id} started twice`);
        this.byId.set(msg.id, new Recording(msg.id, msg.title, { kind: 'live' }, 0, this.limits));
        this.activeId = msg.id;
        return { kind: 'changed' };
      }
      case 'trace-bytes': {
        const rec = this.byId.get(msg.id);
        if (!rec) return this.resync(`bytes for unknown recording ${msg.id}`);
        if (msg.batch !== rec.batch + 1) return this.resync(`batch ${msg.batch} after ${rec.batch} for ${msg.id}`);
        rec.batch = msg.batch;
        rec.append(msg.bytes);
        return { kind: 'changed' };
      }
      case 'recording-ended': {
        const rec = this.byId.get(msg.id);
        if (!rec) return this.resync(`end of unknown recording ${msg.id}`);
        // `batch` names the last batch sent: anything else means bytes went missing.
        if (msg.batch !== rec.batch)
          return this.resync(`ended after batch ${msg.batch}, have ${rec.batch} for ${msg.id}`);
        rec.finish(msg.state);
        return { kind: 'changed' };
      }
    }
  }

  private resync(reason: string): StoreOutcome {
    this.awaitingSnapshot = true;
    return { kind: 'resync', reason };
  }

  private fromSnapshot(s: RecordingSnapshot): Recording {
    const rec = new Recording(s.id, s.title, s.state, s.batch, this.limits);
    rec.append(s.bytes);
    if (s.state.kind !== 'live') rec.finish(s.state);
    return rec;
  }
}
