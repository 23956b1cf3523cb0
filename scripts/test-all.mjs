// `npm test`: every check the project has, in one run, the same on a laptop and in CI.
//
// Runs the steps in STEPS in order (typecheck, lint, format check, build, then the mocha suites), keeps going
// after a failure so that one run shows every failure, prints a summary table, and ends with exactly one line
// `N passed, N failed` that counts mocha test cases over all suites (a non-mocha step counts as one case).
// Exits 0 only if every step passed.
//
//   npm test                          all steps
//   npm test -- --only unit,tracer    a subset (the build runs first if a chosen suite needs it)
//   npm test -- --list                the step names
//
// Plain ESM with no dependencies: it runs before anything is built. Mocha runs with
// scripts/mocha-count-reporter.cjs, which prints with the suite's configured reporter and writes counts to a file.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { checkSystemNode, nodeBinaries } from './node-versions.mjs';

const MINUTE = 60_000;

/**
 * The steps, in order. `mocha` names a mocha config file; `optional` suites are skipped (not failed) while
 * their config or spec files do not exist; `needsBuild` suites run against dist/; `needsNodes` suites run
 * programs on every Node version, which are installed first. Add new suites here.
 */
const STEPS = [
  { name: 'typecheck', command: ['npm', 'run', 'typecheck'], timeout: 10 * MINUTE },
  { name: 'lint', command: ['npm', 'run', 'lint'], timeout: 5 * MINUTE },
  { name: 'format', command: ['npm', 'run', 'format:check'], timeout: 5 * MINUTE },
  { name: 'build', command: [process.execPath, 'esbuild.js'], timeout: 5 * MINUTE },
  { name: 'unit', mocha: 'test/mocharc.unit.json', timeout: 10 * MINUTE },
  { name: 'tracer', mocha: 'test/mocharc.tracer.json', needsBuild: true, needsNodes: true, timeout: 20 * MINUTE },
  { name: 'samples', mocha: 'test/mocharc.samples.json', needsBuild: true, needsNodes: true, timeout: 10 * MINUTE },
  { name: 'report', mocha: 'test/mocharc.report.json', needsBuild: true, timeout: 15 * MINUTE },
  { name: 'faults', mocha: 'test/mocharc.faults.json', needsBuild: true, needsNodes: true, timeout: 10 * MINUTE },
  // End-to-end tests in a real VS Code (code-server); optional until test/mocharc.e2e.json exists.
  {
    name: 'e2e',
    mocha: 'test/mocharc.e2e.json',
    needsBuild: true,
    needsNodes: true,
    optional: true,
    timeout: 30 * MINUTE,
  },
];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Parses `--only a,b` / `--only=a,b` / `--list` / `--help`. */
function parseArgs(argv) {
  const names = STEPS.map((s) => s.name);
  let only = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--list') return { list: true };
    if (arg === '--help' || arg === '-h') return { help: true };
    let value;
    if (arg === '--only') value = argv[++i];
    else if (arg.startsWith('--only=')) value = arg.slice('--only='.length);
    else throw new Error(`unknown argument: ${arg}`);
    if (!value) throw new Error('--only needs a comma-separated list of steps');
    only = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = only.filter((n) => !names.includes(n));
    if (unknown.length) throw new Error(`unknown step(s): ${unknown.join(', ')} (steps: ${names.join(', ')})`);
  }
  return { only };
}

/** The steps to run: all, or the chosen ones plus the build when a chosen suite needs it. */
function selectSteps(only) {
  if (!only) return STEPS;
  const chosen = new Set(only);
  if (STEPS.some((s) => chosen.has(s.name) && s.needsBuild) && !chosen.has('build')) {
    console.log('note: adding the build step, because a chosen suite runs against dist/');
    chosen.add('build');
  }
  return STEPS.filter((s) => chosen.has(s.name));
}

