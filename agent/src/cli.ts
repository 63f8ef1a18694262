// First, before anything allocates: heap-settings.ts.
import './heap-settings.js';
import { main } from './commands/main.js';
import { EXIT } from './commands/output.js';

// The process entry point (bin/branchwatch-agent.js, or the bundled single executable). No
// top-level await: the single executable is a CommonJS bundle, where it is not allowed.
void main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `branchwatch-agent: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = EXIT.internal;
  },
);
