// Debug configurations, as data: the `yieldscope` launch configuration checked and turned into a launch of VS
// Code's JavaScript debugger (type `node`), and the tracer put into a Node launch through its environment
// (NODE_OPTIONS `--require`, plus the socket and secret of the session's trace channel). Plain Node, no `vscode`:
// debugSessions.ts calls these from the configuration providers.
//
// Two steps, because VS Code resolves in two: before variables are substituted, `toNodeLaunch` checks what the
// user wrote and changes the type to `node`, so that VS Code then runs the JavaScript debugger's own resolvers on
// it (its defaults, its checks). After substitution, `withTracer` adds the environment; the configuration keeps
// a `__yieldscope` marker from the first step so that the second knows it is one of ours.

import * as path from 'node:path';

/** The debug type Yieldscope contributes. */
export const DEBUG_TYPE = 'yieldscope';
/** Debug types of the JavaScript debugger that launch Node programs. */
export const NODE_DEBUG_TYPES: readonly string[] = ['node', 'pwa-node', 'node-terminal'];
/** Where a resolved configuration keeps what Yieldscope needs to know about it. */
export const MARKER = '__yieldscope';

/** A configuration as VS Code hands it over: any JSON the user wrote. */
export type DebugConfig = Record<string, unknown> & { type?: unknown; request?: unknown; name?: unknown };

export interface Marker {
  /** `launch`: a `yieldscope` configuration; `all`: a Node session traced by `yieldscope.traceAllNodeSessions`. */
  readonly origin: 'launch' | 'all';
  /** The trace channel's key, once the tracer's environment has been added. */
  readonly channel?: string;
  readonly ringMb?: number;
  readonly maxWaitMs?: number;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

export type Resolution =
  { readonly kind: 'ok'; readonly config: DebugConfig } | { readonly kind: 'error'; readonly message: string };

export interface LaunchDefaults {
  /** The file in the active editor, for F5 without a launch.json. */
  readonly activeFile?: string | undefined;
  /**
   * The Node.js to run when the configuration names no `runtimeExecutable` (from `yieldscope.nodePath`), and the
   * environment it needs (ELECTRON_RUN_AS_NODE for the editor's own runtime).
   */
  readonly runtime?: { readonly command: string; readonly env: Readonly<Record<string, string>> } | undefined;
  /** The folder holding the tracer's files, for `skipFiles` (stepping into a generator's next() skips them). */
  readonly tracerDir: string;
}

/** File name endings the tracer instruments and Node runs. */
export const RUNNABLE = /\.(?:[cm]?[jt]s)$/i;

const OWN_KEYS = new Set(['include', 'exclude', 'ringMb', 'maxWaitMs']);

/** The configuration F5 makes when there is no launch.json, and the one a new launch.json starts with. */
export function initialConfiguration(): DebugConfig {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: 'Visualize program',
    program: '${file}',
  };
}

/**
 * Step one (before variables are substituted): checks a `yieldscope` configuration and turns it into a launch of
 * the JavaScript debugger. An empty configuration (F5 with no launch.json) runs the active file.
 */
export function toNodeLaunch(input: DebugConfig, defaults: LaunchDefaults): Resolution {
  let config: DebugConfig = input;
  if (config.type === undefined && config.request === undefined && config.name === undefined) {
    if (!defaults.activeFile || !RUNNABLE.test(defaults.activeFile))
      return error('open a TypeScript or JavaScript file to visualize it, or add a launch configuration.');
    config = { ...initialConfiguration(), program: defaults.activeFile };
  }
  if (config.request !== 'launch')
    return error(`a "${DEBUG_TYPE}" configuration launches a program: its "request" must be "launch".`);
  const problems = [
    check(config, 'program', isNonEmptyString, 'a path to a TypeScript or JavaScript file', true),
    check(config, 'args', (v) => typeof v === 'string' || isStringArray(v), 'a list of strings'),
    check(config, 'cwd', isNonEmptyString, 'a folder path'),
    check(config, 'env', isEnv, 'an object of strings (or null to remove a variable)'),
    check(config, 'runtimeExecutable', isNonEmptyString, 'a path or a command name'),
    check(config, 'runtimeArgs', isStringArray, 'a list of strings'),
    check(config, 'include', isStringArray, 'a list of glob patterns'),
    check(config, 'exclude', isStringArray, 'a list of glob patterns'),
    check(config, 'ringMb', (v) => isInteger(v, 1, 1024), 'a whole number of megabytes from 1 to 1024'),
    check(config, 'maxWaitMs', (v) => isInteger(v, 0, 60_000), 'a whole number of milliseconds from 0 to 60000'),
  ].filter((p): p is string => p !== undefined);
  if (problems.length) return error(problems.join(' '));

  const marker: Marker = {
    origin: 'launch',
    ...(config['include'] !== undefined && { include: config['include'] as string[] }),
    ...(config['exclude'] !== undefined && { exclude: config['exclude'] as string[] }),
    ...(config['ringMb'] !== undefined && { ringMb: config['ringMb'] as number }),
    ...(config['maxWaitMs'] !== undefined && { maxWaitMs: config['maxWaitMs'] as number }),
  };
  const out: DebugConfig = {};
  for (const [key, value] of Object.entries(config)) if (!OWN_KEYS.has(key)) out[key] = value;
  out.type = 'node';
  out.name = typeof config.name === 'string' && config.name ? config.name : 'Visualize program';
  let env = (config['env'] as Record<string, string | null> | undefined) ?? {};
  if (out['runtimeExecutable'] === undefined && defaults.runtime) {
    out['runtimeExecutable'] = defaults.runtime.command;
    env = { ...defaults.runtime.env, ...env };
  }
  out['env'] = env;
  out['console'] ??= 'internalConsole';
  // Stepping into next() goes through the tracer's wrappers: skip them, and Node's internals.
  out['skipFiles'] = [
    ...(Array.isArray(config['skipFiles']) ? (config['skipFiles'] as unknown[]) : ['<node_internals>/**']),
    tracerGlob(defaults.tracerDir),
  ];
  // The tracer inserts probes (never moving a line): the code Node runs is not the file on disk, byte for byte.
  out['enableContentValidation'] ??= false;
  out[MARKER] = marker;
  return { kind: 'ok', config: out };
}

