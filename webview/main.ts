// Entry point of the webview bundle (dist/webview/main.js, styles in main.css). Inside VS Code it says
// `ready` and then follows the host's messages; as a standalone report it draws the trace embedded in the
// page once.

import './style.css';
import { App } from './app';
import { base64ToBytes } from './base64';
import { detectHost } from './host';
import { EMBEDDED_TRACE_ID } from './shell';

function start(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const host = detectHost();
  document.body.classList.add(`ys-${host.mode}`);
  const app = new App(root, host);
  if (host.mode === 'vscode') {
    window.addEventListener('message', (event: MessageEvent<unknown>) => app.receive(event.data));
    host.post({ type: 'ready' });
    app.render();
    return;
  }
  const embedded = document.getElementById(EMBEDDED_TRACE_ID);
  if (!embedded) {
    app.render();
    return;
  }
  const title = embedded.dataset['title'] ?? 'Yieldscope report';
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(embedded.textContent ?? '');
  } catch {
    bytes = new Uint8Array(0);
  }
  app.showTrace(bytes, title);
}

start();
