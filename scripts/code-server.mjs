// A real VS Code for `npm start` and the end-to-end tests, where no desktop VS Code can be downloaded: VS Code for
// the Web (`code-server` from the npm registry), built against Node 24 and installed once into the cache; the
// extension packaged as a .vsix and installed into a private extensions folder; a server on 127.0.0.1 that is
// started, awaited until it answers, and stopped with every process it started.
//
//   node scripts/code-server.mjs --install    install Node 24 and code-server into the cache if missing (CI)
//   node scripts/code-server.mjs --status     say whether they are installed, and where
//
// Plain ESM with no dependencies: scripts/start.mjs and test/e2e/rig.ts both import it, before anything is built.
// Everything code-server writes goes to folders the caller names (user data, extensions, a private config
// home); it never touches ~/.config/code-server or ~/.local/share/code-server.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, installNode, nodeBinaryPath, nodePackageDir } from './node-versions.mjs';

/** The code-server release and the Node it is built and run with (its package.json says `engines.node: 24`). */
export const CODE_SERVER_VERSION = '4.139.1';
export const CODE_SERVER_NODE = '24.21.0';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** Written last into an install folder: without it the folder is not a complete install. */
const MARKER = '.yieldscope-install.json';
/** A lock older than this belongs to an install that died without removing it. */
const STALE_LOCK_MS = 30 * MINUTE;

/**
 * Settings that keep the editor quiet and offline: no telemetry, welcome page, walkthroughs, trust prompt, update
 * or marketplace checks, chat panel, or question about the git repository around the samples.
 */
export const QUIET_SETTINGS = Object.freeze({
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'github.gitAuthentication': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'typescript.disableAutomaticTypeAcquisition': true,
  'npm.fetchOnlinePackageInfo': false,
});

// ─── where things are ────────────────────────────────────────────────────────────────────────────────────────

/** `<cache>/code-server`: installs, their lock and temporary folders. */
export function codeServerRoot() {
  return path.join(cacheDir(), 'code-server');
}

/** The install folder of the pinned version (an npm prefix). */
export function codeServerDir() {
  return path.join(codeServerRoot(), CODE_SERVER_VERSION);
}

/** code-server's entry point, run with `codeServerNode()`. */
export function codeServerEntry(dir = codeServerDir()) {
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** The Node that runs code-server (its native modules are built for this one). */
export function codeServerNode() {
  return nodeBinaryPath(CODE_SERVER_NODE);
}

/** True if the pinned version is completely installed, built with the pinned Node. */
export function isCodeServerInstalled(dir = codeServerDir()) {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
    return (
      marker.codeServer === CODE_SERVER_VERSION &&
      marker.node === CODE_SERVER_NODE &&
      fs.existsSync(codeServerEntry(dir)) &&
      fs.existsSync(codeServerNode())
    );
  } catch {
    return false;
  }
}

// ─── installing ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Installs Node 24 and code-server into the cache unless they are there. Safe to run from several processes at
 * once: one installs (under a lock, into a temporary folder that is renamed into place when complete), the
 * others wait for it. Shows a progress line on `out` while it works (about two minutes, 620 MB).
 *
 * @param {{out?: NodeJS.WritableStream}} [options]
 * @returns {Promise<{installed: boolean, seconds: number, dir: string}>} `installed`: this call installed it
 */
export async function installCodeServer({ out = process.stderr } = {}) {
  const started = Date.now();
  const dir = codeServerDir();
  installNode(CODE_SERVER_NODE);
  if (isCodeServerInstalled(dir)) return { installed: false, seconds: 0, dir };

  const root = codeServerRoot();
  fs.mkdirSync(root, { recursive: true });
  const release = await acquireLock(path.join(root, `.lock-${CODE_SERVER_VERSION}`), out);
  try {
    if (isCodeServerInstalled(dir)) return { installed: false, seconds: (Date.now() - started) / 1000, dir };
    removeStaleTemporaries(root);
    await installInto(dir, out);
  } finally {
    release();
  }
  const seconds = (Date.now() - started) / 1000;
  out.write(`yieldscope: code-server ${CODE_SERVER_VERSION} installed in ${seconds.toFixed(0)}s: ${dir}\n`);
  return { installed: true, seconds, dir };
}

