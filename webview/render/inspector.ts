// The Inspector: the event at the cursor (kind, who, what went in and out, where, and why it happened) and a
// coroutine with its resumptions as a table; a row moves the cursor to that resumption. All text is set with
// .text(); sites are links to the editor in VS Code and plain file:line text in the report.

import type { Selection } from 'd3-selection';
import type { InspectorView, ResumptionRow } from '../inspector';
import { countText } from '../format';
import { drawSite, type OpenSite } from './siteLink';
import { setAttr, setText } from './text';

export interface InspectorParts {
  readonly section: Selection<HTMLElement, unknown, null, undefined>;
  readonly event: Selection<HTMLDivElement, unknown, null, undefined>;
  readonly coroutine: Selection<HTMLDivElement, unknown, null, undefined>;
}

export function buildInspector(parent: Selection<HTMLElement, unknown, null, undefined>): InspectorParts {
  const section = parent
    .append('section')
    .attr('class', 'ys-inspector ys-pane')
    .attr('aria-labelledby', 'ys-in-heading');
  section.append('div').attr('class', 'ys-section-head').append('h2').attr('id', 'ys-in-heading').text('Inspector');
  const event = section.append('div').attr('class', 'ys-in-event');
  const coroutine = section.append('div').attr('class', 'ys-in-coroutine');
  return { section, event, coroutine };
}

interface Field {
  readonly key: string;
  readonly label: string;
  readonly text: string;
}

function drawFields(dl: Selection<HTMLElement, unknown, null, undefined>, fields: readonly Field[]): void {
  dl.selectAll<HTMLDivElement, Field>('div.ys-in-field')
    .data(
      fields.filter((f) => f.text),
      (d) => d.key,
    )
    .join((enter) => {
      const div = enter.append('div').attr('class', (d) => `ys-in-field in-${d.key}`);
      div.append('dt').text((d) => d.label);
      div.append('dd');
      return div;
    })
    .select('dd')
    .text((d) => d.text)
    .attr('title', (d) => d.text);
}

export function drawInspector(
  parts: InspectorParts,
  view: InspectorView,
  open: OpenSite,
  seek: (index: number) => void,
): void {
  const ev = view.event;
  parts.event.classed('is-hidden', !ev);
  if (ev) {
    const head = child(parts.event, 'p', 'ys-in-title');
    head.text(`${ev.kind} · ${ev.who} · seq ${ev.seq} · ${ev.time.toFixed(3)} ms`);
    child(parts.event, 'p', 'ys-in-why').text(ev.why);
    const dl = child(parts.event, 'dl', 'ys-in-fields');
    drawFields(dl, [
      { key: 'in', label: 'in', text: ev.into },
      { key: 'out', label: 'out', text: ev.out },
    ]);
    const where = child(parts.event, 'p', 'ys-in-site');
    where.classed('is-hidden', !ev.site);
    const slot = child(where, 'span', 'ys-site-slot');
    if (where.select('.ys-in-label').empty())
      where.insert('span', '.ys-site-slot').attr('class', 'ys-in-label').text('at ');
    drawSite(slot, () => ev.site, open);
  }
  const co = view.coroutine;
  parts.coroutine.classed('is-hidden', !co);
  if (!co) return;
  child(parts.coroutine, 'h3', 'ys-in-co-title').text(`${co.label} · ${co.kind}`);
  const state = child(parts.coroutine, 'p', 'ys-in-state');
  child(state, 'span', 'ys-in-state-text').text(co.stateSite ? `${co.state} ` : co.state);
  drawSite(child(state, 'span', 'ys-site-slot'), () => co.stateSite, open);
  const dl = child(parts.coroutine, 'dl', 'ys-in-co-fields');
  drawFields(dl, [
    { key: 'args', label: 'args', text: co.args },
    { key: 'by', label: 'made by', text: co.createdBy },
  ]);
  const defined = child(parts.coroutine, 'p', 'ys-in-defined');
  if (defined.select('.ys-in-label').empty()) defined.append('span').attr('class', 'ys-in-label').text('defined at ');
  drawSite(child(defined, 'span', 'ys-site-slot'), () => co.definedAt, open);
  defined.classed('is-hidden', !co.definedAt);

  child(parts.coroutine, 'p', 'ys-in-count')
    .classed('ys-note', true)
    .text(
      co.total > co.rows.length
        ? `Resumptions: the newest ${co.rows.length} of ${countText(co.total, 'resumption')} up to the cursor.`
        : `${countText(co.total, 'resumption')} up to the cursor.`,
    );
  let table = parts.coroutine.select<HTMLTableElement>('table.ys-in-history');
  if (table.empty()) {
    table = parts.coroutine.append('table').attr('class', 'ys-in-history');
    table.append('caption').attr('class', 'ys-visually-hidden').text('Resumptions');
    const tr = table.append('thead').append('tr');
    for (const h of ['seq', 'resumed with', 'by', 'result']) tr.append('th').attr('scope', 'col').text(h);
    table.append('tbody');
  }
  // Rows are bound by position: moving the cursor rewrites the cells there (where they changed) instead of
  // replacing every row. The button reads the row bound to it when clicked.
  const tr = table
    .select('tbody')
    .selectAll<HTMLTableRowElement, ResumptionRow>('tr')
    .data(co.rows)
    .join((enter) => {
      const row = enter.append('tr');
      row
        .append('td')
        .attr('class', 'h-seq')
        .append('button')
        .attr('type', 'button')
        .attr('class', 'ys-link-button')
        .attr('title', 'Move the cursor to this resumption')
        .on('click', (_e: MouseEvent, d) => seek(d.index));
      row.append('td').attr('class', 'h-how');
      row.append('td').attr('class', 'h-by');
      row.append('td').attr('class', 'h-result');
      return row;
    });
  setAttr(tr, 'class', (d) => (d.current ? 'is-current' : null));
  setText(tr.select('.h-seq button'), (d) => String(d.seq));
  setText(tr.select('.h-how'), (d) => d.how);
  setText(tr.select('.h-by'), (d) => d.by);
  setText(tr.select('.h-result'), (d) => d.result);
}

/** The first child of `parent` with the class `cls` (one class name), made when missing. */
function child(
  parent: Selection<HTMLElement, unknown, null, undefined> | Selection<HTMLDivElement, unknown, null, undefined>,
  tag: string,
  cls: string,
): Selection<HTMLElement, unknown, null, undefined> {
  const found = (parent as Selection<HTMLElement, unknown, null, undefined>).select<HTMLElement>(`:scope > .${cls}`);
  if (!found.empty()) return found;
  return (parent as Selection<HTMLElement, unknown, null, undefined>).append<HTMLElement>(tag).attr('class', cls);
}
