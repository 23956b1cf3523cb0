// Starts the sink: the shared ring, the drain worker, and the end of the recording. The worker is started with
// no exec arguments (so the tracer does not load into it) and unreferenced (so it never keeps the program
// alive). Creating a Worker queues a process.nextTick, and one queued before the program's entry module runs
// changes how Node starts that module (its stack traces show it); so the worker starts later: with the first
// record, on the first turn of the event loop, or when the ring fills up first. Until it runs, the main thread
// writes the published records to the trace file itself (traceFile.ts). At exit the main thread writes the end
// record and waits, briefly, for the worker to write it out (or writes it itself, if no worker ever started).

import { Worker } from 'node:worker_threads';
import { encodeHeader } from '../../protocol/codec';
import type { TracerConfig } from '../config';
import { Ctl, SPILL, closeRing, initRing, publish, ringView, setPublishHook, setStarter, signal } from './ring';
import { closeQuietly, mainThreadWriter, openTraceFile, writeAll } from './traceFile';
import { whileQuiet } from '../runtime/tasks';

export interface SinkInfo {
  readonly program: string;
  readonly args: readonly string[];
  readonly tracer: string;
}

export interface DrainData {
  readonly data: SharedArrayBuffer;
  readonly ctl: SharedArrayBuffer;
  readonly header: Uint8Array;
  /** The trace file, opened by the main thread (its header written), or -1. */
  readonly fd: number;
  readonly socket: string | undefined;
  readonly token: string;
}

let ctlView: Int32Array | undefined;
const debug = process.env['YIELDSCOPE_DEBUG'] === '1';
let startWorker: (() => void) | undefined;
/** Closes the trace file at exit when no worker ever started and nothing else needs one; false otherwise. */
let closeWithoutWorker: () => boolean = () => false;

export function startSink(config: TracerConfig, info: SinkInfo, drainUrl: URL): void {
  const data = new SharedArrayBuffer(config.ringBytes + SPILL);
  const ctl = new SharedArrayBuffer(Ctl.Size * 4);
  ctlView = new Int32Array(ctl);
  initRing(data, ctl, config.maxWaitMs);
  const header = encodeHeader({
    program: info.program,
    args: [...info.args],
    cwd: process.cwd(),
    node: process.version,
    pid: process.pid,
    startTime: Date.now(),
    tracer: info.tracer,
  });
  // The file is claimed and its header written now, and records go to it from this thread until the worker runs
  // (see traceFile.ts): a program that dies before the worker is up still leaves its trace.
  let fd = config.out ? openTraceFile(config.out, process.pid) : -1;
  if (fd >= 0 && !writeAll(fd, header)) {
    closeQuietly(fd);
    fd = -1;
  }
  const workerData: DrainData = { data, ctl, header, fd, socket: config.socket, token: config.token };
  if (fd >= 0) {
    const writer = mainThreadWriter(fd, ctlView, ringView(), Atomics.load(ctlView, Ctl.Write));
    setPublishHook(writer.write);
    closeWithoutWorker = () => {
      if (startWorker === undefined || config.socket || !writer.owns()) return false;
      setPublishHook(undefined);
      closeQuietly(fd);
      return true;
    };
  }
  startWorker = () => {
    startWorker = undefined;
    setStarter(undefined);
    closeWithoutWorker = () => false;
    // The worker's start queues work of Node's own (a nextTick): not the program's, so not recorded.
    const worker = whileQuiet(
      () =>
        new Worker(drainUrl, {
          workerData,
          execArgv: [],
          stdout: true,
          stderr: true,
          trackUnmanagedFds: true,
        }),
    );
    // The worker never prints; if it fails, the recording stops and the program goes on untouched.
    worker.on('error', (e) => {
      // Never printed (that would change the program's stderr), except when debugging the tracer itself.
      if (debug)
        (process as unknown as { _rawDebug(s: string): void })._rawDebug(
          `yieldscope: drain worker failed: ${String((e as Error)?.stack ?? e)}`,
        );
      closeRing();
    });
    worker.unref();
  };
  setStarter(() => startWorker?.(), config.earlyDrain);
  setImmediate(() => startWorker?.()).unref();
}

/** Starts the worker if it has not started, and has it deliver what is written (a debugger paused the program). */
export function deliverNow(): void {
  if (!ctlView) return;
  startWorker?.();
  publish();
  signal();
}

/** Asks the worker to write out everything and finish; waits up to `timeoutMs`. */
export function finishSink(timeoutMs: number): void {
  const ctl = ctlView;
  if (!ctl) return;
  closeRing(); // publishes: what is left goes to the file now if the worker has not taken it over
  if (closeWithoutWorker()) return; // nothing left for a worker to do
  startWorker?.();
  Atomics.store(ctl, Ctl.State, 1);
  signal();
  const deadline = Date.now() + timeoutMs;
  while (Atomics.load(ctl, Ctl.State) !== 2) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    Atomics.wait(ctl, Ctl.State, 1, left);
  }
}