async function installInto(finalDir, out) {
  const root = path.dirname(finalDir);
  const node = codeServerNode();
  checkBuildTools(out);
  out.write(
    `yieldscope: installing code-server ${CODE_SERVER_VERSION} (VS Code for the Web, from npm, built with Node ` +
      `${CODE_SERVER_NODE}) into ${finalDir}. First time only: about 2 minutes, 620 MB.\n`,
  );
  const tmpDir = fs.mkdtempSync(path.join(root, `.tmp-${CODE_SERVER_VERSION}-`));
  const logFile = path.join(root, `install-${CODE_SERVER_VERSION}.log`);
  try {
    // Node 24 first on PATH: npm and code-server's postinstall (which runs npm again in lib/vscode) run on it,
    // and node-gyp builds the native modules against its headers (not ~/.npmrc's nodedir, if any).
    const env = {
      ...withoutNpmRunVariables(process.env),
      PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: nodePackageDir(CODE_SERVER_NODE),
    };
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const args = [
      'install',
      '--prefix',
      tmpDir,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--foreground-scripts',
      `code-server@${CODE_SERVER_VERSION}`,
    ];
    const code = await runWithProgress(npm, args, { env, cwd: tmpDir, logFile, out, tmpDir });
    if (code !== 0) {
      throw new Error(
        `npm install code-server@${CODE_SERVER_VERSION} failed (exit code ${code}). Its output is in ${logFile}; ` +
          'the end of it:\n' +
          tail(readText(logFile), 40) +
          '\nIts native modules build from source here: they need make, g++, python3 and the Kerberos headers ' +
          '(Debian: apt-get install -y build-essential python3 libkrb5-dev).',
      );
    }
    await verifyInstall(tmpDir);
    fs.writeFileSync(
      path.join(tmpDir, MARKER),
      JSON.stringify({
        codeServer: CODE_SERVER_VERSION,
        node: CODE_SERVER_NODE,
        installedAt: new Date().toISOString(),
      }),
    );
    fs.chmodSync(tmpDir, 0o755); // mkdtemp makes it private; the cache may be shared.
    if (fs.existsSync(finalDir)) {
      // An incomplete or outdated install (no marker, or built with another Node): move it aside, then remove it.
      const aside = fs.mkdtempSync(path.join(root, `.old-${CODE_SERVER_VERSION}-`));
      fs.renameSync(finalDir, path.join(aside, 'x'));
      fs.rmSync(aside, { recursive: true, force: true });
    }
    fs.renameSync(tmpDir, finalDir);
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

/** Warns early (the build fails ten seconds later otherwise) when a tool the native modules need is missing. */
function checkBuildTools(out) {
  if (process.platform !== 'linux') return;
  const missing = ['make', 'g++', 'python3'].filter((tool) => !onPath(tool));
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h') && !fs.existsSync('/usr/include/gssapi.h')) {
    missing.push('the Kerberos headers (libkrb5-dev)');
  }
  if (missing.length) {
    out.write(
      `yieldscope: warning: code-server's native modules build from source and need ${missing.join(', ')}; ` +
        'on Debian: apt-get install -y build-essential python3 libkrb5-dev\n',
    );
  }
}

function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, command), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Runs npm with its output into `logFile` and a progress line on `out`: rewritten in place on a terminal, one
 * line every 15 s otherwise (CI logs). Resolves to the exit code.
 */
