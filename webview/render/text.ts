// Writes to the page only where something changed. Setting an element's text, even to the same text, replaces
// its text node and makes the browser lay it out again: parts drawn on every frame (the Event loop, the cards)
// would otherwise lay out thousands of boxes a frame for nothing.

import type { BaseType, Selection } from 'd3-selection';

/** Sets each element's text to `text(d)` where it differs. */
export function setText<E extends BaseType, D, PE extends BaseType, PD>(
  sel: Selection<E, D, PE, PD>,
  text: (d: D) => string,
): void {
  sel.each(function (d) {
    const t = text(d);
    if (this instanceof Element && this.textContent !== t) this.textContent = t;
  });
}

/** Sets (or, for null, removes) an attribute where it differs. */
export function setAttr<E extends BaseType, D, PE extends BaseType, PD>(
  sel: Selection<E, D, PE, PD>,
  name: string,
  value: (d: D) => string | null,
): void {
  sel.each(function (d) {
    if (!(this instanceof Element)) return;
    const v = value(d);
    if (v === null) {
      if (this.hasAttribute(name)) this.removeAttribute(name);
    } else if (this.getAttribute(name) !== v) this.setAttribute(name, v);
  });
}

/** Adds or removes a class where that changes something (d3's `classed` writes the attribute every time). */
export function setClass<E extends BaseType, D, PE extends BaseType, PD>(
  sel: Selection<E, D, PE, PD>,
  name: string,
  on: (d: D) => boolean,
): void {
  sel.each(function (d) {
    if (this instanceof Element) this.classList.toggle(name, on(d));
  });
}
