// The gallery as the sample tests see it: the sample folders under samples/, and the output block of each
// README ("## What it prints"), which is the sample's expected output.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tracer/harness';

export const SAMPLES = join(ROOT, 'samples');
export const GOLDEN = join(__dirname, 'golden');

/** Every folder under samples/ (whatever its name: the layout test checks the names). */
export function sampleFolders(): string[] {
  return readdirSync(SAMPLES)
    .filter((name) => !name.startsWith('.') && statSync(join(SAMPLES, name)).isDirectory())
    .sort();
}

const OUTPUT_HEADING = '## What it prints\n';
const OPEN = '```text\n';
const CLOSE = '```\n';

interface Block {
  /** Where the block's text starts and ends in the README. */
  readonly start: number;
  readonly end: number;
}

function findOutputBlock(readme: string): Block | undefined {
  const heading = readme.indexOf(OUTPUT_HEADING);
  if (heading < 0) return undefined;
  const open = readme.indexOf(OPEN, heading + OUTPUT_HEADING.length);
  const nextHeading = readme.indexOf('\n## ', heading + OUTPUT_HEADING.length);
  if (open < 0 || (nextHeading >= 0 && open > nextHeading)) return undefined;
  const start = open + OPEN.length;
  const close = start === readme.indexOf(CLOSE, start) ? start : readme.indexOf(`\n${CLOSE}`, start) + 1;
  if (close <= 0) return undefined;
  return { start, end: close };
}

/** The text of the README's output block, or undefined if it has none. */
export function readmeOutput(readme: string): string | undefined {
  const block = findOutputBlock(readme);
  return block ? readme.slice(block.start, block.end) : undefined;
}

/** The README with its output block replaced by `output` (which ends with a line break). */
export function withReadmeOutput(readme: string, output: string): string {
  const block = findOutputBlock(readme);
  if (!block) throw new Error(`the README has no "${OUTPUT_HEADING.trim()}" section with a \`\`\`text block`);
  return readme.slice(0, block.start) + output + readme.slice(block.end);
}
