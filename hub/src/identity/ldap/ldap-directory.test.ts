import type { Client } from 'ldapts';
import { Attribute, Change } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Slapd } from '../../../../test/peers/slapd.js';
import {
  SERVICE_PASSWORD,
  startDirectory,
  type TestDirectory,
} from '../../../../test/support/directory.js';
import { authenticate, escapeFilterValue, rdnValue, type LdapSettings } from './ldap-directory.js';

/**
 * The hub's LDAP client against Debian's slapd on loopback (test/support/directory.ts): the service
 * account's search, the person's own bind, groups from memberOf and from group searches,
 * nested groups, LDAPS and StartTLS with the directory's CA — and the refusals.
 */

let directory: TestDirectory;
let slapd: Slapd;

const asRoot = <T>(work: (c: Client) => Promise<T>) => directory.asRoot(work);

const people = () => directory.people;
const groups = () => directory.groups;
const personDn = (uid: string) => directory.personDn(uid);
const groupDn = (cn: string) => directory.groupDn(cn);

beforeAll(async () => {
  directory = await startDirectory({
    people: [
      { uid: 'ali', name: 'Ali Rahimi' },
      { uid: 'sara', name: 'Sara Karimi' },
      {
        uid: 'star*',
        name: 'A name with a star',
        mail: 'star@example.org',
        password: 'star-directory-password',
      },
    ],
    groups: [
      { cn: 'NOC Staff', members: ['ali'] },
      { cn: 'Support Tehran', members: ['sara'] },
      // A group of groups: everyone in Support Tehran is in All Support.
      { cn: 'All Support', members: ['group:Support Tehran'] },
    ],
  });
  slapd = directory.slapd;
}, 60_000);

afterAll(async () => {
  await directory?.stop();
});

const settings = (over: Partial<LdapSettings> = {}): LdapSettings => ({
  url: slapd.url,
  startTls: false,
  bindDn: `cn=hub-reader,ou=services,${slapd.suffix}`,
  userBaseDn: people(),
  userFilter: '(&(objectClass=inetOrgPerson)(|(uid={username})(mail={username})))',
  groupLookup: 'memberOf',
  groupBaseDn: groups(),
  nestedGroups: true,
  ...over,
});

describe('signing in against slapd', () => {
  it('finds the person with the service account, binds as them, and reads their groups', async () => {
    const answer = await authenticate(
      settings(),
      SERVICE_PASSWORD,
      'ali',
      'ali-directory-password',
    );
    expect(answer).toEqual({
      ok: true,
      person: {
        dn: personDn('ali'),
        email: 'ali@example.org',
        displayName: 'Ali Rahimi',
        groups: [{ dn: groupDn('NOC Staff'), name: 'NOC Staff' }],
      },
    });
    // By e-mail too, as the filter says.
    const byMail = await authenticate(
      settings(),
      SERVICE_PASSWORD,
      'ali@example.org',
      'ali-directory-password',
    );
    expect(byMail.ok).toBe(true);
  });

  it('follows nested groups through memberOf and through member searches', async () => {
    for (const groupLookup of ['memberOf', 'member'] as const) {
      const answer = await authenticate(
        settings({ groupLookup }),
        SERVICE_PASSWORD,
        'sara',
        'sara-directory-password',
      );
      if (!answer.ok) throw new Error('sara was refused');
      expect(answer.person.groups.map((g) => g.name).sort()).toEqual([
        'All Support',
        'Support Tehran',
      ]);
      const flat = await authenticate(
        settings({ groupLookup, nestedGroups: false }),
        SERVICE_PASSWORD,
        'sara',
        'sara-directory-password',
      );
      if (!flat.ok) throw new Error('sara was refused');
      expect(flat.person.groups.map((g) => g.name)).toEqual(['Support Tehran']);
    }
  });

  it('sees a group change at the next sign-in', async () => {
    await asRoot((c) =>
      c.modify(
        groupDn('NOC Staff'),
        new Change({
          operation: 'add',
          modification: new Attribute({ type: 'member', values: [personDn('sara')] }),
        }),
      ),
    );
    const answer = await authenticate(
      settings(),
      SERVICE_PASSWORD,
      'sara',
      'sara-directory-password',
    );
    if (!answer.ok) throw new Error('sara was refused');
    expect(answer.person.groups.map((g) => g.name)).toContain('NOC Staff');
  });

  it('refuses a wrong password, an empty one, an unknown name and a filter injection', async () => {
    const refused = { ok: false, reason: 'invalid_credentials' };
    expect(await authenticate(settings(), SERVICE_PASSWORD, 'ali', 'wrong')).toEqual(refused);
    // An empty password would be an unauthenticated bind that slapd lets "succeed".
    expect(await authenticate(settings(), SERVICE_PASSWORD, 'ali', '')).toEqual(refused);
    // Nobody by that name: the directory's word that the person has no access.
    expect(await authenticate(settings(), SERVICE_PASSWORD, 'nobody', 'x')).toEqual({
      ok: false,
      reason: 'not_found',
    });
    // `*` would match every person unescaped; escaped, it is a name nobody has. And `star*`
    // must find only the person whose uid holds a star.
    expect(await authenticate(settings(), SERVICE_PASSWORD, '*', 'ali-directory-password')).toEqual(
      { ok: false, reason: 'not_found' },
    );
    const star = await authenticate(
      settings(),
      SERVICE_PASSWORD,
      'star*',
      'star-directory-password',
    );
    expect(star.ok).toBe(true);
    // A wrong service account password is the hub's misconfiguration, not the person's: it throws.
    await expect(
      authenticate(settings(), 'not-it', 'ali', 'ali-directory-password'),
    ).rejects.toThrow();
  });
});

describe('TLS', () => {
  it('speaks LDAPS and StartTLS with the directory CA, and refuses a certificate it cannot trust', async () => {
    const ca = slapd.certificates.ca;
    const ldaps = await authenticate(
      settings({ url: slapd.ldapsUrl, caPem: ca }),
      SERVICE_PASSWORD,
      'ali',
      'ali-directory-password',
    );
    expect(ldaps.ok).toBe(true);
    const startTls = await authenticate(
      settings({ startTls: true, caPem: ca }),
      SERVICE_PASSWORD,
      'ali',
      'ali-directory-password',
    );
    expect(startTls.ok).toBe(true);
    // Without the CA, the self-signed chain is refused before any password is sent.
    await expect(
      authenticate(
        settings({ url: slapd.ldapsUrl }),
        SERVICE_PASSWORD,
        'ali',
        'ali-directory-password',
      ),
    ).rejects.toThrow(/certificate/i);
    await expect(
      authenticate(settings({ startTls: true }), SERVICE_PASSWORD, 'ali', 'ali-directory-password'),
    ).rejects.toThrow(/certificate/i);
  });
});

describe('filter and DN helpers', () => {
  it('escapes filter values (RFC 4515) and reads a group name from its DN (RFC 4514)', () => {
    expect(escapeFilterValue('a*(b)\\c\0')).toBe('a\\2a\\28b\\29\\5cc\\00');
    expect(rdnValue('cn=NOC Staff,ou=groups,dc=example,dc=org')).toBe('NOC Staff');
    expect(rdnValue('CN=Smith\\, John,OU=x')).toBe('Smith, John');
  });
});
