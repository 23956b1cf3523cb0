// The benchmark's output: one table of workloads (untraced, Yieldscope and anchor times, ratios, what was
// recorded, peak memory), the loader's and the webview's figures under it, and the same as JSON rows.

const num = (v, digits = 1) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—');
const count = (v) => {
  if (typeof v !== 'number') return '—';
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(v >= 1e4 ? 0 : 1)}k`;
  return String(v);
};
const times = (v) => (typeof v === 'number' ? `${v.toFixed(2)}×` : '—');

const COLUMNS = [
  { title: 'workload', width: 36, left: true, cell: (r) => r.name },
  { title: 'untraced', width: 9, cell: (r) => `${num(r.baseline_ms)} ms` },
  { title: 'Yieldscope', width: 10, cell: (r) => `${num(r.traced_ms)} ms` },
  { title: '×', width: 6, cell: (r) => times(r.ratio) },
  {
    title: 'rounds ×',
    width: 11,
    cell: (r) => (r.ratio_range ? r.ratio_range.map((v) => v.toFixed(2)).join('–') : '—'),
  },
  { title: 'target', width: 6, cell: (r) => (r.target ? `≤${r.target}×` : '—') },
  { title: 'anchor', width: 10, cell: (r) => `${num(r.anchor_ms)} ms` },
  { title: 'anchor ×', width: 8, cell: (r) => times(r.anchor_ratio) },
  { title: 'events', width: 7, cell: (r) => count(r.events) + (r.dropped_events ? '!' : '') },
  { title: 'B/event', width: 7, cell: (r) => num(r.bytes_per_event, 2) },
  { title: 'events/s', width: 8, cell: (r) => count(r.events_per_s) },
  { title: 'anchor events', width: 13, cell: (r) => count(r.anchor_events) },
  {
    title: 'peak RSS MB untr./YS/anchor',
    width: 27,
    cell: (r) => `${num(r.rss_baseline_mb, 0)} / ${num(r.rss_traced_mb, 0)} / ${num(r.rss_anchor_mb, 0)}`,
  },
];

function line(cells) {
  return cells
    .map((c, i) => (COLUMNS[i].left ? c.padEnd(COLUMNS[i].width) : c.padStart(COLUMNS[i].width)))
    .join('  ')
    .trimEnd();
}

/** The text report: a heading with the machine, the table, notes, then the loader and webview figures. */
export function textReport(rows) {
  const machine = rows.find((r) => r.group === 'machine');
  const workloads = rows.filter((r) => r.group === 'workload');
  const out = [];
  if (machine) {
    const busy = Math.max(machine.load_before, machine.load_after ?? 0) > machine.cpus;
    out.push(
      `Node ${machine.node}, ${machine.platform}, ${machine.cpus} × ${machine.cpu_model}; ${machine.runs} round${machine.runs === 1 ? '' : 's'}, medians`,
      '× = median of the per-round ratios to the untraced run (a round: untraced, Yieldscope, anchor, back to back)',
      `1-minute load average ${machine.load_before} before the workloads, ${machine.load_after} after them` +
        (busy ? ' (above the CPU count: other work shared the machine; see rounds ×)' : ''),
      '',
    );
  }
  if (workloads.length) {
    out.push(line(COLUMNS.map((c) => c.title)));
    out.push(line(COLUMNS.map((c) => '─'.repeat(c.width))));
    for (const r of workloads) out.push(line(COLUMNS.map((c) => c.cell(r))));
    out.push(
      '',
      'Yieldscope: the tracer as built from src/, writing its trace file. rounds ×: lowest and highest ratio of ' +
        'the rounds. events: decoded from that trace,',
      'B/event: its file size over that count, events/s: events over the traced time (idle time included); ' +
        '! after a count: the tracer dropped events.',
      'anchor: bench/anchor, the usual recorder (async_hooks with every callback + a wrapper on every function, ' +
        'events kept in memory). It records no resumption of a sync generator and no await as such, so its',
      'events are not the same events: compare the cost of recording a program, not a count of facts.',
    );
  }
  const loader = rows.filter((r) => r.group === 'loader');
  if (loader.length) {
    out.push('', `Loader: ${loader[0].detail}`);
    for (const r of loader) out.push(`  ${r.name.padEnd(40)} ${num(r.ms).padStart(8)} ms`);
  }
  const webview = rows.filter((r) => r.group === 'webview');
  if (webview.length) {
    out.push('', `Webview: ${webview[0].detail}`);
    for (const r of webview)
      out.push(`  ${r.name.padEnd(40)} ${num(r.ms).padStart(8)} ms${r.target ? `   (target < ${r.target} ms)` : ''}`);
  }
  for (const r of rows.filter((r) => r.group === 'skipped')) out.push('', `${r.name}: skipped (${r.detail})`);
  return out.join('\n');
}
