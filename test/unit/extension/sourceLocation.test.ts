// Which 'open-source' requests name a local file.

import * as assert from 'node:assert/strict';
import { fileFromTraceUrl } from '../../../src/extension/sourceLocation';

describe('extension/sourceLocation', () => {
  it('accepts file: URLs and absolute paths', () => {
    assert.equal(fileFromTraceUrl('file:///work/app%20one.ts', 'linux'), '/work/app one.ts');
    assert.equal(fileFromTraceUrl('/work/app.ts', 'linux'), '/work/app.ts');
    assert.equal(fileFromTraceUrl('/work/../etc/x.ts', 'linux'), '/etc/x.ts');
    assert.equal(fileFromTraceUrl('C:\\work\\app.ts', 'win32'), 'C:\\work\\app.ts');
    assert.equal(fileFromTraceUrl('file:///C:/work/app.ts', 'win32'), 'C:\\work\\app.ts');
  });

  it('rejects everything else', () => {
    for (const url of [
      'node:fs',
      'https://example.com/x.ts',
      'app.ts',
      './app.ts',
      'file://evil.host/x.ts',
      'command:workbench.action.x',
      '/a\0b',
      'data:text/plain,x',
    ]) {
      assert.equal(fileFromTraceUrl(url, 'linux'), undefined, url);
    }
  });
});
