// The HTML document around the webview app, for the VS Code panel and the standalone report alike. Pure
// string building (no DOM, no vscode): the extension host and the CLI both import it. A strict Content
// Security Policy admits only the nonce'd script and style and the host's own resources; every interpolated
// string is escaped for where it lands.

export interface WebviewHtmlOptions {
  /** `webview.cspSource` in VS Code; empty for a standalone report, which loads nothing. */
  readonly cspSource: string;
  /** A fresh random nonce for each document (base64 or hex). */
  readonly nonce: string;
  /** The app bundle (dist/webview/main.js); ignored when `inlineScript` is given. */
  readonly scriptUri: string;
  /** The app styles (dist/webview/main.css); ignored when `inlineStyle` is given. */
  readonly styleUri: string;
  readonly title: string;
  /** A trace to show once without a host: the standalone report. */
  readonly embeddedTrace?: { readonly base64: string; readonly title: string };
  readonly inlineScript?: string;
  readonly inlineStyle?: string;
}

/** The id of the element holding an embedded trace; the app looks for it at start. */
export const EMBEDDED_TRACE_ID = 'yieldscope-trace';

const NONCE = /^[A-Za-z0-9+/=_-]{16,}$/;
const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

export function webviewHtml(opts: WebviewHtmlOptions): string {
  if (!NONCE.test(opts.nonce)) throw new Error('the nonce must be at least 16 base64 characters');
  // A source list item cannot contain these; one that did could add directives of its own.
  // VS Code's cspSource is a list of sources separated by spaces, and may hold 'self'. Each one is checked: no
  // source may end the directive or the attribute, and the only quoted keywords allowed are 'self' and 'none'.
  const sources = opts.cspSource.trim().split(/\s+/).filter(Boolean);
  if (sources.some((s) => /[;,"<>]/.test(s) || (s.includes("'") && !/^'(self|none)'$/.test(s)))) {
    throw new Error(`unexpected characters in cspSource: ${opts.cspSource}`);
  }
  const src = sources.join(' ');
  const nonce = `'nonce-${opts.nonce}'`;
  const csp = [
    "default-src 'none'",
    `img-src ${src ? `${src} ` : ''}data:`,
    `style-src ${src ? `${src} ` : ''}${nonce}`,
    `script-src ${nonce}`,
    `font-src ${src || "'none'"}`,
  ].join('; ');
  const style =
    opts.inlineStyle !== undefined
      ? `<style nonce="${escapeHtml(opts.nonce)}">${escapeInlineStyle(opts.inlineStyle)}</style>`
      : `<link rel="stylesheet" nonce="${escapeHtml(opts.nonce)}" href="${escapeHtml(opts.styleUri)}">`;
  const script =
    opts.inlineScript !== undefined
      ? `<script nonce="${escapeHtml(opts.nonce)}">${escapeInlineScript(opts.inlineScript)}</script>`
      : `<script nonce="${escapeHtml(opts.nonce)}" src="${escapeHtml(opts.scriptUri)}"></script>`;
  let trace = '';
  if (opts.embeddedTrace) {
    if (!BASE64.test(opts.embeddedTrace.base64)) throw new Error('the embedded trace is not base64');
    trace =
      `<script type="application/octet-stream" id="${EMBEDDED_TRACE_ID}" data-title="${escapeHtml(opts.embeddedTrace.title)}">` +
      `${opts.embeddedTrace.base64}</script>\n`;
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)}</title>
${style}
</head>
<body>
<div id="app" class="ys-app" aria-busy="true"><p class="ys-loading">Loading…</p></div>
<noscript>This view needs JavaScript to draw the trace.</noscript>
${trace}${script}
</body>
</html>
`;
}

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Makes script text safe inside <script>…</script>: no `</` can close the element early, and no `<!--` can
 * switch the HTML parser into the escaped states in which the real `</script>` would not close it. `<\/` and
 * `\x3C` mean the same as `</` and `<` inside JS strings, templates and regular expressions (where a bundle
 * has them); neither sequence occurs in code itself.
 */
export function escapeInlineScript(js: string): string {
  return js.replace(/<\//g, '<\\/').replace(/<!--/g, '\\x3C!--');
}

/** The same for <style>, whose text only `</style` can end: `\/` is an escaped `/` in CSS. */
export function escapeInlineStyle(css: string): string {
  return css.replace(/<\//g, '<\\/');
}
