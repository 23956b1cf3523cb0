// The probes' entry point. Each instrumented file calls `file(url, sites)` once (lazily, from its hoisted probe
// functions) and gets back probes bound to its sites: file-local site numbers become global site ids, and the
// file's sites are written to the trace as they become known.

import { emitFile, emitSite } from './events';
import {
  probeConsume,
  probeCreate,
  probeDelegate,
  probeDelegateEnd,
  probeFinally,
  probeStart,
  probeYield,
  siteNames,
} from './generators';
import { noteInstrumentedFile } from './fidelity';
import {
  probeAsyncEnd,
  probeAsyncStart,
  probeAwait,
  probeCaught,
  probeDefaultEnd,
  probeDefaultStart,
  probeFailing,
  probeResumed,
  probeReturning,
  type AsyncCall,
} from './async';
import {
  probeAsyncGeneratorCreate,
  probeAsyncGeneratorResumed,
  probeAsyncGeneratorStart,
  probeAsyncGeneratorYield,
  probeReturnAwait,
} from './asyncGenerators';
import { probeForAwaitClose, probeForAwaitEnd, probeForAwaitPark, probeForAwaitTurn } from './forAwait';
import { probeAsyncDelegate, probeAsyncDelegateEnd } from './asyncDelegate';

export interface FileProbes {
  c(site: number, args: ArrayLike<unknown>, fn?: unknown): number;
  s(id: number, site?: number, args?: ArrayLike<unknown>): void;
  y(site: number): void;
  d(site: number): void;
  e(): void;
  f(site: number): void;
  o(site: number, how: number, value: unknown): void;
  A(site: number, args: ArrayLike<unknown> | undefined): AsyncCall;
  a(call: AsyncCall, site: number, value: unknown): unknown;
  w(call: AsyncCall, value: unknown): unknown;
  t(call: AsyncCall, value: unknown): unknown;
  T(call: AsyncCall, site: number, value: unknown): unknown;
  ps(): object | undefined;
  pr(kept: object | undefined): void;
  k(call: AsyncCall, error: unknown, known: number): void;
  X(call: AsyncCall, error: unknown): void;
  Z(call: AsyncCall): void;
  C(site: number, args: ArrayLike<unknown>): AsyncCall;
  G(call: AsyncCall): void;
  Y(call: AsyncCall, site: number, value: unknown): void;
  W(call: AsyncCall, value: unknown): unknown;
  fq(call: AsyncCall, site: number): void;
  fr(call: AsyncCall, value: unknown): void;
  fe(call: AsyncCall): void;
  fc(call: AsyncCall, site: number): void;
  D(call: AsyncCall, site: number): void;
  E(call: AsyncCall): void;
}

type SiteRow = [kind: number, line: number, column: number, name: string];

let nextFileId = 0;
let nextSiteId = 1;

function parseSites(json: string): SiteRow[] {
  try {
    const rows = JSON.parse(json) as unknown;
    return Array.isArray(rows) ? (rows as SiteRow[]) : [];
  } catch {
    return [];
  }
}

export function registerFile(url: string, sitesJson: string): FileProbes {
  const fileId = ++nextFileId;
  const rows = parseSites(sitesJson);
  const base = nextSiteId;
  nextSiteId += rows.length;
  noteInstrumentedFile(url);
  emitFile(fileId, url);
  // An indexed loop, not a destructuring: that would call Array.prototype[Symbol.iterator] as the program left it.
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const name = typeof row[3] === 'string' ? row[3] : '';
    siteNames[base + i] = name;
    emitSite(base + i, fileId, row[1], row[2], row[0], name);
  }
  return {
    c: (site, args, fn) => probeCreate(base + site, args, fn),
    s: (id, site, args) => probeStart(id, site === undefined ? 0 : base + site, args),
    y: (site) => probeYield(base + site),
    f: (site) => probeFinally(base + site),
    o: (site, how, value) => probeConsume(base + site, how, value),
    d: (site) => probeDelegate(base + site),
    e: probeDelegateEnd,
    A: (site, args) => probeAsyncStart(base + site, args),
    a: (call, site, value) => probeAwait(call, base + site, value),
    w: probeResumed,
    t: probeReturning,
    T: (call, site, value) => probeReturnAwait(call, base + site, value),
    ps: probeDefaultStart,
    pr: probeDefaultEnd,
    k: (call, error, known) => probeCaught(call, error, known === 1),
    X: probeFailing,
    Z: probeAsyncEnd,
    C: (site, args) => probeAsyncGeneratorCreate(base + site, args),
    G: probeAsyncGeneratorStart,
    Y: (call, site, value) => probeAsyncGeneratorYield(call, base + site, value),
    W: probeAsyncGeneratorResumed,
    fq: (call, site) => probeForAwaitPark(call, base + site),
    fr: probeForAwaitTurn,
    fe: probeForAwaitEnd,
    fc: (call, site) => probeForAwaitClose(call, base + site),
    D: (call, site) => probeAsyncDelegate(call, base + site),
    E: probeAsyncDelegateEnd,
  };
}
