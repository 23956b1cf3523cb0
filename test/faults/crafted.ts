// Trace bytes built by hand for the decoder's hostile-input tests: records with any payload, a markup-laden
// trace that is valid in every field, and the minimal repros of the decoder and model bugs this suite found
// (the fixtures/*.bin files hold the same bytes, for `yieldscope summary` and for people to try).

import { ByteWriter, encodeHeader, encodeTrace } from '../../src/protocol/codec';
import { Rec, TRACE_MAGIC, type Preview, type Trace, type TraceEvent } from '../../src/protocol/trace';

export const HEADER = {
  program: '/work/app.mjs',
  args: ['--x'],
  cwd: '/work',
  node: 'v20.20.2',
  pid: 7,
  startTime: 1_700_000_000_000,
  tracer: 'crafted',
};

/** The magic, the header, then each record as given: kind and payload (the length is written for it). */
export function traceOf(records: ReadonlyArray<readonly [number, ByteWriter]>, header = HEADER): Uint8Array {
  const w = new ByteWriter().bytes(encodeHeader(header));
  for (const [kind, payload] of records) w.record(kind, payload);
  return w.toBytes();
}

/** The magic and a header record whose payload is `json` as given. */
export function withHeaderText(json: string): Uint8Array {
  return new ByteWriter().bytes(TRACE_MAGIC).record(Rec.Header, new ByteWriter().string(json)).toBytes();
}

/** An event payload's common start: time delta, coroutine. */
export const ev = (co: number, dt = 0): ByteWriter => new ByteWriter().varint(dt).varint(co);

/** A yield of `text` by coroutine 1 at site 1: an ordinary, valid record. */
export const okYield = (text: string): [number, ByteWriter] => [
  Rec.Yield,
  ev(1).varint(1).preview({ type: 'string', text }),
];

/** What a page must show as text and never run: in every string field of a trace. */
export const MARKUP = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned=\'img\'">',
  '"><svg onload="window.__pwned=\'svg\'">',
  "javascript:window.__pwned='href'",
  '</script><script>window.__pwned="break-out"</script>',
  '<!-- <iframe srcdoc="<script>parent.__pwned=1</script>">',
  '&lt;b&gt;entity&lt;/b&gt; ${window.__pwned="template"}',
];

/** A valid trace whose every string (header, files, sites, values, output, errors) is markup from MARKUP. */
export function markupTrace(): Trace {
  const m = (i: number): string => MARKUP[i % MARKUP.length]!;
  const p = (type: Preview['type'], i: number): Preview => ({ type, text: m(i) });
  type Body = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 'time'> : never) : never;
  const bodies: Body[] = [
    { kind: 'create', co: 1, site: 1, parent: 0, coKind: 'generator', args: [p('string', 0), p('object', 1)] },
    { kind: 'resume', co: 1, mode: 'next', value: p('string', 2), resumer: 0 },
    { kind: 'yield', co: 1, site: 2, value: p('string', 3) },
    { kind: 'create', co: 2, site: 3, parent: 1, coKind: 'generator', args: [p('function', 4)] },
    { kind: 'delegate', co: 1, site: 4, target: 2, iterable: p('generator', 5) },
    { kind: 'resume', co: 2, mode: 'next', value: p('map', 6), resumer: 1 },
    { kind: 'yield', co: 2, site: 5, value: p('error', 0) },
    { kind: 'yield', co: 1, site: 4, value: p('error', 0) },
    { kind: 'output', co: 0, stream: 'stdout', text: `${m(1)}\n` },
    { kind: 'output', co: 0, stream: 'stderr', text: `${m(4)}\n` },
    { kind: 'resume', co: 1, mode: 'throw', value: p('error', 2), resumer: 0 },
    { kind: 'reenter', co: 1, mode: 'next', resumer: 1, error: p('error', 3) },
    { kind: 'throw', co: 2, error: p('error', 5) },
    { kind: 'create', co: 3, site: 6, parent: 0, coKind: 'async', args: [p('symbol', 6), p('bigint', 0)] },
    { kind: 'await', co: 3, site: 7, target: 0, value: p('promise', 1) },
    { kind: 'task-queue', co: 3, task: 1, queue: 'timer', delay: 5 },
    { kind: 'task-run', co: 0, task: 1 },
    { kind: 'task-end', co: 0, task: 1 },
    { kind: 'return', co: 3, value: p('regexp', 2) },
    { kind: 'end', co: 0, exitCode: 1, reason: 'uncaught', error: p('error', 4) },
  ];
  return {
    header: {
      format: 'yieldscope-trace',
      version: 1,
      program: `/work/${m(0)}.mjs`,
      args: [m(1), m(2)],
      cwd: `/work/${m(3)}`,
      node: m(4),
      pid: 9,
      startTime: 0,
      tracer: m(5),
    },
    files: new Map([
      [1, { id: 1, url: `file:///work/${encodeURIComponent(m(0))}.mjs` }],
      [2, { id: 2, url: m(3) }],
    ]),
    sites: new Map(
      [1, 2, 3, 4, 5, 6, 7].map((id) => [
        id,
        {
          id,
          file: id % 2 === 0 ? 2 : 1,
          line: id,
          column: 1,
          kind: (['function', 'yield', 'function', 'delegate', 'yield', 'function', 'await'] as const)[id - 1]!,
          name: m(id),
        },
      ]),
    ),
    events: bodies.map((b, seq) => ({ ...b, seq, time: seq }) as TraceEvent),
    problems: [],
  };
}

