import { Client } from 'ldapts';
import type { Slapd } from '../../../../../test/peers/slapd.js';

/** Runs `work` bound as the directory's root DN (adds and changes that the overlay sees). */
export async function asDirectoryRoot<T>(slapd: Slapd, work: (c: Client) => Promise<T>) {
  const client = new Client({ url: slapd.url });
  await client.bind(slapd.rootDn, slapd.rootPassword);
  try {
    return await work(client);
  } finally {
    await client.unbind();
  }
}

/**
 * The directory's tree as an organisation has it: the suffix, `ou=people`, `ou=groups`,
 * `ou=services`, and the service account `cn=hub-reader,ou=services,…` the hub searches with.
 * Answers the service account's DN.
 */
export async function seedDirectory(slapd: Slapd, servicePassword: string): Promise<string> {
  const reader = `cn=hub-reader,ou=services,${slapd.suffix}`;
  await asDirectoryRoot(slapd, async (c) => {
    await c.add(slapd.suffix, {
      objectClass: ['dcObject', 'organization'],
      o: 'Example',
      dc: 'example',
    });
    for (const ou of ['people', 'groups', 'services'])
      await c.add(`ou=${ou},${slapd.suffix}`, { objectClass: 'organizationalUnit', ou });
    await c.add(reader, {
      objectClass: ['organizationalRole', 'simpleSecurityObject'],
      cn: 'hub-reader',
      userPassword: servicePassword,
    });
  });
  return reader;
}
