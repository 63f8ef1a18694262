import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { apiError } from '../http/errors.js';
import type { AttachmentContentRepository } from './attachment-content.repository.js';

export interface AttachmentLimits {
  maxBytes: number;
  /** Accepted MIME types, e.g. `image/png`, or a whole family as `image/*`. */
  types: readonly string[];
}

/**
 * An uploaded file that can be read from its start more than once: it is measured and hashed,
 * then stored. An upload's body is a file received before the request's transaction began
 * (http/staged-upload.ts); a mail's attachment is in memory.
 */
export interface AttachmentSource {
  open(): Readable;
  /** The size the sender announced, refused early when it is over the bound. */
  declaredSize?: number | undefined;
}

/**
 * Ticket attachments: what is accepted (type, size, not empty), and the content, kept in
 * PostgreSQL where every hub process reaches it (attachment-content.repository.ts). No name a
 * client sends ever becomes part of a path.
 */
export class AttachmentStore {
  constructor(
    private readonly content: AttachmentContentRepository,
    private readonly limits: AttachmentLimits,
  ) {}

  accepts(mimeType: string): boolean {
    const type = mimeType.split(';')[0]!.trim().toLowerCase();
    return this.limits.types.some((allowed) =>
      allowed.endsWith('/*') ? type.startsWith(allowed.slice(0, -1)) : type === allowed,
    );
  }

  /** Checks type and size and hashes the content (SHA-256, kept with the attachment). */
  async measure(source: AttachmentSource, mimeType: string) {
    if (!this.accepts(mimeType)) {
      throw apiError(
        415,
        'BW_ERR_ATTACHMENT_TYPE',
        `attachments of type ${mimeType} are not accepted`,
        { field: 'content-type', accepted: this.limits.types },
      );
    }
    const tooLarge = () =>
      apiError(
        413,
        'BW_ERR_ATTACHMENT_TOO_LARGE',
        `attachments may be at most ${this.limits.maxBytes} bytes`,
        { field: 'content-length' },
      );
    if (source.declaredSize !== undefined && source.declaredSize > this.limits.maxBytes) {
      throw tooLarge();
    }
    const hash = createHash('sha256');
    let size = 0;
    const stream = source.open();
    try {
      for await (const chunk of stream) {
        size += (chunk as Buffer).length;
        if (size > this.limits.maxBytes) throw tooLarge();
        hash.update(chunk as Buffer);
      }
    } finally {
      stream.destroy();
    }
    if (size === 0) throw apiError(400, 'BW_ERR_VALIDATION', 'an attachment cannot be empty');
    return { sha256: hash.digest('hex'), size };
  }

  /** Stores the content of a recorded attachment; it must be what was measured. */
  async write(attachmentId: string, source: AttachmentSource, size: number): Promise<void> {
    const written = await this.content.write(attachmentId, source.open());
    if (written !== size) {
      throw new Error(
        `attachment ${attachmentId} changed while stored: ${written} of ${size} bytes`,
      );
    }
  }

  /** The content, or undefined when it is not in the database (an older hub's file). */
  async open(attachmentId: string): Promise<Readable | undefined> {
    if (!(await this.content.hasContent(attachmentId))) return undefined;
    return this.content.reader(attachmentId);
  }
}
