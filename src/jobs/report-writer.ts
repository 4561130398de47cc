import type { Database } from '../db/client';
import { reports } from '../modules/reports/reports.table';
import { insertOutbox } from '../modules/work-orders/work-orders.repository';

export type ReportKind = 'weekly' | 'agenda_town' | 'agenda_district' | 'monthly';

/**
 * Stores a generated report for the console and sends its text to `recipients`, in the caller's transaction.
 * Each message carries `<run key>:<unit>:<staff>` as its dedupe key.
 */
export async function storeAndSend(
  tx: Database,
  {
    kind,
    runKey,
    periodKey,
    unitId,
    title,
    body,
    data,
    now,
    recipients,
    botAccount,
  }: {
    kind: ReportKind;
    runKey: string;
    periodKey: string;
    unitId: number;
    title: string;
    body: string;
    data: unknown;
    now: Date;
    recipients: number[];
    botAccount: string;
  },
): Promise<number> {
  await tx
    .insert(reports)
    .values({ kind, periodKey, unitId, title, body, data, generatedAt: now })
    .onConflictDoNothing({ target: [reports.kind, reports.periodKey, reports.unitId] });
  return insertOutbox(
    tx,
    recipients.map((staffId) => ({
      kind: kind === 'weekly' || kind === 'monthly' ? 'report' : 'agenda',
      orderId: null,
      recipientType: 'staff' as const,
      staffId,
      text: body,
      dedupeKey: `${runKey}:${unitId}:${staffId}`,
    })),
    botAccount,
  );
}
