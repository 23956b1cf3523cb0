// The loader's pipeline for one file: TypeScript blanked to JavaScript (positions kept), probes planned and
// inserted, and the hoisted probe functions appended after the last line. Results are cached on disk, keyed
// by the tracer build, the file's URL and its content. Files without generators come back untouched.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripTypes, transpileTypes, UnsupportedTypeScriptError } from './strip-types';
import { planInstrumentation, lineStarts, lineColumnAt, type Insertion, type PlannedSite } from './instrument';
import { originalPosition } from './source-map';

export type ModuleFormat = 'module' | 'commonjs';

export interface TransformResult {
  readonly code: string;
  /** Insertions into the JavaScript text, in order; empty when the file is unchanged. */
  readonly insertions: readonly Insertion[];
  /** The JavaScript the insertions were made into (TypeScript blanked), for recovering function text. */
  readonly base: string;
}

/** Marks a transform failure that should surface to the user like a Node syntax error. */
export class TransformError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

declare const __YS_BUILD__: string;
const BUILD = typeof __YS_BUILD__ === 'string' ? __YS_BUILD__ : 'dev';
const TS_EXT = /\.[cm]?ts$/;
/**
 * Generators (even without a yield), async functions, or constructs that iterate (for…of, spread,
 * destructuring, Array.from …).
 */