function formatDuration(ms) {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

function header(text) {
  const line = '═'.repeat(Math.max(8, 100 - text.length - 6));
  console.log(`\n═══ ${text} ${line}`);
}

/** The console reporter a suite's config asks for, if it is a built-in one (else spec). */
function configuredReporter(configFile) {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(repoRoot, configFile), 'utf8'));
    const name = typeof config.reporter === 'string' ? config.reporter : 'spec';
    const builtIns = Object.keys(require('mocha').reporters);
    return builtIns.includes(name) ? name : 'spec';
  } catch {
    return 'spec';
  }
}

let current = null; // the running child, so that Ctrl+C can stop it
let interrupted = false;

/**
 * Runs a command in its own process group with stdout passed through and stderr teed (so its text can be
 * searched). Resolves to {code, signal, timedOut, stderrTail}.
 */
function run(command, { env, timeout }) {
  return new Promise((resolve) => {
    const [file, ...args] = command;
    const child = spawn(file, args, {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'inherit', 'pipe'],
      detached: true, // own process group: a timeout or Ctrl+C stops the step and everything it started
    });
    current = child;
    let stderrTail = '';
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString()).slice(-65_536);
    });
    let timedOut = false;
    const killGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\ntest-all: step timed out after ${formatDuration(timeout)}; stopping it`);
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
    }, timeout);
    child.on('error', (e) => {
      stderrTail += `\n${e.message}`;
      console.error(`test-all: cannot run ${file}: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup('SIGKILL'); // leftovers of the step (servers, browsers) must not outlive it
      current = null;
      resolve({ code: code ?? 1, signal, timedOut, stderrTail });
    });
  });
}

/** Runs one step and returns {status: 'passed'|'failed'|'skipped', passed, failed, skipped, note}. */
async function runStep(step) {
  if (!step.mocha) {
    const r = await run(step.command, { env: process.env, timeout: step.timeout });
    const ok = r.code === 0 && !r.timedOut;
    const note = r.timedOut ? 'timed out' : ok ? '' : `exit code ${r.code}`;
    return { status: ok ? 'passed' : 'failed', passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, note };
  }

  if (!fs.existsSync(path.join(repoRoot, step.mocha))) {
    if (step.optional) {
      console.log(`${step.mocha} does not exist yet: ${step.name} skipped`);
      return { status: 'skipped', passed: 0, failed: 0, skipped: 0, note: `no ${step.mocha}` };
    }
    console.error(`${step.mocha} does not exist`);
    return { status: 'failed', passed: 0, failed: 1, skipped: 0, note: `no ${step.mocha}` };
  }

  const countsFile = path.join(os.tmpdir(), `yieldscope-counts-${process.pid}-${step.name}.json`);
  fs.rmSync(countsFile, { force: true });
  const mochaBin = path.join(path.dirname(require.resolve('mocha/package.json')), 'bin', 'mocha.js');
  const command = [
    process.execPath,
    mochaBin,
    '--config',
    step.mocha,
    '--reporter',
    path.join(repoRoot, 'scripts', 'mocha-count-reporter.cjs'),
  ];
  const env = {
    ...process.env,
    YIELDSCOPE_COUNTS_FILE: countsFile,
    YIELDSCOPE_BASE_REPORTER: configuredReporter(step.mocha),
  };
  const r = await run(command, { env, timeout: step.timeout });

  let counts = null;
  try {
    counts = JSON.parse(fs.readFileSync(countsFile, 'utf8'));
  } catch {
    // Mocha stopped before the reporter ran (no spec files, a test file that does not load, …).
  }
  fs.rmSync(countsFile, { force: true });
  const passed = counts?.passed ?? 0;
  let failed = counts?.failed ?? 0;
  const skipped = counts?.skipped ?? 0;
  const noFiles = /No test files found/.test(r.stderrTail);

  if (step.optional && noFiles && passed + failed === 0) {
    console.log(`${step.name} is optional and has no test files yet: skipped`);
    return { status: 'skipped', passed, failed, skipped, note: 'no test files yet' };
  }
  let note = '';
  if (r.timedOut) note = 'timed out';
  else if (noFiles) note = 'no test files found';
  else if (!counts) note = `mocha exited ${r.code} before running tests`;
  else if (r.code !== 0 && failed === 0) note = `mocha exited ${r.code}${counts.ended ? '' : ' before the run ended'}`;
  else if (r.code === 0 && passed + failed === 0) note = 'no test ran';
  // A failure the reporter could not count (crash, timeout, no tests) still counts as one failed case.
  if (note && failed === 0) failed = 1;
  const ok = r.code === 0 && !r.timedOut && failed === 0;
  return { status: ok ? 'passed' : 'failed', passed, failed, skipped, note };
}

