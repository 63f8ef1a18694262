import { createHash } from 'node:crypto';
import type { EventBus } from '../../core/events.js';
import { randomSecret } from '../../core/random-secret.js';
import type { AuditService } from '../audit/audit.service.js';
import { hashPassword } from '../password.js';
import type { RoleRepository } from '../role.repository.js';
import { ScimError, invalidValue, notFound } from './scim-errors.js';
import { parseFilter } from './scim-filter.js';
import { memberFilterOf, readOperations, scimBoolean } from './scim-patch.js';
import type {
  ScimGroupRow,
  ScimRepository,
  ScimUserAttributes,
  ScimUserRow,
} from './scim.repository.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
/** Prefix of SCIM tokens, so that they are told from API tokens and sessions at a glance. */
const TOKEN_PREFIX = 'bwscim_';
/** Most resources one list answer holds (ServiceProviderConfig `filter.maxResults`). */
export const MAX_RESULTS = 200;

export interface ListQuery {
  filter?: string;
  startIndex?: number;
  count?: number;
}

/** The tenant a SCIM request acts for, and where its answers point (`meta.location`). */
export interface ScimCaller {
  tenantId: string;
  baseUrl: string;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * SCIM 2.0 provisioning of a tenant's people and groups (RFC 7643, RFC 7644; docs/scim.md).
 * A person the directory deactivates or removes loses access at once: sessions, API tokens,
 * login tickets and live streams end, as when an admin disables them. Every change is an
 * entry of the audit chain with what was before and after.
 */
export class ScimService {
  constructor(
    private readonly repo: ScimRepository,
    private readonly roles: RoleRepository,
    private readonly audit: AuditService,
    private readonly events?: EventBus,
  ) {}

  // Tokens (the admin's side)

  async createToken(tenantId: string, name: string) {
    const token = TOKEN_PREFIX + randomSecret(32);
    const row = await this.repo.createToken(tenantId, name, hash(token));
    await this.audit.record({
      action: 'scim.token_created',
      target: `scim_token:${row.id}`,
      tenantId,
      details: { name },
    });
    return { ...row, tenantId, token };
  }

  listTokens(tenantId: string | null) {
    return this.repo.listTokens(tenantId);
  }

  async revokeToken(id: string, tenantId: string | null): Promise<boolean> {
    const tenant = await this.repo.revokeToken(id, tenantId);
    if (!tenant) return false;
    await this.audit.record({
      action: 'scim.token_revoked',
      target: `scim_token:${id}`,
      tenantId: tenant,
    });
    return true;
  }

  /** The tenant of a bearer token; undefined for anything but a live SCIM token. */
  tenantOf(token: string): Promise<string | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return Promise.resolve(undefined);
    return this.repo.tenantOfToken(hash(token), new Date());
  }

  // Users

  async listUsers(caller: ScimCaller, query: ListQuery) {
    const where: { username?: string; externalId?: string } = {};
    for (const f of query.filter ? parseFilter(query.filter, ['userName', 'externalId']) : []) {
      if (f.attribute === 'username') where.username = f.value;
      else where.externalId = f.value;
    }
    const page = pageOf(query);
    const { total, rows } = await this.repo.listUsers(caller.tenantId, where, page);
    const resources = await Promise.all(rows.map((r) => this.userResource(caller, r)));
    return listResponse(total, page, resources);
  }

  async getUser(caller: ScimCaller, id: string) {
    return this.userResource(caller, await this.userOf(caller, id));
  }

  async createUser(caller: ScimCaller, body: unknown) {
    const input = readUser(body);
    const existing = await this.repo.findUserByName(input.userName);
    let id: string;
    if (existing) {
      // A person the directory removed earlier comes back as the same user; anyone else of
      // that name (a local account, another tenant's person) is never taken over.
      if (!(existing.deleted && existing.tenantId === caller.tenantId))
        throw new ScimError(409, `userName ${input.userName} is taken`, 'uniqueness');
      id = existing.id;
      await this.repo.updateUser(id, {
        username: input.userName,
        externalId: input.externalId,
        attributes: input.attributes,
        disabled: !input.active,
        deleted: false,
      });
    } else {
      id = await this.repo
        .insertUser({
          tenantId: caller.tenantId,
          username: input.userName,
          // People of the directory sign in through it: a password nobody knows.
          passwordHash: await hashPassword(randomSecret(32)),
          externalId: input.externalId,
          attributes: input.attributes,
          disabled: !input.active,
        })
        .catch(uniqueness(input.userName));
    }
    const after = (await this.repo.findUser(caller.tenantId, id))!;
    await this.record('scim.user_created', caller, after, undefined, after);
    return this.userResource(caller, after);
  }

