import type { BenchDb } from '../lib/bench-db';

/**
 * The synthetic district's departments (分流交办): seven district-wide departments and utilities plus one 物业公司
 * per town, three members each (two handlers, a head), a 派单目录 over the categories they answer for, and
 * dispatch rows for most orders of those categories: about a fifth of all orders, 8 % of them returned once and
 * dispatched again, one in ten signed late. Written in SQL after the orders are loaded (their created, deadline and
 * resolved times are the dispatches'), before the figures are rebuilt, so the rebuild derives department figures.
 */
const DEPARTMENTS: [code: string, name: string, kind: 'department' | 'company', calendar: 'working' | 'every_day', limitDays: number | null][] = [
  ['GAS', '城东燃气公司', 'company', 'every_day', 1],
  ['POWER', '区供电公司', 'company', 'every_day', 2],
  ['WATER', '区自来水公司', 'company', 'every_day', 2],
  ['CG', '区城管执法局', 'department', 'working', null],
  ['SZ', '区市政工程所', 'department', 'working', null],
  ['YL', '区园林绿化所', 'department', 'working', null],
  ['ZJ', '区住房和城乡建设局', 'department', 'working', null],
];

/** category code → [department code, role]; 'WY' is the town's 物业公司. */
const CATALOGUE: [category: string, department: string, role: 'lead' | 'assist'][] = [
  ['safety_hazard', 'GAS', 'lead'],
  ['utility_outage', 'POWER', 'lead'],
  ['utility_outage', 'WATER', 'assist'],
  ['water_leak', 'WATER', 'lead'],
  ['road_occupation', 'CG', 'lead'],
  ['illegal_building', 'CG', 'lead'],
  ['illegal_building', 'ZJ', 'assist'],
  ['road_facility', 'SZ', 'lead'],
  ['streetlight', 'SZ', 'lead'],
  ['greening', 'YL', 'lead'],
  ['property_mgmt', 'WY', 'lead'],
];

