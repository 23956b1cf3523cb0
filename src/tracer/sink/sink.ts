// Starts the sink: the shared ring, the drain worker, and the end of the recording. The worker is started with
// no exec arguments (so the tracer does not load into it) and unreferenced (so it never keeps the program
// alive). Creating a Worker queues a process.nextTick, and one queued before the program's entry module runs
// changes how Node starts that module (its stack traces show it); so the worker starts later: on the first
// turn of the event loop, when the ring fills up first, or at exit. Until then records wait in the ring.
// At exit the main thread writes the end record and waits, briefly, for the worker to write it out.

import { Worker } from 'node:worker_threads';
import { encodeHeader } from '../../protocol/codec';
import type { TracerConfig } from '../config';
import { Ctl, SPILL, closeRing, initRing, publish, setStarter, signal } from './ring';
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
  readonly out: string | undefined;
  readonly socket: string | undefined;
  readonly token: string;
  readonly pid: number;
}

let ctlView: Int32Array | undefined;
const debug = process.env['YIELDSCOPE_DEBUG'] === '1';
let startWorker: (() => void) | undefined;

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
  const workerData: DrainData = {
    data,
    ctl,
    header,
    out: config.out,
    socket: config.socket,
    token: config.token,
    pid: process.pid,
  };
  startWorker = () => {
    startWorker = undefined;
    setStarter(undefined);
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
  closeRing();
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
