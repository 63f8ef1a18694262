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
  /** Set for the whole of an API request, also outside its transaction (sign-in, uploads). */
  private readonly requests = new AsyncLocalStorage<true>();
  readonly db: Database;

  /**
   * `root` is the pool of ingest and background work; `api`, when given, the pool API requests
   * use, inside their transaction and out of it, so that they can never take the connections
   * ingest needs (database.ts, connectApiDatabase).
   */
  constructor(
    readonly root: Database,
    private readonly api: Database = root,
  ) {
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
    if (trx && !trx.isCompleted()) return trx;
    return this.requests.getStore() ? this.api : this.root;
  }

  /** Runs an API request (all of it) on the API pool. */
  request<T>(work: () => Promise<T>): Promise<T> {
    return this.requests.run(true, work);
  }

  /**
   * Runs `work` (the rest of the request) inside a scoped transaction. `scope` may be found on
   * the transaction's own connection first (the user's access: access.ts), before its role
   * changes, so that a request waits for one connection of the pool rather than two.
   */
  run<T>(
    scope: DatabaseScope | (() => Promise<DatabaseScope>),
    work: () => Promise<T>,
  ): Promise<T> {
    return this.api.transaction((trx) =>
      this.storage.run(trx, async () => {
        const { tenantId, branchIds } = typeof scope === 'function' ? await scope() : scope;
        // The role as a setting (what SET LOCAL ROLE does), with the scope, in one statement;
        // `true`: all three end with the transaction, so a pooled connection never keeps them.
        await trx.raw(
          `SELECT set_config('role', ?, true), set_config('app.tenant_id', ?, true),
                  set_config('app.branch_ids', ?, true)`,
          [API_ROLE, tenantId ?? '', branchIds.join(',')],
        );
        return work();
      }),
    );
  }
}
