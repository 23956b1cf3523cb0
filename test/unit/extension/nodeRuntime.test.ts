// Which Node.js runs the program: the setting, PATH (with PATHEXT on Windows), the editor's runtime.

import * as assert from 'node:assert/strict';
import { findOnPath, resolveNode } from '../../../src/extension/nodeRuntime';

const execPath = '/opt/editor/code';

describe('extension/nodeRuntime', () => {
  const only =
    (...files: string[]) =>
    (file: string) =>
      files.includes(file);

  it('finds node on PATH by default', () => {
    const r = resolveNode(undefined, {
      platform: 'linux',
      env: { PATH: '/a:/usr/bin' },
      execPath,
      isExecutable: only('/usr/bin/node'),
    });
    assert.deepEqual(r.kind === 'found' && [r.command, r.env], ['/usr/bin/node', {}]);
  });

  it("falls back to the editor's runtime as Node when there is no node on PATH", () => {
    const r = resolveNode('node', { platform: 'linux', env: { PATH: '/a' }, execPath, isExecutable: only() });
    assert.deepEqual(r.kind === 'found' && [r.command, r.env], [execPath, { ELECTRON_RUN_AS_NODE: '1' }]);
  });

  it('uses an absolute nodePath as given, or says clearly that it is missing', () => {
    const ok = resolveNode('/n/bin/node', { platform: 'linux', env: {}, execPath, isExecutable: only('/n/bin/node') });
    assert.equal(ok.kind === 'found' && ok.command, '/n/bin/node');
    const missing = resolveNode('/n/bin/node', { platform: 'linux', env: {}, execPath, isExecutable: only() });
    assert.match(missing.kind === 'not-found' ? missing.message : '', /not found at "\/n\/bin\/node"/);
  });

  it('does not fall back when a different command name is missing', () => {
    const r = resolveNode('node22', { platform: 'linux', env: { PATH: '/usr/bin' }, execPath, isExecutable: only() });
    assert.match(r.kind === 'not-found' ? r.message : '', /no "node22" on PATH/);
  });

  it('refuses a relative path', () => {
    const r = resolveNode('./node', { platform: 'linux', env: {}, execPath, isExecutable: () => true });
    assert.equal(r.kind, 'not-found');
  });

  it('looks on Windows PATH with PATHEXT and a case-insensitive variable name', () => {
    const env = { Path: 'C:\\tools;"C:\\Program Files\\nodejs"', PATHEXT: '.COM;.EXE' };
    const found = findOnPath('node', { platform: 'win32', env }, only('C:\\Program Files\\nodejs\\node.EXE'));
    assert.equal(found, 'C:\\Program Files\\nodejs\\node.EXE');
  });
});
