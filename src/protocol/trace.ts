// The trace: what a recording is made of. Record kinds, their fields, value previews and the decoded event
// shapes that the model, the CLI, the extension and the webview all read. Imports nothing of theirs.

/** The first eight bytes of every trace file and stream (PNG-style, so text-mode damage is caught). */
export const TRACE_MAGIC = new Uint8Array([0x89, 0x59, 0x53, 0x54, 0x0d, 0x0a, 0x1a, 0x0a]);
export const TRACE_FORMAT = 'yieldscope-trace';
export const TRACE_VERSION = 1;
export const TRACE_FILE_EXTENSION = '.ystrace';

/** Record kinds: one byte, then the payload length as a varint, then the payload. */
export const Rec = {
  Header: 1,
  File: 2,
  Site: 3,
  Create: 16,
  Resume: 17,
  Yield: 18,
  Delegate: 19,
  Return: 20,
  Throw: 21,
  Reenter: 22,
  Output: 23,
  End: 24,
  Dropped: 25,
  /** A resumption by next(v) and the yield that ended it, with nothing in between: decoded as two events. */
  Step: 26,
  /** A `finally` block inside a generator started to run. */
  Finally: 27,
  /** A generator is handed to something that will drive it: for…of, spread, destructuring, Array.from. */
  Consume: 28,
  /**
   * A Step of a generator delegating with yield*: next(v) passed down `depth` levels of its chain (as the latest
   * delegate records describe it) and a yield at the bottom passed back up. Decoded as every level's resume, the
   * innermost's yield, and each delegating level's yield at its yield* site.
   */
  ChainStep: 29,
  /** An async function or async generator awaits a value at a site. */
  Await: 30,
  /** A callback is queued: a microtask, a nextTick, a timer, an immediate, an I/O callback. */
  TaskQueue: 31,
  /** A queued callback starts to run (the coroutine field is the one it interrupts: always 0). */
  TaskRun: 32,
  /** The callback that started last returned (or threw). */
  TaskEnd: 33,
  /**
   * An await of a native promise and the resumption after it (by a microtask, with the fulfilled value), with
   * nothing recorded in between: decoded as the two events.
   */
  AwaitStep: 34,
  /** A queued timer, interval or immediate is cleared before it runs (or, for an interval, before its next run). */
  TaskCancel: 35,
  /** The program started a worker thread or a child process, which the tracer does not follow. */
  Spawn: 37,
  /**
   * A sample of the program's memory (not an event: no sequence number, no time delta, no coroutine): time in
   * microseconds on the events' clock, V8 heap used and total, resident set size, in bytes.
   */
  Heap: 36,
} as const;

/** The queues a task waits in. */
export const Queue = { Microtask: 1, NextTick: 2, Timer: 3, Interval: 4, Immediate: 5, Io: 6 } as const;
export type QueueName = 'microtask' | 'nextTick' | 'timer' | 'interval' | 'immediate' | 'io';
export const queueNames: Record<number, QueueName> = {
  1: 'microtask',
  2: 'nextTick',
  3: 'timer',
  4: 'interval',
  5: 'immediate',
  6: 'io',
};

/** What kind of source position a site is. */
export const SiteKind = { Function: 1, Yield: 2, Delegate: 3, Await: 4, Finally: 5, Consume: 6 } as const;
export type SiteKindName = 'function' | 'yield' | 'delegate' | 'await' | 'finally' | 'consume';
export const siteKindNames: Record<number, SiteKindName> = {
  1: 'function',
  2: 'yield',
  3: 'delegate',
  4: 'await',
  5: 'finally',
  6: 'consume',
};

/** How a generator is driven, when the program hands it to a construct that iterates it. */
export type ConsumerName = 'for-of' | 'spread' | 'destructuring' | 'array-from' | 'collection';
export const consumerNames: Record<number, ConsumerName> = {
  1: 'for-of',
  2: 'spread',
  3: 'destructuring',
  4: 'array-from',
  5: 'collection',
};

