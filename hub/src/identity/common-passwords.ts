import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HUB_PACKAGE_ROOT } from '../core/package-root.js';

/**
 * The list of common passwords shipped with the hub (`hub/assets/common-passwords.txt.gz`,
 * 49,233 passwords; its source and licence are in docs/decisions.md "Common passwords").
 * Loaded at the first check, not at start: a hub where nobody sets a password never holds it.
 */
export const COMMON_PASSWORDS_FILE = path.join(
  HUB_PACKAGE_ROOT,
  'assets',
  'common-passwords.txt.gz',
);

let loaded: Promise<ReadonlySet<string>> | undefined;

export function commonPasswords(): Promise<ReadonlySet<string>> {
  loaded ??= readFile(COMMON_PASSWORDS_FILE).then((gz) => {
    const words = gunzipSync(gz).toString('utf8').split('\n');
    return new Set(words.filter((w) => w.length > 0));
  });
  return loaded;
}

/**
 * Whether the password is on the list. The list is lower-case (it was counted so), so the
 * password is compared in lower case: `Password1` is as common as `password1`.
 */
export async function isCommonPassword(password: string): Promise<boolean> {
  return (await commonPasswords()).has(password.toLowerCase());
}
