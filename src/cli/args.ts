// Command-line parsing for `yieldscope`: a command, its options and operands. Everything after `--` goes to
// the program untouched. Mistakes become a UsageError with one line to print.

/** The command line was wrong: exit code 2. */
export class UsageError extends Error {}

/** A file named on the command line is missing or unusable: exit code 1. */
export class InputError extends Error {}

export interface Parsed {
  readonly command: string;
  readonly options: Map<string, string | true>;
  readonly operands: string[];
  /** Arguments after `--`, or after the program operand of `run`. */
  readonly rest: string[];
}

/** Options that take a value; every other option is a flag. */
const VALUED = new Set(['--out', '--html', '--format']);

export function parseArgs(argv: readonly string[], known: Record<string, readonly string[]>): Parsed {
  const [command, ...args] = argv;
  if (command === undefined) throw new UsageError('no command given (try: yieldscope --help)');
  const allowed = known[command];
  if (!allowed) throw new UsageError(`unknown command '${command}' (try: yieldscope --help)`);
  const options = new Map<string, string | true>();
  const operands: string[] = [];
  let rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      rest = args.slice(i + 1);
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (!allowed.includes(name)) throw new UsageError(`'${command}' has no option ${name}`);
      if (VALUED.has(name)) {
        const value = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
        options.set(name, value);
      } else {
        options.set(name, true);
      }
      continue;
    }
    operands.push(a);
    if (command === 'run') {
      // Everything after the program belongs to the program.
      rest = args.slice(i + 1);
      if (rest[0] === '--') rest = rest.slice(1);
      break;
    }
  }
  return { command, options, operands, rest };
}