export const CoKind = { Generator: 1, Async: 2, AsyncGenerator: 3, Iterator: 4 } as const;
export type CoroutineKind = 'generator' | 'async' | 'async-generator' | 'iterator';
export const coKindNames: Record<number, CoroutineKind> = {
  1: 'generator',
  2: 'async',
  3: 'async-generator',
  4: 'iterator',
};

export const Mode = { Next: 0, Throw: 1, Return: 2 } as const;
export type ResumeMode = 'next' | 'throw' | 'return';
export const modeNames: readonly ResumeMode[] = ['next', 'throw', 'return'];

export const EndReason = { Exit: 0, Uncaught: 1, Signal: 2, Cut: 3 } as const;
export type EndReasonName = 'exit' | 'uncaught' | 'signal' | 'cut';
export const endReasonNames: readonly EndReasonName[] = ['exit', 'uncaught', 'signal', 'cut'];

/** Preview tags: how a value is encoded inside a record. */
export const Tag = {
  Undefined: 0,
  Null: 1,
  True: 2,
  False: 3,
  Int: 4,
  Float: 5,
  String: 6,
  BigInt: 7,
  Symbol: 8,
  Other: 9,
} as const;

export type PreviewType =
  | 'undefined'
  | 'null'
  | 'boolean'
  | 'number'
  | 'string'
  | 'bigint'
  | 'symbol'
  | 'function'
  | 'object'
  | 'array'
  | 'map'
  | 'set'
  | 'error'
  | 'date'
  | 'regexp'
  | 'promise'
  | 'generator'
  | 'typedarray'
  | 'proxy'
  | 'other';

export const previewTypes: readonly PreviewType[] = [
  'undefined',
  'null',
  'boolean',
  'number',
  'string',
  'bigint',
  'symbol',
  'function',
  'object',
  'array',
  'map',
  'set',
  'error',
  'date',
  'regexp',
  'promise',
  'generator',
  'typedarray',
  'proxy',
  'other',
];

/** A value as it was when recorded: never the value itself. `text` is display text, never HTML. */
export interface Preview {
  readonly type: PreviewType;
  readonly text: string;
  readonly truncated?: boolean;
}

export interface TraceHeader {
  readonly format: string;
  readonly version: number;
  readonly program: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly node: string;
  readonly pid: number;
  /** Wall-clock start, milliseconds since the epoch. */
  readonly startTime: number;
  readonly tracer: string;
}

export interface SourceFile {
  readonly id: number;
  /** A file: URL or a path, as the program loaded it. */
  readonly url: string;
}

export interface Site {
  readonly id: number;
  readonly file: number;
  /** 1-based line in the original source. */
  readonly line: number;
  /** 1-based column in the original source. */
  readonly column: number;
  readonly kind: SiteKindName;
  /** For function sites, the display name; for other sites, the enclosing function's name. */
  readonly name: string;
}

interface EventBase {
  /** Position in the event sequence, counting dropped events, from 0. */
  readonly seq: number;
  /** Milliseconds since the recording started (monotonic; sampled, so close events may share a time). */
  readonly time: number;
}

/** 0 means "the top level" (no coroutine) wherever a coroutine id is expected. */
export type CoroutineId = number;

