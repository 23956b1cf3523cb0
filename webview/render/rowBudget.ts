// How many rows a short list (warnings, output) draws. A jump of the cursor rewrites every row it draws, and
// the browser lays out each one even when it is scrolled out of the pane, so until the reader scrolls the list
// or moves into it with the keyboard, only about as many rows as the pane can show are drawn; then all of them,
// until the list is back where it starts.

export class RowBudget {
  private expanded = false;

  /**
   * @param el the element that scrolls
   * @param share the most of the window's height the pane takes (its CSS max-height), to size the budget
   *   without reading the page's layout
   * @param atStart true when `el` shows the rows it shows before any scrolling
   * @param redraw draws the list again, with every row
   */
  constructor(
    el: HTMLElement,
    private readonly share: number,
    atStart: (el: HTMLElement) => boolean,
    redraw: () => void,
  ) {
    const grow = (): void => {
      if (this.expanded) return;
      this.expanded = true;
      redraw();
    };
    el.addEventListener('scroll', () => {
      if (!atStart(el)) grow();
      else this.expanded = false;
    });
    el.addEventListener('wheel', grow, { passive: true });
    el.addEventListener('focusin', grow);
  }

  /** Rows to draw out of `rows`: all once the reader is in the list, else what fits (with a margin). */
  limit(rows: number): number {
    if (this.expanded) return rows;
    const fits = Math.ceil((window.innerHeight * this.share) / LINE_PX) + MARGIN;
    return Math.min(rows, fits);
  }
}

/** The shortest a row can be, in pixels (one line of the default font), and rows drawn past what fits. */
const LINE_PX = 16;
const MARGIN = 3;
