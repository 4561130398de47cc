import type {} from '@fastify/multipart';
import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { residentWebTexts } from '../../i18n/zh-CN.resident-web';
import { cleanInput } from '../../shared/text/normalize';
import { sniffMediaType } from '../work-orders/rules/attachments.models';
import { AttachmentTooLargeError, storeAttachment } from '../chat/attachments.storage';
import { WEB_PHOTO_TYPES, type WebPhoto } from './resident-web.models';
import { WebPageError } from './resident-web.errors';

const e = residentWebTexts.errors;

export type ParsedForm = { fields: Record<string, string>; photos: WebPhoto[] };

/** What a multipart form may carry: its text fields and how many photos of which size. */
export type UploadBounds = { maxPhotos: number; maxBytes: number };

async function headOf(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(16);
    const { bytesRead } = await handle.read(buffer, 0, 16, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Removes photos saved for a form that was then refused (nothing refused is kept on disk). */
export async function discardPhotos(dataDir: string, photos: readonly WebPhoto[]): Promise<void> {
  await Promise.all(photos.map((p) => rm(resolve(dataDir, p.storagePath), { force: true })));
}

/**
 * Reads a multipart form: text fields cleaned like every other body, photos streamed to DATA_DIR/attachments
 * (as chat files are) with the size limit enforced while streaming, then kept only when their first bytes say
 * JPEG, PNG, WEBP or GIF — whatever name or type the browser gave. Any refusal removes what was saved and
 * throws a WebPageError with the fields read so far (the form is shown again with them).
 */
export async function readReportForm(
  request: FastifyRequest,
  { dataDir, now, bounds }: { dataDir: string; now: Date; bounds: UploadBounds },
): Promise<ParsedForm> {
  const fields: Record<string, string> = {};
  const photos: WebPhoto[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = cleanInput(part.value);
        continue;
      }
      // A file input left empty still sends a part, with no name and no bytes.
      if (!part.filename) {
        part.file.resume();
        continue;
      }
      if (photos.length >= bounds.maxPhotos) {
        part.file.resume();
        throw new WebPageError(400, e.tooManyPhotos(bounds.maxPhotos));
      }
      const key = `web-${now.getTime()}-${randomBytes(6).toString('hex')}`;
      const stored = await storeAttachment({
        dataDir,
        key,
        now,
        file: { stream: part.file, name: part.filename, mime: part.mimetype, size: null },
        maxBytes: bounds.maxBytes,
      });
      if (part.file.truncated) {
        await rm(resolve(dataDir, stored.storagePath), { force: true });
        throw new AttachmentTooLargeError(bounds.maxBytes);
      }
      const sniffed = sniffMediaType(await headOf(resolve(dataDir, stored.storagePath)));
      if (stored.sizeBytes === 0 || !sniffed || !WEB_PHOTO_TYPES.has(sniffed)) {
        await rm(resolve(dataDir, stored.storagePath), { force: true });
        throw new WebPageError(400, e.photoType);
      }
      photos.push({ storagePath: stored.storagePath, sizeBytes: stored.sizeBytes, mime: sniffed, originalName: stored.originalName });
    }
  } catch (error) {
    await discardPhotos(dataDir, photos);
    if (error instanceof WebPageError) throw error.withFields(fields);
    if (error instanceof AttachmentTooLargeError || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new WebPageError(413, e.photoTooLarge(Math.floor(bounds.maxBytes / 1024 / 1024))).withFields(fields);
    }
    if ((error as { code?: string }).code === 'FST_FILES_LIMIT') throw new WebPageError(400, e.tooManyPhotos(bounds.maxPhotos)).withFields(fields);
    const code = (error as { code?: string }).code;
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PROTO_VIOLATION') {
      throw new WebPageError(400, e.badForm).withFields(fields);
    }
    throw error;
  }
  return { fields, photos };
}
