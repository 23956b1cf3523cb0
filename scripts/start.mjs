// `npm start`: the real product in one command. Builds the extension and opens a VS Code with Yieldscope loaded
// and the sample gallery (samples/) as the workspace.
//
// - Where a desktop `code` command exists (and a display to show it on): an Extension Development Host,
//   `code --extensionDevelopmentPath=<repo> samples/`, running the development build.
// - Otherwise VS Code for the Web (scripts/code-server.mjs): code-server and the Node 24 it needs are installed
//   into the cache on first use (with a progress line; about 2 minutes), the freshly packaged .vsix is installed
//   into a private extensions folder, and the server listens on 127.0.0.1 only. It prints the address; Ctrl+C
//   (or SIGTERM) stops code-server and everything it started, and checks that the port is closed.
//
//   npm start                    desktop VS Code if there is one, else VS Code for the Web
//   npm start -- --web           VS Code for the Web even where a desktop VS Code exists
//   npm start -- --port 8080     a fixed port for VS Code for the Web (default: a free one)
//   npm run start:report         no editor: record a sample with the CLI and serve its HTML report
//
// Plain ESM with no dependencies: it runs before anything is built.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  QUIET_SETTINGS,
  installCodeServer,
  installExtension,
  packageExtension,
  startCodeServer,
  writeSettings,
} from './code-server.mjs';
import { checkSystemNode } from './node-versions.mjs';
import { openBrowser } from './open-browser.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const samplesDir = path.join(repoRoot, 'samples');
const USAGE = 'usage: npm start [-- --web] [-- --port N]';

function parseArgs(argv) {
  const options = { web: false, port: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--web') options.web = true;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`not a port: ${value}`);
      options.port = port;
    } else throw new Error(`unknown argument: ${arg}`);
  }
  return options;
}

/** The desktop `code` command, if there is one and a display to open it on. */
function desktopCode() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return undefined;
  const names = process.platform === 'win32' ? ['code.cmd', 'code.exe'] : ['code'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const file = path.join(dir, name);
      // The `code` of a terminal inside VS Code for the Web or a remote window is a remote CLI, not an editor.
      if (file.includes('remote-cli')) continue;
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      } catch {
        // Not here.
      }
    }
  }
  return undefined;
}

function step(title) {
  console.log(`> ${title}`);
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

/** Desktop VS Code: an Extension Development Host on the development build. */
function startDesktop(code) {
  step('build (node esbuild.js)');
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'esbuild.js')], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`the build failed (exit code ${build.status ?? build.signal})`);
  step(`${code} --extensionDevelopmentPath=${repoRoot} ${samplesDir}`);
  const r = spawnSync(code, ['--new-window', `--extensionDevelopmentPath=${repoRoot}`, samplesDir], {
    stdio: 'inherit',
  });
  if (r.error) throw new Error(`could not run ${code}: ${r.error.message}`);
  if (r.status === 0) console.log('\nAn Extension Development Host with Yieldscope and the sample gallery is opening.');
  return r.status ?? 1;
}

/** VS Code for the Web: install once, package, install the .vsix privately, serve until Ctrl+C. */
async function startWeb({ port }) {
  const started = Date.now();
  const install = await installCodeServer();
  if (install.installed) console.log(`(code-server is now cached: later runs start in seconds)`);

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yieldscope-start-'));
  const dirs = {
    userDataDir: path.join(runDir, 'user-data'),
    extensionsDir: path.join(runDir, 'extensions'),
    configHome: path.join(runDir, 'home'),
  };
  const cleanup = () => fs.rmSync(runDir, { recursive: true, force: true });
  let server;
  try {
    step('build and package the extension (vsce package)');
    const t = Date.now();
    const { vsix } = await packageExtension(path.join(runDir, 'yieldscope.vsix'));
    console.log(`  ${path.basename(vsix)} (${(fs.statSync(vsix).size / 1e6).toFixed(1)} MB) in ${seconds(t)}`);
    step('install it into a private extensions folder');
    await installExtension({ vsix, ...dirs });
    writeSettings(dirs.userDataDir, { ...QUIET_SETTINGS });
    step('start VS Code for the Web (code-server) on 127.0.0.1');
    server = await startCodeServer({
      folder: samplesDir,
      ...dirs,
      port,
      logFile: path.join(runDir, 'code-server.log'),
    });
  } catch (e) {
    cleanup();
    throw e;
  }

  console.log(`\nYieldscope in VS Code for the Web, with the sample gallery open (ready in ${seconds(started)}):`);
  console.log(`\n    ${server.url}\n`);
  console.log('Open a sample\'s src/main.ts and run "Yieldscope: Visualize Current File" (Ctrl+Alt+Y).');
  console.log('Press Ctrl+C to stop.');
  openBrowser(server.url);

  const parent = process.ppid;
  let watch;
  const signal = await new Promise((resolve) => {
    const onSignal = (name) => resolve(name);
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(name, onSignal);
    server.exited.then(() => resolve(null));
    // `npm start` killed with SIGTERM exits without passing the signal on to this script, which would go on.
    watch = setInterval(() => {
      if (process.ppid !== parent) resolve('the parent process (npm) exited');
    }, 1000);
  });
  clearInterval(watch);
  if (signal === null) {
    const log = fs.readFileSync(server.logFile, 'utf8').split('\n').slice(-30).join('\n');
    cleanup();
    throw new Error(`code-server stopped on its own. The end of its log:\n${log}`);
  }
  console.log(`\n${signal}: stopping code-server…`);
  // A second Ctrl+C while stopping kills the whole group at once.
  const force = () => process.kill(-server.pid, 'SIGKILL');
  process.once('SIGINT', force);
  try {
    await server.stop();
  } finally {
    process.off('SIGINT', force);
    cleanup();
  }
  console.log(`stopped: no process of it is left, and 127.0.0.1:${server.port} is closed.`);
  return 0;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`start: ${e.message}\n${USAGE}`);
    return 2;
  }
  checkSystemNode();
  const code = options.web ? undefined : desktopCode();
  return code ? startDesktop(code) : startWeb(options);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`start: ${e.message}`);
    process.exitCode = 1;
  },
);
