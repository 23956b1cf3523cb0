// The two places the app can run: inside a VS Code webview (a host to talk to, state that survives reloads)
// or as a standalone report (no host; the trace is embedded in the page). The app sees only `ViewHost`.

import type { ViewMessage } from '../src/protocol/messages';

export interface ViewHost {
  readonly mode: 'vscode' | 'report';
  post(msg: ViewMessage): void;
  loadState(): unknown;
  saveState(state: unknown): void;
}

/** What `acquireVsCodeApi()` returns: it may be called only once per page. */
interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export function detectHost(): ViewHost {
  const acquire = (globalThis as { acquireVsCodeApi?: () => VsCodeApi }).acquireVsCodeApi;
  if (typeof acquire === 'function') {
    const api = acquire();
    return {
      mode: 'vscode',
      post: (msg) => api.postMessage(msg),
      loadState: () => api.getState(),
      saveState: (state) => api.setState(state),
    };
  }
  return { mode: 'report', post: () => undefined, loadState: () => undefined, saveState: () => undefined };
}
