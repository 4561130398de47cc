import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Whether a browser says this request comes from another site. Browsers send Sec-Fetch-Site (all current ones)
 * and Origin (on every POST); a client that sends neither (curl, a server) is not a browser a stranger's page
 * can drive, so it is not refused here: the session's CSRF token (console) or the content type (simulator)
 * still stands in its way. `host` is the Host the request was sent to (X-Forwarded-Host only from a trusted
 * proxy).
 */
export function isCrossSite({
  secFetchSite,
  origin,
  host,
  publicOrigin,
}: {
  secFetchSite?: string;
  origin?: string;
  host: string;
  /** PUBLIC_URL's origin: what browsers see when a proxy in front rewrites the Host header. */
  publicOrigin?: string;
}): boolean {
  // A browser's own verdict, which no page can forge; it also holds behind a proxy that rewrites Host.
  if (secFetchSite !== undefined) return secFetchSite !== 'same-origin' && secFetchSite !== 'none';
  if (origin === undefined) return false;
  if (publicOrigin !== undefined && origin === publicOrigin) return false;
  // "null" is what a sandboxed frame, a data: URL or a cross-site redirect sends: never this site.
  if (origin === 'null') return true;
  try {
    // Both through URL, so a default port (":80" in one, absent in the other) does not make a difference.
    const from = new URL(origin);
    return from.host !== new URL(`${from.protocol}//${host}`).host;
  } catch {
    return true;
  }
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
};

export function requestIsCrossSite(request: FastifyRequest, publicUrl?: string): boolean {
  return isCrossSite({
    secFetchSite: header(request, 'sec-fetch-site'),
    origin: header(request, 'origin'),
    host: request.host,
    publicOrigin: publicUrl ? new URL(publicUrl).origin : undefined,
  });
}

export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The JSON answer to a refused cross-site request. */
export function refuseCrossSite(reply: FastifyReply) {
  return reply.status(403).send({ error: 'CROSS_SITE', message: 'cross-site request refused' });
}
