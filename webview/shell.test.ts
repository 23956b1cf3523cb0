// Unit tests of the HTML shell: the Content Security Policy, escaping of every interpolated string, and
// inline script and style text that cannot close its element early.

import assert from 'node:assert/strict';
import { escapeHtml, escapeInlineScript, escapeInlineStyle, webviewHtml, type WebviewHtmlOptions } from './shell';

const NONCE = 'AbCdEfGhIjKlMnOpQrStUv12';

function html(change: Partial<WebviewHtmlOptions> = {}): string {
  return webviewHtml({
    cspSource: 'https://*.vscode-cdn.net',
    nonce: NONCE,
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.css',
    title: 'Yieldscope',
    ...change,
  });
}

function csp(doc: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(doc);
  assert.ok(m, 'a CSP meta element');
  return m[1]!.replace(/&#39;/g, "'");
}

describe('webview shell', () => {
  it('sets a strict Content Security Policy with the nonce and the host source', () => {
    assert.equal(
      csp(html()),
      "default-src 'none'; img-src https://*.vscode-cdn.net data:; style-src https://*.vscode-cdn.net 'nonce-" +
        NONCE +
        "'; script-src 'nonce-" +
        NONCE +
        "'; font-src https://*.vscode-cdn.net",
    );
  });

  it('links the bundle and styles with the nonce in the editor', () => {
    const doc = html();
    assert.match(
      doc,
      new RegExp(`<script nonce="${NONCE}" src="https://file\\+\\.vscode-resource[^"]*/main\\.js"></script>`),
    );
    assert.match(doc, new RegExp(`<link rel="stylesheet" nonce="${NONCE}" href="[^"]*/main\\.css">`));
    assert.doesNotMatch(doc, /yieldscope-trace/);
    assert.equal((doc.match(/<script/g) ?? []).length, 1);
  });

  it('escapes the title, the URIs and the embedded trace title', () => {
    const evil = `"><script>alert(1)</script><x a='`;
    const doc = html({ title: evil, scriptUri: `x"${evil}`, embeddedTrace: { base64: 'AAEC', title: evil } });
    assert.doesNotMatch(doc, /<script>alert/);
    assert.match(doc, /<title>&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;&lt;x a=&#39;<\/title>/);
    assert.match(doc, /data-title="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;&lt;x a=&#39;">AAEC<\/script>/);
  });

  it('inlines script and style for a report, with the nonce, and loads nothing from outside', () => {
    const doc = html({
      cspSource: '',
      scriptUri: '',
      styleUri: '',
      inlineScript: 'console.log("</script><script>alert(1)</script>"); /* <!-- <script> */',
      inlineStyle: '.a::after { content: "</style><script>alert(1)</script>"; }',
      embeddedTrace: { base64: 'iVlTVA0KGgo=', title: 'demo' },
    });
    assert.equal(
      csp(doc),
      `default-src 'none'; img-src data:; style-src 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; font-src 'none'`,
    );
    assert.doesNotMatch(doc, /\b(src|href)="/);
    // One element each: nothing in the inlined text closed its element or opened another.
    assert.equal(doc.match(/<\/script>/g)?.length, 2);
    assert.equal(doc.match(/<\/style>/g)?.length, 1);
    assert.match(
      doc,
      /<script type="application\/octet-stream" id="yieldscope-trace" data-title="demo">iVlTVA0KGgo=<\/script>/,
    );
    assert.match(doc, new RegExp(`<style nonce="${NONCE}">\\.a::after \\{ content: "<\\\\/style>`));
    assert.doesNotMatch(doc, /<!--/);
  });

  it("takes VS Code's cspSource as it is: several sources, 'self' among them", () => {
    const doc = html({ cspSource: "'self' https://*.vscode-cdn.net" });
    // Inside the attribute the quotes are escaped.
    assert.match(doc, /script-src &#39;nonce-[A-Za-z0-9+/]+&#39;;/);
    assert.match(doc, /img-src &#39;self&#39; https:\/\/\*\.vscode-cdn\.net data:;/);
  });

  it('refuses a nonce, a source or a trace that could break out of where it goes', () => {
    assert.throws(() => html({ nonce: 'short' }), /nonce/);
    assert.throws(() => html({ nonce: `${NONCE}"><script>` }), /nonce/);
    assert.throws(() => html({ cspSource: "https://x; script-src 'unsafe-inline'" }), /cspSource/);
    assert.throws(() => html({ cspSource: "https://x 'unsafe-eval'" }), /cspSource/);
    assert.throws(() => html({ cspSource: 'https://x" onload="y' }), /cspSource/);
    assert.throws(() => html({ embeddedTrace: { base64: 'AA</script><script>alert(1)//', title: '' } }), /base64/);
  });
});

describe('webview shell escaping', () => {
  it('escapes the five HTML specials', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('keeps inline script meaning while removing every </ and <!--', () => {
    const js =
      'const s = "</script>"; const r = /<!--x/u; const t = `<!-- ${s} -->`; globalThis.out = [s, r.test("<!--x"), t];';
    const safe = escapeInlineScript(js);
    assert.doesNotMatch(safe, /<\/|<!--/);
    const run = (code: string): unknown => {
      const scope: { out?: unknown } = {};
      new Function('globalThis', code)(scope);
      return scope.out;
    };
    assert.deepEqual(run(safe), run(js));
  });

  it('keeps inline style free of </', () => {
    assert.equal(escapeInlineStyle('a::after{content:"</style>"}'), 'a::after{content:"<\\/style>"}');
  });
});