/** Prints the Node versions the suites test with; installs them first if a chosen suite needs them. */
async function printNodeVersions(steps) {
  const install = steps.some((s) => s.needsNodes && !(s.optional && !fs.existsSync(path.join(repoRoot, s.mocha))));
  try {
    const binaries = await nodeBinaries({ install });
    console.log('Node versions under test:');
    for (const b of binaries) console.log(`  ${b.version.padEnd(9)} ${b.path}`);
  } catch (e) {
    console.log(`Node versions under test: system ${process.version} (${process.execPath}); others: ${e.message}`);
  }
}

function printSummary(results, totalMs) {
  header('summary');
  const rows = [['step', 'result', 'passed', 'failed', 'skipped', 'time', 'note']];
  for (const { step, result, ms } of results) {
    rows.push([
      step.name,
      result.status.toUpperCase(),
      String(result.passed),
      String(result.failed),
      String(result.skipped),
      ms === undefined ? '' : formatDuration(ms),
      result.note,
    ]);
  }
  const sum = (key) => results.reduce((n, r) => n + r.result[key], 0);
  rows.push([
    'total',
    '',
    String(sum('passed')),
    String(sum('failed')),
    String(sum('skipped')),
    formatDuration(totalMs),
    '',
  ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const [i, row] of rows.entries()) {
    if (i === rows.length - 1) console.log(widths.map((w) => '─'.repeat(w)).join('  '));
    console.log(
      row
        .map((cell, j) => (j >= 2 && j <= 4 ? cell.padStart(widths[j]) : cell.padEnd(widths[j])))
        .join('  ')
        .trimEnd(),
    );
  }
  return { passed: sum('passed'), failed: sum('failed') };
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`test-all: ${e.message}`);
    return 2;
  }
  if (args.help || args.list) {
    if (args.help) console.log('usage: npm test [-- --only step1,step2] [-- --list]\nsteps:');
    for (const s of STEPS) console.log(`  ${s.name}${s.optional ? ' (optional)' : ''}`);
    return 0;
  }

  try {
    checkSystemNode();
  } catch (e) {
    console.error(`test-all: ${e.message}`);
    console.log('0 passed, 1 failed');
    return 1;
  }

  const steps = selectSteps(args.only);
  const started = Date.now();
  header(`Yieldscope tests: ${steps.map((s) => s.name).join(', ')}`);
  await printNodeVersions(steps);

  const stop = (signal) => {
    interrupted = true;
    console.error(`\ntest-all: ${signal}: stopping`);
    if (current) {
      try {
        process.kill(-current.pid, signal);
      } catch {
        // Already gone.
      }
    }
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const results = [];
  for (const [i, step] of steps.entries()) {
    if (interrupted) {
      results.push({ step, result: { status: 'not run', passed: 0, failed: 0, skipped: 0, note: 'interrupted' } });
      continue;
    }
    const what = step.mocha ? `mocha --config ${step.mocha}` : step.command.join(' ').replace(process.execPath, 'node');
    header(`[${i + 1}/${steps.length}] ${step.name}: ${what}`);
    const t0 = Date.now();
    const result = await runStep(step);
    const ms = Date.now() - t0;
    if (interrupted && result.status === 'failed') result.note = 'interrupted';
    console.log(
      `\n─── ${step.name}: ${result.status}${result.note ? ` (${result.note})` : ''} in ${formatDuration(ms)}`,
    );
    results.push({ step, result, ms });
  }

  const { passed, failed } = printSummary(results, Date.now() - started);
  const allPassed = results.every((r) => r.result.status === 'passed' || r.result.status === 'skipped');
  // Keep this the last line: CI reads it.
  console.log(`${passed} passed, ${failed} failed`);
  if (interrupted) return 130;
  return allPassed && failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  },
);
