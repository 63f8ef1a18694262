import { Client, InvalidCredentialsError, type Entry } from 'ldapts';

/**
 * How the hub finds and checks a person in an LDAP directory or Active Directory
 * (docs/ldap.md). Nothing here is secret but `bindPassword`, which the caller keeps sealed.
 */
export interface LdapSettings {
  /** `ldaps://host:636` or `ldap://host:389`. */
  url: string;
  /** On `ldap://`: upgrade with StartTLS (RFC 4511 §4.14) before any bind. */
  startTls: boolean;
  /** PEM of the CA that signs the directory's certificate, when not a public one. */
  caPem?: string;
  /** The service account that searches for people's DNs (and their groups). */
  bindDn: string;
  /** Where people are searched, e.g. `ou=people,dc=example,dc=org`. */
  userBaseDn: string;
  /**
   * The search for one person, `{username}` standing for what they typed (escaped, RFC 4515):
   * `(uid={username})` on OpenLDAP, `(sAMAccountName={username})` or
   * `(userPrincipalName={username})` on Active Directory.
   */
  userFilter: string;
  /**
   * `memberOf`: groups from the person's `memberOf` attribute (Active Directory, OpenLDAP's
   * memberof overlay). `member`: groups found by searching `groupBaseDn` for
   * `(member=<person's DN>)` (plain OpenLDAP `groupOfNames`).
   */
  groupLookup: 'memberOf' | 'member';
  groupBaseDn?: string;
  /** Follow groups inside groups. */
  nestedGroups: boolean;
  /**
   * Active Directory only: resolve nested groups in one search with the matching rule
   * LDAP_MATCHING_RULE_IN_CHAIN (1.2.840.113556.1.4.1941) instead of walking them.
   */
  activeDirectoryInChain?: boolean;
  /** Attributes read from the person's entry. */
  emailAttribute?: string;
  displayNameAttribute?: string;
  timeoutSeconds?: number;
}

export interface DirectoryGroup {
  dn: string;
  /** The value of the group's first RDN (its `cn`), which mapping rules name. */
  name: string;
}

export interface DirectoryPerson {
  dn: string;
  email: string | null;
  displayName: string | null;
  groups: DirectoryGroup[];
}

export type LdapAnswer =
  | { ok: true; person: DirectoryPerson }
  /**
   * Wrong password, an empty one, or several entries for the name. To the person, said the
   * same way as `not_found`.
   */
  | { ok: false; reason: 'invalid_credentials' }
  /**
   * The search finds nobody by that name: removed from the directory, or left out by the
   * filter (a disabled account, when the filter excludes them). Unlike a wrong password, this
   * is the directory's word that the person has no access, so the hub takes theirs away.
   */
  | { ok: false; reason: 'not_found' };

/** Groups followed at most this deep and this many (a loop of groups ends too). */
const MAX_DEPTH = 8;
const MAX_GROUPS = 1000;

/** RFC 4515 §3: a value inside a filter. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Checks a person's password against the directory: the service account searches for their
 * DN, then the hub binds as that DN with the password they typed (never with an empty one:
 * RFC 4513 §5.1.2 makes that an unauthenticated bind that "succeeds"). Answers their groups.
 */
export async function authenticate(
  settings: LdapSettings,
  bindPassword: string,
  username: string,
  password: string,
): Promise<LdapAnswer> {
  if (username.trim() === '' || password === '')
    return { ok: false, reason: 'invalid_credentials' };
  const service = await connect(settings);
  try {
    await service.bind(settings.bindDn, bindPassword);
    const filter = settings.userFilter.replaceAll('{username}', escapeFilterValue(username));
    const emailAttr = settings.emailAttribute ?? 'mail';
    const nameAttr = settings.displayNameAttribute ?? 'displayName';
    const { searchEntries } = await service.search(settings.userBaseDn, {
      scope: 'sub',
      filter,
      sizeLimit: 2,
      attributes: ['dn', emailAttr, nameAttr, 'cn', 'memberOf'],
    });
    if (searchEntries.length === 0) return { ok: false, reason: 'not_found' };
    if (searchEntries.length !== 1) return { ok: false, reason: 'invalid_credentials' };
    const entry = searchEntries[0]!;
    if (!(await passwordIsRight(settings, entry.dn, password)))
      return { ok: false, reason: 'invalid_credentials' };
    const groups = await groupsOf(service, settings, entry);
    return {
      ok: true,
      person: {
        dn: entry.dn,
        email: first(entry[emailAttr]),
        displayName: first(entry[nameAttr]) ?? first(entry.cn),
        groups,
      },
    };
  } finally {
    await service.unbind().catch(() => undefined);
  }
}

