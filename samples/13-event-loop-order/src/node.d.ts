// The two Node.js functions this sample uses that are not in the language's own types. The sample installs no
// packages; `npm install --save-dev @types/node` has the types of all of Node.js, and then this file can go.

declare const process: {
  /** Queues `callback` on the nextTick queue, which Node empties before the promise jobs after each callback. */
  nextTick(callback: () => void): void;
};

/** Queues `callback` for the check phase of the event loop, which comes after the poll for I/O. */
declare function setImmediate(callback: () => void): unknown;
