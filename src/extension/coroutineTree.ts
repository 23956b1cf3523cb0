// What the Coroutines view shows, as plain data: a recording's coroutines grouped by state (running, suspended,
// awaiting, not started, finished, failed), each with an icon, its current line and a line of detail; yield*
// chains nested under the coroutine that delegates; the coroutine running when a debugger paused marked as the
// current one. Pure: coroutinesView.ts turns the nodes into TreeItems, the tests read them directly.

import type { Coroutine, CoroutineModel } from '../model/coroutines';
import { displayPath } from '../model/coroutines';
import type { Preview, Trace } from '../protocol/trace';

export type GroupName = 'running' | 'suspended' | 'awaiting' | 'created' | 'finished' | 'failed';

/** Codicon names; the view adds colours. */
export type IconName =
  'debug-stackframe-focused' | 'play' | 'debug-pause' | 'arrow-right' | 'watch' | 'circle-outline' | 'pass' | 'error';

export interface SourceLocation {
  /** A file: URL or a path, as the trace names the file. */
  readonly url: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export interface GroupNode {
  readonly kind: 'group';
  readonly id: string;
  readonly group: GroupName;
  readonly label: string;
  readonly count: number;
  readonly children: readonly TreeNode[];
}

export interface CoroutineNode {
  readonly kind: 'coroutine';
  readonly id: string;
  readonly co: number;
  /** `gen#1` */
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  readonly icon: IconName;
  /** The coroutine that was running when the debugger paused (the innermost of the running chain). */
  readonly current: boolean;
  readonly location: SourceLocation | undefined;
  readonly children: readonly TreeNode[];
}

/** Stands for the coroutines of a group beyond the limit. */
export interface MoreNode {
  readonly kind: 'more';
  readonly id: string;
  readonly label: string;
}

export type TreeNode = GroupNode | CoroutineNode | MoreNode;

export interface TreeOptions {
  /** Prefixes node ids, so that ids stay unique (and expansion state stays put) per recording. */
  readonly idPrefix: string;
  /** Where the program ran: paths inside it are shown relative to it. */
  readonly cwd?: string | undefined;
  /** Set while a debugger has the program paused. */
  readonly pause?: { readonly location: SourceLocation | undefined } | undefined;
  /** Coroutines shown per group; the rest are summed up in one "more" node. */
  readonly limit?: number;
}

const GROUPS: readonly { readonly group: GroupName; readonly label: string }[] = [
  { group: 'running', label: 'Running' },
  { group: 'suspended', label: 'Suspended' },
  { group: 'awaiting', label: 'Awaiting' },
  { group: 'created', label: 'Not started' },
  { group: 'failed', label: 'Failed' },
  { group: 'finished', label: 'Finished' },
];

const DEFAULT_LIMIT = 200;
const MAX_CHAIN = 50;

export function groupOf(c: Coroutine): GroupName {
  switch (c.state.kind) {
    case 'running':
      return 'running';
    case 'suspended':
    case 'delegating':
      return 'suspended';
    case 'awaiting':
      return 'awaiting';
    case 'created':
      return 'created';
    case 'closed':
      return 'finished';
    case 'failed':
      return 'failed';
  }
}

/** The groups that have coroutines, in a fixed order. */
export function coroutineTree(
  model: CoroutineModel,
  trace: Pick<Trace, 'files' | 'sites'>,
  options: TreeOptions,
): GroupNode[] {
  const ctx = new Context(model, trace, options);
  const byGroup = new Map<GroupName, Coroutine[]>();
  for (const c of model.coroutines.values()) {
    const g = groupOf(c);
    let list = byGroup.get(g);
    if (!list) byGroup.set(g, (list = []));
    list.push(c);
  }
  const current = model.running.at(-1);
  const out: GroupNode[] = [];
  for (const { group, label } of GROUPS) {
    const members = byGroup.get(group) ?? [];
    if (members.length === 0) continue;
    let top: Coroutine[];
    switch (group) {
      case 'running': {
        // Innermost first, like a call stack; anything marked running but off the stack after them.
        const stack = model.running.map((id) => model.coroutines.get(id)).filter((c) => c !== undefined);
        const onStack = new Set(stack.map((c) => c.id));
        top = [...stack.reverse(), ...members.filter((c) => !onStack.has(c.id)).sort(byId)];
        top = unique(top);
        break;
      }
      case 'suspended': {
        // A chain shows once, under the coroutine that delegates: its delegates are not listed again.
        const delegated = new Set<number>();
        for (const c of members) if (c.state.kind === 'delegating') delegated.add(c.state.target);
        top = members.filter((c) => !delegated.has(c.id)).sort(byId);
        break;
      }
      case 'finished':
      case 'failed':
        top = [...members].sort((a, b) => b.lastSeq - a.lastSeq);
        break;
      default:
        top = [...members].sort(byId);
    }
    const limit = options.limit ?? DEFAULT_LIMIT;
    const children: TreeNode[] = top.slice(0, limit).map((c) => ctx.node(c, c.id === current, group === 'suspended'));
    if (top.length > limit) {
      children.push({
        kind: 'more',
        id: `${options.idPrefix}:${group}:more`,
        label: `… and ${(top.length - limit).toLocaleString('en-US')} more`,
      });
    }
    out.push({
      kind: 'group',
      id: `${options.idPrefix}:${group}`,
      group,
      label,
      count: members.length,
      children,
    });
  }
  return out;
}

/** The node of coroutine `co`, searched through the groups and their chains. */
export function findNode(nodes: readonly TreeNode[], co: number): CoroutineNode | undefined {
  for (const n of nodes) {
    if (n.kind === 'coroutine' && n.co === co) return n;
    if (n.kind !== 'more') {
      const found = findNode(n.children, co);
      if (found) return found;
    }
  }
  return undefined;
}

/** The path of nodes from a group down to `node` (both included), for revealing it. */
export function pathTo(nodes: readonly TreeNode[], id: string): TreeNode[] | undefined {
  for (const n of nodes) {
    if (n.id === id) return [n];
    if (n.kind !== 'more') {
      const below = pathTo(n.children, id);
      if (below) return [n, ...below];
    }
  }
  return undefined;
}

class Context {
  constructor(
    private readonly model: CoroutineModel,
    private readonly trace: Pick<Trace, 'files' | 'sites'>,
    private readonly options: TreeOptions,
  ) {}