  /** PUT: the resource as sent replaces what the hub holds (RFC 7644 §3.5.1). */
  async replaceUser(caller: ScimCaller, id: string, body: unknown) {
    const before = await this.userOf(caller, id);
    const input = readUser(body);
    await this.renameCheck(before, input.userName);
    await this.repo
      .updateUser(id, {
        username: input.userName,
        externalId: input.externalId,
        attributes: input.attributes,
        disabled: !input.active,
      })
      .catch(uniqueness(input.userName));
    return this.afterUserChange(caller, before);
  }

  async patchUser(caller: ScimCaller, id: string, body: unknown) {
    const before = await this.userOf(caller, id);
    const change: {
      username?: string;
      externalId?: string | null;
      attributes: ScimUserAttributes;
      disabled?: boolean;
    } = { attributes: structuredClone(before.attributes) };
    for (const op of readOperations(body)) {
      const values: Record<string, unknown> =
        op.path === undefined
          ? ((op.value ?? {}) as Record<string, unknown>)
          : { [op.path]: op.op === 'remove' ? null : op.value };
      for (const [rawPath, value] of Object.entries(values)) {
        applyUserPath(change, rawPath.toLowerCase(), value, op.op);
      }
    }
    if (change.username !== undefined) await this.renameCheck(before, change.username);
    await this.repo.updateUser(id, change).catch(uniqueness(change.username ?? ''));
    return this.afterUserChange(caller, before);
  }

  /**
   * DELETE: the person is disabled and leaves SCIM's answers; the row stays for the tickets
   * and audit entries that name them. Creating the same userName again brings them back.
   */
  async deleteUser(caller: ScimCaller, id: string): Promise<void> {
    const before = await this.userOf(caller, id);
    await this.repo.updateUser(id, { disabled: true, deleted: true });
    for (const g of await this.repo.groupsOfUser(id)) await this.repo.removeMembers(g.id, [id]);
    await this.revoke(id);
    await this.record('scim.user_deleted', caller, before, before, undefined);
  }

  // Groups

  async listGroups(caller: ScimCaller, query: ListQuery & { excludedAttributes?: string }) {
    const where: { displayName?: string; externalId?: string } = {};
    for (const f of query.filter ? parseFilter(query.filter, ['displayName', 'externalId']) : []) {
      if (f.attribute === 'displayname') where.displayName = f.value;
      else where.externalId = f.value;
    }
    const page = pageOf(query);
    const { total, rows } = await this.repo.listGroups(caller.tenantId, where, page);
    const withMembers = !/\bmembers\b/i.test(query.excludedAttributes ?? '');
    const resources = await Promise.all(
      rows.map((g) => this.groupResource(caller, g, withMembers)),
    );
    return listResponse(total, page, resources);
  }

  async getGroup(caller: ScimCaller, id: string) {
    return this.groupResource(caller, await this.groupOf(caller, id), true);
  }

  async createGroup(caller: ScimCaller, body: unknown) {
    const input = readGroup(body);
    const members = await this.checkMembers(caller, input.members);
    const id = await this.repo
      .insertGroup(caller.tenantId, input.displayName, input.externalId)
      .catch(uniqueness(input.displayName));
    await this.repo.addMembers(id, members);
    const group = (await this.repo.findGroup(caller.tenantId, id))!;
    await this.recordGroup('scim.group_created', caller, group, undefined, {
      displayName: group.displayName,
      members,
    });
    return this.groupResource(caller, group, true);
  }

  async replaceGroup(caller: ScimCaller, id: string, body: unknown) {
    const before = await this.groupOf(caller, id);
    const beforeMembers = (await this.repo.members(id)).map((m) => m.id);
    const input = readGroup(body);
    const members = await this.checkMembers(caller, input.members);
    await this.repo
      .updateGroup(id, { displayName: input.displayName, externalId: input.externalId })
      .catch(uniqueness(input.displayName));
    await this.repo.removeMembers(id, 'all');
    await this.repo.addMembers(id, members);
    const after = (await this.repo.findGroup(caller.tenantId, id))!;
    await this.recordGroup(
      'scim.group_updated',
      caller,
      after,
      { displayName: before.displayName, members: beforeMembers },
      { displayName: after.displayName, members },
    );
    return this.groupResource(caller, after, true);
  }

