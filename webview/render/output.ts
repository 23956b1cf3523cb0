// Program output: what the program wrote to stdout and stderr up to the cursor, newest last, each line with the
// event it was written at (a button that moves the cursor there). The line at or just before the cursor is
// marked. Text is set with .text(), never parsed. The list is a reversed flex column (newest first in the
// document, drawn at the bottom), so it shows its newest line without the script reading or setting its scroll:
// reading it would make the browser lay the page out in the middle of drawing it.

import type { Selection } from 'd3-selection';
import type { OutputLine } from '../../src/model/coroutines';
import { RowBudget } from './rowBudget';
import { setAttr, setText } from './text';

export interface OutputParts {
  readonly section: Selection<HTMLElement, unknown, null, undefined>;
  readonly count: Selection<HTMLSpanElement, unknown, null, undefined>;
  readonly list: Selection<HTMLOListElement, unknown, null, undefined>;
  readonly note: Selection<HTMLParagraphElement, unknown, null, undefined>;
  readonly budget: RowBudget;
  /** What was drawn last, to draw every line when the reader scrolls the list. */
  last: { lines: readonly OutputLine[]; seekSeq: (seq: number) => void } | undefined;
}

/** Most lines drawn: the newest before the cursor. */
export const OUTPUT_ROWS = 60;

export function buildOutput(parent: Selection<HTMLElement, unknown, null, undefined>): OutputParts {
  const section = parent.append('section').attr('class', 'ys-output').attr('aria-labelledby', 'ys-out-heading');
  const h2 = section.append('div').attr('class', 'ys-section-head').append('h2').attr('id', 'ys-out-heading');
  h2.append('span').text('Output');
  const count = h2.append('span').attr('class', 'ys-count');
  const note = section.append('p').attr('class', 'ys-note');
  const list = section.append('ol').attr('class', 'ys-output-list').attr('reversed', '');
  // The list is a reversed column: it starts at its newest line, scrolled to 0, and scrolls up to negative values.
  const budget = new RowBudget(
    list.node()!,
    0.16,
    (el) => el.scrollTop > -1,
    () => {
      if (parts.last) drawOutput(parts, parts.last.lines, parts.last.seekSeq);
    },
  );
  const parts: OutputParts = { section, count, list, note, budget, last: undefined };
  return parts;
}

export function drawOutput(parts: OutputParts, lines: readonly OutputLine[], seekSeq: (seq: number) => void): void {
  parts.last = { lines, seekSeq };
  const newest = lines.slice(-OUTPUT_ROWS);
  const shown = newest.slice(newest.length - parts.budget.limit(newest.length)).reverse();
  parts.section.classed('is-hidden', lines.length === 0);
  setText(parts.count, () => (lines.length ? String(lines.length) : ''));
  setText(parts.note, () =>
    lines.length > newest.length ? `The newest ${newest.length} of ${lines.length} lines up to the cursor.` : '',
  );
  parts.note.classed('is-hidden', lines.length <= newest.length);
  const last = shown[0];
  // Lines are bound by position: a jump of the cursor rewrites the text of the elements there (where it changed)
  // instead of replacing every element. The button reads the line bound to it when clicked.
  const li = parts.list
    .selectAll<HTMLLIElement, OutputLine>('li')
    .data(shown)
    .join((enter) => {
      const item = enter.append('li').attr('class', 'ys-out-line');
      item
        .append('button')
        .attr('type', 'button')
        .attr('class', 'ys-link-button o-seq')
        .attr('title', 'Move the cursor to this line')
        .on('click', (_e: MouseEvent, d) => seekSeq(d.seq));
      item.append('span').attr('class', 'o-text');
      return item;
    });
  setAttr(li, 'class', (d) => `ys-out-line out-${d.stream}${d === last ? ' is-latest' : ''}`);
  setText(li.select('.o-seq'), (d) => `@${d.seq}`);
  setText(li.select('.o-text'), (d) => d.text.replace(/\r?\n$/, ''));
}
