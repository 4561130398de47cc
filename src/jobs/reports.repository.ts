/**
 * What the reports need beyond the figures of the stats module (src/modules/stats, which the weekly report reads
 * for its rates): the current overdue snapshot, the slowest grids, the agenda candidates and the monthly counts
 * by grid and category. Each query is bounded by an indexed time range (created_at, order_events (type, at)) or
 * by the open-order partial index. Grids sit at depth 4 of the tree (district/town/community/grid), so a grid's
 * town is the third segment of its path.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { rows } from '../db/sql';
import type { AgendaOrder } from './agenda.models';
import { at } from './jobs.repository';
import type { GridCategoryCount, PlaceCount } from './monthly-analysis.models';
import type { GridSpeed } from './weekly-report.models';

type Window = { from: Date; to: Date };

const townOf = sql.raw(`split_part(g.path, '/', 3)::int`);

/** Open orders past their deadline now, by town: the weekly report's "当前超期" (a snapshot, not a period count). */
export async function overdueOpenByTown(db: Database, { rootPath, now }: { rootPath: string; now: Date }): Promise<Map<number, number>> {
  const found = await rows<{ town_id: number; n: number }>(
    db,
    sql`select ${townOf} as town_id, count(*)::int as n
        from work_orders w join grid_units g on g.id = w.grid_id
        where w.status in ('assigned', 'accepted') and w.deadline_at < ${at(now)} and g.path like ${`${rootPath}%`}
        group by 1`,
  );
  return new Map(found.map((r) => [Number(r.town_id), Number(r.n)]));
}

/** Average hours from receipt to 办结 of the orders resolved in the window, by grid. */
export async function gridSpeeds(db: Database, { rootPath, from, to }: Window & { rootPath: string }): Promise<GridSpeed[]> {
  const found = await rows<{ name: string; resolved: number; avg_hours: number }>(
    db,
    sql`select g.name, count(*)::int as resolved,
          (avg(extract(epoch from (e.at - w.created_at))) / 3600)::float8 as avg_hours
        from order_events e join work_orders w on w.id = e.order_id join grid_units g on g.id = w.grid_id
        where e.type = 'resolve' and e.at >= ${at(from)} and e.at < ${at(to)} and g.path like ${`${rootPath}%`}
        group by g.id, g.name`,
  );
  return found.map((r) => ({ name: r.name, resolved: Number(r.resolved), avgHours: Number(r.avg_hours) }));
}

/**
 * Open orders that may be on an agenda of `level`: sitting at a unit of that level, reopened, or past their
 * deadline. The agenda rules decide which unit's agenda each belongs to.
 */
export async function agendaCandidates(db: Database, { level, now }: { level: 'town' | 'district'; now: Date }): Promise<AgendaOrder[]> {
  const found = await rows<{
    id: number;
    no: number;
    unit_id: number;
    grid_path: string;
    grid_name: string;
    category_name: string;
    text: string;
    created_at: string | Date;
    deadline_at: string | Date | null;
    reopen_count: number;
    escalation_count: number;
  }>(
    db,
    sql`select w.id, w.no, w.unit_id, g.path as grid_path, g.name as grid_name, c.name as category_name, w.text,
          w.created_at, w.deadline_at, w.reopen_count, w.escalation_count
        from work_orders w join grid_units g on g.id = w.grid_id join categories c on c.id = w.category_id
        where w.status in ('submitted', 'assigned', 'accepted')
          and (w.level = ${level} or w.reopen_count > 0 or w.deadline_at < ${at(now)})
        order by w.created_at`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    no: Number(r.no),
    unitId: Number(r.unit_id),
    gridPath: r.grid_path,
    gridName: r.grid_name,
    categoryName: r.category_name,
    text: r.text,
    createdAt: new Date(r.created_at),
    deadlineAt: r.deadline_at === null ? null : new Date(r.deadline_at),
    reopenCount: Number(r.reopen_count),
    escalationCount: Number(r.escalation_count),
  }));
}

/** Orders by grid and category in the month and the month before (merged duplicates not counted twice). */
export async function monthlyCounts(
  db: Database,
  { rootPath, previousFrom, from, to }: Window & { rootPath: string; previousFrom: Date },
): Promise<GridCategoryCount[]> {
  const found = await rows<{ grid_id: number; grid_name: string; category_name: string; current: number; previous: number }>(
    db,
    sql`select w.grid_id, g.name as grid_name, c.name as category_name,
          count(*) filter (where w.created_at >= ${at(from)})::int as current,
          count(*) filter (where w.created_at < ${at(from)})::int as previous
        from work_orders w join grid_units g on g.id = w.grid_id join categories c on c.id = w.category_id
        where w.created_at >= ${at(previousFrom)} and w.created_at < ${at(to)} and w.status <> 'merged'
          and g.path like ${`${rootPath}%`}
        group by w.grid_id, g.name, c.name`,
  );
  return found.map((r) => ({
    gridId: Number(r.grid_id),
    gridName: r.grid_name,
    categoryName: r.category_name,
    current: Number(r.current),
    previous: Number(r.previous),
  }));
}

/** Places named by more than one order of the same grid and category in the month. */
export async function repeatedPlaces(db: Database, { rootPath, from, to }: Window & { rootPath: string }): Promise<PlaceCount[]> {
  const found = await rows<{ grid_name: string; category_name: string; place: string; count: number }>(
    db,
    sql`select g.name as grid_name, c.name as category_name, btrim(w.location_text) as place, count(*)::int as count
        from work_orders w join grid_units g on g.id = w.grid_id join categories c on c.id = w.category_id
        where w.created_at >= ${at(from)} and w.created_at < ${at(to)} and w.status <> 'merged'
          and g.path like ${`${rootPath}%`} and coalesce(btrim(w.location_text), '') <> ''
        group by g.name, c.name, btrim(w.location_text)
        having count(*) >= 2`,
  );
  return found.map((r) => ({ gridName: r.grid_name, categoryName: r.category_name, place: r.place, count: Number(r.count) }));
}
