import { parseArgs } from 'node:util';
import { AGENT_VERSION } from '../version.js';
import { checkConfigCommand } from './check-config.js';
import { EXIT, type Output } from './output.js';
import { probeOnceCommand } from './probe-once.js';
import { enrollCommand } from '../enroll/enroll.js';
import { updateGuardCommand } from '../update/guard-command.js';
import { supervisedRun } from '../update/supervised-run.js';

export const USAGE = `Usage: branchwatch-agent <command> [options]

Commands:
  run --config FILE                  probe and report to the hub until stopped (SIGTERM, SIGINT)
  check-config FILE                  validate a config file and print what is wrong with it
  probe --once --config FILE [--json]
                                     run every check once and print the results
  enroll --hub URL --token TOKEN [--config FILE] [--name NAME] [--force]
                                     trade a one-time token for this agent's config
                                     (default FILE: /etc/branchwatch/agent.yaml)
  update-guard --bin PATH            before a start: roll back an update that did not come up
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
      // run with signed self-updates when the config asks for them (update/supervised-run.ts).
      return supervisedRun(required(values.config, 'run needs --config FILE'), io);
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
    case 'enroll': {
      const { values } = parse(rest, {
        hub: { type: 'string' },
        token: { type: 'string' },
        config: { type: 'string', short: 'c' },
        name: { type: 'string' },
        force: { type: 'boolean' },
      });
      return enrollCommand(
        {
          hub: required(values.hub, 'enroll needs --hub URL'),
          token: required(values.token, 'enroll needs --token TOKEN'),
          ...(values.config ? { config: values.config } : {}),
          ...(values.name ? { name: values.name } : {}),
          force: values.force === true,
        },
        io,
      );
    }
    case 'update-guard': {
      const { values } = parse(rest, { bin: { type: 'string' } });
      return updateGuardCommand(required(values.bin, 'update-guard needs --bin PATH'), io);
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
