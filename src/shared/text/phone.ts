import { normalizeText } from './normalize';

/**
 * A phone number as it can be dialled: its digits, with a leading + kept. People write numbers as free text
 * ("(010) 6123-4567", "+86 137 1234 5678", "１３７…" typed on a Chinese keyboard); text without a plausible number
 * of digits (5 to 20) is no number (null).
 */
export function dialablePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const written = normalizeText(raw);
  const digits = written.replace(/\D/gu, '');
  if (digits.length < 5 || digits.length > 20) return null;
  return `${written.startsWith('+') ? '+' : ''}${digits}`;
}
