import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from './support/processes.js';

/**
 * CI may run only what the README tells a person to run on a fresh machine (its "Start the
 * hub" and "Run the tests"): a command CI needs and the README does not say is a README that
 * does not work as written.
 */
const read = (file: string) => readFileSync(path.join(REPO, file), 'utf8');

/** What the README gives as commands: the lines of its `sh` blocks and its code spans. */
function readmeCommands(readme: string): string[] {
  const blockLines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) =>
    block[1]!.split('\n'),
  );
  const spans = [...readme.matchAll(/`([^`\n]+)`/g)].map((span) => span[1]!);
  return [...blockLines, ...spans].map((line) => line.trim()).filter(Boolean);
}

/** The commands a script runs: its lines without comments, blank lines and the shebang. */
function scriptCommands(script: string): string[] {
  return script
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

// Shell housekeeping, not commands a person types: stop at the first failure, run from the
// clone's root (a person's shell is already there).
const HOUSEKEEPING = ['set -euo pipefail', 'cd "$(dirname "$0")/.."'];

it('.ci/run runs the README commands and nothing else', () => {
  const readme = readmeCommands(read('README.md'));
  const ci = scriptCommands(read('.ci/run')).filter((line) => !HOUSEKEEPING.includes(line));
  expect(ci.length).toBeGreaterThan(0);
  // A CI command is one of the README's, or the first commands of one of its `&&` chains
  // (the start line without `bin/branchwatch-hub`).
  const said = (command: string) =>
    readme.some((line) => line === command || line.startsWith(`${command} && `));
  expect(ci.filter((command) => !said(command))).toEqual([]);
  expect(ci).toEqual(['npm install -g pnpm@10.34.8 && pnpm install', 'pnpm check', 'pnpm test']);
});

it('installs the pnpm the workspace names', () => {
  const packageManager = (JSON.parse(read('package.json')) as { packageManager: string })
    .packageManager;
  const installed = [...read('README.md').matchAll(/npm install -g (pnpm@\S+)/g)].map((m) => m[1]);
  expect(installed.length).toBeGreaterThan(0);
  expect(new Set(installed)).toEqual(new Set([packageManager]));
  expect(read('.ci/run')).toContain(`npm install -g ${packageManager} `);
});

it('names every benchmark the workspace has', () => {
  const scripts = Object.keys(
    (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts,
  ).filter((name) => name.startsWith('bench:'));
  expect(scripts.length).toBeGreaterThan(0);
  const named = new Set(
    [...read('README.md').matchAll(/`(?:pnpm )?(bench:[\w-]+)`/g)].map((m) => m[1]),
  );
  expect(scripts.filter((name) => !named.has(name))).toEqual([]);
});
