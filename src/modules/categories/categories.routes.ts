import { asc, eq } from 'drizzle-orm';
import type { HttpPlugin } from '../../http/app';
import { auditAction, backWith, formOf, intField } from '../../http/console-helpers';
import { type SafeHtml, html } from '../../http/views/html';
import { csrfField } from '../../http/views/layout';
import { sendNotFound, sendPage } from '../../http/views/page';
import { URGENCY_LABELS } from '../../i18n/zh-CN';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { currentUser, requireStaff } from '../auth/auth.guard';
import { categories, categoryKindEnum } from './categories.table';
import { parseDbId } from '../../shared/ids';

const t = consoleTexts.categories;
const c = consoleTexts.common;
type Category = typeof categories.$inferSelect;
type Kind = (typeof categoryKindEnum.enumValues)[number];

/** Keywords as admins type them: commas (either width), 、 or spaces. */
export function parseKeywords(text: string): string[] {
  return [...new Set(text.split(/[,，、\s]+/).map((k) => k.trim()).filter(Boolean))].slice(0, 200);
}

type CategoryForm = {
  name: string;
  kind: Kind;
  keywords: string[];
  defaultUrgency: 'normal' | 'urgent';
  limitWorkingDays: number;
  urgentLimitHours: number;
  active: boolean;
  sort: number;
};

function readForm(form: Record<string, string>): { ok: true; value: CategoryForm } | { ok: false; message: string } {
  const name = (form.name ?? '').trim();
  if (!name || [...name].length > 20) return { ok: false, message: t.errors.name };
  const kind = form.kind as Kind;
  if (!categoryKindEnum.enumValues.includes(kind)) return { ok: false, message: t.errors.kind };
  const days = intField(form.limitWorkingDays);
  if (days === null || !(days >= 1 && days <= 60)) return { ok: false, message: t.errors.days };
  const hours = intField(form.urgentLimitHours);
  if (hours === null || !(hours >= 1 && hours <= 72)) return { ok: false, message: t.errors.hours };
  const sort = intField(form.sort);
  return {
    ok: true,
    value: {
      name,
      kind,
      keywords: parseKeywords(form.keywords ?? ''),
      defaultUrgency: form.defaultUrgency === 'urgent' ? 'urgent' : 'normal',
      limitWorkingDays: days,
      urgentLimitHours: hours,
      active: form.active !== '0',
      sort: sort !== null && Number.isInteger(sort) ? sort : 0,
    },
  };
}

function fields(cat: Partial<Category>): SafeHtml {
  const col = t.columns;
  return html`
  <label>${col.name}<input name="name" required maxlength="20" value="${cat.name ?? ''}"></label>
  <label>${col.kind}<select name="kind">${categoryKindEnum.enumValues.map(
    (k) => html`<option value="${k}"${cat.kind === k ? html` selected` : ''}>${t.kinds[k] ?? k}</option>`,
  )}</select></label>
  <label>${col.urgency}<select name="defaultUrgency">${Object.entries(URGENCY_LABELS).map(
    ([v, label]) => html`<option value="${v}"${cat.defaultUrgency === v ? html` selected` : ''}>${label}</option>`,
  )}</select></label>
  <label>${col.days}<input name="limitWorkingDays" type="number" min="1" max="60" required value="${cat.limitWorkingDays ?? 5}"></label>
  <label>${col.hours}<input name="urgentLimitHours" type="number" min="1" max="72" required value="${cat.urgentLimitHours ?? 4}"></label>
  <label>${col.sort}<input name="sort" type="number" value="${cat.sort ?? 0}"></label>
  <label>${col.active}<select name="active"><option value="1">${c.yes}</option><option value="0"${cat.active === false ? html` selected` : ''}>${c.no}</option></select></label>
  <label class="field wide">${col.keywords}<textarea name="keywords" rows="3">${(cat.keywords ?? []).join('，')}</textarea><small class="muted">${t.keywordsHint}</small></label>`;
}

/** Categories with their keywords, urgency and time limits (admins only); the cache is dropped after a change. */
export const categoryRoutes: HttpPlugin = async (app, { ctx }) => {
  const guard = requireStaff({ ctx, roles: ['admin'] });

  app.get('/console/categories', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const all = await ctx.db.select().from(categories).orderBy(asc(categories.sort), asc(categories.id));
    const col = t.columns;
    return sendPage(request, reply, {
      title: t.title,
      active: 'categories',
      body: html`
${all.map(
  (cat) => html`<details class="action" data-category="${cat.code}"><summary>${cat.name} <span class="muted small">${cat.code} · ${t.kinds[cat.kind] ?? cat.kind} · ${cat.limitWorkingDays} 个工作日 / 紧急 ${cat.urgentLimitHours} 小时${cat.active ? '' : ` · ${c.no}`}</span></summary>
  <form method="post" action="/console/categories/${cat.id}" class="form-grid">${csrfField(user)}${fields(cat)}<div><button type="submit">${c.save}</button></div></form>
</details>`,
)}
<h2>${t.create}</h2>
<form method="post" action="/console/categories" class="card form-grid">${csrfField(user)}
  <label>${col.code}<input name="code" required pattern="[A-Za-z0-9_\\-]{1,40}"></label>
  ${fields({})}
  <div><button type="submit">${c.create}</button></div>
</form>`,
    });
  });

  app.post('/console/categories', { preHandler: guard }, async (request, reply) => {
    const form = formOf(request);
    const code = (form.code ?? '').trim();
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(code)) return backWith(ctx, request, reply, '/console/categories', { kind: 'error', text: t.errors.code });
    const parsed = readForm(form);
    if (!parsed.ok) return backWith(ctx, request, reply, '/console/categories', { kind: 'error', text: parsed.message });
    const inserted = await ctx.db.insert(categories).values({ code, ...parsed.value }).onConflictDoNothing({ target: categories.code }).returning({ id: categories.id });
    if (inserted.length === 0) return backWith(ctx, request, reply, '/console/categories', { kind: 'error', text: t.errors.codeTaken(code) });
    ctx.categories.invalidate();
    await auditAction(ctx, request, { action: 'category.create', targetType: 'category', targetId: inserted[0]!.id, data: { code, ...parsed.value } });
    return backWith(ctx, request, reply, '/console/categories', { kind: 'ok', text: t.saved(parsed.value.name) });
  });

  app.post<{ Params: { id: string } }>('/console/categories/:id', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    if (id === undefined) return sendNotFound(request, reply);
    const [before] = await ctx.db.select().from(categories).where(eq(categories.id, id));
    if (!before) return sendNotFound(request, reply);
    const parsed = readForm(formOf(request));
    if (!parsed.ok) return backWith(ctx, request, reply, '/console/categories', { kind: 'error', text: parsed.message });
    await ctx.db.update(categories).set(parsed.value).where(eq(categories.id, id));
    // This process reloads at once; other instances within the provider's TTL.
    ctx.categories.invalidate();
    await auditAction(ctx, request, {
      action: 'category.update',
      targetType: 'category',
      targetId: id,
      data: { before: { name: before.name, limitWorkingDays: before.limitWorkingDays, urgentLimitHours: before.urgentLimitHours, keywords: before.keywords }, after: parsed.value },
    });
    return backWith(ctx, request, reply, '/console/categories', { kind: 'ok', text: t.saved(parsed.value.name) });
  });
};