export async function addSyntheticDepartments(bench: BenchDb, log: (line: string) => void): Promise<Record<string, number>> {
  const q = (text: string, params: unknown[] = []) => bench.query(text, params);
  const [district] = await bench.query<{ id: number }>(`select id from grid_units where level = 'district' order by id limit 1`);
  for (const [code, name, kind, calendar, limitDays] of DEPARTMENTS) {
    await q(
      `insert into departments (code, name, kind, unit_id, calendar, sign_limit_hours, limit_days, return_limit_hours) values ($1, $2, $3, $4, $5, 2, $6, 24)`,
      [code, name, kind, district!.id, calendar, limitDays],
    );
  }
  await q(`insert into departments (code, name, kind, unit_id, calendar, sign_limit_hours, return_limit_hours)
    select 'WY-' || id, name || '物业服务公司', 'property', id, 'working', 4, 48 from grid_units where level = 'town'`);
  await q(`insert into staff (name, phone, chat_key, active, must_change_password)
    select d.name || case g when 1 then '负责人' else '经办人' || (g - 1) end, null, 'synth-dept-' || d.id || '-' || g, true, false
    from departments d cross join generate_series(1, 3) g`);
  await q(`insert into department_members (department_id, staff_id, role)
    select split_part(s.chat_key, '-', 3)::int, s.id, case when split_part(s.chat_key, '-', 4) = '1' then 'head' else 'handler' end::department_member_role
    from staff s where s.chat_key like 'synth-dept-%'`);
  for (const [category, department, role] of CATALOGUE) {
    if (department === 'WY') {
      await q(`insert into dispatch_catalogue (category_id, unit_id, department_id, role)
        select c.id, d.unit_id, d.id, $2 from categories c, departments d where c.code = $1 and d.kind = 'property'`, [category, role]);
    } else {
      await q(`insert into dispatch_catalogue (category_id, unit_id, department_id, role)
        select c.id, null, d.id, $3 from categories c, departments d where c.code = $1 and d.code = $2`, [category, department, role]);
    }
  }

  // Which orders are dispatched, to whom (the catalogue's lead; a town's 物业 by the order's town), returned first or not.
  await q(`drop table if exists bench_dispatch`);
  // A plain table, not a temporary one: the bench's statements may go over different pooled connections.
  await q(`create unlogged table bench_dispatch as
    select o.id as order_id, o.unit_id, o.status::text as status, o.created_at, o.deadline_at, o.resolved_at,
      coalesce(dt.id, dc.department_id) as department_id,
      (o.id * 2654435761::bigint) % 100 < 8 as returned_first,
      (o.id * 40503::bigint) % 100 < 10 as signed_late,
      (select d.id from departments d where d.code = 'ZJ') as assist_id,
      c.code = 'illegal_building' as with_assist
    from work_orders o
    join categories c on c.id = o.category_id
    left join dispatch_catalogue dc on dc.category_id = o.category_id and dc.unit_id is null and dc.role = 'lead'
    left join grid_units g on g.id = o.grid_id
    left join departments dt on dt.kind = 'property' and c.code = 'property_mgmt' and g.path like (select path from grid_units t where t.id = dt.unit_id) || '%'
    where o.status not in ('submitted', 'invalid')
      and (o.id * 7919::bigint) % 100 < 40
      and coalesce(dt.id, dc.department_id) is not null`);
  // The returned first dispatches: unsigned, sent back after half an hour.
  await q(`insert into order_dispatches (order_id, department_id, role, status, dispatcher_unit_id, dispatched_at, sign_deadline_at,
      return_deadline_at, deadline_at, returned_at, return_reason)
    select order_id, department_id, 'lead', 'returned', unit_id, created_at + interval '15 minutes', created_at + interval '135 minutes',
      created_at + interval '1455 minutes', deadline_at, created_at + interval '45 minutes', '不属于本单位职责范围'
    from bench_dispatch where returned_first`);
  // The dispatch that holds the order (after the return, if any).
  await q(`insert into order_dispatches (order_id, department_id, role, status, dispatcher_unit_id, dispatched_at, sign_deadline_at,
      signed_at, return_deadline_at, deadline_at, resolved_at)
    select order_id, department_id, 'lead',
      (case status when 'assigned' then 'dispatched' when 'accepted' then 'signed' when 'resolved' then 'resolved' when 'closed' then 'resolved' else 'withdrawn' end)::dispatch_status,
      unit_id, at, at + interval '2 hours',
      case when status = 'assigned' then null when signed_late then at + interval '3 hours' else at + interval '30 minutes' end,
      at + interval '24 hours', deadline_at, case when status in ('resolved', 'closed') then resolved_at end
    from (select *, created_at + case when returned_first then interval '60 minutes' else interval '15 minutes' end as at from bench_dispatch) b`);
  await q(`insert into order_dispatches (order_id, department_id, role, status, dispatcher_unit_id, dispatched_at)
    select order_id, assist_id, 'assist', 'dispatched', unit_id, created_at + interval '15 minutes' from bench_dispatch where with_assist`);
  await q(`update work_orders o set department_id = b.department_id from bench_dispatch b
    where o.id = b.order_id and b.status in ('assigned', 'accepted', 'resolved', 'closed')`);
  const [counts] = await bench.query<{ departments: number; members: number; dispatches: number; returned: number; held: number }>(
    `select (select count(*)::int from departments) as departments, (select count(*)::int from department_members) as members,
      (select count(*)::int from order_dispatches) as dispatches, (select count(*)::int from order_dispatches where status = 'returned') as returned,
      (select count(*)::int from bench_dispatch where status in ('assigned', 'accepted', 'resolved', 'closed')) as held`,
  );
  await q('drop table bench_dispatch');
  log(`departments: ${counts!.departments}, members ${counts!.members}, dispatches ${counts!.dispatches} (${counts!.returned} returned), orders held ${counts!.held}`);
  return counts!;
}
