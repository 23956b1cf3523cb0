// The recent history of each `yield` and `await` site of a recording, for the editor: what came out there (the
// value yielded, or what was awaited) and what went back in when the coroutine resumed there (the value sent by
// next(v), an error thrown in, or the value the await resumed with). Kept bounded (the newest visits per site, a
// cap on coroutines parked at a site), folded from events as they are decoded. Also the words the editor shows:
// the inline text at the end of a line and the hover's lines. Pure: values are previews (display text, never HTML).

import type { Preview, ResumeMode, Site, Trace, TraceEvent } from '../protocol/trace';

/** One pass of a coroutine through a site. */
export interface Visit {
  readonly seq: number;
  readonly co: number;
  readonly kind: 'yield' | 'await';
  /** Yielded, or awaited. */
  readonly out: Preview;
  /** How it went on from there, once it did. */
  in: { readonly mode: ResumeMode; readonly value: Preview } | undefined;
}

export interface SiteRecord {
  readonly site: number;
  /** Visits in all, including those no longer kept. */
  count: number;
  /** The newest visits, oldest first. */
  readonly visits: Visit[];
}

export const VISITS_KEPT = 8;
const MAX_PARKED = 10_000;

export class SiteHistory {
  private readonly bySite = new Map<number, SiteRecord>();
  /** The visit each coroutine is parked in, until it resumes. */
  private readonly parked = new Map<number, Visit>();

  constructor(private readonly kept = VISITS_KEPT) {}

  apply(ev: TraceEvent): void {
    switch (ev.kind) {
      case 'yield':
        this.visit(ev.seq, ev.co, ev.site, 'yield', ev.value);
        break;
      case 'await':
        this.visit(ev.seq, ev.co, ev.site, 'await', ev.value);
        break;
      case 'resume': {
        const v = this.parked.get(ev.co);
        if (v) {
          v.in = { mode: ev.mode, value: ev.value };
          this.parked.delete(ev.co);
        }
        break;
      }
      case 'return':
      case 'throw':
        this.parked.delete(ev.co);
        break;
      default:
    }
  }

  get(site: number): SiteRecord | undefined {
    return this.bySite.get(site);
  }

  sites(): IterableIterator<SiteRecord> {
    return this.bySite.values();
  }

  private visit(seq: number, co: number, site: number, kind: Visit['kind'], out: Preview): void {
    let rec = this.bySite.get(site);
    if (!rec) this.bySite.set(site, (rec = { site, count: 0, visits: [] }));
    const v: Visit = { seq, co, kind, out, in: undefined };
    rec.count++;
    rec.visits.push(v);
    if (rec.visits.length > this.kept) rec.visits.shift();
    this.parked.delete(co);
    this.parked.set(co, v);
    if (this.parked.size > MAX_PARKED) this.parked.delete(this.parked.keys().next().value!);
  }
}

/** A preview as one short line. */
export function short(p: Preview, max = 40): string {
  const t = (p.type === 'string' ? JSON.stringify(p.text) : p.text).replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function inWords(v: Visit): string | undefined {
  if (!v.in) return undefined;
  const value = short(v.in.value);
  if (v.kind === 'await') return v.in.mode === 'throw' ? `rejected ${value}` : `got ${value}`;
  if (v.in.mode === 'next') return `sent in ${value}`;
  if (v.in.mode === 'throw') return `thrown in ${value}`;
  return `return(${value})`;
}

/** The text after a line: the last visit of its site ("yielded 2 · sent in 42 · 3×"). */
export function inlineText(rec: SiteRecord): string {
  const last = rec.visits.at(-1);
  if (!last) return '';
  const parts = [`${last.kind === 'yield' ? 'yielded' : 'awaited'} ${short(last.out)}`];
  const back = inWords(last);
  if (back) parts.push(back);
  if (rec.count > 1) parts.push(`${rec.count.toLocaleString('en-US')}×`);
  const text = parts.join(' · ');
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

/** The hover's lines: a title, then the kept visits, newest first. */
export function hoverLines(rec: SiteRecord, site: Site, labelOf: (co: number) => string): string[] {
  const what = site.kind === 'await' ? 'await' : 'yield';
  const lines = [
    `Yieldscope: ${what} in ${site.name || '(anonymous)'}, reached ${rec.count.toLocaleString('en-US')} time${rec.count === 1 ? '' : 's'}`,
  ];
  for (const v of [...rec.visits].reverse()) {
    const back = inWords(v) ?? (v.kind === 'yield' ? 'still suspended here' : 'still waiting here');
    lines.push(`${labelOf(v.co)} ${v.kind === 'yield' ? 'yielded' : 'awaited'} ${short(v.out, 60)}, then ${back}`);
  }
  if (rec.count > rec.visits.length) lines.push(`(the last ${rec.visits.length} shown)`);
  return lines;
}

/** One decoration: a 0-based line and column, its text, its hover. */
export interface LineNote {
  readonly line: number;
  readonly column: number;
  readonly text: string;
  readonly hover: readonly string[];
}

/**
 * The notes for one file (`fileMatches` says whether a trace file URL is it), one per line: sites on the same
 * line are joined.
 */
export function notesForFile(
  history: SiteHistory,
  trace: Pick<Trace, 'files' | 'sites'>,
  fileMatches: (url: string) => boolean,
  labelOf: (co: number) => string,
): LineNote[] {
  const byLine = new Map<number, { column: number; texts: string[]; hover: string[] }>();
  for (const rec of history.sites()) {
    const site = trace.sites.get(rec.site);
    const file = site && trace.files.get(site.file);
    if (!site || !file || !fileMatches(file.url) || rec.visits.length === 0) continue;
    const line = site.line - 1;
    let note = byLine.get(line);
    if (!note) byLine.set(line, (note = { column: site.column - 1, texts: [], hover: [] }));
    note.column = Math.min(note.column, site.column - 1);
    note.texts.push(inlineText(rec));
    if (note.hover.length) note.hover.push('');
    note.hover.push(...hoverLines(rec, site, labelOf));
  }
  return [...byLine.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([line, n]) => ({ line, column: Math.max(0, n.column), text: n.texts.join('  |  '), hover: n.hover }));
}