export function markupTraceBytes(): Uint8Array {
  return encodeTrace(markupTrace());
}

/**
 * Coroutines 1 and 2 delegate to each other (no program can: a generator cannot resume itself), then `steps`
 * chain steps of `depth` levels each. Each 12-byte record expands to 2 × depth + 2 events.
 */
export function chainCycle(steps = 100, depth = 30_000): Uint8Array {
  const none: Preview = { type: 'undefined', text: 'undefined' };
  const records: [number, ByteWriter][] = [
    [Rec.Delegate, ev(1).varint(1).varint(2).preview(none)],
    [Rec.Delegate, ev(2).varint(1).varint(1).preview(none)],
  ];
  for (let i = 0; i < steps; i++) {
    records.push([Rec.ChainStep, ev(1).varint(0).preview(none).varint(depth).varint(1).preview(none)]);
  }
  return traceOf(records);
}

/** A dropped record whose count takes seq past 2^53, then two more events. */
export function seqPastSafe(): Uint8Array {
  return traceOf([
    okYield('before'),
    [Rec.Dropped, ev(0).varint(Number.MAX_SAFE_INTEGER - 1)],
    okYield('after 1'),
    okYield('after 2'),
  ]);
}

/** Coroutine, task and site ids, exit codes and counts beyond 32 bits, all within what varints carry. */
export function largeIds(): Uint8Array {
  const big = 2 ** 32 + 5;
  const none: Preview = { type: 'undefined', text: 'undefined' };
  return traceOf([
    [
      Rec.Site,
      new ByteWriter()
        .varint(big)
        .varint(1)
        .varint(2 ** 40)
        .varint(2 ** 40)
        .u8(1)
        .string('g'),
    ],
    [
      Rec.Create,
      ev(big)
        .varint(big)
        .varint(2 ** 31 + 7)
        .u8(1)
        .varint(0),
    ],
    [Rec.Create, ev(5).varint(big).varint(0).u8(1).varint(0)],
    [
      Rec.Resume,
      ev(big)
        .u8(0)
        .preview(none)
        .varint(2 ** 33),
    ],
    [
      Rec.TaskQueue,
      ev(big)
        .varint(2 ** 35)
        .u8(3)
        .varint(2 ** 31),
    ],
    [
      Rec.End,
      ev(0)
        .zigzag(-(2 ** 40))
        .u8(0)
        .u8(0),
    ],
  ]);
}

/** Terminal control sequences: retitle the window, clear the screen, colour, and OSC 52 (set the clipboard). */
export const TERMINAL_ESCAPES = '\x1b]0;retitled\x07\x1b[2J\x1b[31m\x1b]52;c;ZWNobyBwd25lZA==\x07';

/** A valid trace whose program, function name, values and end error hold TERMINAL_ESCAPES. */
export function terminalEscapes(): Uint8Array {
  const e = TERMINAL_ESCAPES;
  return encodeTrace({
    header: {
      format: 'yieldscope-trace',
      version: 1,
      program: `/w/${e}.mjs`,
      args: [e],
      cwd: '/w',
      node: e,
      pid: 1,
      startTime: 0,
      tracer: e,
    },
    files: new Map([[1, { id: 1, url: `file:///w/${encodeURIComponent(e)}.mjs` }]]),
    sites: new Map([[1, { id: 1, file: 1, line: 1, column: 1, kind: 'function', name: e }]]),
    events: [
      {
        seq: 0,
        time: 0,
        kind: 'create',
        co: 1,
        site: 1,
        parent: 0,
        coKind: 'generator',
        args: [{ type: 'string', text: e }],
      },
      { seq: 1, time: 0, kind: 'return', co: 1, value: { type: 'object', text: e } },
      { seq: 2, time: 0, kind: 'output', co: 0, stream: 'stdout', text: e },
      { seq: 3, time: 0, kind: 'end', co: 0, exitCode: 1, reason: 'uncaught', error: { type: 'error', text: e } },
    ],
    problems: [],
  });
}
