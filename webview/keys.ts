// The page's keys: arrow keys step (with Shift: by the selected coroutine), P plays and pauses, Home and End
// jump. Controls that use these keys themselves (inputs, selects, the cards' own Home and End) keep them.

import type { StepAction } from './playback';

export type KeyAction = StepAction | 'play';

/** What a key press on the page does, or undefined when it is not the page's to handle. */
export function keyAction(event: KeyboardEvent): KeyAction | undefined {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return undefined;
  const target = event.target instanceof Element ? event.target : null;
  if (target?.closest('input, select, textarea, [contenteditable="true"]')) return undefined;
  const inCards = !!target?.closest('.ys-card');
  switch (event.key) {
    case 'ArrowLeft':
      return event.shiftKey ? 'previous-of' : 'back';
    case 'ArrowRight':
      return event.shiftKey ? 'next-of' : 'forward';
    case 'Home':
      return inCards ? undefined : 'start';
    case 'End':
      return inCards ? undefined : 'end';
    case 'p':
    case 'P':
      return 'play';
    default:
      return undefined;
  }
}
