// The header: the recording's title and status, the recording selector when there are several, the facts
// (program, Node, counts) and the problems found in the trace.

import type { Selection } from 'd3-selection';
import type { HeaderView } from '../headerView';
import { setAttr, setText } from './text';

export interface RecordingChoice {
  readonly id: string;
  readonly title: string;
}

export interface HeaderParts {
  readonly title: Selection<HTMLHeadingElement, unknown, null, undefined>;
  readonly status: Selection<HTMLSpanElement, unknown, null, undefined>;
  readonly picker: Selection<HTMLSelectElement, unknown, null, undefined>;
  readonly facts: Selection<HTMLDListElement, unknown, null, undefined>;
  readonly problems: Selection<HTMLUListElement, unknown, null, undefined>;
}

export function buildHeader(
  root: Selection<HTMLElement, unknown, null, undefined>,
  onPick: (id: string) => void,
): HeaderParts {
  const header = root.append('header').attr('class', 'ys-header');
  const bar = header.append('div').attr('class', 'ys-titlebar');
  bar.append('span').attr('class', 'ys-brand').attr('aria-hidden', 'true').text('⟳');
  const title = bar.append('h1').attr('class', 'ys-title');
  const status = bar.append('span').attr('class', 'ys-status').attr('role', 'status');
  const label = bar.append('label').attr('class', 'ys-picker-label');
  label.append('span').attr('class', 'ys-visually-hidden').text('Recording');
  const picker = label
    .append('select')
    .attr('class', 'ys-picker')
    .on('change', (event: Event) => onPick((event.currentTarget as HTMLSelectElement).value));
  const facts = header.append('dl').attr('class', 'ys-facts');
  const problems = header.append('ul').attr('class', 'ys-problems').attr('aria-label', 'Problems with the trace');
  return { title, status, picker, facts, problems };
}

interface Fact {
  readonly key: string;
  readonly label: string;
  readonly value: string;
  readonly title: string;
  readonly warn: boolean;
}

export function drawHeader(
  parts: HeaderParts,
  view: HeaderView | undefined,
  choices: readonly RecordingChoice[],
  activeId: string | undefined,
): void {
  // Drawn on every frame: written only where something changed.
  setText(parts.title, () => view?.title ?? 'No recording yet');
  setAttr(parts.title, 'title', () => view?.title ?? null);
  setAttr(parts.status, 'class', () => `ys-status ${view ? `status-${view.status}` : 'status-none'}`);
  setText(parts.status, () => view?.statusText ?? 'waiting');

  parts.picker.classed('is-hidden', choices.length < 2);
  parts.picker
    .selectAll<HTMLOptionElement, RecordingChoice>('option')
    .data(choices, (d) => d.id)
    .join('option')
    .attr('value', (d) => d.id)
    .call((o) => setText(o, (d) => d.title || d.id));
  parts.picker.property('value', activeId ?? '');

  const facts: Fact[] = view
    ? [
        { key: 'program', label: 'Program', value: view.program || '—', title: view.programTitle, warn: false },
        { key: 'node', label: 'Node', value: view.node || '—', title: '', warn: false },
        { key: 'events', label: 'Events', value: view.events.toLocaleString('en-US'), title: '', warn: false },
        {
          key: 'coroutines',
          label: 'Coroutines',
          value: view.coroutines.toLocaleString('en-US'),
          title: '',
          warn: false,
        },
        {
          key: 'dropped',
          label: 'Dropped',
          value: view.dropped.toLocaleString('en-US'),
          title: '',
          warn: view.dropped > 0,
        },
      ]
    : [];
  parts.facts
    .selectAll<HTMLDivElement, Fact>('div.ys-fact')
    .data(facts, (d) => d.key)
    .join((enter) => {
      const div = enter.append('div').attr('class', (d) => `ys-fact fact-${d.key}`);
      div.append('dt').text((d) => d.label);
      div.append('dd');
      return div;
    })
    .classed('is-warn', (d) => d.warn)
    .select('dd')
    .call((dd) => setText(dd, (d) => d.value))
    .call((dd) => setAttr(dd, 'title', (d) => d.title || null));

  parts.problems
    .selectAll<HTMLLIElement, string>('li')
    .data(view?.problems ?? [])
    .join('li')
    .call((li) => setText(li, (d) => d));
}
