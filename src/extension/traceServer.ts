// The per-recording socket the tracer streams to: a Unix domain socket in a private temporary directory
// (mode 0700), or a random named pipe on Windows. It admits one connection, and only one whose first line is
// the recording's secret token; anything else is destroyed and logged. After the token line, every byte is
// trace data, handed on as it arrives. Plain Node, no `vscode`.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Disposable, Emitter, toDisposable } from './dispose';
import type { Logger } from './log';

export interface TraceServerOptions {
  readonly token: string;
  readonly platform: NodeJS.Platform;
  readonly log: Logger;
  /** How long a new connection may take to send its token line. */
  readonly handshakeTimeoutMs?: number;
  /** Where the private directory goes (POSIX); the system temporary directory by default. */
  readonly tmpdir?: string;
}

/** Unix socket paths are limited to about 104 bytes (macOS) or 108 (Linux). */
const MAX_SOCKET_PATH = 100;

export class TraceServer extends Disposable {
  private readonly _onDidConnect = this._register(new Emitter<void>());
  private readonly _onDidData = this._register(new Emitter<Uint8Array>());
  private readonly _onDidClose = this._register(new Emitter<void>());
  /** The tracer connected with the right token. */
  readonly onDidConnect = this._onDidConnect.event;
  /** Trace bytes, in order, as they arrive. */
  readonly onDidData = this._onDidData.event;
  /** The accepted connection ended (the program finished, or the connection broke). */
  readonly onDidClose = this._onDidClose.event;

  private connection: net.Socket | undefined;
  private connectionClosed = false;
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
        server.close();
        for (const s of this.handshaking) s.destroy();
        this.handshaking.clear();
        this.connection?.destroy();
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

  /** True once the accepted connection has closed. */
  get closed(): boolean {
    return this.connectionClosed;
  }

  private onConnection(socket: net.Socket): void {
    if (this.isDisposed || this.connection) {
      this.refuse(socket, 'the recording already has its trace connection');
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
      if (this.connection || this.isDisposed) {
        this.refuse(socket, 'the recording already has its trace connection');
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
    this.connection = socket;
    // One connection per recording: stop listening (later attempts are refused by the system).
    this.server.close();
    socket.on('data', (chunk: Buffer) => this._onDidData.fire(chunk));
    socket.on('error', (e) => this.options.log.warn(`trace connection error: ${e.message}`));
    socket.on('close', () => {
      this.connectionClosed = true;
      this._onDidClose.fire();
    });
    this._onDidConnect.fire();
    if (rest.length) this._onDidData.fire(rest);
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