  async patchGroup(caller: ScimCaller, id: string, body: unknown) {
    const before = await this.groupOf(caller, id);
    const beforeMembers = (await this.repo.members(id)).map((m) => m.id);
    let displayName: string | undefined;
    for (const op of readOperations(body)) {
      const path = op.path?.toLowerCase();
      if (path === undefined) {
        const v = (op.value ?? {}) as Record<string, unknown>;
        for (const [k, value] of Object.entries(v)) {
          if (k.toLowerCase() === 'displayname') displayName = stringOf(value, 'displayName');
          else if (k.toLowerCase() === 'members')
            await this.changeMembers(caller, id, op.op, value);
        }
      } else if (path === 'displayname') {
        displayName = stringOf(op.value, 'displayName');
      } else if (path === 'members') {
        await this.changeMembers(caller, id, op.op, op.value);
      } else if (memberFilterOf(op.path!) !== undefined && op.op === 'remove') {
        await this.repo.removeMembers(id, [memberFilterOf(op.path!)!]);
      } else if (path === 'externalid') {
        await this.repo.updateGroup(id, {
          externalId: op.op === 'remove' ? null : stringOf(op.value, 'externalId'),
        });
      } else throw new ScimError(400, `path ${op.path} is not supported`, 'invalidPath');
    }
    if (displayName !== undefined)
      await this.repo.updateGroup(id, { displayName }).catch(uniqueness(displayName));
    const after = (await this.repo.findGroup(caller.tenantId, id))!;
    const afterMembers = (await this.repo.members(id)).map((m) => m.id);
    await this.recordGroup(
      'scim.group_updated',
      caller,
      after,
      { displayName: before.displayName, members: beforeMembers },
      { displayName: after.displayName, members: afterMembers },
    );
    return this.groupResource(caller, after, true);
  }

  async deleteGroup(caller: ScimCaller, id: string): Promise<void> {
    const before = await this.groupOf(caller, id);
    const members = (await this.repo.members(id)).map((m) => m.id);
    await this.repo.deleteGroup(id);
    await this.recordGroup(
      'scim.group_deleted',
      caller,
      before,
      { displayName: before.displayName, members },
      undefined,
    );
  }

  // Helpers

  private async userOf(caller: ScimCaller, id: string): Promise<ScimUserRow> {
    const user = UUID.test(id) ? await this.repo.findUser(caller.tenantId, id) : undefined;
    if (!user) throw notFound('User', id);
    return user;
  }

  private async groupOf(caller: ScimCaller, id: string): Promise<ScimGroupRow> {
    const group = UUID.test(id) ? await this.repo.findGroup(caller.tenantId, id) : undefined;
    if (!group) throw notFound('Group', id);
    return group;
  }

  private async renameCheck(user: ScimUserRow, username: string) {
    if (username.toLowerCase() === user.username.toLowerCase()) return;
    if (await this.repo.findUserByName(username))
      throw new ScimError(409, `userName ${username} is taken`, 'uniqueness');
  }

  /** Records the change and, when the person lost access, ends what they held. */
  private async afterUserChange(caller: ScimCaller, before: ScimUserRow) {
    const after = (await this.repo.findUser(caller.tenantId, before.id))!;
    if (after.disabled && !before.disabled) await this.revoke(after.id);
    const action =
      after.disabled !== before.disabled
        ? after.disabled
          ? 'scim.user_deactivated'
          : 'scim.user_activated'
        : 'scim.user_updated';
    await this.record(action, caller, after, before, after);
    return this.userResource(caller, after);
  }

  /** Sessions, API tokens, login tickets and live streams of the person end at once. */
  private async revoke(userId: string) {
    await this.roles.revokeCredentials(userId, new Date());
    await this.events?.emit('access.revoked', { userId, at: new Date() });
  }

  private async checkMembers(caller: ScimCaller, values: string[]): Promise<string[]> {
    const ids = [...new Set(values)];
    if (ids.some((v) => !UUID.test(v)))
      throw invalidValue('members: each value is the id of a User of this tenant');
    if ((await this.repo.countTenantUsers(caller.tenantId, ids)) !== ids.length)
      throw invalidValue('members: each value is the id of a User of this tenant');
    return ids;
  }