export type TraceEvent =
  | (EventBase & {
      readonly kind: 'create';
      readonly co: CoroutineId;
      readonly site: number;
      readonly parent: CoroutineId;
      readonly coKind: CoroutineKind;
      readonly args: readonly Preview[];
    })
  | (EventBase & {
      readonly kind: 'resume';
      readonly co: CoroutineId;
      readonly mode: ResumeMode;
      readonly value: Preview;
      readonly resumer: CoroutineId;
    })
  | (EventBase & { readonly kind: 'yield'; readonly co: CoroutineId; readonly site: number; readonly value: Preview })
  | (EventBase & {
      readonly kind: 'delegate';
      readonly co: CoroutineId;
      readonly site: number;
      /** The delegate's coroutine id, or 0 when it is not a recorded coroutine (an array, a string, …). */
      readonly target: CoroutineId;
      readonly iterable: Preview;
    })
  | (EventBase & { readonly kind: 'return'; readonly co: CoroutineId; readonly value: Preview })
  | (EventBase & { readonly kind: 'finally'; readonly co: CoroutineId; readonly site: number })
  | (EventBase & {
      readonly kind: 'consume';
      /** The generator being handed over. */
      readonly co: CoroutineId;
      readonly site: number;
      readonly how: ConsumerName;
    })
  | (EventBase & { readonly kind: 'throw'; readonly co: CoroutineId; readonly error: Preview })
  | (EventBase & {
      readonly kind: 'reenter';
      readonly co: CoroutineId;
      readonly mode: ResumeMode;
      readonly resumer: CoroutineId;
      readonly error: Preview;
    })
  | (EventBase & {
      readonly kind: 'output';
      readonly co: CoroutineId;
      readonly stream: 'stdout' | 'stderr';
      readonly text: string;
    })
  | (EventBase & {
      readonly kind: 'end';
      readonly co: CoroutineId;
      readonly exitCode: number;
      readonly reason: EndReasonName;
      readonly error?: Preview;
    })
  | (EventBase & { readonly kind: 'dropped'; readonly co: CoroutineId; readonly count: number })
  | (EventBase & {
      readonly kind: 'await';
      readonly co: CoroutineId;
      readonly site: number;
      /** The coroutine whose promise is awaited (an async function's result), or 0. */
      readonly target: CoroutineId;
      readonly value: Preview;
    })
  | (EventBase & {
      readonly kind: 'task-queue';
      /** Who queued it: a coroutine, or 0 for the top level. */
      readonly co: CoroutineId;
      readonly task: number;
      readonly queue: QueueName;
      /** Milliseconds, for timers and intervals; 0 otherwise. */
      readonly delay: number;
    })
  | (EventBase & { readonly kind: 'task-run'; readonly co: CoroutineId; readonly task: number })
  | (EventBase & { readonly kind: 'task-end'; readonly co: CoroutineId; readonly task: number })
  /** `co` (0 for the top level) cleared the queued task: it will not run (again). */
  | (EventBase & { readonly kind: 'task-cancel'; readonly co: CoroutineId; readonly task: number })
  /** `co` started a worker thread or a child process; its coroutines are not in this trace. */
  | (EventBase & {
      readonly kind: 'spawn';
      readonly co: CoroutineId;
      readonly what: 'worker' | 'child';
      /** The command line of a child, or `worker thread N`; cut to a few hundred characters. */
      readonly command: string;
    });

export type TraceEventKind = TraceEvent['kind'];
export const eventKinds: readonly TraceEventKind[] = [
  'create',
  'resume',
  'yield',
  'delegate',
  'return',
  'finally',
  'consume',
  'throw',
  'reenter',
  'output',
  'end',
  'dropped',
  'await',
  'task-queue',
  'task-run',
  'task-end',
  'task-cancel',
  'spawn',
];

/** Everything decoded from a trace, plus what was wrong with it, if anything. */
export interface Trace {
  header: TraceHeader | undefined;
  readonly files: Map<number, SourceFile>;
  readonly sites: Map<number, Site>;
  readonly events: TraceEvent[];
  /** Human-readable notes about damage: a truncated tail, unknown records, bad fields. */
  readonly problems: string[];
  /** Memory samples, in the order recorded (absent or empty when the tracer did not sample the heap). */
  readonly heap?: HeapSample[];
}

/** The program's memory at one moment (a `Heap` record). Sizes in bytes. */
export interface HeapSample {
  /** Milliseconds since the recording started, on the events' clock. */
  readonly time: number;
  /** The sequence number the next event took when the sample was read from the trace (events before it: `seq`). */
  readonly seq: number;
  /** V8 heap in use (live objects and garbage not yet collected). */
  readonly used: number;
  /** V8 heap reserved. */
  readonly total: number;
  /** Resident set size of the whole process (the tracer's buffers included). */
  readonly rss: number;
}

/** Limits the tracer applies to previews, shared so that tests and docs agree. */
export const PREVIEW_MAX_TEXT = 120;
export const PREVIEW_MAX_ENTRIES = 5;
export const MAX_RECORD_BYTES = 4096;
