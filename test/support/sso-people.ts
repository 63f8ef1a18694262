import type { Database } from '@branchwatch/hub';
import type { ApiClient } from './http.js';
import type { CookieJar } from './oidc-provider.js';

/** A tenant with branches, made through the API as a global admin (the SSO tests' setting). */
export async function tenantWithBranches(api: ApiClient, slug: string, branches: string[]) {
  const { tenant } = await api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
    slug,
    name: slug.toUpperCase(),
  });
  const ids: string[] = [];
  for (const b of branches)
    ids.push(
      (await api.post<{ branch: { id: string } }>('/api/v1/branches', { slug: b, tenant: slug }))
        .branch.id,
    );
  return { id: tenant.id, branches: ids };
}

/** Who the browser's cookies sign in as (401: nobody). */
export async function whoIs(hubUrl: string, jar: CookieJar) {
  const res = await fetch(`${hubUrl}/api/v1/auth/me`, { headers: { cookie: jar.header() } });
  return { status: res.status, body: (await res.json()) as { user?: Record<string, unknown> } };
}

export async function userNamed(db: Database, username: string) {
  return (await db('users').where({ username }).first('id', 'role', 'tenant_id')) as
    { id: string; role: string; tenant_id: string } | undefined;
}

/** A user's branch scope, sorted (empty: the whole tenant). */
export async function branchesOf(db: Database, userId: string) {
  const rows = (await db('user_branches').where({ user_id: userId }).select('branch_id')) as {
    branch_id: string;
  }[];
  return rows.map((r) => r.branch_id).sort();
}
