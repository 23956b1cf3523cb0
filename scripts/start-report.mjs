// `npm run start:report`: see Yieldscope work without an editor (`npm start` opens the real VS Code).
//
// Builds the bundles, records a sample program with the CLI into a temporary folder, then serves the HTML
// report on http://127.0.0.1:<port>/ (a random free port, or $PORT), tries to open it in a browser, and
// stops cleanly on Ctrl+C.
//
//   npm run start:report                  the first folder under samples/ (alphabetically) with src/main.ts
//   npm run start:report -- <sample>      samples/<sample>/src/main.ts
//
// Plain ESM with no dependencies: it runs before anything is built.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from './open-browser.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const samplesDir = path.join(repoRoot, 'samples');

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The sample's entry file: the one named on the command line, or the first that has src/main.ts. */
function findSample(name) {
  if (name) {
    const entry = path.join(samplesDir, name, 'src', 'main.ts');
    if (!fs.existsSync(entry)) throw new Error(`no sample ${name}: ${path.relative(repoRoot, entry)} does not exist`);
    return { name, entry };
  }
  const names = fs.existsSync(samplesDir) ? fs.readdirSync(samplesDir).sort() : [];
  for (const candidate of names) {
    const entry = path.join(samplesDir, candidate, 'src', 'main.ts');
    if (fs.existsSync(entry)) return { name: candidate, entry };
  }
  throw new Error('no sample found: no samples/<name>/src/main.ts exists');
}

/** Runs a step to completion with its output shown; throws if it fails. */
function runStep(title, command, args) {
  console.log(`> ${title}`);
  const r = spawnSync(command, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) throw new Error(`${title}: ${r.error.message}`, { cause: r.error });
  if (r.status !== 0) throw new Error(`${title} failed (exit code ${r.status ?? r.signal})`);
}

/** Serves the files of one folder, read-only, on 127.0.0.1; `/` is the report. */
function serve(root, port) {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let file = '';
    try {
      const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
      file = path.resolve(root, pathname === '/' ? 'report.html' : decodeURIComponent(pathname).replace(/^\/+/, ''));
    } catch {
      // A malformed URL: answered as not found below.
    }
    // Only files directly inside the folder: no `..`, no absolute paths, no directories.
    if (!file || path.dirname(file) !== root || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length > 1 || args[0]?.startsWith('-')) {
    console.error('usage: npm run start:report [-- <sample>]');
    return 2;
  }
  const sample = findSample(args[0]);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yieldscope-start-'));
  const trace = path.join(outDir, 'trace.ystrace');
  const report = path.join(outDir, 'report.html');
  const cleanup = () => fs.rmSync(outDir, { recursive: true, force: true });

  try {
    runStep('build', process.execPath, [path.join(repoRoot, 'esbuild.js')]);
    const cli = path.join(repoRoot, 'dist', 'cli', 'yieldscope.js');
    runStep(`record samples/${sample.name}`, process.execPath, [
      cli,
      'run',
      '--out',
      trace,
      '--html',
      report,
      path.relative(repoRoot, sample.entry),
    ]);
    if (!fs.existsSync(report)) throw new Error(`the CLI did not write ${report}`);
  } catch (e) {
    cleanup();
    throw e;
  }

  const port = process.env.PORT ? Number(process.env.PORT) : 0;
  const server = await serve(outDir, port);
  const address = `http://127.0.0.1:${server.address().port}/`;
  console.log(`\nYieldscope report of samples/${sample.name}: ${address}`);
  console.log(`(trace file: ${trace})`);
  console.log('Press Ctrl+C to stop.');
  openBrowser(address);

  await new Promise((resolve) => {
    const stop = (signal) => {
      console.log(`\n${signal}: stopping the server`);
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  cleanup();
  return 0;
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
