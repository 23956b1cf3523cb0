// Warnings the model raised about how the program drove its coroutines (a value sent to a generator that
// had not started, a generator resumed while it was running, generators never closed when the program ended),
// up to the cursor. The event number of each is a button that moves the cursor there.

import type { Selection } from 'd3-selection';
import type { Warning } from '../../src/model/coroutines';
import { countText } from '../format';
import { RowBudget } from './rowBudget';
import { setAttr, setText } from './text';

export interface WarningParts {
  readonly section: Selection<HTMLElement, unknown, null, undefined>;
  readonly count: Selection<HTMLSpanElement, unknown, null, undefined>;
  readonly list: Selection<HTMLUListElement, unknown, null, undefined>;
  readonly note: Selection<HTMLParagraphElement, unknown, null, undefined>;
  readonly budget: RowBudget;
  /** What was drawn last, to draw every warning when the reader scrolls the list. */
  last: { warnings: readonly Warning[]; forgotten: number; seekSeq: (seq: number) => void } | undefined;
}

export function buildWarnings(parent: Selection<HTMLElement, unknown, null, undefined>): WarningParts {
  const section = parent.append('section').attr('class', 'ys-warnings').attr('aria-labelledby', 'ys-warn-heading');
  const h2 = section.append('h2').attr('id', 'ys-warn-heading');
  h2.append('span').text('Warnings');
  const count = h2.append('span').attr('class', 'ys-count');
  const list = section.append('ul').attr('class', 'ys-warning-list');
  const note = section.append('p').attr('class', 'ys-note');
  const budget = new RowBudget(
    section.node()!,
    0.22,
    (el) => el.scrollTop < 1,
    () => {
      if (parts.last) drawWarnings(parts, parts.last.warnings, parts.last.forgotten, parts.last.seekSeq);
    },
  );
  const parts: WarningParts = { section, count, list, note, budget, last: undefined };
  return parts;
}

export function drawWarnings(
  parts: WarningParts,
  warnings: readonly Warning[],
  forgotten: number,
  seekSeq: (seq: number) => void,
): void {
  parts.last = { warnings, forgotten, seekSeq };
  parts.section.classed('is-hidden', warnings.length === 0 && forgotten === 0);
  setText(parts.count, () => String(warnings.length + forgotten));
  // Bound by position: a jump of the cursor rewrites the elements there (where they changed) instead of
  // replacing them all. The button reads the warning bound to it when clicked.
  const li = parts.list
    .selectAll<HTMLLIElement, Warning>('li')
    .data(warnings.slice(0, parts.budget.limit(warnings.length)))
    .join((enter) => {
      const item = enter.append('li');
      item
        .append('button')
        .attr('type', 'button')
        .attr('class', 'ys-link-button w-seq')
        .on('click', (_e: MouseEvent, d) => seekSeq(d.seq));
      item.append('span').attr('class', 'w-text');
      return item;
    });
  setAttr(li, 'class', (d) => `ys-warning w-${d.kind}`);
  const seq = li.select('.w-seq');
  setText(seq, (d) => `@${d.seq}`);
  setAttr(seq, 'title', (d) => `Move the cursor to event ${d.seq}`);
  setText(li.select('.w-text'), (d) => d.message);
  setText(parts.note, () => (forgotten ? `${countText(forgotten, 'older warning')} not listed.` : ''));
  parts.note.classed('is-hidden', !forgotten);
}
