/**
 * Pure rules for an order's attachments: what type a chat file really is, when it may be shown in the browser,
 * and where in the order's life a photo belongs (before/after 办结). No I/O.
 */

/** When an attachment was added: with the report, while handling (before/during), or after 办结. */
export type AttachmentStage = 'report' | 'progress' | 'after';
export const ATTACHMENT_STAGES: readonly AttachmentStage[] = ['report', 'progress', 'after'];

/** Images a browser shows inline. Anything else (an SVG above all: it can carry script) is only downloaded. */
export const INLINE_IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
/** Audio a browser's <audio> plays. WeChat's own silk and amr voice notes are not among them. */
export const PLAYABLE_AUDIO_TYPES = new Set(['audio/mpeg', 'audio/wav', 'audio/ogg', 'audio/mp4', 'audio/aac', 'audio/webm']);

/** Types by file extension: chat networks often say nothing useful (a silk voice note is "application/unknown"). */
const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  silk: 'audio/silk',
  slk: 'audio/silk',
  amr: 'audio/amr',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  webm: 'audio/webm',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
};

export function extensionOf(name: string | null | undefined): string {
  const m = /\.([a-z0-9]{1,8})$/i.exec(name ?? '');
  return m ? m[1]!.toLowerCase() : '';
}

/**
 * What a file is, from the first bytes (what it says it is can be wrong or hostile). Null when the bytes match
 * none of the image and audio formats the product knows.
 */
export function sniffMediaType(head: Uint8Array): string | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'audio/wav';
  // WeChat's silk files start "#!SILK_V3", often behind one 0x02 byte.
  if (ascii(0, 7) === '#!SILK_' || ascii(1, 8) === '#!SILK_') return 'audio/silk';
  if (ascii(0, 5) === '#!AMR') return 'audio/amr';
  if (ascii(0, 3) === 'ID3' || (head[0] === 0xff && head.length > 1 && (head[1]! & 0xe0) === 0xe0 && (head[1]! & 0x06) !== 0)) return 'audio/mpeg';
  if (ascii(0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(4, 8) === 'ftyp') return 'audio/mp4';
  if (starts(0x1a, 0x45, 0xdf, 0xa3)) return 'audio/webm';
  return null;
}

/**
 * The type to keep for a chat file: what its bytes say when they say anything, else what its name says, else
 * what the network declared (lower-cased, parameters dropped).
 */
export function attachmentMime({ name, declared, head }: { name: string | null; declared: string | null; head?: Uint8Array }): string | null {
  const sniffed = head ? sniffMediaType(head) : null;
  if (sniffed) return sniffed;
  const byName = BY_EXTENSION[extensionOf(name)];
  if (byName) return byName;
  const clean = declared?.split(';')[0]?.trim().toLowerCase();
  return clean && clean !== 'application/unknown' && /^[a-z]+\/[a-z0-9.+-]+$/.test(clean) ? clean : null;
}

/** How the console serves a stored file: inline only for images and audio a browser handles safely. */
export function servedAs(mime: string | null): { contentType: string; inline: boolean } {
  if (mime && (INLINE_IMAGE_TYPES.has(mime) || PLAYABLE_AUDIO_TYPES.has(mime))) return { contentType: mime, inline: true };
  return { contentType: 'application/octet-stream', inline: false };
}

/** How the console shows an attachment. */
export function displayKind(kind: string, mime: string | null): 'photo' | 'audio' | 'voice-download' | 'location' | 'link' | 'file' {
  if (kind === 'location') return 'location';
  if (kind === 'link') return 'link';
  if (mime && INLINE_IMAGE_TYPES.has(mime)) return 'photo';
  if (mime && PLAYABLE_AUDIO_TYPES.has(mime)) return 'audio';
  if (kind === 'voice' || mime?.startsWith('audio/')) return 'voice-download';
  return 'file';
}

/**
 * Where a staff photo belongs, read at display time. The stored stage says what was known when it arrived;
 * a 'progress' photo the resolver sent within `windowMs` before their 办结 is the finished work (people take
 * the picture, send it, then type 办结), so it is shown as 'after'. Resident photos stay 'report'.
 */
export function effectiveStage(
  a: { stage: string; addedByStaffId: number | null; createdAt: Date },
  order: { resolvedAt: Date | null; resolvedByStaffId: number | null },
  windowMs: number,
): AttachmentStage {
  const stage = (ATTACHMENT_STAGES as readonly string[]).includes(a.stage) ? (a.stage as AttachmentStage) : 'report';
  if (
    stage === 'progress' &&
    order.resolvedAt &&
    a.addedByStaffId !== null &&
    a.addedByStaffId === order.resolvedByStaffId &&
    a.createdAt.getTime() <= order.resolvedAt.getTime() &&
    order.resolvedAt.getTime() - a.createdAt.getTime() <= windowMs
  ) {
    return 'after';
  }
  return stage;
}

/**
 * Which order a member of staff's photo (sent 1:1) belongs to, and at which stage. `recent` is their latest
 * action on an order within the attachment window: right after their 办结 it is an 'after' photo; after any
 * other action on an order still theirs, 'progress'. Without a recent action, their only open order takes it
 * ('progress'); with several, none does (the bot asks them to act on the order first).
 */
export function staffAttachmentTarget({
  recent,
  openOrderIds,
}: {
  recent: { orderId: number; type: string; toStatus: string | null; orderStatus: string; stillTheirs: boolean } | null;
  openOrderIds: number[];
}): { orderId: number; stage: AttachmentStage } | null {
  if (recent) {
    if (recent.toStatus === 'resolved' && recent.orderStatus === 'resolved') return { orderId: recent.orderId, stage: 'after' };
    if (recent.stillTheirs && (recent.orderStatus === 'assigned' || recent.orderStatus === 'accepted')) return { orderId: recent.orderId, stage: 'progress' };
  }
  if (openOrderIds.length === 1) return { orderId: openOrderIds[0]!, stage: 'progress' };
  return null;
}
