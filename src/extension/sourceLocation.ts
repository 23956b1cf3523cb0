// Where an 'open-source' request from the webview points: a trace names files by file: URL or absolute path.
// Anything else (node: built-ins, http: URLs, relative paths, data) is not a file the editor should open.
// Plain Node, no `vscode`, so the rules are tested directly.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The local file a trace location names, or undefined when it is not one. Never touches the disk. */
export function fileFromTraceUrl(url: string, platform: NodeJS.Platform = process.platform): string | undefined {
  const file = fileOf(url, platform);
  // Checked on the decoded path: `%00` becomes a NUL only after percent-decoding.
  if (file === undefined || file.includes('\0')) return undefined;
  // On Windows a path starting with two separators is UNC (\\host\share, or a device path \\?\, \\.\): opening it
  // would reach another machine (an SMB connection that can hand over the user's credentials). Refused, as a
  // file: URL with a remote host is on POSIX.
  if (platform === 'win32' && /^[\\/]{2}/.test(file)) return undefined;
  return file;
}

function fileOf(url: string, platform: NodeJS.Platform): string | undefined {
  if (url.includes('\0')) return undefined;
  if (/^file:/i.test(url)) {
    try {
      return fileURLToPath(url, { windows: platform === 'win32' });
    } catch {
      return undefined; // a host other than localhost (on POSIX), an encoded separator, …
    }
  }
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (/^[a-z][a-z0-9+.-]+:/i.test(url) && !(platform === 'win32' && /^[a-z]:[\\/]/i.test(url))) return undefined;
  return p.isAbsolute(url) ? p.normalize(url) : undefined;
}
