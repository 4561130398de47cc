import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context';
import { type AuditEntry, writeAudit } from '../modules/audit/audit.usecases';
import { currentUser } from '../modules/auth/auth.guard';
import { consoleTexts } from '../i18n/zh-CN.console';
import { MAX_DB_INT } from '../shared/ids';
import { decodeCsvBytes } from '../shared/text/csv-decode';
import type { Flash } from './views/layout';
import { redirectWithFlash } from './views/page';

/** A urlencoded form body as strings (repeated fields keep their last value; `_csrf` is the guard's). */
export function formOf(request: FastifyRequest): Record<string, string> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    const value = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof value === 'string') out[k] = value;
  }
  return out;
}

/**
 * An optional integer field: '' → null, anything else that is not an integer the database can hold → NaN (the
 * caller refuses it).
 */
export function intField(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value.trim());
  return Number.isInteger(n) && Math.abs(n) <= MAX_DB_INT ? n : Number.NaN;
}

/** Audits a console action by the logged-in user, from this request's address. */
export function auditAction(ctx: AppContext, request: FastifyRequest, entry: Omit<AuditEntry, 'actorStaffId' | 'ip'>): Promise<void> {
  return writeAudit({
    db: ctx.db,
    now: ctx.clock.now(),
    entry: { ...entry, actorStaffId: currentUser(request).staffId, ip: request.ip },
  });
}

export function backWith(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, url: string, flash: Flash | Flash[]): FastifyReply {
  return redirectWithFlash(request, reply, url, flash, ctx.config.COOKIE_SECURE);
}

/**
 * The CSV text of an import form: the chosen file's bytes (base64 in `fileField`, put there by console.js)
 * decoded by their detected encoding, else the pasted text. An encoding that cannot be told comes back as the
 * message to show, never as mojibake.
 */
export function csvFromForm(form: Record<string, string>, { fileField, textField }: { fileField: string; textField: string }): { ok: true; text: string } | { ok: false; message: string } {
  const encoded = (form[fileField] ?? '').trim();
  if (!encoded) return { ok: true, text: form[textField] ?? '' };
  const decoded = decodeCsvBytes(new Uint8Array(Buffer.from(encoded, 'base64')));
  if (decoded.ok) return { ok: true, text: decoded.text };
  const m = consoleTexts.csvEncoding;
  const error = decoded.error;
  const message =
    error.kind === 'unsure' ? m.unsure(error.guess) : error.kind === 'undecodable' ? m.undecodable(error.encoding) : m.tooLarge(error.limit / (1024 * 1024));
  return { ok: false, message };
}