  private async changeMembers(
    caller: ScimCaller,
    groupId: string,
    op: 'add' | 'replace' | 'remove',
    value: unknown,
  ) {
    const ids = value === null || value === undefined ? [] : membersOf(value);
    if (op === 'remove') {
      await this.repo.removeMembers(groupId, ids.length ? ids : 'all');
      return;
    }
    const checked = await this.checkMembers(caller, ids);
    if (op === 'replace') await this.repo.removeMembers(groupId, 'all');
    await this.repo.addMembers(groupId, checked);
  }

  private async userResource(caller: ScimCaller, u: ScimUserRow) {
    const groups = await this.repo.groupsOfUser(u.id);
    return {
      schemas: [USER_SCHEMA],
      id: u.id,
      ...(u.externalId !== null ? { externalId: u.externalId } : {}),
      userName: u.username,
      ...u.attributes,
      active: !u.disabled,
      groups: groups.map((g) => ({
        value: g.id,
        display: g.displayName,
        $ref: `${caller.baseUrl}/Groups/${g.id}`,
      })),
      meta: {
        resourceType: 'User',
        created: u.createdAt.toISOString(),
        lastModified: (u.updatedAt ?? u.createdAt).toISOString(),
        location: `${caller.baseUrl}/Users/${u.id}`,
      },
    };
  }

  private async groupResource(caller: ScimCaller, g: ScimGroupRow, withMembers: boolean) {
    const members = withMembers ? await this.repo.members(g.id) : [];
    return {
      schemas: [GROUP_SCHEMA],
      id: g.id,
      ...(g.externalId !== null ? { externalId: g.externalId } : {}),
      displayName: g.displayName,
      ...(withMembers
        ? {
            members: members.map((m) => ({
              value: m.id,
              display: m.username,
              $ref: `${caller.baseUrl}/Users/${m.id}`,
            })),
          }
        : {}),
      meta: {
        resourceType: 'Group',
        created: g.createdAt.toISOString(),
        lastModified: g.updatedAt.toISOString(),
        location: `${caller.baseUrl}/Groups/${g.id}`,
      },
    };
  }

  private record(
    action: string,
    caller: ScimCaller,
    user: ScimUserRow,
    before: ScimUserRow | undefined,
    after: ScimUserRow | undefined,
  ) {
    const view = (u: ScimUserRow | undefined) =>
      u && {
        userName: u.username,
        externalId: u.externalId,
        active: !u.disabled,
        ...u.attributes,
      };
    return this.audit.record({
      action,
      actor: null,
      target: `user:${user.id}`,
      tenantId: caller.tenantId,
      details: { via: 'scim', before: view(before) ?? null, after: view(after) ?? null },
    });
  }

  private recordGroup(
    action: string,
    caller: ScimCaller,
    group: ScimGroupRow,
    before: { displayName: string; members: string[] } | undefined,
    after: { displayName: string; members: string[] } | undefined,
  ) {
    return this.audit.record({
      action,
      actor: null,
      target: `scim_group:${group.id}`,
      tenantId: caller.tenantId,
      details: { via: 'scim', before: before ?? null, after: after ?? null },
    });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pageOf(q: ListQuery) {
  // RFC 7644 §3.4.2.4: startIndex is 1-based, below 1 means 1; count below 0 means 0.
  const start = Math.max(1, Math.floor(q.startIndex ?? 1));
  const count = Math.min(MAX_RESULTS, Math.max(0, Math.floor(q.count ?? MAX_RESULTS)));
  return { offset: start - 1, limit: count, startIndex: start };
}

function listResponse<T>(total: number, page: { startIndex: number }, resources: T[]) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: total,
    startIndex: page.startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

const uniqueness = (name: string) => (err: { code?: string }) => {
  if (err.code === '23505') throw new ScimError(409, `${name} is taken`, 'uniqueness');
  throw err;
};

function stringOf(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200)
    throw invalidValue(`${field}: a string of 1 to 200 characters`);
  return value.trim();
}

const optionalString = (value: unknown, field: string) =>
  value === undefined || value === null ? null : stringOf(value, field);

function membersOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((m) => {
    const v = (m as { value?: unknown } | null)?.value;
    if (typeof v !== 'string') throw invalidValue('members: each is { "value": id }');
    return v;
  });
}

