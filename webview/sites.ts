// Source sites as the view shows them: a short label relative to the program's folder, the full location for
// the tooltip, and whether the host can open it. Pure; no DOM.

import { displayPath } from '../src/model/coroutines';
import type { Trace } from '../src/protocol/trace';
import { baseName } from './format';

export interface SiteRef {
  /** `src/demo.ts:12:5`: relative to the program's working folder when inside it. */
  readonly label: string;
  /** `demo.ts:12:5`: the file's name only, for narrow columns. */
  readonly short: string;
  /** The full path with line and column, for the title attribute. */
  readonly title: string;
  /** The file as recorded (a file: URL or a path); what `open-source` sends back to the host. */
  readonly url: string;
  readonly line: number;
  readonly column: number;
  /** False when the file is unknown or the position is not one the host would accept. */
  readonly openable: boolean;
}

/** Longest URL the host accepts in an `open-source` message (see `isViewMessage`). */
const MAX_URL = 4096;

export function siteRef(trace: Pick<Trace, 'files' | 'sites'>, siteId: number, cwd: string): SiteRef | undefined {
  const site = trace.sites.get(siteId);
  if (!site) return undefined;
  const url = trace.files.get(site.file)?.url;
  const where = `${site.line}:${site.column}`;
  const label = `${url === undefined ? '?' : displayPath(url, cwd)}:${where}`;
  const title = `${url === undefined ? 'unknown file' : displayPath(url)}:${where}`;
  const openable = url !== undefined && url.length > 0 && url.length <= MAX_URL && site.line >= 1 && site.column >= 1;
  const short = `${url === undefined ? '?' : baseName(displayPath(url))}:${where}`;
  return { label, short, title, url: url ?? '', line: site.line, column: site.column, openable };
}