function runWithProgress(command, args, { env, cwd, logFile, out, tmpDir }) {
  return new Promise((resolve, reject) => {
    const log = fs.openSync(logFile, 'w');
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log] });
    const started = Date.now();
    const tty = Boolean(out.isTTY);
    let lastLength = 0;
    let size = 0;
    let sizedAt = 0;
    const show = () => {
      const secs = Math.round((Date.now() - started) / 1000);
      if (Date.now() - sizedAt > 10 * SECOND) {
        size = folderSizeMb(tmpDir);
        sizedAt = Date.now();
      }
      const last = lastLine(logFile).slice(0, 70);
      const line = `  … ${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, '0')}s, ${size} MB${last ? `: ${last}` : ''}`;
      if (tty) {
        out.write(`\r${line.padEnd(lastLength)}`);
        lastLength = line.length;
      } else {
        out.write(`${line}\n`);
      }
    };
    const timer = setInterval(show, tty ? 1000 : 15 * SECOND);
    const finish = (fn) => {
      clearInterval(timer);
      if (tty && lastLength) out.write('\n');
      fs.closeSync(log);
      fn();
    };
    child.on('error', (e) => finish(() => reject(new Error(`could not run ${command}: ${e.message}`, { cause: e }))));
    child.on('close', (code, signal) => finish(() => resolve(code ?? (signal ? 128 : 1))));
  });
}

/** The size of a folder in MB, for the progress line (counting stops early on a huge tree). */
function folderSizeMb(dir) {
  let total = 0;
  const stack = [dir];
  let budget = 200_000; // stop counting rather than slow the install down on a huge tree
  while (stack.length && budget-- > 0) {
    const d = stack.pop();
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) {
        try {
          total += fs.statSync(p).size;
        } catch {
          // Removed while counting.
        }
      }
    }
  }
  return Math.round(total / 1e6);
}

/** What npm is doing, from the newest line of its log that says (compiler output says nothing useful here). */
function lastLine(file) {
  for (const line of readText(file).split(/\r?\n/).reverse()) {
    const script = /^> (\S+@\S+) ((?:pre|post)?install)$/.exec(line);
    if (script) return `${script[2]} script of ${script[1]}`;
    if (/^(?:Installing |added \d+ packages)/.test(line)) return line.trim();
  }
  return 'downloading';
}

/** Checks that the fresh install starts and that its native modules load under the pinned Node. */
async function verifyInstall(dir) {
  const node = codeServerNode();
  const entry = codeServerEntry(dir);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'yieldscope-cs-verify-'));
  try {
    const version = await capture(node, [entry, '--version', '--config', writeConfig(home)], {
      env: privateEnv(home),
    });
    if (version.code !== 0 || !version.stdout.includes(CODE_SERVER_VERSION)) {
      throw new Error(`code-server --version failed (exit ${version.code}): ${version.stdout}${version.stderr}`);
    }
    const vscode = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
    const probe = `for (const m of ['@vscode/spdlog', '@vscode/sqlite3', 'node-pty']) require(require.resolve(m, { paths: [${JSON.stringify(vscode)}] }));`;
    const load = await capture(node, ['-e', probe], { env: privateEnv(home) });
    if (load.code !== 0) throw new Error(`code-server's native modules do not load: ${load.stderr}`);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/**
 * A lock that is a directory (mkdir is atomic) holding its owner's pid. Waits while a live process holds it;
 * takes over a lock whose owner is gone or that is older than STALE_LOCK_MS. Returns the release function.
 */
async function acquireLock(lockDir, out) {
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'owner.json'), JSON.stringify({ pid: process.pid, started: Date.now() }));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let owner = null;
    try {
      owner = JSON.parse(fs.readFileSync(path.join(lockDir, 'owner.json'), 'utf8'));
    } catch {
      // Being created or removed right now; look again below.
    }
    let age = 0;
    try {
      age = Date.now() - fs.statSync(lockDir).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    const alive = owner ? processAlive(owner.pid) : age < 10 * SECOND;
    if (!alive || age > STALE_LOCK_MS) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!told) {
      out.write(`yieldscope: waiting for another install of code-server (pid ${owner?.pid ?? '?'}) to finish…\n`);
      told = true;
    }
    await sleep(2 * SECOND);
  }
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Removes temporary install folders that a killed install left behind more than an hour ago. */
function removeStaleTemporaries(root) {
  for (const name of safeReaddir(root)) {
    if (!name.startsWith('.tmp-') && !name.startsWith('.old-')) continue;
    const full = path.join(root, name);
    try {
      if (Date.now() - fs.statSync(full).mtimeMs > 60 * MINUTE) fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // Another process is removing it.
    }
  }
}