/** Binds as the service account and unbinds: the "test this provider" check of settings. */
export async function checkServiceAccount(settings: LdapSettings, bindPassword: string) {
  const client = await connect(settings);
  try {
    await client.bind(settings.bindDn, bindPassword);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

async function passwordIsRight(settings: LdapSettings, dn: string, password: string) {
  const client = await connect(settings);
  try {
    await client.bind(dn, password);
    return true;
  } catch (err) {
    if (err instanceof InvalidCredentialsError) return false;
    throw err;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

async function connect(settings: LdapSettings): Promise<Client> {
  const timeout = (settings.timeoutSeconds ?? 10) * 1000;
  const host = new URL(settings.url).hostname;
  const tlsOptions = {
    ...(settings.caPem ? { ca: [settings.caPem] } : {}),
    // The certificate must name the host the settings name (Node checks it by default).
    servername: host,
    minVersion: 'TLSv1.2' as const,
  };
  const client = new Client({
    url: settings.url,
    timeout,
    connectTimeout: timeout,
    ...(settings.url.startsWith('ldaps:') ? { tlsOptions } : {}),
  });
  if (settings.startTls && settings.url.startsWith('ldap:')) await client.startTLS(tlsOptions);
  return client;
}

async function groupsOf(
  client: Client,
  settings: LdapSettings,
  person: Entry,
): Promise<DirectoryGroup[]> {
  const found = new Map<string, DirectoryGroup>();
  const add = (dn: string) => {
    const key = dn.toLowerCase();
    if (found.has(key) || found.size >= MAX_GROUPS) return false;
    found.set(key, { dn, name: rdnValue(dn) });
    return true;
  };
  if (settings.activeDirectoryInChain) {
    const { searchEntries } = await client.search(settings.groupBaseDn ?? settings.userBaseDn, {
      scope: 'sub',
      filter: `(member:1.2.840.113556.1.4.1941:=${escapeFilterValue(person.dn)})`,
      attributes: ['dn'],
      sizeLimit: MAX_GROUPS,
    });
    for (const g of searchEntries) add(g.dn);
    return [...found.values()];
  }
  let level =
    settings.groupLookup === 'memberOf'
      ? all(person.memberOf)
      : await groupsHolding(client, settings, [person.dn]);
  for (let depth = 0; level.length > 0 && depth < MAX_DEPTH; depth++) {
    const fresh = level.filter(add);
    if (!settings.nestedGroups || fresh.length === 0) break;
    level =
      settings.groupLookup === 'memberOf'
        ? await memberOfOf(client, fresh)
        : await groupsHolding(client, settings, fresh);
  }
  return [...found.values()];
}

/** Groups whose `member` is one of `dns`. */
async function groupsHolding(client: Client, settings: LdapSettings, dns: string[]) {
  const members = dns.map((dn) => `(member=${escapeFilterValue(dn)})`).join('');
  const { searchEntries } = await client.search(settings.groupBaseDn ?? settings.userBaseDn, {
    scope: 'sub',
    filter: dns.length === 1 ? members : `(|${members})`,
    attributes: ['dn'],
    sizeLimit: MAX_GROUPS,
  });
  return searchEntries.map((e) => e.dn);
}

/** The `memberOf` of each group entry (the groups those groups are in). */
async function memberOfOf(client: Client, dns: string[]) {
  const out: string[] = [];
  for (const dn of dns) {
    const { searchEntries } = await client.search(dn, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['memberOf'],
    });
    for (const e of searchEntries) out.push(...all(e.memberOf));
  }
  return out;
}

const all = (v: Entry[string] | undefined): string[] =>
  v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => x.toString());
const first = (v: Entry[string] | undefined): string | null => all(v)[0] ?? null;

/** `cn=NOC Staff,ou=groups,dc=example,dc=org` → `NOC Staff` (escapes of RFC 4514 undone). */
export function rdnValue(dn: string): string {
  const m = /^[^=]+=((?:\\.|[^,])*)/.exec(dn);
  return (m?.[1] ?? dn).replace(/\\(.)/g, '$1').trim();
}
