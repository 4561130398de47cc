import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { attachmentMime } from '../work-orders/rules/attachments.models';
import { safeFileName } from './intake.models';

/** Bytes kept from the start of a file to tell what it really is. */
const HEAD_BYTES = 16;

export class AttachmentTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`attachment larger than ${maxBytes} bytes`);
    this.name = 'AttachmentTooLargeError';
  }
}

export type StoredFile = { storagePath: string; sizeBytes: number; mime: string | null; originalName: string | null };

/**
 * Streams a chat file to DATA_DIR/attachments/<yyyy-mm>/<key>-<name>, stopping as soon as it passes `maxBytes`
 * (a partly written file is removed). The path stored is relative to DATA_DIR, so the directory can move. The
 * type kept is what the first bytes say, else the name (a silk voice note arrives as "application/unknown").
 */
export async function storeAttachment({
  dataDir,
  key,
  now,
  file,
  maxBytes,
}: {
  dataDir: string;
  key: string;
  now: Date;
  file: { stream: Readable; name: string | null; mime: string | null; size: number | null };
  maxBytes: number;
}): Promise<StoredFile> {
  if (file.size !== null && file.size > maxBytes) {
    file.stream.destroy();
    throw new AttachmentTooLargeError(maxBytes);
  }
  const month = now.toISOString().slice(0, 7);
  const relative = join('attachments', month, `${safeFileName(key, 'file')}-${safeFileName(file.name, 'file')}`);
  const absolute = resolve(dataDir, relative);
  await mkdir(resolve(dataDir, 'attachments', month), { recursive: true });
  let size = 0;
  let head = Buffer.alloc(0);
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
      size += chunk.length;
      if (size > maxBytes) callback(new AttachmentTooLargeError(maxBytes));
      else callback(null, chunk);
    },
  });
  try {
    await pipeline(file.stream, limit, createWriteStream(absolute));
  } catch (error) {
    await rm(absolute, { force: true });
    throw error;
  }
  return { storagePath: relative, sizeBytes: size, mime: attachmentMime({ name: file.name, declared: file.mime, head }), originalName: file.name };
}