// ─── the extension ───────────────────────────────────────────────────────────────────────────────────────────

/** The extension's id and version from package.json, e.g. `yieldscope.yieldscope` and `0.1.0`. */
export function extensionIdentity() {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  return { id: `${pkg.publisher}.${pkg.name}`.toLowerCase(), version: pkg.version };
}

/**
 * Builds the production bundles and packages them as `vsixFile`, with the same vsce options as
 * `npm run package`, then rebuilds the development bundles (with source maps) that the other suites and
 * `npm run watch` expect in dist/. Unlike `npm run package` it does not delete dist/ first, so that a test run
 * using dist/ at the same time does not see it vanish; .vscodeignore admits only the bundles' own files.
 *
 * @returns {Promise<{vsix: string, seconds: number}>}
 */
export async function packageExtension(vsixFile) {
  const started = Date.now();
  fs.mkdirSync(path.dirname(vsixFile), { recursive: true });
  fs.rmSync(vsixFile, { force: true });
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (!fs.existsSync(vsce)) throw new Error(`${vsce} is missing: run npm install`);
  const pack = await capture(
    process.execPath,
    [vsce, 'package', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsixFile],
    { cwd: repoRoot },
  );
  if (pack.code !== 0 || !fs.existsSync(vsixFile)) {
    throw new Error(`vsce package failed (exit code ${pack.code}):\n${tail(pack.stdout + pack.stderr, 40)}`);
  }
  const dev = await capture(process.execPath, [path.join(repoRoot, 'esbuild.js')], { cwd: repoRoot });
  if (dev.code !== 0) throw new Error(`node esbuild.js failed after packaging:\n${tail(dev.stdout + dev.stderr, 40)}`);
  return { vsix: vsixFile, seconds: (Date.now() - started) / 1000 };
}

/**
 * Installs a .vsix into `extensionsDir` (emptied first, so that only this build is there) with code-server's own
 * `--install-extension`, and returns the installed extension's folder.
 */
