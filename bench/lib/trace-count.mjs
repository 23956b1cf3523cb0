// Counts the events of a trace file with the project's own decoder (src/protocol/codec.ts, bundled for Node),
// streaming: records are decoded chunk by chunk and dropped once counted, so a trace of millions of events
// needs little memory. A step or chain record counts as the events it stands for; `dropped` is the number of
// events the tracer left out when its ring was full (a recording that drops is not a full recording).

import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import esbuild from 'esbuild';

/** Builds the decoder into `scratch` and returns a counter: (path) → Promise<{ events, dropped, bytes, problems }>. */
export async function traceCounter(root, scratch) {
  const outfile = join(scratch, 'codec.mjs');
  await esbuild.build({
    entryPoints: [join(root, 'src', 'protocol', 'codec.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
  });
  const { TraceDecoder } = await import(pathToFileURL(outfile).href);
  return async (path) => {
    const decoder = new TraceDecoder();
    let events = 0;
    let dropped = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      const added = decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      events += added.length;
      for (const e of added) if (e.kind === 'dropped') dropped += e.count;
      decoder.trace.events.length = 0;
    }
    const trace = decoder.finish();
    return { events, dropped, bytes: decoder.bytes, problems: trace.problems };
  };
}
