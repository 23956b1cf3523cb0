// Preloaded last into every benchmark process (untraced, traced and anchor alike): when the process exits, after
// the recorder's own exit work, it writes the peak resident set size and, under the anchor, the anchor's event
// count as one JSON line to the file named by BENCH_MEASURE_OUT.
'use strict';

const { writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const out = process.env.BENCH_MEASURE_OUT;
if (out && isMainThread) {
  process.on('exit', () => {
    const anchor = globalThis[Symbol.for('yieldscope.bench.anchor')];
    const report = { maxRssKB: process.resourceUsage().maxRSS };
    if (anchor) Object.assign(report, { anchorEvents: anchor.events(), anchorBytes: anchor.bytes() });
    writeFileSync(out, JSON.stringify(report));
  });
}
