import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { apiError } from '../http/errors.js';

export interface AttachmentLimits {
  maxBytes: number;
  /** Accepted MIME types, e.g. `image/png`, or a whole family as `image/*`. */
  types: readonly string[];
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Attachments on disk under `<data dir>/attachments`, each named by the SHA-256 of its
 * content: the same file uploaded twice is stored once, and no name a client sends ever
 * becomes part of a path, so there is nothing to traverse with.
 */
export class AttachmentStore {
  readonly dir: string;

  constructor(
    dataDir: string,
    private readonly limits: AttachmentLimits,
  ) {
    this.dir = path.join(dataDir, 'attachments');
  }

  accepts(mimeType: string): boolean {
    const type = mimeType.split(';')[0]!.trim().toLowerCase();
    return this.limits.types.some((allowed) =>
      allowed.endsWith('/*') ? type.startsWith(allowed.slice(0, -1)) : type === allowed,
    );
  }

  /** Streams the content to a temporary file, hashing it, then renames it into place. */
  async save(content: Readable, mimeType: string, declaredSize: number | undefined) {
    if (!this.accepts(mimeType)) {
      throw apiError(
        415,
        'BW_ERR_ATTACHMENT_TYPE',
        `attachments of type ${mimeType} are not accepted`,
        {
          field: 'content-type',
          accepted: this.limits.types,
        },
      );
    }
    const tooLarge = () =>
      apiError(
        413,
        'BW_ERR_ATTACHMENT_TOO_LARGE',
        `attachments may be at most ${this.limits.maxBytes} bytes`,
        {
          field: 'content-length',
        },
      );
    if (declaredSize !== undefined && declaredSize > this.limits.maxBytes) throw tooLarge();
    await fs.promises.mkdir(this.dir, { recursive: true });
    const temp = path.join(this.dir, `.upload-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const out = fs.createWriteStream(temp, { flags: 'wx', mode: 0o600 });
    try {
      for await (const chunk of content) {
        size += (chunk as Buffer).length;
        if (size > this.limits.maxBytes) throw tooLarge();
        hash.update(chunk as Buffer);
        if (!out.write(chunk))
          await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      await new Promise<void>((resolve, reject) =>
        out.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
      if (size === 0) throw apiError(400, 'BW_ERR_VALIDATION', 'an attachment cannot be empty');
      const sha256 = hash.digest('hex');
      await fs.promises.rename(temp, path.join(this.dir, sha256));
      return { sha256, size };
    } catch (err) {
      out.destroy();
      await fs.promises.rm(temp, { force: true });
      // A refused upload leaves the rest of the body unread: drop it rather than buffer it.
      content.resume();
      throw err;
    }
  }

  open(sha256: string): fs.ReadStream {
    if (!SHA256.test(sha256)) throw new Error(`not a content hash: ${sha256}`);
    return fs.createReadStream(path.join(this.dir, sha256));
  }
}