/** True for configurations that `withTracer` may change under `yieldscope.traceAllNodeSessions`. */
export function isTraceableNodeLaunch(config: DebugConfig): boolean {
  return (
    typeof config.type === 'string' &&
    NODE_DEBUG_TYPES.includes(config.type) &&
    config.request === 'launch' &&
    !('__pendingTargetId' in config)
  );
}

/** The marker a configuration carries, if it is one of ours. */
export function markerOf(config: DebugConfig | undefined): Marker | undefined {
  const m = config?.[MARKER];
  if (typeof m !== 'object' || m === null) return undefined;
  const origin = (m as { origin?: unknown }).origin;
  return origin === 'launch' || origin === 'all' ? (m as Marker) : undefined;
}

export interface TracerInjection {
  /** dist/tracer/register.cjs. */
  readonly tracerPath: string;
  /** The channel's key and the environment that leads the tracer to it. */
  readonly channel: { readonly key: string; readonly env: Readonly<Record<string, string>> };
}

/**
 * Step two (after substitution): the tracer, through NODE_OPTIONS, and its settings, in the configuration's
 * environment. The JavaScript debugger puts its own `--require` before ours, so the debugger attaches first.
 */
export function withTracer(config: DebugConfig, marker: Marker, injection: TracerInjection): DebugConfig {
  const env: Record<string, string | null> = { ...(config['env'] as Record<string, string | null> | undefined) };
  env['NODE_OPTIONS'] = appendNodeOption(env['NODE_OPTIONS'], requireOption(injection.tracerPath));
  Object.assign(env, injection.channel.env);
  if (marker.ringMb !== undefined) env['YIELDSCOPE_RING_MB'] = String(marker.ringMb);
  if (marker.maxWaitMs !== undefined) env['YIELDSCOPE_MAX_WAIT_MS'] = String(marker.maxWaitMs);
  if (marker.include?.length) env['YIELDSCOPE_INCLUDE'] = JSON.stringify(marker.include);
  if (marker.exclude?.length) env['YIELDSCOPE_EXCLUDE'] = JSON.stringify(marker.exclude);
  return { ...config, env, [MARKER]: { ...marker, channel: injection.channel.key } };
}

/** `--require <file>`, quoted the way Node reads NODE_OPTIONS when the path has spaces or quotes. */
export function requireOption(file: string): string {
  if (!/[\s"']/.test(file)) return `--require ${file}`;
  return `--require "${file.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** NODE_OPTIONS with `option` added at its end (once). */
export function appendNodeOption(existing: string | null | undefined, option: string): string {
  const current = typeof existing === 'string' ? existing.trim() : '';
  if (current.includes(option)) return current;
  return current ? `${current} ${option}` : option;
}

/** A skipFiles glob for everything in the tracer's folder. */
export function tracerGlob(tracerDir: string): string {
  return `${tracerDir.replace(/\\/g, '/').replace(/\/+$/, '')}/**`;
}

/** The program a resolved configuration runs, as an absolute path, when it names one. */
export function programPath(config: DebugConfig): string | undefined {
  const program = config['program'];
  if (typeof program !== 'string' || !program) return undefined;
  if (path.isAbsolute(program)) return program;
  const cwd = config['cwd'];
  return typeof cwd === 'string' && path.isAbsolute(cwd) ? path.join(cwd, program) : undefined;
}

function check(
  config: DebugConfig,
  key: string,
  ok: (value: unknown) => boolean,
  what: string,
  required = false,
): string | undefined {
  const value = config[key];
  if (value === undefined) return required ? `"${key}" is missing: it must be ${what}.` : undefined;
  return ok(value) ? undefined : `"${key}" must be ${what}.`;
}

function isNonEmptyString(v: unknown): boolean {
  return typeof v === 'string' && v.trim().length > 0;
}

function isStringArray(v: unknown): boolean {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function isEnv(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((s) => typeof s === 'string' || s === null)
  );
}

function isInteger(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function error(message: string): Resolution {
  return { kind: 'error', message };
}
