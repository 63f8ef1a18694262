import { AsyncLocalStorage } from 'node:async_hooks';

/** Who the current API request acts for, as the audit log names them. */
export interface RequestActor {
  id: string;
  username: string;
  tenantId: string | null;
  ip: string | null;
}

const storage = new AsyncLocalStorage<RequestActor>();

/**
 * The acting user of an API request, set once by identity/access.ts: services whose methods
 * take no user (SLA policies and calendars) still audit who changed what. Outside a request
 * (background work, commands) there is none and the audit entry names the system.
 */
export const requestActor = {
  run<T>(actor: RequestActor, work: () => Promise<T>): Promise<T> {
    return storage.run(actor, work);
  },
  current(): RequestActor | undefined {
    return storage.getStore();
  },
};
