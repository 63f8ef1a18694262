// `pnpm release:sign`: the release key's two jobs, offline, on the release manager's machine.
//   keygen --out DIR          writes DIR/release-key.pem (private, mode 0600) and prints the
//                             public key to pin (BW_RELEASE_PUBLIC_KEY at build, or update.publicKey)
//   sign --key PEM --version V --platform P --releases DIR FILE
//                             signs FILE and lays it out as the hub's release store expects:
//                             DIR/V/P/branchwatch-agent and DIR/V/P/release.json
// The hub only serves what this writes (copy DIR to BW_DATA_DIR/releases, or upload it).
import { generateKeyPairSync } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { publicKeyOf, sha256Hex, signRelease } from './signature.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    key: { type: 'string' },
    version: { type: 'string' },
    platform: { type: 'string' },
    releases: { type: 'string' },
  },
});

const need = (value: string | undefined, what: string): string => {
  if (!value) throw new Error(`release:sign needs ${what}`);
  return value;
};

const [command, file] = positionals;
if (command === 'keygen') {
  const dir = need(values.out, '--out DIR');
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'release-key.pem'), pem, { mode: 0o600, flag: 'wx' });
  console.log(publicKeyOf(pem));
} else if (command === 'sign') {
  const pem = await readFile(need(values.key, '--key PEM'), 'utf8');
  const version = need(values.version, '--version V');
  const platform = need(values.platform, '--platform linux-x64|linux-arm64');
  const binary = need(file, 'the FILE to sign');
  const sha256 = sha256Hex(await readFile(binary));
  const signature = signRelease({ version, platform, sha256 }, pem);
  const folder = path.join(need(values.releases, '--releases DIR'), version, platform);
  await mkdir(folder, { recursive: true });
  await copyFile(binary, path.join(folder, 'branchwatch-agent'));
  const meta = { version, platform, sha256, signature };
  await writeFile(path.join(folder, 'release.json'), `${JSON.stringify(meta, null, 2)}\n`);
  console.log(JSON.stringify(meta));
} else {
  console.error(
    'usage: release:sign keygen --out DIR | sign --key PEM --version V --platform P --releases DIR FILE',
  );
  process.exitCode = 2;
}
