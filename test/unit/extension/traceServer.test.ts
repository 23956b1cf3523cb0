// The trace socket on its own: the token line, refusals, one connection per recording, clean-up.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { TraceServer } from '../../../src/extension/traceServer';
import { concatBytes, memoryLogger, waitFor } from './helpers';
import type { MemoryLogger } from './helpers';

const TOKEN = 'a'.repeat(64);

describe('extension/traceServer', () => {
  let server: TraceServer;
  let log: MemoryLogger;
  let received: Uint8Array[];
  const sockets: net.Socket[] = [];

  beforeEach(async () => {
    log = memoryLogger();
    server = await TraceServer.listen({ token: TOKEN, platform: process.platform, log, handshakeTimeoutMs: 300 });
    received = [];
    server.onDidData((chunk) => received.push(chunk));
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
    server.dispose();
  });

  /** Connects, writes `data`, and resolves when the server closes the connection (or after `ms`). */
  function client(data: string | Uint8Array, ms = 1000): Promise<'closed' | 'open'> {
    return new Promise((resolve) => {
      const s = net.connect(server.address);
      sockets.push(s);
      s.on('error', () => {});
      s.on('connect', () => s.write(data));
      s.on('close', () => resolve('closed'));
      setTimeout(() => resolve('open'), ms);
    });
  }

  it('accepts the token line and passes on every byte after it', async () => {
    const s = net.connect(server.address);
    sockets.push(s);
    const closed = new Promise<void>((resolve) => server.onDidClose(resolve));
    s.write(`${TOKEN}\nabc`);
    await waitFor('the connection', () => server.connected);
    s.end('def');
    await closed;
    assert.equal(Buffer.from(concatBytes(received)).toString(), 'abcdef');
    assert.equal(server.closed, true);
  });

  it('destroys a connection with a wrong token, and logs it', async () => {
    assert.equal(await client(`${'b'.repeat(64)}\nabc`), 'closed');
    assert.equal(server.connected, false);
    assert.equal(received.length, 0);
    assert.ok(log.lines.some((l) => l.includes('wrong token')));
  });

  it('destroys a connection that sends more than a token without a newline', async () => {
    assert.equal(await client('x'.repeat(200)), 'closed');
    assert.equal(server.connected, false);
  });

  it('destroys a connection that never sends its token', async () => {
    assert.equal(await client(new Uint8Array(0), 2000), 'closed');
    assert.ok(log.lines.some((l) => l.includes('no token line in time')));
  });

  it('still accepts the right connection after refusing a wrong one, and only one', async () => {
    assert.equal(await client(`wrong\n`), 'closed');
    void client(`${TOKEN}\nfirst`, 3000);
    await waitFor('the connection', () => server.connected);
    const second = await new Promise<string>((resolve) => {
      const s = net.connect(server.address);
      sockets.push(s);
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      s.on('connect', () => s.write(`${TOKEN}\nsecond`));
      s.on('close', () => resolve('closed'));
    });
    assert.ok(['closed', 'ENOENT', 'ECONNREFUSED'].includes(second), second);
    await waitFor('the first bytes', () => received.length > 0);
    assert.equal(Buffer.from(concatBytes(received)).toString(), 'first');
  });

  it('lives in a private directory that dispose() removes', () => {
    if (process.platform === 'win32') return;
    const dir = server.tempDir!;
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.ok(fs.existsSync(server.address));
    server.dispose();
    assert.equal(fs.existsSync(dir), false);
  });
});
