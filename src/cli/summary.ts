// `yieldscope summary`: the coroutines of a trace and how each one ended, as plain text for a terminal or CI.

import { CoroutineModel, siteLabel, type Coroutine } from '../model/coroutines';
import type { Trace } from '../protocol/trace';

function stateText(c: Coroutine, trace: Trace, cwd: string): string {
  const s = c.state;
  switch (s.kind) {
    case 'created':
      return 'created, never started';
    case 'running':
      return 'running';
    case 'suspended':
      return `suspended at ${siteLabel(trace, s.site, cwd)}`;
    case 'delegating':
      return `delegating at ${siteLabel(trace, s.site, cwd)}`;
    case 'awaiting':
      return `awaiting ${s.value.text} at ${siteLabel(trace, s.site, cwd)}`;
    case 'closed':
      return `returned ${s.value.text}`;
    case 'failed':
      return `failed: ${s.error.text}`;
  }
}

export function summaryText(trace: Trace): string {
  const cwd = trace.header?.cwd ?? '';
  const model = new CoroutineModel(trace).applyAll(trace.events);
  const list = model.list();
  const lines: string[] = [];
  const h = trace.header;
  if (h)
    lines.push(
      `${h.program ? siteLabelPath(h.program, cwd) : '(program)'} on Node ${h.node}: ${trace.events.length} events, ${list.length} coroutines`,
    );
  for (const c of list) {
    const where = c.site ? ` (${siteLabel(trace, c.site, cwd)})` : '';
    lines.push(`  #${c.id} ${c.name}${where}: ${c.resumes} resumes, ${c.yields} yields, ${stateText(c, trace, cwd)}`);
  }
  for (const w of model.warnings) lines.push(`  warning: ${w.message}`);
  if (model.dropped) lines.push(`  ${model.dropped} events were dropped (the recording limit was reached)`);
  const end = model.ending;
  if (end) lines.push(`ended: ${end.reason}, exit code ${end.exitCode}${end.error ? `, ${end.error.text}` : ''}`);
  else lines.push('ended: (the trace has no end record: the recording was cut)');
  for (const p of trace.problems) lines.push(`problem: ${p}`);
  return lines.map(printable).join('\n') + '\n';
}

/**
 * A line safe for a terminal: names, values and paths come from the trace (from the program, or from whoever
 * made the file), so control characters (escape sequences that retitle, clear or set the clipboard) are shown as
 * `\u…` escapes instead of being sent.
 */
function printable(line: string): string {
  let out = '';
  for (const ch of line) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}

function siteLabelPath(path: string, cwd: string): string {
  return cwd && path.startsWith(cwd + '/') ? path.slice(cwd.length + 1) : path;
}
