// One build script, four bundles: the extension (node/cjs, vscode external), the tracer (node/esm, loaded by
// user programs, so a conservative target and nothing of the extension), the webview (browser iife) and the
// CLI (node/cjs). `--watch` rebuilds on change, `--production` minifies and drops source maps.
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Reports build errors in the format of VS Code's esbuild problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const pkg = require('./package.json');
/** Constants baked into the bundles: the version shown in traces, and a build id that keys the transform cache. */
const define = {
  __YS_VERSION__: JSON.stringify(pkg.version),
  __YS_BUILD__: JSON.stringify(`${pkg.version}-${Date.now().toString(36)}`),
};

const common = {
  define,
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcher],
  legalComments: 'none',
};

/** Native and heavy packages the tracer loads from node_modules at run time instead of bundling. */
const tracerExternal = ['oxc-parser', 'oxc-transform'];

const builds = [
  {
    ...common,
    entryPoints: { 'extension/extension': 'src/extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    // The tracer's core is CommonJS so that it can be preloaded with --require: --import makes Node run a
    // CommonJS entry through its ES module loader, which changes the program's stack traces.
    ...common,
    entryPoints: {
      'tracer/register': 'src/tracer/register.ts',
      'tracer/drain': 'src/tracer/sink/drain.ts',
    },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: tracerExternal,
    define: { ...define, 'import.meta.url': '__ysModuleUrl' },
    banner: { js: "const __ysModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: false,
  },
  {
    // Node 20's off-thread module hooks must be an ES module.
    ...common,
    entryPoints: { 'tracer/hooks': 'src/tracer/loader-thread.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: tracerExternal,
    banner: {
      js: "import { createRequire as __ysCreateRequire } from 'node:module'; const require = __ysCreateRequire(import.meta.url);",
    },
    sourcemap: false,
  },
  {
    ...common,
    entryPoints: { 'webview/main': 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
  {
    ...common,
    entryPoints: { 'cli/yieldscope': 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: tracerExternal,
    banner: { js: '#!/usr/bin/env node' },
  },
];

async function main() {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  // `node --import dist/tracer/register.js` loads the CommonJS core through a one-line ES module.
  fs.mkdirSync(path.join(__dirname, 'dist', 'tracer'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'dist', 'tracer', 'package.json'), '{ "type": "module" }\n');
  fs.writeFileSync(path.join(__dirname, 'dist', 'tracer', 'register.js'), "import './register.cjs';\n");
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) {
    for (const f of failed) if (f.reason && !f.reason.errors) console.error(f.reason);
    process.exit(1);
  }
  fs.chmodSync(path.join(__dirname, 'dist', 'cli', 'yieldscope.js'), 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