export async function installExtension({ vsix, extensionsDir, userDataDir, configHome }) {
  fs.rmSync(extensionsDir, { recursive: true, force: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(configHome, { recursive: true });
  const r = await capture(
    codeServerNode(),
    [
      codeServerEntry(),
      '--config',
      writeConfig(configHome),
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { env: privateEnv(configHome) },
  );
  const { id, version } = extensionIdentity();
  const folder = path.join(extensionsDir, `${id}-${version}`);
  if (r.code !== 0 || !fs.existsSync(path.join(folder, 'package.json'))) {
    throw new Error(
      `code-server --install-extension ${vsix} did not install ${id}-${version} (exit code ${r.code}):\n` +
        tail(r.stdout + r.stderr, 30),
    );
  }
  return folder;
}

/**
 * Writes the settings as both the user's (`User/settings.json`) and the server machine's
 * (`Machine/settings.json`): in VS Code for the Web the window is a remote one, which ignores `machine` and
 * `machine-overridable` settings (such as `yieldscope.nodePath`) in the user's file.
 */
export function writeSettings(userDataDir, settings) {
  const text = `${JSON.stringify(settings, null, 2)}\n`;
  for (const scope of ['User', 'Machine']) {
    fs.mkdirSync(path.join(userDataDir, scope), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, scope, 'settings.json'), text);
  }
}

// ─── the server ──────────────────────────────────────────────────────────────────────────────────────────────

/** A free TCP port on 127.0.0.1 (free when asked; `startCodeServer` retries if another process takes it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** True if something accepts connections on 127.0.0.1:port. */
export function isPortOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The workbench's address with `folder` open. */
export function workbenchUrl(port, folder) {
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder).replaceAll('%2F', '/')}`;
}

/**
 * @typedef {object} CodeServer
 * @property {number} port
 * @property {number} pid  the leader of code-server's own process group
 * @property {string} url  the workbench with the folder open
 * @property {string} logFile  code-server's stdout and stderr
 * @property {Promise<{code: number|null, signal: string|null}>} exited
 * @property {() => Promise<void>} stop  stops the whole process group and checks that the port is closed
 */

/**
 * Starts code-server for `folder` on 127.0.0.1 (a free port unless `port` is given), in its own process group,
 * without authentication (it listens on the loopback interface only), and resolves once it answers HTTP. Extra
 * `env` goes to code-server and so to its extension host. If this process exits without calling `stop`, the
 * group is killed anyway.
 *
 * @param {{folder: string, userDataDir: string, extensionsDir: string, configHome: string, logFile: string,
 *          port?: number, env?: Record<string, string>, timeoutMs?: number}} options
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(options) {
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOnce({ ...options, port });
    } catch (e) {
      lastError = e;
      // Only a port taken between freePort() and listen() is worth another try.
      if (options.port !== undefined || !/EADDRINUSE/.test(String(e.message))) throw e;
    }
  }
  throw lastError;
}

async function startOnce({ folder, userDataDir, extensionsDir, configHome, logFile, port, env = {}, timeoutMs }) {
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(configHome, { recursive: true });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'a');
  const args = [
    codeServerEntry(),
    '--config',
    writeConfig(configHome),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    folder,
  ];
  const child = spawn(codeServerNode(), args, {
    cwd: folder,
    env: { ...privateEnv(configHome), ...env },
    stdio: ['ignore', log, log],
    detached: true, // its own process group: `stop` signals code-server, its extension host, terminals, watchers
  });
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${codeServerNode()}`);

  const unguard = guardAgainstOrphans(pid);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      unguard();
      resolve({ code, signal });
    });
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    signalGroup(pid, 'SIGTERM');
    if (!(await settlesWithin(exited, 10 * SECOND))) signalGroup(pid, 'SIGKILL');
    await exited;
    // The leader is gone; the rest of its group (extension host, pty host, watcher) may take a moment.
    if (!(await waitUntil(() => !groupAlive(pid), 5 * SECOND))) {
      signalGroup(pid, 'SIGKILL');
      await waitUntil(() => !groupAlive(pid), 5 * SECOND);
    }
    if (groupAlive(pid)) throw new Error(`processes of code-server's group ${pid} are still running after SIGKILL`);
    if (!(await waitUntilAsync(async () => !(await isPortOpen(port)), 5 * SECOND))) {
      throw new Error(`code-server stopped, but 127.0.0.1:${port} still accepts connections`);
    }
  };

  const outcome = await Promise.race([
    waitForHttp(`http://127.0.0.1:${port}/healthz`, timeoutMs ?? 60 * SECOND).then(
      () => 'ready',
      (e) => e.message,
    ),
    exited.then(({ code, signal }) => `code-server exited (${signal ?? `code ${code}`}) before it answered`),
  ]);
  if (outcome !== 'ready') {
    await stop().catch(() => {});
    throw new Error(`${outcome}. ${logFile}:\n${tail(readText(logFile), 30)}`);
  }
  return { port, pid, url: workbenchUrl(port, folder), logFile, exited, stop };
}

