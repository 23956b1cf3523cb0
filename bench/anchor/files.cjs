// Which files the anchor wraps, and how to parse them: the program's JavaScript, not node_modules, not the anchor.
'use strict';

const { dirname, sep } = require('node:path');

const ours = dirname(__filename) + sep;

function shouldWrap(path) {
  return /\.[cm]?js$/.test(path) && !path.includes(`${sep}node_modules${sep}`) && !path.startsWith(ours);
}

/** `.mjs` is a module, `.cjs` is CommonJS; a `.js` file is parsed as either (oxc decides, like Node would). */
function sourceTypeOf(path) {
  if (path.endsWith('.mjs')) return 'module';
  if (path.endsWith('.cjs')) return 'commonjs';
  return 'unambiguous';
}

module.exports = { shouldWrap, sourceTypeOf };
