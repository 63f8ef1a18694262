import { AsyncLocalStorage } from 'node:async_hooks';
import type { Knex } from 'knex';
import type { Database } from './database.js';

/** The PostgreSQL role API requests run as: no BYPASSRLS, not an owner (010-rls.ts). */
export const API_ROLE = 'bw_api';

/** Who a request runs for: the tenant and branch scope row-level security enforces. */
export interface DatabaseScope {
  tenantId: string | null;
  /** Empty: every branch of the tenant. */
  branchIds: readonly string[];
}

/**
 * Runs each API request in one transaction as `bw_api` with `app.tenant_id` and
 * `app.branch_ids` set, so PostgreSQL's row-level security holds even where code forgets a
 * tenant filter. Repositories keep their `db`: `scope.db` is a stand-in for the knex
 * instance that resolves, at each use, to the current request's transaction when there is
 * one (AsyncLocalStorage), and to the pool otherwise — background work (ingest, sweeps) runs
 * across tenants as the connecting role and is not filtered.
 */
export class RequestScope {
  private readonly storage = new AsyncLocalStorage<Knex.Transaction>();
  readonly db: Database;

  constructor(readonly root: Database) {
    this.db = new Proxy(root, {
      apply: (_target, thisArg, args) => Reflect.apply(this.current(), thisArg, args),
      get: (_target, prop) => {
        const target = this.current();
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** The request's transaction; the pool outside requests or once the transaction ended. */
  private current(): Database {
    const trx = this.storage.getStore();
    return trx && !trx.isCompleted() ? trx : this.root;
  }

  /** Runs `work` (the rest of the request) inside a scoped transaction. */
  run<T>(scope: DatabaseScope, work: () => Promise<T>): Promise<T> {
    return this.root.transaction(async (trx) => {
      // SET LOCAL: both end with the transaction, so a pooled connection never keeps them.
      await trx.raw(`SET LOCAL ROLE ${API_ROLE}`);
      await trx.raw(
        "SELECT set_config('app.tenant_id', ?, true), set_config('app.branch_ids', ?, true)",
        [scope.tenantId ?? '', scope.branchIds.join(',')],
      );
      return this.storage.run(trx, work);
    });
  }
}
