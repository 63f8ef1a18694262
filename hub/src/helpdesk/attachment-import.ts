import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import type { AttachmentContentRepository } from './attachment-content.repository.js';

/** Where hubs before migration 022 kept attachments, each file named by its SHA-256. */
export const ATTACHMENT_FILES_DIR = 'attachments';
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Moves the files an older hub kept under `<data dir>/attachments` into the database, at
 * start: each attachment recorded without content gets the file named by its hash, checked
 * against that hash, in a transaction of its own; a file is removed once every attachment of
 * it is in the database, and the folder once it is empty. A file that is missing or does not
 * match is logged and left; its attachment answers 409 until it is there (a restored
 * backup's files, or the data folder of another hub process, which moves them when it starts).
 */
export async function importAttachmentFiles(
  content: AttachmentContentRepository,
  dataDir: string,
  logger: Logger,
): Promise<{ moved: number; missing: number }> {
  const dir = path.join(dataDir, ATTACHMENT_FILES_DIR);
  const waiting = await content.withoutContent();
  if (waiting.length === 0 || !existsSync(dir)) {
    if (waiting.length > 0) {
      logger.warn(
        { attachments: waiting.length, dir },
        'attachments have no content in the database and no file here to move in',
      );
    }
    return { moved: 0, missing: waiting.length };
  }
  let moved = 0;
  const missing: string[] = [];
  const done = new Set<string>();
  const left = new Set<string>();
  for (const attachment of waiting) {
    const file = path.join(dir, attachment.sha256);
    if (!SHA256.test(attachment.sha256) || !existsSync(file)) {
      missing.push(attachment.id);
      continue;
    }
    if (!done.has(attachment.sha256) && !(await matches(file, attachment.sha256))) {
      logger.error({ attachment: attachment.id, file }, 'attachment file does not match its hash');
      missing.push(attachment.id);
      left.add(attachment.sha256);
      continue;
    }
    done.add(attachment.sha256);
    if (await content.importContent(attachment.id, () => createReadStream(file))) moved++;
  }
  for (const sha256 of done) {
    if (!left.has(sha256)) await fs.rm(path.join(dir, sha256), { force: true });
  }
  if ((await fs.readdir(dir)).length === 0) await fs.rmdir(dir);
  logger.info({ moved, missing: missing.length, dir }, 'attachment files moved into the database');
  return { moved, missing: missing.length };
}

async function matches(file: string, sha256: string): Promise<boolean> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex') === sha256;
}
