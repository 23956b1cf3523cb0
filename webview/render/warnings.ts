// Warnings the model raised about how the program drove its coroutines (a value sent to a generator that
// had not started, a generator resumed while it was running, generators never closed when the program ended),
// up to the cursor. The event number of each is a button that moves the cursor there.

import type { Selection } from 'd3-selection';
import type { Warning } from '../../src/model/coroutines';
import { countText } from '../format';

export interface WarningParts {
  readonly section: Selection<HTMLElement, unknown, null, undefined>;
  readonly count: Selection<HTMLSpanElement, unknown, null, undefined>;
  readonly list: Selection<HTMLUListElement, unknown, null, undefined>;
  readonly note: Selection<HTMLParagraphElement, unknown, null, undefined>;
}

export function buildWarnings(parent: Selection<HTMLElement, unknown, null, undefined>): WarningParts {
  const section = parent.append('section').attr('class', 'ys-warnings').attr('aria-labelledby', 'ys-warn-heading');
  const h2 = section.append('h2').attr('id', 'ys-warn-heading');
  h2.append('span').text('Warnings');
  const count = h2.append('span').attr('class', 'ys-count');
  const list = section.append('ul').attr('class', 'ys-warning-list');
  const note = section.append('p').attr('class', 'ys-note');
  return { section, count, list, note };
}

export function drawWarnings(
  parts: WarningParts,
  warnings: readonly Warning[],
  forgotten: number,
  seekSeq: (seq: number) => void,
): void {
  parts.section.classed('is-hidden', warnings.length === 0 && forgotten === 0);
  parts.count.text(String(warnings.length + forgotten));
  parts.list
    .selectAll<HTMLLIElement, Warning>('li')
    .data(warnings, (d) => `${d.seq}:${d.kind}:${d.co}`)
    .join((enter) => {
      const li = enter.append('li').attr('class', (d) => `ys-warning w-${d.kind}`);
      li.append('button')
        .attr('type', 'button')
        .attr('class', 'ys-link-button w-seq')
        .on('click', (_e: MouseEvent, d) => seekSeq(d.seq));
      li.append('span').attr('class', 'w-text');
      return li;
    })
    .call((li) =>
      li
        .select('.w-seq')
        .text((d) => `@${d.seq}`)
        .attr('title', (d) => `Move the cursor to event ${d.seq}`),
    )
    .call((li) => li.select('.w-text').text((d) => d.message));
  parts.note
    .text(forgotten ? `${countText(forgotten, 'older warning')} not listed.` : '')
    .classed('is-hidden', !forgotten);
}
