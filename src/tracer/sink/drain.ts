// The drain worker: copies trace records out of the shared ring into the trace file and the editor's socket.
// It runs on its own thread, so events keep arriving while the program's main thread is busy or paused in a
// debugger. It never prints and never throws into the program: a failing output is dropped, the other goes on.

import { connect, type Socket } from 'node:net';
import { workerData } from 'node:worker_threads';
import type { DrainData } from './sink';
import { Ctl, SPILL, readable } from './ring';
import { closeQuietly, writeAll } from './traceFile';

const { data: dataBuffer, ctl: ctlBuffer, header, fd: traceFd, socket: socketPath, token } = workerData as DrainData;
const data = new Uint8Array(dataBuffer);
const ctl = new Int32Array(ctlBuffer);
/** The ring proper; the spill area after it is the writer's business. */
const capacity = data.length - SPILL;
const mask = capacity - 1;
const SOCKET_BACKLOG_LIMIT = 64 * 1024 * 1024;
/** How long to wait between polls while nothing is written. */
const IDLE_POLL_MS = 15;
/**
 * How long while records flow: a position is read once seen on two polls, so this is how far behind the writer
 * the file is when the program stops writing for good (a fatal error: the main thread runs no more code).
 */
const BUSY_POLL_MS = 2;

// Atomics.waitAsync alone does not keep a worker's event loop alive on every Node version: hold it open.
const keepAlive = setInterval(() => {}, 1 << 30);

let fd = -1;
let socket: Socket | undefined;
let socketOpen = false;
let read = Atomics.load(ctl, Ctl.Read);
/** The unfenced write position seen on the previous poll; safe to read up to now. */
let lastHint = read;
/** Bytes from `read` on that the main thread already wrote to the file (see traceFile.ts). */
let fileSkip = 0;

/** Takes the trace file over from the main thread, for good, and learns how far it got. */
function takeFile(): void {
  for (;;) {
    const owner = Atomics.compareExchange(ctl, Ctl.FileOwner, 0, 1);
    if (owner === 0 || owner === 1) break;
    Atomics.wait(ctl, Ctl.FileOwner, owner, 5); // the main thread is writing a few records
  }
  fd = traceFd;
  read = Atomics.load(ctl, Ctl.Read);
  lastHint = read;
  fileSkip = (Atomics.load(ctl, Ctl.FileDone) - read) >>> 0;
  if (fileSkip > capacity) fileSkip = 0; // it wrote nothing
}

function writeFile(bytes: Uint8Array): void {
  if (fd < 0) return;
  let from = 0;
  if (fileSkip > 0) {
    from = fileSkip < bytes.length ? fileSkip : bytes.length;
    fileSkip -= from;
  }
  if (from < bytes.length && !writeAll(fd, bytes, from, bytes.length - from)) {
    closeQuietly(fd);
    fd = -1;
  }
}

function writeSocket(bytes: Uint8Array): void {
  if (socket && socketOpen) socket.write(bytes);
}

/** Copies out what is safe to read; returns whether the writer has moved since the last poll. */
function drain(): boolean {
  if (socket && socket.writableLength > SOCKET_BACKLOG_LIMIT) return false; // the editor is behind: let the ring fill
  const published = Atomics.load(ctl, Ctl.Write) >>> 0;
  const hint = Atomics.load(ctl, Ctl.Hint) >>> 0;
  const n = readable(read, published, lastHint, hint, capacity);
  const moved = hint !== lastHint;
  lastHint = hint;
  if (n === 0) return moved;
  const start = read & mask;
  const chunk = new Uint8Array(n);
  if (start + n <= capacity) chunk.set(data.subarray(start, start + n));
  else {
    const first = capacity - start;
    chunk.set(data.subarray(start, capacity), 0);
    chunk.set(data.subarray(0, n - first), first);
  }
  writeFile(chunk);
  writeSocket(chunk);
  read = (read + n) >>> 0;
  Atomics.store(ctl, Ctl.Read, read | 0);
  Atomics.notify(ctl, Ctl.Read);
  return moved;
}

function finish(): void {
  lastHint = read; // the main thread published everything before asking to finish
  drain();
  if (fd >= 0) {
    closeQuietly(fd);
    fd = -1;
  }
  const done = (): void => {
    clearInterval(keepAlive);
    Atomics.store(ctl, Ctl.State, 2);
    Atomics.notify(ctl, Ctl.State);
  };
  if (socket && socketOpen) {
    const timer = setTimeout(done, 2000);
    socket.end(() => {
      clearTimeout(timer);
      done();
    });
  } else {
    done();
  }
}

async function loop(): Promise<void> {
  for (;;) {
    const moved = drain();
    if (Atomics.load(ctl, Ctl.State) === 1) {
      finish();
      return;
    }
    const seen = Atomics.load(ctl, Ctl.Signal);
    const waited = Atomics.waitAsync(ctl, Ctl.Signal, seen, moved ? BUSY_POLL_MS : IDLE_POLL_MS);
    if (waited.async) await waited.value;
  }
}

if (traceFd >= 0) takeFile();
if (socketPath) {
  socket = connect(socketPath);
  socket.on('error', () => {
    socketOpen = false;
  });
  socket.on('close', () => {
    socketOpen = false;
  });
  socketOpen = true;
  socket.write(`${token}\n`);
  socket.write(header);
}
void loop();
