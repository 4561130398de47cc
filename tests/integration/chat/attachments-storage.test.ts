import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttachmentTooLargeError, storeAttachment } from '../../../src/modules/chat/attachments.storage';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gridline-att-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

const now = new Date('2026-11-23T02:00:00Z');
const chunks = (n: number, size: number) => Readable.from(Array.from({ length: n }, () => Buffer.alloc(size, 97)));

describe('storing a chat attachment', () => {
  it('writes it under DATA_DIR/attachments/<month>/ and returns the path relative to DATA_DIR', async () => {
    const stored = await storeAttachment({
      dataDir,
      key: 'default:m1',
      now,
      file: { stream: Readable.from([Buffer.from('photo')]), name: '../照片.png', mime: 'image/png', size: null },
      maxBytes: 100,
    });
    expect(stored).toEqual({ storagePath: join('attachments', '2026-11', 'default_m1-_照片.png'), sizeBytes: 5, mime: 'image/png', originalName: '../照片.png' });
    expect(await readFile(join(dataDir, stored.storagePath), 'utf8')).toBe('photo');
  });

  it('stops a stream of unknown size as soon as it passes the limit and leaves no partial file', async () => {
    await expect(
      storeAttachment({ dataDir, key: 'k', now, file: { stream: chunks(100, 1024), name: 'big.mp4', mime: null, size: null }, maxBytes: 10 * 1024 }),
    ).rejects.toBeInstanceOf(AttachmentTooLargeError);
    expect(await readdir(join(dataDir, 'attachments', '2026-11'))).toEqual([]);
  });

  it('refuses a file whose declared size is over the limit without reading it', async () => {
    const stream = chunks(1, 10);
    await expect(
      storeAttachment({ dataDir, key: 'k', now, file: { stream, name: 'big.pdf', mime: null, size: 11 }, maxBytes: 10 }),
    ).rejects.toBeInstanceOf(AttachmentTooLargeError);
    expect(stream.destroyed).toBe(true);
  });

  it('keeps a file of exactly the limit', async () => {
    const stored = await storeAttachment({ dataDir, key: 'k', now, file: { stream: chunks(2, 5), name: 'x.jpg', mime: null, size: null }, maxBytes: 10 });
    expect(stored.sizeBytes).toBe(10);
  });
});