  node(c: Coroutine, current: boolean, nestChain: boolean, depth = 0, path = ''): CoroutineNode {
    const id = `${this.options.idPrefix}:${path}${c.id}`;
    const pausedHere = current && this.options.pause !== undefined;
    const location = pausedHere ? (this.options.pause?.location ?? this.siteLocation(c)) : this.siteLocation(c);
    const children: TreeNode[] = [];
    if (nestChain && c.state.kind === 'delegating' && depth < MAX_CHAIN) {
      const target = this.model.coroutines.get(c.state.target);
      if (target) children.push(this.node(target, false, true, depth + 1, `${path}${c.id}/`));
    }
    return {
      kind: 'coroutine',
      id,
      co: c.id,
      label: this.label(c.id),
      description: this.description(c, pausedHere, location),
      tooltip: this.tooltip(c),
      icon: icon(c, current),
      current,
      location,
      children,
    };
  }

  private label(id: number): string {
    const c = this.model.coroutines.get(id);
    return c ? `${c.name}#${c.id}` : `#${id}`;
  }

  private siteLocation(c: Coroutine): SourceLocation | undefined {
    const s = c.state;
    const siteId = s.kind === 'suspended' || s.kind === 'delegating' || s.kind === 'awaiting' ? s.site : c.site;
    const site = this.trace.sites.get(siteId);
    const file = site && this.trace.files.get(site.file);
    return site && file ? { url: file.url, line: site.line, column: site.column } : undefined;
  }

  private where(location: SourceLocation | undefined): string {
    if (!location) return '';
    const file = displayPath(location.url, this.options.cwd ?? '');
    return `${file.split(/[\\/]/).at(-1) ?? file}:${location.line}`;
  }

  private description(c: Coroutine, pausedHere: boolean, location: SourceLocation | undefined): string {
    const at = this.where(location);
    const s = c.state;
    switch (s.kind) {
      case 'running':
        return pausedHere ? `paused at ${at}` : join('running', at && `from ${at}`);
      case 'suspended':
        return join(`at yield ${at}`, c.lastOut && `gave ${text(c.lastOut)}`);
      case 'delegating':
        return join(`yield* ${this.label(s.target)}`, at);
      case 'awaiting':
        return join(`await ${at}`, s.target ? `on ${this.label(s.target)}` : text(s.value));
      case 'created':
        return join('not started', at);
      case 'closed':
        return `returned ${text(s.value)}`;
      case 'failed':
        return `threw ${text(s.error)}`;
    }
  }

  private tooltip(c: Coroutine): string {
    const lines = [`${this.label(c.id)}: ${kindName(c)}`];
    const created = this.where(this.fnLocation(c));
    if (created) lines.push(`defined at ${created}`);
    if (c.parent) lines.push(`created by ${this.label(c.parent)}`);
    if (c.args.length) lines.push(`arguments: ${c.args.map(text).join(', ')}`);
    if (c.lastIn) lines.push(`last sent in: ${c.lastIn.mode}(${text(c.lastIn.value)})`);
    if (c.lastOut) lines.push(`last came out: ${text(c.lastOut)}`);
    if (c.resumer) lines.push(`last resumed by ${this.label(c.resumer)}`);
    lines.push(`resumed ${c.resumes} times, yielded ${c.yields} times`);
    return lines.join('\n');
  }

  private fnLocation(c: Coroutine): SourceLocation | undefined {
    const site = this.trace.sites.get(c.site);
    const file = site && this.trace.files.get(site.file);
    return site && file ? { url: file.url, line: site.line, column: site.column } : undefined;
  }
}

function icon(c: Coroutine, current: boolean): IconName {
  if (current) return 'debug-stackframe-focused';
  switch (c.state.kind) {
    case 'running':
      return 'play';
    case 'suspended':
      return 'debug-pause';
    case 'delegating':
      return 'arrow-right';
    case 'awaiting':
      return 'watch';
    case 'created':
      return 'circle-outline';
    case 'closed':
      return 'pass';
    case 'failed':
      return 'error';
  }
}

function kindName(c: Coroutine): string {
  switch (c.coKind) {
    case 'generator':
      return 'generator';
    case 'async':
      return 'async function call';
    case 'async-generator':
      return 'async generator';
    case 'iterator':
      return 'iterator';
  }
}

/** A preview as one short line (previews are display text already; never HTML). */
function text(p: Preview): string {
  const t = p.type === 'string' ? JSON.stringify(p.text) : p.text;
  const flat = t.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

function join(...parts: (string | false | undefined)[]): string {
  return parts.filter((p) => p).join(' · ');
}

function byId(a: Coroutine, b: Coroutine): number {
  return a.id - b.id;
}

function unique(list: Coroutine[]): Coroutine[] {
  const seen = new Set<number>();
  return list.filter((c) => !seen.has(c.id) && seen.add(c.id));
}
