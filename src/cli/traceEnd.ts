// Adds the end record to a trace whose program was killed by a signal (it had no chance to write one). The trace
// can be any size (a program that yields for ever writes tens of megabytes a second), so this never decodes it:
// it walks the record frames (kind byte, length varint) in fixed-size chunks, finds the end of the last whole
// record, and notes whether the trace has a header and already has an end record. A kill that lands while the
// drain worker writes leaves part of a record at the end: those bytes are dropped, then the end record goes on.

import { closeSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { ByteWriter } from '../protocol/codec';
import { EndReason, MAX_RECORD_BYTES, Rec, TRACE_MAGIC } from '../protocol/trace';

/** What the frames of a trace file say, without decoding a single record. */
export interface TraceFrames {
  /** The file starts with the signature and a header record. */
  readonly header: boolean;
  /** Some record is an end record. */
  readonly ended: boolean;
  /** Byte offset just after the last whole record (the file's size when nothing is cut). */
  readonly whole: number;
  /** Bytes after `whole` that do not make a whole record. */
  readonly cut: number;
  /** A frame that cannot be right (a length no record has): the trace is damaged, not merely cut. */
  readonly damaged: boolean;
}

/** Same bound as the decoder's: a longer length is damage, not a record. */
const MAX_LENGTH = MAX_RECORD_BYTES * 4;
const CHUNK = 1 << 20;

/** Walks the record frames of the open file `fd`. Reads it once, in 1 MB chunks; keeps nothing of it. */
export function scanFrames(fd: number): TraceFrames {
  const buf = Buffer.alloc(CHUNK);
  let filled = readSync(fd, buf, 0, CHUNK, 0);
  /** File offset of buf[0]. */
  let base = 0;
  if (filled < TRACE_MAGIC.length || TRACE_MAGIC.some((b, i) => buf[i] !== b)) {
    return { header: false, ended: false, whole: 0, cut: filled, damaged: true };
  }
  let pos = TRACE_MAGIC.length;
  let header = false;
  let ended = false;
  let first = true;
  let eof = filled < CHUNK;
  for (;;) {
    // One frame: kind, then the length as a varint of at most 3 bytes (MAX_LENGTH < 2^21), then the body.
    let at = pos + 1;
    let len = 0;
    let complete = false;
    let bad = false;
    if (at < filled && buf[at]! < 0x80) {
      len = buf[at++]!; // the common case: one length byte
      complete = true;
    } else if (at + 1 < filled && buf[at + 1]! < 0x80) {
      len = (buf[at]! & 0x7f) | (buf[at + 1]! << 7); // two bytes: what the tracer writes
      at += 2;
      complete = true;
    } else if (at + 2 < filled) {
      len = (buf[at]! & 0x7f) | ((buf[at + 1]! & 0x7f) << 7) | (buf[at + 2]! << 14);
      bad = buf[at + 2]! >= 0x80;
      at += 3;
      complete = !bad;
    }
    if (bad || (complete && len > MAX_LENGTH)) {
      return { header, ended, whole: base + pos, cut: 0, damaged: true };
    }
    if (complete && at + len <= filled) {
      const kind = buf[pos]!;
      if (first) header = kind === Rec.Header;
      else if (kind === Rec.End) ended = true;
      first = false;
      pos = at + len;
      continue;
    }
    // The frame runs past what is in the buffer: at the end of the file it is cut, otherwise read on from it.
    if (eof) return { header, ended, whole: base + pos, cut: filled - pos, damaged: false };
    base += pos;
    filled = readSync(fd, buf, 0, CHUNK, base);
    eof = filled < CHUNK;
    pos = 0;
  }
}

/** The end record of a program stopped by `signal` (exit code as a shell reports it). */
export function signalEndRecord(signal: string, exitCode: number): Uint8Array {
  const p = new ByteWriter().varint(0).varint(0).zigzag(exitCode).u8(EndReason.Signal).u8(1);
  p.preview({ type: 'string', text: signal });
  return new ByteWriter().record(Rec.End, p).toBytes();
}

/**
 * Makes the trace at `path` end with a record of the signal, unless it already ends (or is not a trace, or is
 * damaged before its end, where an appended record would never be read). Returns what it did.
 */
export function appendSignalEnd(path: string, signal: string, exitCode: number): 'added' | 'ended' | 'unreadable' {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch {
    return 'unreadable';
  }
  try {
    const frames = scanFrames(fd);
    if (!frames.header || frames.damaged) return 'unreadable';
    if (frames.ended) return 'ended';
    if (frames.cut > 0) ftruncateSync(fd, frames.whole);
    const record = signalEndRecord(signal, exitCode);
    let off = 0;
    while (off < record.length) off += writeSync(fd, record, off, record.length - off, frames.whole + off);
    return 'added';
  } finally {
    closeSync(fd);
  }
}
