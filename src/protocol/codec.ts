// The binary trace codec. A trace is TRACE_MAGIC followed by records: kind (u8), payload length (varint),
// payload. Varints are unsigned LEB128 up to 2^53; signed numbers are zigzag-encoded; strings are a byte
// length then UTF-8. Decoding never trusts a length or an id: damage ends the decode with a problem noted
// and everything before it kept.

import {
  EndReason,
  MAX_RECORD_BYTES,
  Mode,
  Rec,
  Tag,
  TRACE_FORMAT,
  TRACE_MAGIC,
  TRACE_VERSION,
  coKindNames,
  consumerNames,
  endReasonNames,
  modeNames,
  queueNames,
  previewTypes,
  siteKindNames,
  type HeapSample,
  type Preview,
  type Site,
  type SourceFile,
  type Trace,
  type TraceEvent,
  type TraceHeader,
} from './trace';

/** The highest sequence number a dropped count may reach, leaving room for 2^40 more events. */
const SEQ_LIMIT = Number.MAX_SAFE_INTEGER - 2 ** 40;

export class TraceFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceFormatError';
  }
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** Growable byte buffer with the trace's primitive encodings. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(n: number): this {
    this.ensure(1);
    this.buf[this.length++] = n & 0xff;
    return this;
  }

  varint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint out of range: ${n}`);
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.length++] = n;
    return this;
  }

  zigzag(n: number): this {
    return this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  f64(n: number): this {
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.length, 8).setFloat64(0, n, true);
    this.length += 8;
    return this;
  }

  string(s: string): this {
    const bytes = utf8.encode(s);
    this.varint(bytes.length);
    this.bytes(bytes);
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  preview(p: Preview): this {
    switch (p.type) {
      case 'undefined':
        return this.u8(Tag.Undefined);
      case 'null':
        return this.u8(Tag.Null);
      case 'boolean':
        return this.u8(p.text === 'true' ? Tag.True : Tag.False);
      case 'number': {
        const n = Number(p.text);
        if (Number.isSafeInteger(n) && !Object.is(n, -0)) return this.u8(Tag.Int).zigzag(n);
        return this.u8(Tag.Float).f64(n);
      }
      case 'string':
        return this.u8(Tag.String)
          .varint(p.truncated ? p.text.length + 1 : p.text.length)
          .string(p.text);
      case 'bigint':
        return this.u8(Tag.BigInt).string(p.text);
      case 'symbol':
        return this.u8(Tag.Symbol).string(p.text);
      default:
        return this.u8(Tag.Other)
          .u8(previewTypes.indexOf(p.type))
          .u8(p.truncated ? 1 : 0)
          .string(p.text);
    }
  }

  /** Appends a whole record: kind, payload length, payload. */
  record(kind: number, payload: ByteWriter): this {
    this.u8(kind).varint(payload.length);
    return this.bytes(payload.toBytes());
  }

  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Reads primitives from a bounded slice; every read checks the bound. */
class ByteReader {
  constructor(
    private readonly buf: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) throw new TraceFormatError('record ends early');
    return this.buf[this.pos++]!;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) break;
        return result;
      }
      scale *= 0x80;
    }
    throw new TraceFormatError('number too large');
  }

  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  f64(): number {
    if (this.pos + 8 > this.end) throw new TraceFormatError('record ends early');
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8);
    this.pos += 8;
    return view.getFloat64(0, true);
  }

  string(): string {
    const n = this.varint();
    if (this.pos + n > this.end) throw new TraceFormatError('text runs past its record');
    const s = utf8Decoder.decode(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }

  preview(): Preview {
    const tag = this.u8();
    switch (tag) {
      case Tag.Undefined:
        return { type: 'undefined', text: 'undefined' };
      case Tag.Null:
        return { type: 'null', text: 'null' };
      case Tag.True:
        return { type: 'boolean', text: 'true' };
      case Tag.False:
        return { type: 'boolean', text: 'false' };
      case Tag.Int:
        return { type: 'number', text: String(this.zigzag()) };
      case Tag.Float:
        return { type: 'number', text: numberText(this.f64()) };
      case Tag.String: {
        const total = this.varint();
        const text = this.string();
        return total > text.length ? { type: 'string', text, truncated: true } : { type: 'string', text };
      }
      case Tag.BigInt:
        return { type: 'bigint', text: this.string() };
      case Tag.Symbol:
        return { type: 'symbol', text: this.string() };
      case Tag.Other: {
        const type = previewTypes[this.u8()];
        if (!type) throw new TraceFormatError('unknown value type');
        const flags = this.u8();
        const text = this.string();
        return flags & 1 ? { type, text, truncated: true } : { type, text };
      }
      default:
        throw new TraceFormatError(`unknown value tag ${tag}`);
    }
  }
}

function numberText(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function enumName<T>(names: Readonly<Record<number, T>>, n: number, what: string): T {
  const name = names[n];
  if (name === undefined) throw new TraceFormatError(`unknown ${what} ${n}`);
  return name;
}

function parseHeader(text: string): TraceHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TraceFormatError('the header is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null) throw new TraceFormatError('the header is not an object');
  const h = raw as Record<string, unknown>;
  if (h['format'] !== TRACE_FORMAT) throw new TraceFormatError('the header names another format');
  const version = h['version'];
  if (typeof version !== 'number') throw new TraceFormatError('the header has no version');
  if (version > TRACE_VERSION) {
    throw new TraceFormatError(
      `trace format version ${version} is newer than this Yieldscope understands (${TRACE_VERSION}); update Yieldscope`,
    );
  }
  const str = (k: string): string => (typeof h[k] === 'string' ? (h[k] as string) : '');
  const num = (k: string): number => (typeof h[k] === 'number' && Number.isFinite(h[k]) ? (h[k] as number) : 0);
  const args = Array.isArray(h['args']) ? h['args'].filter((a): a is string => typeof a === 'string') : [];
  return {
    format: TRACE_FORMAT,
    version,
    program: str('program'),
    args,
    cwd: str('cwd'),
    node: str('node'),
    pid: num('pid'),
    startTime: num('startTime'),
    tracer: str('tracer'),
  };
}

export function emptyTrace(): Trace {
  return { header: undefined, files: new Map(), sites: new Map(), events: [], problems: [], heap: [] };
}

/**
 * Longest yield* chain a ChainStep record may stand for (a bound on the work one record can cause; a deeper real
 * chain would have overflowed the program's stack first).
 */
const MAX_CHAIN = 10_000;

/**
 * Streaming decoder: push chunks as they arrive; complete records are applied to `trace` at once, a partial
 * record waits for the next chunk. After a format error the decoder stops and ignores further input.
 */
export class TraceDecoder {
  readonly trace: Trace = emptyTrace();
  private pending = new Uint8Array(0);
  private magicSeen = false;
  private seq = 0;
  private timeMicros = 0;
  /** Set once the stream is known to be broken; no more input is read. */
  failed: TraceFormatError | undefined;
  /** Total bytes accepted so far. */
  bytes = 0;
  /** Events after the first that a Step or ChainStep record stands for, added right after it. */
  private extra: TraceEvent[] = [];
  /** The latest generator delegate of each coroutine and the site of its yield*, for ChainStep records. */
  private delegations = new Map<number, { target: number; site: number }>();

  /** Decodes what it can; returns the events added by this chunk. */
  push(chunk: Uint8Array): TraceEvent[] {
    if (this.failed) return [];
    this.bytes += chunk.length;
    const buf = this.pending.length ? concat(this.pending, chunk) : chunk;
    /** Stream offset of buf[0], for messages that say where damage is. */
    const base = this.bytes - buf.length;
    const added: TraceEvent[] = [];
    let pos = 0;
    try {
      if (!this.magicSeen) {
        const n = Math.min(buf.length, TRACE_MAGIC.length);
        for (let i = 0; i < n; i++) {
          if (buf[i] !== TRACE_MAGIC[i]) throw new TraceFormatError('not a Yieldscope trace (wrong signature)');
        }
        if (buf.length < TRACE_MAGIC.length) {
          this.pending = buf.slice();
          return added;
        }
        this.magicSeen = true;
        pos = TRACE_MAGIC.length;
      }
      while (pos < buf.length) {
        const head = new ByteReader(buf, pos, buf.length);
        let kind: number;
        let len: number;
        try {
          kind = head.u8();
          len = head.varint();
        } catch (e) {
          if (buf.length - pos < 10) break; // the length itself is still arriving
          throw e;
        }
        if (len > MAX_RECORD_BYTES * 4) throw new TraceFormatError(`record of ${len} bytes is too large`);
        if (head.pos + len > buf.length) break;
        const body = new ByteReader(buf, head.pos, head.pos + len);
        const ev = this.record(kind, body);
        if (ev) added.push(ev);
        if (this.extra.length) {
          for (const e of this.extra) added.push(e);
          this.extra = [];
        }
        pos = head.pos + len;
      }
    } catch (e) {
      this.fail(e, base + pos);
      return added;
    }
    this.pending = pos < buf.length ? buf.slice(pos) : new Uint8Array(0);
    return added;
  }

  /** Call at the end of input: notes a truncated tail or a missing header. */
  finish(): Trace {
    if (!this.failed) {
      if (!this.magicSeen) this.fail(new TraceFormatError('not a Yieldscope trace (too short)'), 0);
      else if (this.pending.length)
        this.trace.problems.push(`the trace ends inside a record (${this.pending.length} bytes cut)`);
      else if (!this.trace.header) this.fail(new TraceFormatError('the trace has no header'), this.bytes);
    }
    this.pending = new Uint8Array(0);
    return this.trace;
  }

  private fail(e: unknown, offset: number): void {
    const err = e instanceof TraceFormatError ? e : new TraceFormatError(String(e));
    this.failed = err;
    this.trace.problems.push(offset > 0 ? `${err.message} (at byte ${offset})` : err.message);
  }

  private record(kind: number, r: ByteReader): TraceEvent | undefined {
    const t = this.trace;
    if (kind === Rec.Header) {
      if (t.header) throw new TraceFormatError('a second header');
      t.header = parseHeader(r.string());
      return undefined;
    }
    if (!t.header) throw new TraceFormatError('records before the header');
    switch (kind) {
      case Rec.File: {
        const file: SourceFile = { id: r.varint(), url: r.string() };
        t.files.set(file.id, file);
        return undefined;
      }
      case Rec.Site: {
        const site: Site = {
          id: r.varint(),
          file: r.varint(),
          line: r.varint(),
          column: r.varint(),
          kind: enumName(siteKindNames, r.u8(), 'site kind'),
          name: r.string(),
        };
        t.sites.set(site.id, site);
        return undefined;
      }
      case Rec.Heap:
        if (t.heap) addHeapSample(t.heap, readHeapSample(r, this.seq));
        return undefined;
    }
    const dt = r.varint();
    this.timeMicros += dt;
    const base = { seq: this.seq++, time: this.timeMicros / 1000, co: r.varint() };
    let ev: TraceEvent;
    switch (kind) {
      case Rec.Create: {
        const site = r.varint();
        const parent = r.varint();
        const coKind = enumName(coKindNames, r.u8(), 'coroutine kind');
        const argc = r.varint();
        if (argc > 64) throw new TraceFormatError('too many arguments');
        const args: Preview[] = [];
        for (let i = 0; i < argc; i++) args.push(r.preview());
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'create', site, parent, coKind, args };
        break;
      }
      case Rec.Resume: {
        const mode = enumName(modeNames, r.u8(), 'resume mode');
        ev = {
          seq: base.seq,
          time: base.time,
          co: base.co,
          kind: 'resume',
          mode,
          value: r.preview(),
          resumer: r.varint(),
        };
        break;
      }
      case Rec.Yield:
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'yield', site: r.varint(), value: r.preview() };
        break;
      case Rec.Delegate: {
        const site = r.varint();
        const target = r.varint();
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'delegate', site, target, iterable: r.preview() };
        if (target !== 0) this.delegations.set(base.co, { target, site });
        else this.delegations.delete(base.co);
        break;
      }
      case Rec.Return:
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'return', value: r.preview() };
        break;
      case Rec.Finally:
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'finally', site: r.varint() };
        break;
      case Rec.Consume: {
        const site = r.varint();
        ev = {
          seq: base.seq,
          time: base.time,
          co: base.co,
          kind: 'consume',
          site,
          how: enumName(consumerNames, r.u8(), 'consumer'),
        };
        break;
      }
      case Rec.Throw:
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'throw', error: r.preview() };
        break;
      case Rec.Reenter: {
        const mode = enumName(modeNames, r.u8(), 'resume mode');
        ev = {
          seq: base.seq,
          time: base.time,
          co: base.co,
          kind: 'reenter',
          mode,
          resumer: r.varint(),
          error: r.preview(),
        };
        break;
      }
      case Rec.Output: {
        const stream = r.u8() === 2 ? 'stderr' : 'stdout';
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'output', stream, text: r.string() };
        break;
      }
      case Rec.End: {
        const exitCode = r.zigzag();
        const reason = enumName(endReasonNames, r.u8(), 'end reason');
        const hasError = r.u8() === 1;
        ev = hasError
          ? { seq: base.seq, time: base.time, co: base.co, kind: 'end', exitCode, reason, error: r.preview() }
          : { seq: base.seq, time: base.time, co: base.co, kind: 'end', exitCode, reason };
        break;
      }
      case Rec.Step: {
        const resumer = r.varint();
        const value = r.preview();
        const site = r.varint();
        const out = r.preview();
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'resume', mode: 'next', value, resumer };
        this.extra.push({ seq: this.seq++, time: base.time, co: base.co, kind: 'yield', site, value: out });
        t.events.push(ev, ...this.extra);
        return ev;
      }
      case Rec.ChainStep: {
        const resumer = r.varint();
        const value = r.preview();
        const depth = r.varint();
        const site = r.varint();
        const out = r.preview();
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'resume', mode: 'next', value, resumer };
        this.expandChain(base, depth, value, site, out);
        t.events.push(ev, ...this.extra);
        return ev;
      }
      case Rec.Await: {
        const site = r.varint();
        const target = r.varint();
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'await', site, target, value: r.preview() };
        break;
      }
      case Rec.AwaitStep: {
        const site = r.varint();
        const target = r.varint();
        const resumed = r.preview();
        ev = {
          seq: base.seq,
          time: base.time,
          co: base.co,
          kind: 'await',
          site,
          target,
          value: { type: 'promise', text: 'Promise' },
        };
        this.extra.push({
          seq: this.seq++,
          time: base.time,
          co: base.co,
          kind: 'resume',
          mode: 'next',
          value: resumed,
          resumer: 0,
        });
        t.events.push(ev, ...this.extra);
        return ev;
      }
      case Rec.TaskQueue: {
        const task = r.varint();
        const queue = enumName(queueNames, r.u8(), 'queue');
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'task-queue', task, queue, delay: r.varint() };
        break;
      }
      case Rec.TaskRun:
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'task-run', task: r.varint() };
        break;
      case Rec.TaskEnd:
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'task-end', task: r.varint() };
        break;
      case Rec.TaskCancel:
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'task-cancel', task: r.varint() };
        break;
      case Rec.Spawn: {
        const what = r.u8() === 1 ? 'child' : 'worker';
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'spawn', what, command: r.string() };
        break;
      }
      case Rec.Dropped: {
        const count = r.varint();
        ev = { seq: base.seq, time: base.time, co: base.co, kind: 'dropped', count };
        // Sequence numbers must stay exact (the model seeks by them): a count that would take them near 2^53 is
        // kept as written, but the numbers after it advance only as far as stays exact (no tracer drops that many).
        if (count > SEQ_LIMIT - this.seq) {
          t.problems.push(`a dropped count of ${count} is too large: the sequence numbers after it do not skip it`);
          this.seq = SEQ_LIMIT;
        } else this.seq += count;
        this.delegations.clear(); // what the dropped records said about chains is lost
        break;
      }
      default:
        // A kind from a newer minor revision: skip it, keep the sequence numbers honest.
        this.seq--;
        this.timeMicros -= dt;
        if (!t.problems.includes(`skipped unknown record kind ${kind}`))
          t.problems.push(`skipped unknown record kind ${kind}`);
        return undefined;
    }
    t.events.push(ev);
    return ev;
  }

  /**
   * The events after the first of a ChainStep: each level's resume (by the level above), the innermost's yield,
   * then each delegating level's yield of the same value at its yield* site, innermost first.
   */
  private expandChain(
    base: { seq: number; time: number; co: number },
    depth: number,
    value: Preview,
    site: number,
    out: Preview,
  ): void {
    const chain: Array<{ co: number; site: number }> = [];
    const seen = new Set<number>([base.co]);
    let co = base.co;
    for (let i = 0; i < depth; i++) {
      const d = this.delegations.get(co);
      if (d === undefined || chain.length >= MAX_CHAIN || seen.has(d.target)) {
        // A delegate missing (dropped records) or met twice (a chain cannot loop: the trace is damaged).
        const problem =
          d !== undefined && seen.has(d.target)
            ? `a chain step of coroutine ${base.co} loops through its delegates`
            : `a chain step goes past the known delegates of coroutine ${co}`;
        if (!this.trace.problems.includes(problem)) this.trace.problems.push(problem);
        break;
      }
      seen.add(d.target);
      chain.push({ co, site: d.site });
      this.extra.push({
        seq: this.seq++,
        time: base.time,
        co: d.target,
        kind: 'resume',
        mode: 'next',
        value,
        resumer: co,
      });
      co = d.target;
    }
    this.extra.push({ seq: this.seq++, time: base.time, co, kind: 'yield', site, value: out });
    for (let i = chain.length - 1; i >= 0; i--) {
      const level = chain[i]!;
      this.extra.push({ seq: this.seq++, time: base.time, co: level.co, kind: 'yield', site: level.site, value: out });
    }
  }
}

/**
 * A Heap record: time (microseconds), heap used, heap total, RSS (bytes, varints). Fields a newer tracer appends
 * after these are ignored; a record with fewer is damage.
 */
function readHeapSample(r: ByteReader, seq: number): HeapSample {
  const time = r.varint() / 1000;
  return { time, seq, used: r.varint(), total: r.varint(), rss: r.varint() };
}

/**
 * Most heap samples a decoded trace holds (over 5 minutes at one per 5 ms): past it every other one is let go, so
 * that a recording that nobody reads the samples of (the webview moves them into a bounded series) stays bounded.
 */
export const MAX_HEAP_SAMPLES = 65_536;

function addHeapSample(list: HeapSample[], sample: HeapSample): void {
  if (list.length >= MAX_HEAP_SAMPLES) {
    let kept = 0;
    for (let i = 1; i < list.length; i += 2) list[kept++] = list[i]!;
    list.length = kept;
  }
  list.push(sample);
}

function writeHeapSample(w: ByteWriter, s: HeapSample): void {
  const n = (v: number): number =>
    Number.isFinite(v) ? Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.round(v))) : 0;
  w.record(
    Rec.Heap,
    new ByteWriter()
      .varint(n(s.time * 1000))
      .varint(n(s.used))
      .varint(n(s.total))
      .varint(n(s.rss)),
  );
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Decodes a whole trace held in memory. Never throws: damage is reported in `problems`. */
export function decodeTrace(bytes: Uint8Array): Trace {
  const d = new TraceDecoder();
  d.push(bytes);
  return d.finish();
}

/** True when the trace could not be read at all (as opposed to a damaged tail). */
export function isUnreadable(trace: Trace): boolean {
  return trace.header === undefined;
}

/** Encodes the header record that opens every trace. */
export function encodeHeader(header: Omit<TraceHeader, 'format' | 'version'>): Uint8Array {
  const full: TraceHeader = { format: TRACE_FORMAT, version: TRACE_VERSION, ...header };
  const w = new ByteWriter().bytes(TRACE_MAGIC);
  w.record(Rec.Header, new ByteWriter().string(JSON.stringify(full)));
  return w.toBytes();
}

/** Encodes decoded events back to bytes (tests, exports, trimming a trace). */
export function encodeTrace(trace: Trace): Uint8Array {
  if (!trace.header) throw new TraceFormatError('cannot encode a trace without a header');
  const { format: _f, version: _v, ...rest } = trace.header;
  const w = new ByteWriter().bytes(encodeHeader(rest));
  for (const f of trace.files.values()) w.record(Rec.File, new ByteWriter().varint(f.id).string(f.url));
  for (const s of trace.sites.values()) {
    const kind = Number(Object.keys(siteKindNames).find((k) => siteKindNames[Number(k)] === s.kind));
    w.record(
      Rec.Site,
      new ByteWriter().varint(s.id).varint(s.file).varint(s.line).varint(s.column).u8(kind).string(s.name),
    );
  }
  let lastMicros = 0;
  const heap = trace.heap ?? [];
  let h = 0;
  for (const ev of trace.events) {
    for (; h < heap.length && heap[h]!.seq <= ev.seq; h++) writeHeapSample(w, heap[h]!);
    const micros = Math.max(lastMicros, Math.round(ev.time * 1000));
    const p = new ByteWriter().varint(micros - lastMicros).varint(ev.co);
    lastMicros = micros;
    w.record(encodeEventBody(ev, p), p);
  }
  for (; h < heap.length; h++) writeHeapSample(w, heap[h]!);
  return w.toBytes();
}

function encodeEventBody(ev: TraceEvent, p: ByteWriter): number {
  switch (ev.kind) {
    case 'create':
      p.varint(ev.site).varint(ev.parent);
      p.u8(Number(Object.keys(coKindNames).find((k) => coKindNames[Number(k)] === ev.coKind)));
      p.varint(ev.args.length);
      for (const a of ev.args) p.preview(a);
      return Rec.Create;
    case 'resume':
      p.u8(Mode[capital(ev.mode)]).preview(ev.value).varint(ev.resumer);
      return Rec.Resume;
    case 'yield':
      p.varint(ev.site).preview(ev.value);
      return Rec.Yield;
    case 'delegate':
      p.varint(ev.site).varint(ev.target).preview(ev.iterable);
      return Rec.Delegate;
    case 'return':
      p.preview(ev.value);
      return Rec.Return;
    case 'finally':
      p.varint(ev.site);
      return Rec.Finally;
    case 'consume':
      p.varint(ev.site).u8(Number(Object.keys(consumerNames).find((k) => consumerNames[Number(k)] === ev.how)));
      return Rec.Consume;
    case 'throw':
      p.preview(ev.error);
      return Rec.Throw;
    case 'reenter':
      p.u8(Mode[capital(ev.mode)]).varint(ev.resumer).preview(ev.error);
      return Rec.Reenter;
    case 'output':
      p.u8(ev.stream === 'stderr' ? 2 : 1).string(ev.text);
      return Rec.Output;
    case 'end':
      p.zigzag(ev.exitCode).u8(EndReason[capital(ev.reason)]);
      if (ev.error) p.u8(1).preview(ev.error);
      else p.u8(0);
      return Rec.End;
    case 'dropped':
      p.varint(ev.count);
      return Rec.Dropped;
    case 'await':
      p.varint(ev.site).varint(ev.target).preview(ev.value);
      return Rec.Await;
    case 'task-queue':
      p.varint(ev.task).u8(Number(Object.keys(queueNames).find((k) => queueNames[Number(k)] === ev.queue)));
      p.varint(ev.delay);
      return Rec.TaskQueue;
    case 'task-run':
      p.varint(ev.task);
      return Rec.TaskRun;
    case 'task-end':
      p.varint(ev.task);
      return Rec.TaskEnd;
    case 'task-cancel':
      p.varint(ev.task);
      return Rec.TaskCancel;
    case 'spawn':
      p.u8(ev.what === 'child' ? 1 : 0).string(ev.command);
      return Rec.Spawn;
  }
}

function capital<T extends string>(s: T): Capitalize<T> {
  return (s.charAt(0).toUpperCase() + s.slice(1)) as Capitalize<T>;
}
