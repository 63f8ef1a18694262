import { AsyncResource } from 'node:async_hooks';
import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { Database } from '../db/database.js';

/** A chunk is one row: small enough to read and write in one short statement. */
export const CHUNK_BYTES = 256 * 1024;

/** Where a kind of file keeps its chunks: the table, and its column naming the file. */
export interface ChunkTable {
  table: string;
  owner: string;
}

/** Ticket attachments' chunks (migration 022). */
export const TICKET_CHUNKS: ChunkTable = {
  table: 'ticket_attachment_chunks',
  owner: 'attachment_id',
};

/**
 * Attachments' content in PostgreSQL, in chunks of CHUNK_BYTES (migration 022,
 * docs/decisions.md "Attachments in the database"): every hub process of a scale-out reaches
 * every file, and backups, row-level security and deletion treat them as any other row. Ticket
 * attachments and knowledge articles' files (migration 037) each have a chunk table of their
 * own, so each follows its owner's row-level security.
 */
export class AttachmentContentRepository {
  constructor(
    private readonly db: Database,
    private readonly chunks: ChunkTable = TICKET_CHUNKS,
  ) {}

  /**
   * Writes `content` as the attachment's chunks, on `trx` when given (the request's transaction
   * otherwise). Returns the bytes written.
   */
  async write(
    attachmentId: string,
    content: AsyncIterable<Buffer | Uint8Array>,
    trx?: Knex.Transaction,
  ): Promise<number> {
    const db = trx ?? this.db;
    let seq = 0;
    let total = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (all: boolean) => {
      while (pendingBytes >= CHUNK_BYTES || (all && pendingBytes > 0)) {
        const joined = Buffer.concat(pending, pendingBytes);
        const data = joined.subarray(0, CHUNK_BYTES);
        await db(this.chunks.table).insert({
          [this.chunks.owner]: attachmentId,
          seq: seq++,
          data,
        });
        const rest = joined.subarray(data.length);
        pending = rest.length > 0 ? [rest] : [];
        pendingBytes = rest.length;
      }
    };
    for await (const piece of content) {
      const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
      pending.push(buffer);
      pendingBytes += buffer.length;
      total += buffer.length;
      if (pendingBytes >= CHUNK_BYTES) await flush(false);
    }
    await flush(true);
    return total;
  }

  async hasContent(attachmentId: string): Promise<boolean> {
    const row = await this.db(this.chunks.table)
      .where({ [this.chunks.owner]: attachmentId, seq: 0 })
      .first('seq');
    return row !== undefined;
  }

  /**
   * The content as a stream that reads one chunk per statement as the client takes it: a slow
   * download holds no connection between chunks. The statements run in the async context of
   * the caller, so a download's reads stay on the API pool once its transaction has ended
   * (db/request-scope.ts); the attachment's visibility was checked under row-level security
   * before, in that transaction.
   */
  reader(attachmentId: string): Readable {
    const { table, owner } = this.chunks;
    const chunk = AsyncResource.bind(async (seq: number) => {
      const row = (await this.db(table)
        .where({ [owner]: attachmentId, seq })
        .first('data')) as { data: Buffer } | undefined;
      return row?.data;
    });
    let seq = 0;
    return new Readable({
      read() {
        // A client that hung up destroys the stream (Koa's pipeline): the chunk asked for
        // before that is dropped and no further one is read.
        chunk(seq++).then(
          (data) => {
            if (!this.destroyed) this.push(data ?? null);
          },
          (err: Error) => this.destroy(err),
        );
      },
    });
  }

  /** Ticket attachments recorded without content: files an older hub kept on disk. */
  async withoutContent(): Promise<{ id: string; sha256: string; size: number }[]> {
    const rows = (await this.db('ticket_attachments as a')
      .whereNotExists((q) =>
        q
          .select(this.db.raw('1'))
          .from('ticket_attachment_chunks as c')
          .whereRaw('c.attachment_id = a.id'),
      )
      .select('a.id', 'a.sha256', 'a.size')) as { id: string; sha256: string; size: string }[];
    return rows.map((r) => ({ id: r.id, sha256: r.sha256, size: Number(r.size) }));
  }

  /**
   * Writes the content of an attachment that has none yet, in a transaction of its own that
   * locks the attachment: two hub processes importing at once write it once. False when it had
   * content already (or is gone).
   */
  async importContent(
    attachmentId: string,
    content: () => AsyncIterable<Buffer | Uint8Array>,
  ): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const row = await trx('ticket_attachments')
        .where({ id: attachmentId })
        .forUpdate()
        .first('id');
      if (!row) return false;
      const present = await trx('ticket_attachment_chunks')
        .where({ attachment_id: attachmentId })
        .first('seq');
      if (present) return false;
      await this.write(attachmentId, content(), trx);
      return true;
    });
  }
}
