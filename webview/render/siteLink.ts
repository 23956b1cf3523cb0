// A source site inside a card or row. In VS Code it is a link-styled button that asks the host to open the
// file at that line; in the standalone report it is plain text with the full location in its title.

import type { Selection } from 'd3-selection';
import type { SiteRef } from '../sites';
import { setAttr, setText } from './text';

/** What a click on an openable site does; undefined in the report, where sites are text only. */
export type OpenSite = ((site: SiteRef) => void) | undefined;

/** Fills `slot` (an inline container) with zero or one site element for `site`. */
export function drawSite<P>(
  slot: Selection<HTMLElement, P, null | HTMLElement, unknown>,
  site: (d: P) => SiteRef | undefined,
  open: OpenSite,
  length: 'label' | 'short' = 'label',
): void {
  const sites = slot
    .selectAll<HTMLElement, SiteRef>('.ys-site')
    .data((d) => {
      const s = site(d);
      return s ? [s] : [];
    })
    .join((enter) => {
      if (!open) return enter.append<HTMLElement>('span').attr('class', 'ys-site');
      return enter
        .append<HTMLElement>('button')
        .attr('type', 'button')
        .attr('class', 'ys-site ys-site-link')
        .on('click', (event: MouseEvent, d) => {
          event.stopPropagation();
          if (d.openable) open(d);
        })
        .on('keydown', (event: KeyboardEvent) => {
          // Enter and Space are the button's own; keep them from also toggling the card around it.
          if (event.key === 'Enter' || event.key === ' ') event.stopPropagation();
        });
    });
  // Drawn on every frame for the Event loop and the cards: written only where it changed.
  setText(sites, (d) => d[length]);
  setAttr(sites, 'title', (d) => (open && d.openable ? `Open ${d.title}` : d.title));
  if (open) sites.property('disabled', (d) => !d.openable);
}
