// Program output in the log: a header, whole lines, stderr as warnings, a closing line.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProgramOutputLog, describeEnd } from '../../../src/extension/programOutput';
import { Recordings } from '../../../src/extension/recordings';
import { FAKE_TRACER, FIXTURES, memoryLogger, testHost } from './helpers';

describe('extension/programOutput', () => {
  it('logs a header, each whole line of output with the title, and how the program ended', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ys-out-test-'));
    const log = memoryLogger();
    const recordings = new Recordings(testHost(memoryLogger()));
    const output = new ProgramOutputLog(recordings, log);
    try {
      await recordings.start({
        title: 'hello.mjs',
        program: path.join(FIXTURES, 'hello.mjs'),
        args: ['2'],
        cwd: dir,
        tracerPath: FAKE_TRACER,
      }).done;
      assert.deepEqual(
        log.lines.filter((l) => !l.includes('hello err')),
        [
          'info ──── hello.mjs #1 ────',
          'info [hello.mjs #1] hello out',
          'info [hello.mjs #1] second line',
          'info ──── hello.mjs #1: exited with code 2 (0 events) ────',
        ],
      );
      assert.ok(log.lines.includes('warn [hello.mjs #1] hello err'));
    } finally {
      output.dispose();
      recordings.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('describes every end state', () => {
    assert.equal(describeEnd({ kind: 'ended', exitCode: 0, signal: null }), 'exited with code 0');
    assert.equal(describeEnd({ kind: 'ended', exitCode: null, signal: 'SIGTERM' }), 'stopped by SIGTERM');
    assert.equal(describeEnd({ kind: 'failed', message: 'no node' }), 'failed: no node');
    assert.equal(describeEnd({ kind: 'live' }), 'running');
  });
});
