import { parseArgs } from 'node:util';
import { AGENT_VERSION } from '../version.js';
import { checkConfigCommand } from './check-config.js';
import { EXIT, EXIT_CODES, type Output } from './output.js';
import { probeOnceCommand } from './probe-once.js';
import { DEFAULT_CONFIG, enrollCommand } from '../enroll/enroll.js';
import { updateGuardCommand } from '../update/guard-command.js';
import { supervisedRun } from '../update/supervised-run.js';

/** One option of a command, for node:util parseArgs and for its --help. */
interface OptionDoc {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's name in the help (`--config FILE`). */
  value?: string;
  help: string;
}

type Values = Record<string, string | boolean | undefined>;

/** A subcommand: what --help says about it and how it runs. */
interface Command {
  name: string;
  synopsis: string;
  summary: string;
  options: Record<string, OptionDoc>;
  /** The name of its one positional argument, if it takes one. */
  positional?: string;
  /** What each exit code means for this command. */
  exits: Partial<Record<number, string>>;
  run(values: Values, positional: string | undefined, io: Output): Promise<number>;
}

const CONFIG_OPTION: OptionDoc = {
  type: 'string',
  short: 'c',
  value: 'FILE',
  help: "the agent's config file (YAML)",
};

const COMMANDS: readonly Command[] = [
  {
    name: 'run',
    synopsis: 'run --config FILE',
    summary: 'probe and report to the hub until stopped (SIGTERM, SIGINT)',
    options: { config: CONFIG_OPTION },
    exits: {
      [EXIT.ok]: 'stopped by SIGTERM or SIGINT, after a clean stop',
      [EXIT.badConfig]: 'the config file is missing or invalid (the problem is printed)',
      [EXIT.restart]:
        'start the agent again (systemd does): a signed update was installed, or a new version did not connect to the hub in time (the guard then rolls it back)',
      [EXIT.interrupted]: 'a second SIGTERM or SIGINT cut the clean stop short',
    },
    run: (values, _, io) => supervisedRun(required(values.config, 'run needs --config FILE'), io),
  },
  {
    name: 'check-config',
    synopsis: 'check-config FILE',
    summary: 'validate a config file and print what is wrong with it',
    options: { config: { ...CONFIG_OPTION, help: 'the file, if not given as FILE' } },
    positional: 'FILE',
    exits: {
      [EXIT.ok]: 'the file is valid (a summary is printed)',
      [EXIT.badConfig]: 'the file is missing or invalid (each problem as FILE:LINE: field: what)',
    },
    run: (values, file, io) =>
      checkConfigCommand(
        required(file ?? (values.config as string), 'check-config needs a FILE'),
        io,
      ),
  },
  {
    name: 'probe',
    synopsis: 'probe --once --config FILE [--json]',
    summary: 'run every check once and print the results; never connects to the hub',
    options: {
      once: { type: 'boolean', help: 'one round of each check (required)' },
      config: CONFIG_OPTION,
      json: { type: 'boolean', help: 'print a JSON array of results instead of a table' },
    },
    exits: {
      [EXIT.ok]: 'every check ran (failing targets are results, not errors)',
      [EXIT.badConfig]: 'the config file is missing or invalid',
    },
    run: (values, _, io) => {
      if (!values.once) throw new UsageError('probe needs --once (to probe continuously, use run)');
      const file = required(values.config, 'probe needs --config FILE');
      return probeOnceCommand(file, values.json === true, io);
    },
  },
  {
    name: 'enroll',
    synopsis: 'enroll --hub URL --token TOKEN [--config FILE] [--name NAME] [--force]',
    summary: "trade a one-time enrollment token for this agent's config and write it",
    options: {
      hub: { type: 'string', value: 'URL', help: "the hub's http:// or https:// address" },
      token: { type: 'string', value: 'TOKEN', help: 'the one-time token the hub issued' },
      config: { ...CONFIG_OPTION, help: `where to write the config (default ${DEFAULT_CONFIG})` },
      name: { type: 'string', value: 'NAME', help: "the agent's display name on the hub" },
      force: { type: 'boolean', help: 'replace a config that already holds an enrolled agent' },
    },
    exits: {
      [EXIT.ok]: 'enrolled; the config is written',
      [EXIT.badConfig]:
        'not enrolled: the hub refused the token or could not be reached, or FILE already holds an enrolled agent',
    },
    run: (values, _, io) =>
      enrollCommand(
        {
          hub: required(values.hub, 'enroll needs --hub URL'),
          token: required(values.token, 'enroll needs --token TOKEN'),
          ...(values.config ? { config: values.config as string } : {}),
          ...(values.name ? { name: values.name as string } : {}),
          force: values.force === true,
        },
        io,
      ),
  },
  {
    name: 'update-guard',
    synopsis: 'update-guard --bin PATH',
    summary: 'before a start: roll back an update that did not come up',
    options: {
      bin: { type: 'string', value: 'PATH', help: 'the self-updated binary the service runs' },
    },
    exits: {
      [EXIT.ok]: 'always, so that the start goes ahead (what it did is printed)',
    },
    run: (values, _, io) =>
      updateGuardCommand(required(values.bin, 'update-guard needs --bin PATH'), io),
  },
];

