import { parseArgs } from 'node:util';
import { AGENT_VERSION } from '../version.js';
import { checkConfigCommand } from './check-config.js';
import { EXIT, type Output } from './output.js';
import { probeOnceCommand } from './probe-once.js';
import { runCommand } from './run.js';

export const USAGE = `Usage: branchwatch-agent <command> [options]

Commands:
  run --config FILE                  probe and report to the hub until stopped (SIGTERM, SIGINT)
  check-config FILE                  validate a config file and print what is wrong with it
  probe --once --config FILE [--json]
                                     run every check once and print the results
Options:
  --version                          print the agent's version
  --help                             print this help`;

class UsageError extends Error {}

/** Parses the command line and runs one command; resolves to the process exit code. */
export async function main(argv: readonly string[], io: Output): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (!(err instanceof UsageError || isParseArgsError(err))) throw err;
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
}

async function dispatch(argv: readonly string[], io: Output): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case '--version':
    case '-v':
      io.out(AGENT_VERSION);
      return EXIT.ok;
    case '--help':
    case '-h':
    case 'help':
      io.out(USAGE);
      return EXIT.ok;
    case 'run': {
      const { values } = parse(rest, { config: { type: 'string', short: 'c' } });
      return runCommand(required(values.config, 'run needs --config FILE'), io);
    }
    case 'check-config': {
      const { values, positionals } = parse(rest, { config: { type: 'string', short: 'c' } }, 1);
      const file = positionals[0] ?? values.config;
      return checkConfigCommand(required(file, 'check-config needs a FILE'), io);
    }
    case 'probe': {
      const { values } = parse(rest, {
        config: { type: 'string', short: 'c' },
        once: { type: 'boolean' },
        json: { type: 'boolean' },
      });
      if (!values.once) throw new UsageError('probe needs --once (to probe continuously, use run)');
      const file = required(values.config, 'probe needs --config FILE');
      return probeOnceCommand(file, values.json === true, io);
    }
    case undefined:
      throw new UsageError('no command given');
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function parse<T extends OptionSpec>(args: readonly string[], options: T, maxPositionals = 0) {
  const parsed = parseArgs({
    args: [...args],
    options,
    strict: true,
    allowPositionals: maxPositionals > 0,
  });
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`);
  }
  return parsed;
}

function required(value: string | undefined, message: string): string {
  if (value === undefined || value === '') throw new UsageError(message);
  return value;
}

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