/** The attributes of a User the hub keeps, checked (RFC 7643 §4.1). */
function readUser(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  const key = (name: string) => Object.keys(b).find((k) => k.toLowerCase() === name);
  const get = (name: string) => {
    const k = key(name);
    return k === undefined ? undefined : b[k];
  };
  const userName = stringOf(get('username'), 'userName');
  const active = get('active') === undefined ? true : scimBoolean(get('active'), 'active');
  const attributes = userAttributes(get('name'), get('displayname'), get('emails'));
  return {
    userName,
    active,
    externalId: optionalString(get('externalid'), 'externalId'),
    attributes,
  };
}

/** A Group's display name, directory id and members (RFC 7643 §4.2). */
function readGroup(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  const get = (name: string) => {
    const k = Object.keys(b).find((x) => x.toLowerCase() === name);
    return k === undefined ? undefined : b[k];
  };
  const members = get('members');
  return {
    displayName: stringOf(get('displayname'), 'displayName'),
    externalId: optionalString(get('externalid'), 'externalId'),
    members: members === undefined || members === null ? [] : membersOf(members),
  };
}

function userAttributes(name: unknown, displayName: unknown, emails: unknown) {
  const out: ScimUserAttributes = {};
  if (name && typeof name === 'object') {
    const n = name as Record<string, unknown>;
    const pick = (k: string) =>
      typeof n[k] === 'string' ? (n[k] as string).slice(0, 200) : undefined;
    out.name = Object.fromEntries(
      (['givenName', 'familyName', 'formatted'] as const)
        .map((k) => [k, pick(k)])
        .filter(([, v]) => v !== undefined),
    );
  }
  if (typeof displayName === 'string') out.displayName = displayName.slice(0, 200);
  if (Array.isArray(emails))
    out.emails = emails.slice(0, 10).flatMap((e) => {
      const x = e as Record<string, unknown>;
      return typeof x.value === 'string'
        ? [
            {
              value: x.value.slice(0, 320),
              ...(typeof x.type === 'string' ? { type: x.type.slice(0, 40) } : {}),
              ...(x.primary !== undefined
                ? { primary: scimBoolean(x.primary, 'emails.primary') }
                : {}),
            },
          ]
        : [];
    });
  return out;
}

function applyUserPath(
  change: {
    username?: string;
    externalId?: string | null;
    attributes: ScimUserAttributes;
    disabled?: boolean;
  },
  path: string,
  value: unknown,
  op: 'add' | 'replace' | 'remove',
) {
  const a = change.attributes;
  switch (path) {
    case 'active':
      if (op === 'remove') throw new ScimError(400, 'active cannot be removed', 'mutability');
      change.disabled = !scimBoolean(value, 'active');
      return;
    case 'username':
      if (op === 'remove') throw new ScimError(400, 'userName cannot be removed', 'mutability');
      change.username = stringOf(value, 'userName');
      return;
    case 'externalid':
      change.externalId = op === 'remove' ? null : stringOf(value, 'externalId');
      return;
    case 'displayname':
      if (op === 'remove') delete a.displayName;
      else a.displayName = stringOf(value, 'displayName');
      return;
    case 'name':
      if (op === 'remove') delete a.name;
      else a.name = userAttributes(value, undefined, undefined).name ?? {};
      return;
    case 'name.givenname':
    case 'name.familyname':
    case 'name.formatted': {
      const k = (
        {
          'name.givenname': 'givenName',
          'name.familyname': 'familyName',
          'name.formatted': 'formatted',
        } as const
      )[path];
      a.name = { ...a.name };
      if (op === 'remove') delete a.name[k];
      else a.name[k] = stringOf(value, path);
      return;
    }
    case 'emails':
      if (op === 'remove') delete a.emails;
      else
        a.emails = userAttributes(
          undefined,
          undefined,
          Array.isArray(value) ? value : [value],
        ).emails;
      return;
    default: {
      // Entra ID's `emails[type eq "work"].value`
      const m = /^emails\[type eq "([^"]+)"\]\.value$/.exec(path);
      if (m) {
        const others = (a.emails ?? []).filter((e) => e.type?.toLowerCase() !== m[1]);
        a.emails =
          op === 'remove' ? others : [...others, { value: stringOf(value, path), type: m[1] }];
        return;
      }
      // Attributes the hub does not keep (phone numbers, enterprise extension …) are accepted
      // and not stored, as RFC 7644 §3.5.2 lets a service provider ignore what it does not
      // support; a typo in a known one is an error above.
    }
  }
}
