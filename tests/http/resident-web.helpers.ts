import type { FastifyInstance } from 'fastify';
import { resolveSessionSecret } from '../../src/modules/auth/session-secret';
import { gridToken, residentWebKey } from '../../src/modules/resident-web/resident-web.tokens';
import { demoBoundary } from '../../src/seed/demo-district';
import type { TestContext } from '../helpers/context';

/** The smallest valid PNG (1×1), and a JPEG's first bytes: what a phone's camera sends, as far as the sniffing goes. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]), Buffer.alloc(200, 1)]);

export type Part = { name: string; value: string } | { name: string; filename: string; type: string; data: Buffer };

/** A multipart/form-data body as a browser sends it. */
export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----gridlineTestBoundary7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('filename' in p) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`));
      chunks.push(p.data, Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export function keyOf(t: TestContext): Buffer {
  return residentWebKey(resolveSessionSecret(t.config));
}

export async function posterPath(t: TestContext, code: string): Promise<string> {
  return `/r/${gridToken(keyOf(t), await t.gridId(code))}`;
}

/** The middle of a demo grid's boundary (WGS-84). */
export function centreOf(code: string): { lat: number; lng: number } {
  const ring = demoBoundary(code)!.coordinates[0]!;
  return { lat: (ring[0]![1]! + ring[2]![1]!) / 2, lng: (ring[0]![0]! + ring[2]![0]!) / 2 };
}

/** Sends the report form from an address, as a phone's browser does (same-origin). */
export function report(
  app: FastifyInstance,
  path: string,
  fields: Record<string, string>,
  { files = [], ip = '203.0.113.7', headers = {} }: { files?: { filename: string; type: string; data: Buffer }[]; ip?: string; headers?: Record<string, string> } = {},
) {
  const body = multipart([...Object.entries(fields).map(([name, value]) => ({ name, value })), ...files.map((f) => ({ name: 'photos', ...f }))]);
  return app.inject({ method: 'POST', url: path, payload: body.payload, headers: { ...body.headers, 'sec-fetch-site': 'same-origin', ...headers }, remoteAddress: ip });
}

export function postForm(app: FastifyInstance, url: string, fields: Record<string, string>, ip = '203.0.113.7') {
  return app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    remoteAddress: ip,
  });
}

/** The tracking path a filed report redirected to (without the query string). */
export function trackingPath(location: string | undefined): string {
  if (!location) throw new Error('no redirect');
  return location.replace(/\?.*$/, '');
}
