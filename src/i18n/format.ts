/** China-time formatting for messages: residents and staff read dates as 11月25日 and times as 14:30. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

function parts(d: Date) {
  const c = new Date(d.getTime() + CHINA_OFFSET_MS);
  return {
    y: c.getUTCFullYear(),
    m: c.getUTCMonth() + 1,
    day: c.getUTCDate(),
    hh: String(c.getUTCHours()).padStart(2, '0'),
    mm: String(c.getUTCMinutes()).padStart(2, '0'),
  };
}

/**
 * A deadline as people say it. Working-day limits end at 24:00, which reads best as "11月25日" (by the end of
 * that day); other instants get their time.
 */
export function formatDeadline(d: Date | null | undefined): string {
  if (!d) return '—';
  const p = parts(d);
  if (p.hh === '00' && p.mm === '00') {
    const prev = parts(new Date(d.getTime() - 1));
    return `${prev.m}月${prev.day}日`;
  }
  return `${p.m}月${p.day}日${p.hh}:${p.mm}`;
}

export function formatDateTime(d: Date | null | undefined): string {
  if (!d) return '—';
  const p = parts(d);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.day).padStart(2, '0')} ${p.hh}:${p.mm}`;
}

export function formatDate(d: Date | null | undefined): string {
  if (!d) return '—';
  const p = parts(d);
  return `${p.m}月${p.day}日`;
}

/** Order numbers are shown as #1024 everywhere. */
export function orderNo(no: number): string {
  return `#${no}`;
}

/** Long resident texts are cut in notices; the whole text stays on the order. */
export function excerpt(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
