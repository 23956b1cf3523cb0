// Opens an address in the user's browser when one can be started (shared by the npm start scripts).

import { spawn } from 'node:child_process';

/** Opens the address in a browser if one can be started; failing that, the printed address is enough. */
export function openBrowser(address) {
  if (process.env.CI || process.env.BROWSER === 'none') return;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(opener, [address], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser here: the address is printed above.
  }
}
