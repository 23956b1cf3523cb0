// Program output: what the program wrote to stdout and stderr up to the cursor, newest last, each line with the
// event it was written at (a button that moves the cursor there). The line at or just before the cursor is
// marked. Text is set with .text(), never parsed. The list is a reversed flex column (newest first in the
// document, drawn at the bottom), so it shows its newest line without the script reading or setting its scroll:
// reading it would make the browser lay the page out in the middle of drawing it.

import type { Selection } from 'd3-selection';
import type { OutputLine } from '../../src/model/coroutines';

export interface OutputParts {
  readonly section: Selection<HTMLElement, unknown, null, undefined>;
  readonly count: Selection<HTMLSpanElement, unknown, null, undefined>;
  readonly list: Selection<HTMLOListElement, unknown, null, undefined>;
  readonly note: Selection<HTMLParagraphElement, unknown, null, undefined>;
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
  return { section, count, list, note };
}

export function drawOutput(
  parts: OutputParts,
  lines: readonly OutputLine[],
  key: string,
  seekSeq: (seq: number) => void,
): void {
  const shown = lines.slice(-OUTPUT_ROWS).reverse();
  parts.section.classed('is-hidden', lines.length === 0);
  parts.count.text(lines.length ? String(lines.length) : '');
  parts.note
    .text(lines.length > shown.length ? `The newest ${shown.length} of ${lines.length} lines up to the cursor.` : '')
    .classed('is-hidden', lines.length <= shown.length);
  const last = shown[0];
  parts.list
    .selectAll<HTMLLIElement, OutputLine>('li')
    .data(shown, (d) => `${key}:${d.seq}`)
    .join((enter) => {
      const li = enter.append('li').attr('class', (d) => `ys-out-line out-${d.stream}`);
      li.append('button')
        .attr('type', 'button')
        .attr('class', 'ys-link-button o-seq')
        .attr('title', 'Move the cursor to this line')
        .text((d) => `@${d.seq}`)
        .on('click', (_e: MouseEvent, d) => seekSeq(d.seq));
      li.append('span')
        .attr('class', 'o-text')
        .text((d) => d.text.replace(/\r?\n$/, ''));
      return li;
    })
    .classed('is-latest', (d) => d === last)
    .order();
}