/** Resolves when `url` answers 200, or to an explanation (a string) when `timeoutMs` passes first. */
async function waitForHttp(url, timeoutMs) {
  const until = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < until) {
    const status = await new Promise((resolve) => {
      const req = http.get(url, { timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', (e) => resolve(e.message));
    });
    if (status === 200) return;
    last = String(status);
    await sleep(250);
  }
  throw new Error(`no answer from ${url} within ${timeoutMs / 1000}s (last: ${last})`);
}

/**
 * code-server runs in a process group of its own, so Ctrl+C in a terminal does not reach it and it would outlive
 * this process. Until it has exited: at exit, and on SIGINT/SIGTERM/SIGHUP that nobody else handles (a caller
 * with its own handler stops the server itself), kill its group, then let the signal do what it does by default.
 * Returns the function that removes these hooks.
 */
function guardAgainstOrphans(pid) {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onExit = () => signalGroup(pid, 'SIGKILL');
  const onSignal = (signal) => {
    if (process.listenerCount(signal) > 1) return;
    signalGroup(pid, 'SIGKILL');
    remove();
    process.kill(process.pid, signal);
  };
  const remove = () => {
    process.off('exit', onExit);
    for (const signal of signals) process.off(signal, onSignal);
  };
  process.on('exit', onExit);
  for (const signal of signals) process.on(signal, onSignal);
  return remove;
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

// ─── small helpers ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * The environment for code-server: its config and data homes point into `home` (so that it writes nothing of
 * the user's), and variables that would change what it does are removed: $PORT (it overrides --bind-addr),
 * $PASSWORD, and the VSCODE_* variables of an editor terminal this may be started from.
 */
export function privateEnv(home) {
  const env = withoutNpmRunVariables(process.env);
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  delete env.PORT;
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  env.XDG_CONFIG_HOME = path.join(home, 'config');
  env.XDG_DATA_HOME = path.join(home, 'data');
  return env;
}

/**
 * The environment without what `npm run` / `npm test` adds for its scripts: the package's and the lifecycle's
 * variables, and the configuration it worked out for itself. Passed on, they would describe the wrong npm and
 * Node: code-server's install script reads the Node version from `npm_config_user_agent`, and refuses Node 20.
 * Configuration the user gave (registry, cache, proxy, certificates) stays.
 */
function withoutNpmRunVariables(source) {
  const derived = [
    'user_agent',
    'local_prefix',
    'global_prefix',
    'prefix',
    'node_gyp',
    'npm_version',
    'call',
    'nodedir',
  ];
  const env = { ...source };
  for (const key of Object.keys(env)) {
    const lower = key.toLowerCase();
    if (
      lower.startsWith('npm_config_') ? derived.includes(lower.slice('npm_config_'.length)) : lower.startsWith('npm_')
    ) {
      delete env[key];
    }
  }
  delete env.INIT_CWD;
  delete env.NODE;
  return env;
}

/** A config file of our own, or code-server writes one with a password into ~/.config/code-server. */
function writeConfig(home) {
  fs.mkdirSync(home, { recursive: true });
  const file = path.join(home, 'config.yaml');
  fs.writeFileSync(file, 'auth: none\ncert: false\n');
  return file;
}

/** Runs a command to completion, collecting its output. */
function capture(command, args, { cwd = repoRoot, env = process.env, timeoutMs = 5 * MINUTE } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${e.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function tail(text, lines) {
  return text.split(/\r?\n/).slice(-lines).join('\n');
}

function safeReaddir(dir) {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function settlesWithin(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const result = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return result;
}

async function waitUntil(condition, ms) {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) return false;
    await sleep(100);
  }
  return true;
}

async function waitUntilAsync(condition, ms) {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) return false;
    await sleep(100);
  }
  return true;
}

// ─── command line ────────────────────────────────────────────────────────────────────────────────────────────

async function main(argv) {
  if (argv.length !== 1 || !['--install', '--status'].includes(argv[0])) {
    console.error('usage: node scripts/code-server.mjs --install | --status');
    return 2;
  }
  if (argv[0] === '--status') {
    const ok = isCodeServerInstalled();
    console.log(`code-server ${CODE_SERVER_VERSION}: ${ok ? 'installed' : 'not installed'} in ${codeServerDir()}`);
    return ok ? 0 : 1;
  }
  const r = await installCodeServer();
  if (!r.installed) console.log(`code-server ${CODE_SERVER_VERSION} is installed: ${r.dir}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(`code-server: ${e.message}`);
      process.exitCode = 1;
    },
  );
}
