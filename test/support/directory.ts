import { Attribute, Change, Client } from 'ldapts';
import { startSlapd, type Slapd } from '../peers/slapd.js';

/**
 * One LDAP directory for every LDAP test: Debian's slapd on loopback (test/peers/slapd.ts) with
 * the tree an organisation has — the suffix, `ou=people`, `ou=groups`, `ou=services` and the
 * service account `cn=hub-reader,ou=services,…` the hub searches with — and the test's people
 * and groups, added online as the root DN (so that the memberof overlay sees them).
 */
export interface DirectoryPerson {
  uid: string;
  /** cn and displayName; the uid when left out (then no displayName). */
  name?: string;
  /** `<uid>@example.org` when left out. */
  mail?: string;
  /** `<uid>-directory-password` when left out. */
  password?: string;
}

export interface DirectoryGroup {
  cn: string;
  /**
   * Each a person's uid, `group:<cn>` for a group, `service` for the service account (a
   * groupOfNames needs a member: it lets people leave), or a whole DN.
   */
  members: string[];
}

export interface TestDirectory {
  slapd: Slapd;
  /** `ldap://127.0.0.1:PORT` (StartTLS offered). */
  url: string;
  ldapsUrl: string;
  suffix: string;
  people: string;
  groups: string;
  serviceDn: string;
  servicePassword: string;
  personDn(uid: string): string;
  groupDn(cn: string): string;
  /** Runs `work` bound as the root DN. */
  asRoot<T>(work: (c: Client) => Promise<T>): Promise<T>;
  addPerson(person: DirectoryPerson): Promise<string>;
  addGroup(group: DirectoryGroup): Promise<string>;
  /** Adds a person to a group or takes them out. */
  member(operation: 'add' | 'delete', group: string, uid: string): Promise<void>;
  /** What an `ldap` provider's settings name: the directory, the service account, the people. */
  providerSettings(): {
    url: string;
    bindDn: string;
    userBaseDn: string;
    userFilter: string;
    groupLookup: 'memberOf';
  };
  stop(): Promise<void>;
}

export const SERVICE_PASSWORD = 'hub-reader-secret';

export async function startDirectory(
  content: { people?: DirectoryPerson[]; groups?: DirectoryGroup[] } = {},
): Promise<TestDirectory> {
  const slapd = await startSlapd();
  const people = `ou=people,${slapd.suffix}`;
  const groups = `ou=groups,${slapd.suffix}`;
  const serviceDn = `cn=hub-reader,ou=services,${slapd.suffix}`;
  const personDn = (uid: string) => `uid=${uid},${people}`;
  const groupDn = (cn: string) => `cn=${cn},${groups}`;
  const memberDn = (m: string) =>
    m === 'service'
      ? serviceDn
      : m.startsWith('group:')
        ? groupDn(m.slice(6))
        : m.includes('=')
          ? m
          : personDn(m);
  async function asRoot<T>(work: (c: Client) => Promise<T>): Promise<T> {
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.rootDn, slapd.rootPassword);
    try {
      return await work(client);
    } finally {
      await client.unbind();
    }
  }
  const directory: TestDirectory = {
    slapd,
    url: slapd.url,
    ldapsUrl: slapd.ldapsUrl,
    suffix: slapd.suffix,
    people,
    groups,
    serviceDn,
    servicePassword: SERVICE_PASSWORD,
    personDn,
    groupDn,
    asRoot,
    addPerson: async (p) => {
      const dn = personDn(p.uid);
      await asRoot((c) =>
        c.add(dn, {
          objectClass: 'inetOrgPerson',
          uid: p.uid,
          cn: p.name ?? p.uid,
          sn: (p.name ?? p.uid).split(' ').at(-1)!,
          ...(p.name ? { displayName: p.name } : {}),
          mail: p.mail ?? `${p.uid}@example.org`,
          userPassword: p.password ?? `${p.uid}-directory-password`,
        }),
      );
      return dn;
    },
    addGroup: async (g) => {
      const dn = groupDn(g.cn);
      await asRoot((c) =>
        c.add(dn, { objectClass: 'groupOfNames', cn: g.cn, member: g.members.map(memberDn) }),
      );
      return dn;
    },
    member: (operation, group, uid) =>
      asRoot((c) =>
        c.modify(
          groupDn(group),
          new Change({
            operation,
            modification: new Attribute({ type: 'member', values: [personDn(uid)] }),
          }),
        ),
      ),
    providerSettings: () => ({
      url: slapd.url,
      bindDn: serviceDn,
      userBaseDn: people,
      userFilter: '(&(objectClass=inetOrgPerson)(|(uid={username})(mail={username})))',
      groupLookup: 'memberOf',
    }),
    stop: () => slapd.stop(),
  };
  try {
    await asRoot(async (c) => {
      await c.add(slapd.suffix, {
        objectClass: ['dcObject', 'organization'],
        o: 'Example',
        dc: 'example',
      });
      for (const ou of ['people', 'groups', 'services'])
        await c.add(`ou=${ou},${slapd.suffix}`, { objectClass: 'organizationalUnit', ou });
      await c.add(serviceDn, {
        objectClass: ['organizationalRole', 'simpleSecurityObject'],
        cn: 'hub-reader',
        userPassword: SERVICE_PASSWORD,
      });
    });
    for (const person of content.people ?? []) await directory.addPerson(person);
    for (const group of content.groups ?? []) await directory.addGroup(group);
  } catch (err) {
    await slapd.stop();
    throw err;
  }
  return directory;
}
