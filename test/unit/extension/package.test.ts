// What the .vsix will contain, as `vsce ls` reports it with the repository's .vscodeignore: only run-time
// files (manifest, readme, licence, icon, the built bundles, the tracer's native dependencies), and
// everything the built tracer imports. `npm run package` builds the same list into dist/yieldscope.vsix.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

const ALLOWED: readonly RegExp[] = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^media\/icon\.png$/,
  /^docs\/images\/editor\.png$/, // shown by the README
  /^dist\/extension\/[^/]+\.[cm]?js$/,
  /^dist\/tracer\/(.+\.[cm]?js|package\.json)$/,
  /^dist\/cli\/[^/]+\.[cm]?js$/,
  /^dist\/webview\/.+\.(js|css|svg|png|woff2)$/,
  /^node_modules\/(oxc-parser|oxc-transform)\/(package\.json|LICENSE)$/,
  /^node_modules\/oxc-parser\/src-js\/.+\.(js|cjs)$/,
  /^node_modules\/oxc-transform\/[^/]+\.(js|cjs)$/,
  /^node_modules\/@oxc-(parser|transform)\/binding-[^/]+\/(package\.json|[^/]+\.node)$/,
  /^samples\/(README\.md|\d{2}-[a-z0-9-]+\/(README\.md|package\.json|tsconfig\.json|\.vscode\/launch\.json|src\/.+\.ts))$/,
];

function vsceFiles(): string[] {
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const out = execFileSync(process.execPath, [vsce, 'ls'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** Bare package names that a built bundle imports (not relative, not node: built-ins). */
function importedPackages(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const names = new Set<string>();
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'./\s][^"'\s]*)["']/g)) {
    const spec = m[1]!;
    if (spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]!)) continue;
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return [...names];
}

const BUILTINS = new Set(builtinModules);

const BUNDLES = ['dist/extension', 'dist/tracer', 'dist/cli', 'dist/webview'];

/** The files under `dir`, recursively; none if it does not exist (not built yet). */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile());
}

describe('extension/package contents', function () {
  this.timeout(60_000);
  let files: string[];
  before(() => {
    files = vsceFiles();
  });

  it('holds only run-time files', () => {
    const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
    assert.deepEqual(unexpected, []);
    assert.equal(files.filter((f) => f.endsWith('.map') || (f.endsWith('.ts') && !f.startsWith('samples/'))).length, 0);
  });

  it('holds the manifest, licence, icon and the native parser for this platform', () => {
    for (const f of ['package.json', 'LICENSE', 'media/icon.png', 'node_modules/oxc-parser/src-js/index.js']) {
      assert.ok(files.includes(f), `${f} is missing`);
    }
    const binding = files.filter((f) => /^node_modules\/@oxc-parser\/binding-[^/]+\/[^/]+\.node$/.test(f));
    assert.equal(binding.length, 1, `one oxc-parser binding expected, found ${binding.join(', ')}`);
  });

  it('holds every built file except source maps', () => {
    const built = BUNDLES.flatMap((dir) => listFiles(path.join(ROOT, dir)))
      .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
      .filter((f) => !f.endsWith('.map'));
    const missing = built.filter((f) => !files.includes(f));
    assert.deepEqual(missing, []);
  });

  it('holds every package the built tracer and CLI import', function () {
    const bundles = ['dist/tracer', 'dist/cli']
      .map((d) => path.join(ROOT, d))
      .filter((d) => fs.existsSync(d))
      .flatMap((d) =>
        fs
          .readdirSync(d)
          .filter((f) => f.endsWith('.js'))
          .map((f) => path.join(d, f)),
      );
    if (bundles.length === 0) this.skip(); // nothing built yet
    for (const bundle of bundles) {
      for (const pkg of importedPackages(bundle)) {
        assert.ok(
          files.includes(`node_modules/${pkg}/package.json`),
          `${path.relative(ROOT, bundle)} imports ${pkg}, which is not packaged`,
        );
      }
    }
  });
});
