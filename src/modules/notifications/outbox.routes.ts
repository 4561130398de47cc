import { and, eq, inArray, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { AppContext } from '../../app-context';
import type { HttpPlugin } from '../../http/app';
import { auditAction, backWith } from '../../http/console-helpers';
import { html, raw } from '../../http/views/html';
import { csrfField } from '../../http/views/layout';
import { sendNotFound, sendPage } from '../../http/views/page';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { excerpt, formatDateTime } from '../../i18n/format';
import { currentUser, requireStaff } from '../auth/auth.guard';
import { workOrders } from '../work-orders/work-orders.table';
import { countOutboxByStatus, listDeadLetters, retryDeadLetter } from './outbox.repository';
import { outbox } from './outbox.table';
import { parseDbId } from '../../shared/ids';

const t = consoleTexts.outbox;
const tb = consoleTexts.bot;

/**
 * The bot's connection as the console shows it. Structurally the same as bots/bot-status.ts's snapshot (src/
 * may not import bots/): main.ts passes `botStatus` on the context when the bot runs in this process.
 */
export type ConsoleBotStatus = {
  state: 'starting' | 'scan' | 'online' | 'offline';
  qrcode?: string;
  user?: string;
  since: Date;
  puppet: string;
  lastError?: string;
};

export type BotStatusContext = { botStatus?: () => ConsoleBotStatus | undefined };

const STATE_BADGE: Record<ConsoleBotStatus['state'], string> = { starting: 'submitted', scan: 'submitted', online: 'online', offline: 'offline' };

function readBotStatus(ctx: AppContext): ConsoleBotStatus | undefined {
  try {
    return (ctx as AppContext & BotStatusContext).botStatus?.();
  } catch {
    return undefined;
  }
}

/** The outbox's dead letters with retry, and the bot's status (admins only). */
export const outboxRoutes: HttpPlugin = async (app, { ctx }) => {
  const guard = requireStaff({ ctx, roles: ['admin'] });

  const countsBlock = (counts: Record<string, number>) =>
    html`<p class="card">${Object.entries(counts).map(
      ([status, n]) => html`<span class="badge ${status === 'dead' && n > 0 ? 'dead' : ''}">${t.counts[status] ?? status} ${n}</span> `,
    )}</p>`;

  app.get('/console/outbox', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const [counts, dead] = await Promise.all([countOutboxByStatus({ db: ctx.db }), listDeadLetters({ db: ctx.db, limit: 200 })]);
    const orderNos = new Map(
      (dead.some((d) => d.orderId)
        ? await ctx.db.select({ id: workOrders.id, no: workOrders.no }).from(workOrders).where(inArray(workOrders.id, dead.flatMap((d) => (d.orderId ? [d.orderId] : []))))
        : []
      ).map((o) => [o.id, o.no]),
    );
    const col = t.columns;
    return sendPage(request, reply, {
      title: t.title,
      active: 'outbox',
      body: html`${countsBlock(counts)}
<h2>${t.dead}</h2>
<p class="muted small">${t.deadHint}</p>
${dead.length === 0 ? html`<p class="card">${t.none}</p>` : ''}
${dead.length
  ? html`<div class="table-wrap"><table class="responsive">
<thead><tr><th>${col.id}</th><th>${col.to}</th><th>${col.kind}</th><th>${col.text}</th><th>${col.order}</th><th class="num">${col.attempts}</th><th>${col.error}</th><th>${col.createdAt}</th><th></th></tr></thead>
<tbody>${dead.map((d) => {
      const no = d.orderId ? orderNos.get(d.orderId) : undefined;
      return html`<tr data-outbox="${d.id}">
  <td data-label="${col.id}">${d.id}</td>
  <td data-label="${col.to}">${t.recipients[d.recipientType] ?? d.recipientType} ${d.staffName ?? d.residentName ?? ''} ${d.groupTopic ? html`<span class="muted small">${d.groupTopic}</span>` : ''}</td>
  <td data-label="${col.kind}">${d.kind}</td>
  <td data-label="${col.text}">${excerpt(d.text, 80)}</td>
  <td data-label="${col.order}">${no ? html`<a href="/console/orders/${no}">#${no}</a>` : ''}</td>
  <td data-label="${col.attempts}" class="num">${d.attempts}</td>
  <td data-label="${col.error}" class="small">${d.lastError ?? ''}</td>
  <td data-label="${col.createdAt}">${formatDateTime(d.createdAt)}</td>
  <td><form method="post" action="/console/outbox/${d.id}/retry" class="inline">${csrfField(user)}<button type="submit">${t.retry}</button></form></td>
</tr>`;
    })}</tbody></table></div>`
  : ''}`,
    });
  });

  app.post<{ Params: { id: string } }>('/console/outbox/:id/retry', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    if (id === undefined) return sendNotFound(request, reply);
    const ok = await retryDeadLetter({ db: ctx.db, id, now: ctx.clock.now() });
    if (!ok) return backWith(ctx, request, reply, '/console/outbox', { kind: 'error', text: t.notDead });
    await auditAction(ctx, request, { action: 'outbox.retry', targetType: 'outbox', targetId: id });
    return backWith(ctx, request, reply, '/console/outbox', { kind: 'ok', text: t.retried(id) });
  });

  app.get('/console/bot', { preHandler: guard }, async (request, reply) => {
    const status = readBotStatus(ctx);
    const [counts, [last]] = await Promise.all([
      countOutboxByStatus({ db: ctx.db, botAccount: ctx.config.BOT_ACCOUNT }),
      ctx.db
        .select({
          lastSent: sql<string | null>`max(${outbox.sentAt})`,
          oldestPending: sql<string | null>`min(${outbox.createdAt}) filter (where ${outbox.status} in ('pending', 'sending'))`,
        })
        .from(outbox)
        .where(and(eq(outbox.botAccount, ctx.config.BOT_ACCOUNT))),
    ]);
    // The QR code is drawn here as SVG (no CDN, no image service); its markup comes from the qrcode package.
    const qr = status?.state === 'scan' && status.qrcode ? await QRCode.toString(status.qrcode, { type: 'svg', margin: 1, width: 240 }) : null;
    const toDate = (v: string | Date | null | undefined) => (v ? new Date(v) : null);
    return sendPage(request, reply, {
      title: tb.title,
      active: 'bot',
      body: html`
<section class="card" id="bot-status">
  ${status
    ? html`<p><span class="badge ${STATE_BADGE[status.state]}">${tb.states[status.state] ?? status.state}</span></p>
  <dl class="facts">
    ${status.user ? html`<dt>${tb.user}</dt><dd>${status.user}</dd>` : ''}
    <dt>${tb.since}</dt><dd>${formatDateTime(status.since)}</dd>
    <dt>${tb.puppet}</dt><dd>${status.puppet}</dd>
    ${status.lastError ? html`<dt>${tb.lastError}</dt><dd class="errors">${status.lastError}</dd>` : ''}
  </dl>
  ${qr ? html`<p>${tb.scan}</p><div class="qr">${raw(qr)}</div>` : ''}`
    : html`<p class="muted">${tb.unknown}</p>`}
</section>
<h2>${tb.queue}（${ctx.config.BOT_ACCOUNT}）</h2>
${countsBlock(counts)}
<dl class="facts card">
  <dt>${tb.lastSent}</dt><dd>${formatDateTime(toDate(last?.lastSent))}</dd>
  <dt>${tb.oldestPending}</dt><dd>${formatDateTime(toDate(last?.oldestPending))}</dd>
</dl>`,
    });
  });
};
