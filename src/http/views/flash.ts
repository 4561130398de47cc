import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Flash } from './layout';

const FLASH_COOKIE = 'gl_flash';

/** Whether cookies get `Secure`: COOKIE_SECURE when set, else whether the request came over https (X-Forwarded-Proto counts only from a proxy TRUST_PROXY names). */
export function cookieSecure(request: FastifyRequest, configured: boolean | undefined): boolean {
  return configured ?? request.protocol === 'https';
}

/** A message for the next page (after a redirect), in a short-lived signed cookie. */
export function setFlash(reply: FastifyReply, flash: Flash | Flash[], secure = false): FastifyReply {
  const list = Array.isArray(flash) ? flash : [flash];
  return reply.setCookie(FLASH_COOKIE, Buffer.from(JSON.stringify(list)).toString('base64url'), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    signed: true,
    maxAge: 60,
  });
}

/** Reads and clears the flash messages of this request. */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash[] {
  const cookie = request.cookies?.[FLASH_COOKIE];
  if (!cookie) return [];
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
  const unsigned = request.unsignCookie(cookie);
  if (!unsigned.valid || !unsigned.value) return [];
  try {
    const parsed = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (f): f is Flash =>
        typeof f === 'object' && f !== null && ['ok', 'error', 'info'].includes((f as Flash).kind) && typeof (f as Flash).text === 'string',
    );
  } catch {
    return [];
  }
}
