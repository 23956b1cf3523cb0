// The socket the tracer streams to: a Unix domain socket in a private temporary directory (mode 0700), or a
// random named pipe on Windows. It admits only connections whose first line is the secret token; anything else
// is destroyed and logged. After the token line, every byte is trace data, handed on as it arrives.
// A recording's own server admits one connection (the program it started). A debugging session's admits up to
// `maxConnections`, one per traced process (the program, its child processes, a restart), each handed on as a
// `TraceConnection` of its own. Plain Node, no `vscode`.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Disposable, Emitter, toDisposable } from './dispose';
import type { Event } from './dispose';
import type { Logger } from './log';

export interface TraceServerOptions {
  readonly token: string;
  readonly platform: NodeJS.Platform;
  readonly log: Logger;
  /** How long a new connection may take to send its token line. */
  readonly handshakeTimeoutMs?: number;
  /** Where the private directory goes (POSIX); the system temporary directory by default. */
  readonly tmpdir?: string;
  /** How many connections it accepts in all; 1 by default, after which it stops listening. */
  readonly maxConnections?: number;
}

/** One accepted connection: the trace of one process. */
export interface TraceConnection {
  /** Trace bytes, in order, as they arrive. */
  readonly onDidData: Event<Uint8Array>;
  /** The connection ended (the process finished, or the connection broke). Fires once. */
  readonly onDidClose: Event<void>;
  readonly closed: boolean;
  /** Closes the connection (the tracer in the program then stops streaming; the program goes on). */
  destroy(): void;
}

/** Unix socket paths are limited to about 104 bytes (macOS) or 108 (Linux). */
const MAX_SOCKET_PATH = 100;

export class TraceServer extends Disposable {
  private readonly _onDidConnect = this._register(new Emitter<void>());
  private readonly _onDidData = this._register(new Emitter<Uint8Array>());
  private readonly _onDidClose = this._register(new Emitter<void>());
  private readonly _onDidAccept = this._register(new Emitter<TraceConnection>());
  /** The tracer connected with the right token (the first connection). */
  readonly onDidConnect = this._onDidConnect.event;
  /** Trace bytes of the first connection, in order, as they arrive. */
  readonly onDidData = this._onDidData.event;
  /** The first connection ended (the program finished, or the connection broke). */
  readonly onDidClose = this._onDidClose.event;
  /** Every accepted connection, the first one included. Subscribe before any arrives: nothing is replayed. */
  readonly onDidAccept = this._onDidAccept.event;

  private connection: net.Socket | undefined;
  private connectionClosed = false;
  private readonly accepted = new Set<net.Socket>();
  private acceptedCount = 0;
  private listening = true;
  private readonly handshaking = new Set<net.Socket>();
  private readonly expected: Buffer;

  /** Creates the private directory (POSIX) and starts listening. */
  static async listen(options: TraceServerOptions): Promise<TraceServer> {
    let tempDir: string | undefined;
    let address: string;
    if (options.platform === 'win32') {
      address = `\\\\.\\pipe\\yieldscope-${randomBytes(16).toString('hex')}`;
    } else {
      let base = options.tmpdir ?? os.tmpdir();
      if (path.join(base, 'yieldscope-XXXXXX', 'trace.sock').length > MAX_SOCKET_PATH) base = '/tmp';
      tempDir = await fs.promises.mkdtemp(path.join(base, 'yieldscope-'));
      await fs.promises.chmod(tempDir, 0o700);
      address = path.join(tempDir, 'trace.sock');
    }
    const server = net.createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(address, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      server.close();
      if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
      throw e;
    }
    return new TraceServer(server, address, tempDir, options);
  }

  private constructor(
    private readonly server: net.Server,
    /** The socket path or pipe name, for YIELDSCOPE_SOCKET. */
    readonly address: string,
    /** The private directory holding the socket (POSIX), removed on dispose. */
    readonly tempDir: string | undefined,
    private readonly options: TraceServerOptions,
  ) {
    super();
    this.expected = Buffer.from(options.token, 'utf8');
    server.on('connection', (socket) => this.onConnection(socket));
    server.on('error', (e) => options.log.warn(`trace socket error: ${e.message}`));
    this._register(
      toDisposable(() => {
        this.stopListening();
        for (const s of this.handshaking) s.destroy();
        this.handshaking.clear();
        for (const s of this.accepted) s.destroy();
        this.accepted.clear();
        if (this.tempDir) {
          try {
            fs.rmSync(this.tempDir, { recursive: true, force: true });
          } catch (e) {
            options.log.warn(`could not remove ${this.tempDir}: ${String(e)}`);
          }
        }
      }),
    );
  }

