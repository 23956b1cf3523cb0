// The event loop's queues: the same kinds of callback queued in two places, and the order in which they run.

const log = (text: string): void => console.log(text);

// 1. The script itself. Nothing it queues runs before it has finished.
log('script: start');
setTimeout(() => {
  // 2. A timer's callback. When it returns, Node empties the nextTick queue, then the microtask queue, then
  // moves on through the phases of the loop: the immediates (check phase) come before the next timers.
  log('timer: start');
  setTimeout(() => log('timer (0 ms) queued by the timer'), 0);
  setImmediate(() => log('immediate queued by the timer'));
  Promise.resolve().then(() => log('promise reaction queued by the timer'));
  queueMicrotask(() => log('microtask queued by the timer'));
  process.nextTick(() => {
    log('nextTick queued by the timer');
    Promise.resolve().then(() => log('promise reaction queued by that nextTick'));
    process.nextTick(() => log('nextTick queued by that nextTick'));
  });
  log('timer: end');
}, 0);
process.nextTick(() => log('nextTick queued by the script'));
Promise.resolve().then(() => {
  log('promise reaction queued by the script');
  Promise.resolve().then(() => log('promise reaction queued by that reaction'));
});
queueMicrotask(() => log('microtask queued by the script'));

async function task(): Promise<void> {
  log('task: runs at once, up to its first await');
  await null;
  log('task: resumed after `await null`, by a microtask');
}

void task();
log('script: end');