const MAY_NEED_PROBES =
  /\byield\b|\basync\b|\bawait\b|\*\s*[\w$[#]|\.\.\.|\bof\b|\[[^\]]*\]\s*=|Array\.from|\bnew\s+(?:Weak)?(?:Set|Map)\b/;

export function isTypeScript(filename: string): boolean {
  return TS_EXT.test(filename);
}

/** Transforms one file, using the on-disk cache when `cacheDir` is given. */
export function transformFile(
  source: string,
  filename: string,
  url: string,
  format: ModuleFormat,
  cacheDir: string | undefined,
): TransformResult {
  // Plain JavaScript that neither yields, awaits nor iterates has nothing to instrument: no parse, no cache, no
  // change.
  if (!isTypeScript(filename) && !MAY_NEED_PROBES.test(source)) return { code: source, insertions: [], base: source };
  const key = cacheDir ? createHash('sha256').update(`${BUILD}\0${url}\0${format}\0`).update(source).digest('hex') : '';
  if (cacheDir) {
    const hit = readCache(cacheDir, key);
    if (hit) return hit;
  }
  const result = transform(source, filename, url, format);
  if (cacheDir) writeCache(cacheDir, key, result);
  return result;
}

/**
 * The goal to parse a `.ts` file in: an ES module when Node loads it as one (it may use top-level await without
 * import/export); otherwise left to the parser, since a CommonJS package's file may still be detected as ESM.
 */
function goalOf(format: ModuleFormat): 'module' | undefined {
  return format === 'module' ? 'module' : undefined;
}

export function transform(source: string, filename: string, url: string, format: ModuleFormat): TransformResult {
  if (source.includes('__ys$')) return { code: source, insertions: [], base: source };
  let js = source;
  let map: ReturnType<typeof transpileTypes>['map'] | undefined;
  if (isTypeScript(filename)) {
    try {
      js = stripTypes(source, filename, goalOf(format));
    } catch (e) {
      if (!(e instanceof UnsupportedTypeScriptError)) throw asTransformError(e, filename);
      const out = transpileTypes(source, filename, goalOf(format));
      js = out.code;
      map = out.map;
    }
  }
  let plan;
  try {
    plan = planInstrumentation(js, filename, format === 'module');
  } catch (e) {
    throw asTransformError(e, filename);
  }
  if (plan.sites.length === 0) return { code: js, insertions: [], base: js };
  const starts = lineStarts(js);
  const sites = plan.sites.map((s: PlannedSite) => {
    let { line, column } = lineColumnAt(starts, s.offset);
    if (map) ({ line, column } = originalPosition(map, line, column));
    return [s.kind, line, column, s.name];
  });
  const insertions = plan.insertions;
  const code = applyInsertions(js, insertions) + epilogue(url, JSON.stringify(sites));
  return { code, insertions, base: js };
}

function asTransformError(e: unknown, file: string): TransformError {
  const err = e as { message?: string; line?: number; column?: number };
  return new TransformError(String(err.message ?? e), file, err.line ?? 1, err.column ?? 1);
}

/** Applies sorted insertions; equal offsets keep the order the planner chose. */
export function applyInsertions(code: string, insertions: readonly Insertion[]): string {
  let out = '';
  let at = 0;
  for (const ins of insertions) {
    out += code.slice(at, ins.offset) + ins.text;
    at = ins.offset;
  }
  return out + code.slice(at);
}

/**
 * The probe functions, declared after the last line so that no line moves. Function declarations are hoisted,
 * so probes work even when a function of this module runs before the module body (import cycles).
 */
function epilogue(url: string, sites: string): string {
  return (
    `\n;var __ys$R;function __ys$r(){return __ys$R||(__ys$R=globalThis[Symbol.for("yieldscope.tracer")].file(${JSON.stringify(url)},${JSON.stringify(sites)}))}` +
    'function __ys$c(s,a,f){return __ys$r().c(s,a,f)}' +
    'function __ys$s(i,s,a){__ys$r().s(i,s,a)}' +
    'function __ys$y(s,v){__ys$r().y(s);return v}' +
    'function __ys$d(s){__ys$r().d(s)}' +
    'function __ys$e(){__ys$r().e()}' +
    'function __ys$f(s){__ys$r().f(s)}' +
    'function __ys$o(s,h,v){__ys$r().o(s,h,v);return v}' +
    'function __ys$A(s,a){return __ys$r().A(s,a)}' +
    'function __ys$a(i,s,v){return __ys$r().a(i,s,v)}' +
    'function __ys$w(i,v){return __ys$r().w(i,v)}' +
    'function __ys$t(i,v){return __ys$r().t(i,v)}' +
    'function __ys$T(i,s,v){return __ys$r().T(i,s,v)}' +
    'function __ys$ps(){return __ys$r().ps()}' +
    'function __ys$pr(k,v){__ys$r().pr(k);return v}' +
    'function __ys$k(i,e,k){__ys$r().k(i,e,k)}' +
    'function __ys$X(i,e){__ys$r().X(i,e)}' +
    'function __ys$Z(i){__ys$r().Z(i)}' +
    'function __ys$C(s,a){return __ys$r().C(s,a)}' +
    'function __ys$G(i){__ys$r().G(i)}' +
    'function __ys$Y(i,s,v){__ys$r().Y(i,s,v);return v}' +
    'function __ys$W(i,v){return __ys$r().W(i,v)}' +
    'function __ys$fq(i,s,v){__ys$r().fq(i,s);return v}' +
    'function __ys$fp(i,s){__ys$r().fq(i,s)}' +
    'function __ys$fr(i,s,v){__ys$r().fr(i,v)}' +
    'function __ys$fe(i,s){__ys$r().fe(i)}' +
    'function __ys$fb(i,s){__ys$r().fq(i,s)}' +
    'function __ys$fc(i,s,v){__ys$r().fc(i,s);return v}' +
    'function __ys$D(i,s){__ys$r().D(i,s)}' +
    'function __ys$E(i){__ys$r().E(i)}\n'
  );
}

function readCache(dir: string, key: string): TransformResult | undefined {
  try {
    const raw = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as TransformResult;
    if (typeof raw.code === 'string' && typeof raw.base === 'string' && Array.isArray(raw.insertions)) return raw;
  } catch {
    // a miss, or a damaged entry: transform again
  }
  return undefined;
}

function writeCache(dir: string, key: string, result: TransformResult): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${key}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(result));
    renameSync(tmp, join(dir, `${key}.json`));
  } catch {
    // a read-only or full disk only costs speed
  }
}
