// Trace files as untrusted input to the command line: `yieldscope events | summary` print what a trace holds
// into a terminal, where control characters are commands (retitle, clear, OSC 52 clipboard writes), and files
// that are not traces must get one line on stderr, not a stack dump. (`report` goes through the view: see
// webview.test.ts.)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, FAULT_FIXTURES, cleanupFaultScratch, faultScratch } from './run';
import { markupTraceBytes, withHeaderText } from './crafted';
import { encodeTrace } from '../../src/protocol/codec';
import { syntheticTrace } from '../../src/model/syntheticTrace';

/** Control characters other than the line feed: what a terminal may act on. */
// oxlint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function cli(...args: string[]): { stdout: string; stderr: string; status: number | null } {
  return cliWith([], ...args);
}

function cliWith(nodeArgs: string[], ...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 1 << 30,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('faults: trace files as untrusted input to the CLI', function () {
  this.timeout(60_000);
  after(cleanupFaultScratch);

  it('`events` prints one JSON object a line, control characters and markup escaped', function () {
    const escapes = join(FAULT_FIXTURES, 'decoder', 'terminal-escapes.bin');
    const markup = join(faultScratch(), 'markup.bin');
    writeFileSync(markup, markupTraceBytes());
    for (const file of [escapes, markup]) {
      const r = cli('events', file);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stdout, CONTROL, file);
      const lines = r.stdout.trimEnd().split('\n');
      for (const line of lines) assert.equal(typeof JSON.parse(line), 'object');
      assert.ok(lines.length >= 4, file);
    }
  });

  it('`events` streams a long trace: 600,000 events print in order within a 48 MB heap (the whole trace decoded would need several times that)', function () {
    const trace = syntheticTrace({ events: 600_000, live: 200, seed: 5, async: 0.3 });
    const file = join(faultScratch(), 'long.ystrace');
    writeFileSync(file, encodeTrace(trace));
    const r = cliWith(['--max-old-space-size=48'], 'events', file);
    assert.equal(r.status, 0, r.stderr.slice(0, 500));
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, trace.events.length);
    const seqs = [lines[0], lines[lines.length - 1]].map((l) => (JSON.parse(l!) as { seq: number }).seq);
    assert.deepEqual(seqs, [trace.events[0]!.seq, trace.events[trace.events.length - 1]!.seq]);
  });

  it('a file that is not a trace, empty, random, a bare signature or from a future version: one line on stderr, exit 1', function () {
    const files: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['random', new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24)],
      ['signature only', new Uint8Array([...markupTraceBytes().subarray(0, 8)])],
      ['future', withHeaderText(JSON.stringify({ format: 'yieldscope-trace', version: 2 }))],
    ];
    for (const [name, bytes] of files) {
      const file = join(faultScratch(), `${name}.ystrace`);
      writeFileSync(file, bytes);
      for (const command of ['events', 'summary']) {
        const r = cli(command, file);
        assert.equal(r.status, 1, `${command} ${name}`);
        assert.equal(r.stdout, '', `${command} ${name}`);
        assert.match(r.stderr, /^yieldscope: [^\n]+\n$/, `${command} ${name}: ${r.stderr}`);
      }
    }
  });

  it('`yieldscope summary` shows control characters from the trace as escapes, so a crafted trace cannot retitle or clear the terminal or set the clipboard: decoder/terminal-escapes.bin', function () {
    const r = cli('summary', join(FAULT_FIXTURES, 'decoder', 'terminal-escapes.bin'));
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, CONTROL);
  });
});
