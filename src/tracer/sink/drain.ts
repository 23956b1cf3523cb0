// The drain worker: copies trace records out of the shared ring into the trace file and the editor's socket.
// It runs on its own thread, so events keep arriving while the program's main thread is busy or paused in a
// debugger. It never prints and never throws into the program: a failing output is dropped, the other goes on.

import { closeSync, openSync, writeSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { parse } from 'node:path';
import { workerData } from 'node:worker_threads';
import type { DrainData } from './sink';
import { Ctl, SPILL, readable } from './ring';

const { data: dataBuffer, ctl: ctlBuffer, header, out, socket: socketPath, token, pid } = workerData as DrainData;
const data = new Uint8Array(dataBuffer);
const ctl = new Int32Array(ctlBuffer);
/** The ring proper; the spill area after it is the writer's business. */
const capacity = data.length - SPILL;
const mask = capacity - 1;
const SOCKET_BACKLOG_LIMIT = 64 * 1024 * 1024;
const POLL_MS = 15;

// Atomics.waitAsync alone does not keep a worker's event loop alive on every Node version: hold it open.
const keepAlive = setInterval(() => {}, 1 << 30);

let fd = -1;
let socket: Socket | undefined;
let socketOpen = false;
let read = Atomics.load(ctl, Ctl.Read);
/** The unfenced write position seen on the previous poll; safe to read up to now. */
let lastHint = read;

/** Claims the trace file. A second traced process (a child) writing to the same path gets its own file. */
function openOut(path: string): number {
  try {
    return openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return -1;
    const p = parse(path);
    try {
      return openSync(`${p.dir}/${p.name}-${pid}${p.ext || '.ystrace'}`, 'w', 0o600);
    } catch {
      return -1;
    }
  }
}

function writeFile(bytes: Uint8Array): void {
  if (fd < 0) return;
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  } catch {
    try {
      closeSync(fd);
    } catch {
      // already gone
    }
    fd = -1;
  }
}

function writeSocket(bytes: Uint8Array): void {
  if (socket && socketOpen) socket.write(bytes);
}

function drain(): void {
  if (socket && socket.writableLength > SOCKET_BACKLOG_LIMIT) return; // the editor is behind: let the ring fill
  const published = Atomics.load(ctl, Ctl.Write) >>> 0;
  const hint = Atomics.load(ctl, Ctl.Hint) >>> 0;
  const n = readable(read, published, lastHint, hint, capacity);
  lastHint = hint;
  if (n === 0) return;
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
}

function finish(): void {
  lastHint = read; // the main thread published everything before asking to finish
  drain();
  if (fd >= 0) {
    try {
      closeSync(fd);
    } catch {
      // nothing more to do
    }
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
    drain();
    if (Atomics.load(ctl, Ctl.State) === 1) {
      finish();
      return;
    }
    const seen = Atomics.load(ctl, Ctl.Signal);
    const waited = Atomics.waitAsync(ctl, Ctl.Signal, seen, POLL_MS);
    if (waited.async) await waited.value;
  }
}

if (out) {
  fd = openOut(out);
  writeFile(header);
}
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
