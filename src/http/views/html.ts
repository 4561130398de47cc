/**
 * An escaping tagged template for the server-rendered console. Every interpolated value is escaped unless it is
 * already `SafeHtml` (the result of another `html` template, or of `raw()`), so text a resident typed can never
 * become markup or script. Arrays are joined without separators, each item escaped the same way.
 *
 *     html`<td>${order.text}</td>`            // escaped
 *     html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`
 *     raw(trustedSvg)                          // only for markup the program itself produced
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

/** Values a template accepts; null, undefined and false render as nothing (handy for `${cond && html`...`}`). */
export type HtmlValue = SafeHtml | string | number | bigint | boolean | null | undefined | Date | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value instanceof Date) return escapeHtml(value.toISOString());
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Marks a string as markup. Never pass anything that came from a user, a chat or the database. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Joins fragments with a separator (itself escaped unless SafeHtml). */
export function joinHtml(parts: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  const sep = render(separator);
  return new SafeHtml(parts.map(render).join(sep));
}