  /** True once the tracer has connected (even if it has disconnected since). */
  get connected(): boolean {
    return this.connection !== undefined;
  }

  /** True once the first accepted connection has closed. */
  get closed(): boolean {
    return this.connectionClosed;
  }

  /** Connections accepted so far. */
  get connectionCount(): number {
    return this.acceptedCount;
  }

  /** Connections accepted and not yet closed. */
  get openConnections(): number {
    return this.accepted.size;
  }

  /** Accepts no more connections; those accepted go on until they end. */
  stopListening(): void {
    if (!this.listening) return;
    this.listening = false;
    this.server.close();
  }

  private get full(): boolean {
    return this.acceptedCount >= (this.options.maxConnections ?? 1);
  }

  private fullReason(): string {
    const max = this.options.maxConnections ?? 1;
    return max === 1
      ? 'the recording already has its trace connection'
      : `it has accepted as many connections as it takes (${max})`;
  }

  private onConnection(socket: net.Socket): void {
    if (this.isDisposed || this.full) {
      this.refuse(socket, this.fullReason());
      return;
    }
    this.handshaking.add(socket);
    let head: Buffer = Buffer.alloc(0);
    socket.setTimeout(this.options.handshakeTimeoutMs ?? 10_000, () => this.refuse(socket, 'no token line in time'));
    socket.on('error', () => {}); // a refused peer may reset; the refusal is logged already
    socket.on('close', () => this.handshaking.delete(socket));
    const onData = (chunk: Buffer): void => {
      head = head.length ? Buffer.concat([head, chunk]) : chunk;
      const newline = head.indexOf(0x0a);
      if (newline < 0) {
        if (head.length > this.expected.length) this.refuse(socket, 'wrong token');
        return;
      }
      if (!this.tokenMatches(head.subarray(0, newline))) {
        this.refuse(socket, 'wrong token');
        return;
      }
      if (this.full || this.isDisposed) {
        this.refuse(socket, this.fullReason());
        return;
      }
      socket.off('data', onData);
      socket.setTimeout(0);
      this.handshaking.delete(socket);
      this.accept(socket, head.subarray(newline + 1));
    };
    socket.on('data', onData);
  }

  private accept(socket: net.Socket, rest: Buffer): void {
    this.acceptedCount++;
    this.accepted.add(socket);
    // Full: stop listening (later attempts are refused by the system).
    if (this.full) this.stopListening();
    const data = new Emitter<Uint8Array>((e) => this.listenerError(e));
    const close = new Emitter<void>((e) => this.listenerError(e));
    let closed = false;
    const connection: TraceConnection = {
      onDidData: data.event,
      onDidClose: close.event,
      get closed() {
        return closed;
      },
      destroy: () => socket.destroy(),
    };
    const first = this.connection === undefined;
    if (first) {
      this.connection = socket;
      data.event((chunk) => this._onDidData.fire(chunk));
      close.event(() => {
        this.connectionClosed = true;
        this._onDidClose.fire();
      });
    }
    socket.on('data', (chunk: Buffer) => data.fire(chunk));
    socket.on('error', (e) => this.options.log.warn(`trace connection error: ${e.message}`));
    socket.on('close', () => {
      this.accepted.delete(socket);
      closed = true;
      close.fire();
      data.dispose();
      close.dispose();
    });
    if (first) this._onDidConnect.fire();
    this._onDidAccept.fire(connection);
    if (rest.length) data.fire(rest);
  }

  private listenerError(e: unknown): void {
    this.options.log.error(`a trace listener failed: ${e instanceof Error ? e.message : String(e)}`);
  }

  private tokenMatches(given: Buffer): boolean {
    return given.length === this.expected.length && timingSafeEqual(given, this.expected);
  }

  private refuse(socket: net.Socket, why: string): void {
    this.handshaking.delete(socket);
    socket.destroy();
    this.options.log.warn(`refused a connection to the trace socket: ${why}`);
  }
}
