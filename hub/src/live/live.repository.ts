import pg from 'pg';
import type { Database } from '../db/database.js';

/** The PostgreSQL channel every hub process LISTENs on and NOTIFYs to. */
export const LIVE_CHANNEL = 'bw_live';

/** Sends notifications and answers the few look-ups the live feed needs. */
export class LiveRepository {
  constructor(private readonly db: Database) {}

  /** PostgreSQL delivers it to every listening session, this process's own included. */
  async notify(payload: string): Promise<void> {
    await this.db.raw('SELECT pg_notify(?, ?)', [LIVE_CHANNEL, payload]);
  }

  /** Several notifications in one statement, in order. */
  async notifyAll(payloads: string[]): Promise<void> {
    if (payloads.length === 0) return;
    await this.db.raw(
      'SELECT pg_notify(?, p) FROM unnest(?::text[]) WITH ORDINALITY AS n(p, i) ORDER BY i',
      [LIVE_CHANNEL, payloads],
    );
  }

  async placeOfAgent(agentId: string): Promise<{ tenantId: string; branchId: string } | undefined> {
    const row = await this.db('agents')
      .where('id', agentId)
      .first<{ tenant_id: string; branch_id: string }>('tenant_id', 'branch_id');
    return row && { tenantId: row.tenant_id, branchId: row.branch_id };
  }

  async branchOfTicket(ticketId: string): Promise<string | null | undefined> {
    const row = await this.db('tickets')
      .where('id', ticketId)
      .first<{ branch_id: string | null }>('branch_id');
    return row?.branch_id;
  }
}

/**
 * A dedicated connection that LISTENs: a pooled connection cannot, since LISTEN belongs to a
 * session and the pool hands sessions out to anyone (PostgreSQL docs, "LISTEN").
 */
export async function listen(
  url: string,
  onPayload: (payload: string) => void,
  onError: (err: Error) => void,
): Promise<{ close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', onError);
  client.on('notification', (n) => {
    if (n.channel === LIVE_CHANNEL && n.payload) onPayload(n.payload);
  });
  await client.connect();
  await client.query(`LISTEN ${LIVE_CHANNEL}`);
  return { close: () => client.end() };
}
