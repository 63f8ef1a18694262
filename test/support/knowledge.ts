import { ApiClient } from './http.js';

/** A tenant of the knowledge base's tests: its editor (a support agent) and a requester. */
export interface KnowledgeTenant {
  id: string;
  branch: string;
  editor: ApiClient;
  requester: ApiClient;
  /** The editor's username (`<slug>-agent`). */
  agentName: string;
}

/**
 * Makes a tenant with a branch, a support agent who writes articles and a requester (a custom
 * role: published public articles, their tickets), both signed in, through `admin`'s API.
 */
export async function knowledgeTenant(
  admin: ApiClient,
  slug: string,
  password: string,
): Promise<KnowledgeTenant> {
  const { tenant } = await admin.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug,
    name: slug,
  });
  const { branch } = await admin.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: `${slug}-hq`,
    tenant: slug,
  });
  const { role } = await admin.post<{ role: { id: string } }>('/api/v1/roles', {
    name: `${slug}-requesters`,
    permissions: ['knowledge.read', 'tickets.read', 'tickets.write'],
    tenantId: tenant.id,
  });
  const user = (username: string, extra: Record<string, unknown>) =>
    admin.post('/api/v1/users', { username, password, tenantId: tenant.id, ...extra });
  await user(`${slug}-agent`, { role: 'support_agent' });
  await user(`${slug}-req`, { role: 'viewer', customRoleId: role.id });
  const client = async (username: string) => {
    const api = new ApiClient(admin.baseUrl);
    await api.login(username, password);
    return api;
  };
  return {
    id: tenant.id,
    branch: branch.id,
    editor: await client(`${slug}-agent`),
    requester: await client(`${slug}-req`),
    agentName: `${slug}-agent`,
  };
}

/**
 * The knowledge browser tests' people: tenant "Acme Retail" with its head office, Reza (a
 * support agent who writes articles) and Maryam (a requester of the head office), through
 * `admin`'s API. Returns the tenant's id.
 */
export async function acmeReaderAndEditor(admin: ApiClient, password: string): Promise<string> {
  const { tenant } = await admin.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug: 'acme',
    name: 'Acme Retail',
  });
  const { branch } = await admin.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'acme-hq',
    name: 'Head office',
    tenant: 'acme',
  });
  const user = (username: string, extra: Record<string, unknown>) =>
    admin.post('/api/v1/users', { username, password, tenantId: tenant.id, ...extra });
  await user('reza', { role: 'support_agent' });
  await user('maryam', { role: 'requester', branchIds: [branch.id] });
  return tenant.id;
}
