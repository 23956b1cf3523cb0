// Backpressure: a fast producer (an async generator) and a slow consumer, with a bounded queue between them. When
// the queue is full, the producer is not asked for its next item, so it waits at its yield until there is room.

/**
 * Every wait is a whole number of ticks, each its own timer of the same length: such timers fire in the order they
 * were set, so the output is the same on every run, however busy the machine.
 */
const TICK = 5;

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, TICK));
}

/** Makes `count` items, one per tick, each only when it is asked for the next one. */
async function* produce(count: number): AsyncGenerator<number, void, undefined> {
  for (let item = 1; item <= count; item++) {
    await tick();
    console.log(`producer: made item ${item}`);
    yield item;
  }
}

/** A first-in, first-out queue of at most `capacity` items: put() waits while it is full, take() while it is empty. */
class BoundedQueue<T> {
  private readonly items: T[] = [];
  private closed = false;
  /** Resume functions of the put() calls waiting for room, and of the take() calls waiting for an item. */
  private readonly waitingForRoom: (() => void)[] = [];
  private readonly waitingForItem: (() => void)[] = [];
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  async put(item: T): Promise<void> {
    while (this.items.length >= this.capacity) {
      console.log(`queue: full [${this.items.join(', ')}], put ${String(item)} waits`);
      await new Promise<void>((resolve) => this.waitingForRoom.push(resolve));
    }
    this.items.push(item);
    console.log(`queue: put ${String(item)} → [${this.items.join(', ')}]`);
    this.waitingForItem.shift()?.();
  }

  /** The next item, or undefined once the queue is closed and empty. */
  async take(): Promise<T | undefined> {
    while (this.items.length === 0) {
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => this.waitingForItem.push(resolve));
    }
    const item = this.items.shift();
    console.log(`queue: take ${String(item)} → [${this.items.join(', ')}]`);
    this.waitingForRoom.shift()?.();
    return item;
  }

  /** No more items will come: wakes every take() that waits, so that it sees the end. */
  close(): void {
    this.closed = true;
    for (const wake of this.waitingForItem.splice(0)) wake();
  }
}

/** Moves the producer's items into the queue. It asks for the next item only once put() has found room. */
async function pump(source: AsyncIterable<number>, queue: BoundedQueue<number>): Promise<void> {
  for await (const item of source) await queue.put(item);
  queue.close();
  console.log('pump: the producer is done, queue closed');
}

/** Takes the items one at a time; handling one takes three ticks, where the producer makes one in a tick. */
async function consume(queue: BoundedQueue<number>): Promise<number> {
  let handled = 0;
  for (let item = await queue.take(); item !== undefined; item = await queue.take()) {
    console.log(`consumer: handling item ${item}`);
    for (let t = 0; t < 3; t++) await tick();
    handled += 1;
  }
  return handled;
}

const queue = new BoundedQueue<number>(2);
const [, handled] = await Promise.all([pump(produce(6), queue), consume(queue)]);
console.log(`consumer: handled ${handled} items`);
