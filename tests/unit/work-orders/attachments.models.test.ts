import { describe, expect, it } from 'vitest';
import { attachmentMime, displayKind, effectiveStage, servedAs, sniffMediaType, staffAttachmentTarget } from '../../../src/modules/work-orders/rules/attachments.models';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('what a chat file is', () => {
  it('is read from its first bytes', () => {
    expect(sniffMediaType(bytes([0x89], 'PNG\r\n', [0x1a, 0x0a]))).toBe('image/png');
    expect(sniffMediaType(bytes([0xff, 0xd8, 0xff, 0xe1]))).toBe('image/jpeg');
    expect(sniffMediaType(bytes('GIF87a'))).toBe('image/gif');
    expect(sniffMediaType(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffMediaType(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '))).toBe('audio/wav');
    expect(sniffMediaType(bytes([0x02], '#!SILK_V3'))).toBe('audio/silk');
    expect(sniffMediaType(bytes('#!SILK_V3'))).toBe('audio/silk');
    expect(sniffMediaType(bytes('#!AMR\n'))).toBe('audio/amr');
    expect(sniffMediaType(bytes('ID3', [3, 0]))).toBe('audio/mpeg');
    expect(sniffMediaType(bytes([0xff, 0xfb, 0x90]))).toBe('audio/mpeg');
    expect(sniffMediaType(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(sniffMediaType(bytes('<html>'))).toBeNull();
  });

  it('falls back to the name, then to what the network said (never "application/unknown")', () => {
    expect(attachmentMime({ name: 'v.silk', declared: 'application/unknown' })).toBe('audio/silk');
    expect(attachmentMime({ name: 'photo.JPG', declared: null })).toBe('image/jpeg');
    expect(attachmentMime({ name: 'x', declared: 'application/unknown' })).toBeNull();
    expect(attachmentMime({ name: 'x', declared: 'Application/PDF; charset=binary' })).toBe('application/pdf');
    // The bytes win over a misleading name.
    expect(attachmentMime({ name: 'x.png', declared: 'image/png', head: bytes([0xff, 0xd8, 0xff]) })).toBe('image/jpeg');
  });

  it('is shown inline only when a browser handles it safely', () => {
    expect(servedAs('image/png')).toEqual({ contentType: 'image/png', inline: true });
    expect(servedAs('audio/mpeg')).toEqual({ contentType: 'audio/mpeg', inline: true });
    for (const mime of ['image/svg+xml', 'text/html', 'audio/silk', 'audio/amr', null]) {
      expect(servedAs(mime)).toEqual({ contentType: 'application/octet-stream', inline: false });
    }
    expect(displayKind('voice', 'audio/silk')).toBe('voice-download');
    expect(displayKind('voice', 'audio/mpeg')).toBe('audio');
    expect(displayKind('image', 'image/svg+xml')).toBe('file');
    expect(displayKind('location', null)).toBe('location');
  });
});

describe('before and after 办结', () => {
  const resolvedAt = new Date('2026-12-07T10:00:00Z');
  const order = { resolvedAt, resolvedByStaffId: 7 };
  const at = (minutesBefore: number) => new Date(resolvedAt.getTime() - minutesBefore * 60_000);
  const W = 10 * 60_000;

  it('a photo the resolver sent within the window before 办结 is the finished work; earlier ones stay "during"', () => {
    expect(effectiveStage({ stage: 'progress', addedByStaffId: 7, createdAt: at(3) }, order, W)).toBe('after');
    expect(effectiveStage({ stage: 'progress', addedByStaffId: 7, createdAt: at(11) }, order, W)).toBe('progress');
    // Someone else's photo, or an order not resolved, is not moved.
    expect(effectiveStage({ stage: 'progress', addedByStaffId: 8, createdAt: at(3) }, order, W)).toBe('progress');
    expect(effectiveStage({ stage: 'progress', addedByStaffId: 7, createdAt: at(3) }, { resolvedAt: null, resolvedByStaffId: null }, W)).toBe('progress');
    // A resident's photo stays with the report; an unknown stage reads as the report.
    expect(effectiveStage({ stage: 'report', addedByStaffId: null, createdAt: at(1) }, order, W)).toBe('report');
    expect(effectiveStage({ stage: 'odd', addedByStaffId: null, createdAt: at(1) }, order, W)).toBe('report');
  });

  it('a staff photo goes to the order of their latest action, else their only open order', () => {
    const recent = (toStatus: string | null, orderStatus: string, stillTheirs = true) => ({ orderId: 5, type: 'x', toStatus, orderStatus, stillTheirs });
    expect(staffAttachmentTarget({ recent: recent('resolved', 'resolved'), openOrderIds: [9] })).toEqual({ orderId: 5, stage: 'after' });
    expect(staffAttachmentTarget({ recent: recent('accepted', 'accepted'), openOrderIds: [9, 5] })).toEqual({ orderId: 5, stage: 'progress' });
    // Closed by the survey since, or reassigned to someone else: their only open order, if any.
    expect(staffAttachmentTarget({ recent: recent('resolved', 'closed'), openOrderIds: [9] })).toEqual({ orderId: 9, stage: 'progress' });
    expect(staffAttachmentTarget({ recent: recent(null, 'accepted', false), openOrderIds: [] })).toBeNull();
    expect(staffAttachmentTarget({ recent: null, openOrderIds: [9, 10] })).toBeNull();
  });
});