const HELP_OPTION: OptionDoc = { type: 'boolean', short: 'h', help: 'print this help' };

/** The help of the whole CLI. */
export function usage(): string {
  return [
    'Usage: branchwatch-agent <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => row(c.synopsis, c.summary)),
    row('help COMMAND', 'what a command does, its options and its exit codes'),
    '',
    'Options:',
    row('-h, --help', "print this help; COMMAND --help prints that command's"),
    row('-v, --version', "print the agent's version"),
    '',
    'Exit codes:',
    ...Object.entries(EXIT_CODES).map(([code, meaning]) => row(code, meaning, 6)),
  ].join('\n');
}

/** The help of one command: synopsis, options and what its exit codes mean. */
function commandHelp(command: Command): string {
  const options = Object.entries({ ...command.options, help: HELP_OPTION }).map(([name, o]) =>
    row(`${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`, o.help),
  );
  const exits = { ...command.exits, [EXIT.usage]: 'the command line is wrong' };
  return [
    `Usage: branchwatch-agent ${command.synopsis}`,
    '',
    ...wrap(`${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`, 78),
    '',
    'Options:',
    ...options,
    '',
    'Exit codes:',
    ...Object.entries(exits).map(([code, meaning]) => row(code, meaning, 6)),
  ].join('\n');
}

const WIDTH = 80;

/** `  left   right`, the right column wrapped within 80 columns; a long left gets its own line. */
function row(left: string, right: string, column = 24): string {
  const lines = wrap(right, WIDTH - column - 2);
  const first =
    left.length + 3 <= column ? `  ${left.padEnd(column)}${lines.shift()}` : `  ${left}`;
  return [first, ...lines.map((l) => `${' '.repeat(column + 2)}${l}`)].join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

class UsageError extends Error {}

/** Parses the command line and runs one command; resolves to the process exit code. */
export async function main(argv: readonly string[], io: Output): Promise<number> {
  // `pnpm agent -- run …` passes the `--` on.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const [name, ...rest] = args;
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (command) return await runCommand(command, rest, io);
    return topLevel(name, rest, io);
  } catch (err) {
    if (!(err instanceof UsageError || isParseArgsError(err))) throw err;
    // parseArgs goes on about positionals after its first sentence.
    const message = (err as Error).message.split('. ')[0]!;
    // The usage of the command at hand, not the whole list.
    io.err(`${message}\n\n${command ? commandHelp(command) : usage()}`);
    return EXIT.usage;
  }
}

function topLevel(name: string | undefined, rest: readonly string[], io: Output): number {
  switch (name) {
    case '--version':
    case '-v':
      io.out(AGENT_VERSION);
      return EXIT.ok;
    case '--help':
    case '-h':
    case 'help': {
      const topic = name === 'help' ? rest[0] : undefined;
      if (topic === undefined) {
        io.out(usage());
        return EXIT.ok;
      }
      const command = COMMANDS.find((c) => c.name === topic);
      if (!command) throw new UsageError(`unknown command "${topic}"`);
      io.out(commandHelp(command));
      return EXIT.ok;
    }
    case undefined:
      throw new UsageError('no command given');
    default:
      throw new UsageError(`unknown command "${name}"`);
  }
}

async function runCommand(command: Command, args: readonly string[], io: Output): Promise<number> {
  const options = Object.fromEntries(
    Object.entries({ ...command.options, help: HELP_OPTION }).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}) },
    ]),
  );
  const { values, positionals } = parseArgs({
    args: [...args],
    options,
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  const allowed = command.positional ? 1 : 0;
  if (positionals.length > allowed) {
    throw new UsageError(`unexpected argument "${positionals[allowed]}"`);
  }
  return command.run(values, positionals[0], io);
}

function required(value: string | boolean | undefined, message: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(message);
  return value;
}

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
