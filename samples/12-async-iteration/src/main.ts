// Async iteration: the article's data streamer written twice, as a class with [Symbol.asyncIterator]() and an
// async next(), and as an async generator, each read with for await…of.

const LIMIT = 4; // the article reads 10 chunks; 4 show the same
const CHUNK_SIZE = 1024;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Simulates reading `size` bytes from a remote source, asynchronously: it takes a time proportional to the bytes
 * asked for (the article's 0.4 s per 512 bytes, in milliseconds here).
 */
async function recv(no: number, size: number): Promise<string> {
  await sleep((size / 512) * 4);
  return `[chunk ${no} (${size})]`;
}

// 1. By hand: [Symbol.asyncIterator]() returns the iterator, and every next() returns a promise of a result.
class AsyncDataStreamer implements AsyncIterableIterator<string, undefined> {
  private lecture = 0;

  [Symbol.asyncIterator](): AsyncDataStreamer {
    return this;
  }

  async next(): Promise<IteratorResult<string, undefined>> {
    if (this.lecture >= LIMIT) return { value: undefined, done: true };
    const result = await recv(this.lecture, CHUNK_SIZE);
    this.lecture += 1;
    return { value: result, done: false };
  }
}

// 2. The same stream as an async generator: the loop keeps its place between chunks, so no class has to.
async function* asyncDataStreamer(): AsyncGenerator<string, void, undefined> {
  let lecture = 0;
  while (lecture < LIMIT) {
    yield await recv(lecture, CHUNK_SIZE);
    lecture += 1;
  }
}

for await (const read of new AsyncDataStreamer()) {
  console.log(`collector on read ${read}`);
}
for await (const read of asyncDataStreamer()) {
  console.log(`collector on read ${read} (async generator)`);
}

// An ES module (package.json says so; this says it to tools that read the file alone).
export {};
