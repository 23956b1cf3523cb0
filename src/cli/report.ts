// `yieldscope report --html`: one self-contained HTML file that shows a trace with the same app as the
// webview. The trace travels inside the page as base64, the app's script and styles are inlined under a
// fresh nonce, and the Content Security Policy lets the page load nothing else.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webviewHtml } from '../../webview/shell';

export interface WebviewAssets {
  /** The webview bundle (dist/webview/main.js). */
  readonly script: string;
  /** Its styles (dist/webview/main.css). */
  readonly style: string;
}

/** Reads the built webview bundle from `distDir` (the `dist` folder that `node esbuild.js` writes). */
export function loadWebviewAssets(distDir: string): WebviewAssets {
  const read = (name: string): string => {
    const file = join(distDir, 'webview', name);
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${file}: build the webview first (node esbuild.js)`, { cause: e });
    }
  };
  return { script: read('main.js'), style: read('main.css') };
}

export function renderReport(traceBytes: Uint8Array, title: string, assets: WebviewAssets): string {
  return webviewHtml({
    cspSource: '',
    nonce: randomBytes(18).toString('base64'),
    scriptUri: '',
    styleUri: '',
    title: title ? `${title} · Yieldscope` : 'Yieldscope report',
    embeddedTrace: { base64: Buffer.from(traceBytes).toString('base64'), title },
    inlineScript: withoutSourceMap(assets.script),
    inlineStyle: withoutSourceMap(assets.style),
  });
}

/** A report is one file: a source-map comment would point at a file that is not there. */
function withoutSourceMap(text: string): string {
  return text
    .replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n')
    .replace(/\n?\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '\n');
}
