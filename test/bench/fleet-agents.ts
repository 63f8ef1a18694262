/**
 * The simulated agents of bench:fleet and bench:people: written straight into the database (one
 * secret hash shared by all: creating 10,000 through the API would hash 10,000 times before the
 * run starts), each in a branch of its own in the default tenant.
 */
import { hashAgentSecret } from '../../hub/src/identity/agent-secret.js';
import { hashPassword } from '../../hub/src/identity/password.js';
import type { BenchHub } from './hub-bench.js';

export const PASSWORD = 'fleet-bench-agent-password';

export interface Address {
  tenant: string;
  branch: string;
  agent: string;
}
export const addressOf = (i: number): Address => ({
  tenant: 'default',
  branch: `fleet-${i}`,
  agent: `srv-${i}`,
});
export const usernameOf = (a: Address) => `${a.tenant}.${a.branch}.${a.agent}`;

export async function createAgents(db: BenchHub['db'], n: number, hashing: 'keyed' | 'argon2id') {
  const hash = hashing === 'argon2id' ? await hashPassword(PASSWORD) : hashAgentSecret(PASSWORD);
  const tenant = (await db('tenants').where({ slug: 'default' }).first('id')) as { id: string };
  for (let from = 0; from < n; from += 1000) {
    const ids = Array.from({ length: Math.min(1000, n - from) }, (_, k) => from + k);
    const branches = (await db('branches')
      .insert(
        ids.map((i) => ({ tenant_id: tenant.id, slug: addressOf(i).branch, name: `Fleet ${i}` })),
      )
      .returning(['id', 'slug'])) as { id: string; slug: string }[];
    const branchOf = new Map(branches.map((b) => [b.slug, b.id]));
    await db('agents').insert(
      ids.map((i) => {
        const a = addressOf(i);
        return {
          tenant_id: tenant.id,
          branch_id: branchOf.get(a.branch),
          slug: a.agent,
          name: a.agent,
          username: usernameOf(a),
          password_hash: hash,
        };
      }),
    );
  }
}
