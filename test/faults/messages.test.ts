// Messages from the webview are untrusted: the view renders trace content, so it must be assumed compromised.
// The host's side of the conversation (PanelSession) gets any value a page could post; it must never throw,
// pass on only well-formed requests, post only valid messages, and log each rejection in one short line (no
// log injection). Then the one request with an effect outside the view: opening a source file it names.

import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { isHostMessage, type HostMessage, type ViewOpenSource } from '../../src/protocol/messages';
import { PanelSession } from '../../src/extension/panelSession';
import { Recordings } from '../../src/extension/recordings';
import { fileFromTraceUrl } from '../../src/extension/sourceLocation';
import { memoryLogger, testHost } from '../unit/extension/helpers';
import { MARKUP } from './crafted';

describe('faults: messages from the view', function () {
  this.timeout(60_000);

  it('any value the page posts: no throw, only well-formed requests act, one short log line per rejection', function () {
    const log = memoryLogger();
    const recordings = new Recordings(testHost(memoryLogger()));
    const posted: HostMessage[] = [];
    const opened: ViewOpenSource[] = [];
    const session = new PanelSession(recordings, { post: (m) => posted.push(m) }, log, async (r) => {
      opened.push(r);
    });
    try {
      const types = fc.constantFrom(
        'ready',
        'resync',
        'open-source',
        'select-recording',
        'eval',
        '__proto__',
        ...MARKUP,
      );
      const anyField = fc.oneof(fc.anything(), fc.constantFrom(...MARKUP), fc.string({ maxLength: 5000 }));
      const shaped = fc.record(
        { type: types, url: anyField, line: anyField, column: anyField, id: anyField, reason: anyField },
        { requiredKeys: ['type'] },
      );
      const message = fc.oneof(
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
        shaped,
        fc.string({ maxLength: 3000 }).map((s) => ({ type: `${s}\n${'x'.repeat(100)}\nfake log line` })),
      );
      fc.assert(
        fc.property(message, (m) => {
          const before = log.lines.length;
          session.receive(m);
          for (const line of log.lines.slice(before)) {
            assert.ok(line.length <= 300, `a log line of ${line.length} characters`);
            assert.ok(!/[\n\r]/.test(line), `a log line with a line break: ${JSON.stringify(line.slice(0, 80))}`);
          }
        }),
        { seed: 42, numRuns: 3000 },
      );
      for (const m of posted) assert.ok(isHostMessage(m), `posted ${JSON.stringify(m).slice(0, 100)}`);
      for (const r of opened) {
        assert.equal(r.type, 'open-source');
        assert.ok(typeof r.url === 'string' && r.url.length > 0 && r.url.length <= 4096);
        assert.ok(Number.isSafeInteger(r.line) && r.line >= 1 && Number.isSafeInteger(r.column) && r.column >= 1);
      }
      assert.ok(log.lines.filter((l) => l.includes('ignored a message')).length > 1000);
    } finally {
      session.dispose();
      recordings.dispose();
    }
  });

  it('an open-source request never throws and names only an absolute local path, on POSIX and Windows', function () {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.webUrl(),
          fc.constantFrom(...MARKUP, 'file:///a%2Fb', 'file://localhost/etc/x.ts'),
        ),
        (url) => {
          for (const platform of ['linux', 'win32'] as const) {
            const file = fileFromTraceUrl(url, platform);
            if (file === undefined) continue;
            assert.ok(!file.includes('\0'), JSON.stringify(url));
            if (platform === 'linux') assert.ok(file.startsWith('/'), `${JSON.stringify(url)} → ${file}`);
            else assert.match(file, /^([A-Za-z]:)?\\/, `${JSON.stringify(url)} → ${file}`);
          }
        },
      ),
      { seed: 3, numRuns: 3000 },
    );
  });

  it('file:///a%00b.ts (a NUL byte once percent-decoded) names no file, on POSIX and Windows', function () {
    for (const platform of ['linux', 'win32'] as const) {
      assert.equal(fileFromTraceUrl('file:///a%00b.ts', platform), undefined, platform);
    }
  });

  it('on Windows an open-source request for a UNC path (file://host/share/x.ts, \\\\host\\share\\x.ts, a device path) names no file: the click never reaches another machine', function () {
    for (const url of [
      'file://evil.example/share/x.ts',
      '\\\\evil.example\\share\\x.ts',
      '//evil.example/share/x.ts',
      '\\\\?\\UNC\\evil.example\\share\\x.ts',
      '\\\\.\\pipe\\x',
    ]) {
      assert.equal(fileFromTraceUrl(url, 'win32'), undefined, url);
    }
  });
});
