import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { gridUnits } from '../grids/grids.table';
import { reports } from './reports.table';

export const REPORT_KINDS = ['weekly', 'monthly', 'agenda_town', 'agenda_district'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export type ReportListItem = {
  id: number;
  kind: string;
  periodKey: string;
  unitId: number;
  unitName: string;
  unitPath: string;
  title: string;
  body: string;
  /** The figures or agenda items behind the text (the agenda page lists every item; the message stops at 20). */
  data: unknown;
  generatedAt: Date;
};

/**
 * The stored reports, newest first (ids follow generation), optionally of one kind and period, and of the units in `unitIds` (null: any
 * unit); paged by id. There are a few reports a week, so the caller's scope check on the page is cheap.
 */
export async function listReports(
  db: Database,
  { kind, periodKey, unitIds, beforeId, limit }: { kind?: ReportKind; periodKey?: string; unitIds: number[] | null; beforeId?: number; limit: number },
): Promise<ReportListItem[]> {
  if (unitIds && unitIds.length === 0) return [];
  return db
    .select({
      id: reports.id,
      kind: reports.kind,
      periodKey: reports.periodKey,
      unitId: reports.unitId,
      unitName: gridUnits.name,
      unitPath: gridUnits.path,
      title: reports.title,
      body: reports.body,
      data: reports.data,
      generatedAt: reports.generatedAt,
    })
    .from(reports)
    .innerJoin(gridUnits, eq(gridUnits.id, reports.unitId))
    .where(
      and(
        kind ? eq(reports.kind, kind) : undefined,
        periodKey ? eq(reports.periodKey, periodKey) : undefined,
        unitIds ? inArray(reports.unitId, unitIds) : undefined,
        beforeId ? lt(reports.id, beforeId) : undefined,
      ),
    )
    .orderBy(desc(reports.id))
    .limit(limit);
}
