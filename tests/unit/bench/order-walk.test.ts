import { describe, expect, it } from 'vitest';
import { createRng } from '../../../bench/lib/rng';
import { createLifeWorld } from '../../../bench/synthetic/lifecycle';
import { OrderWalk } from '../../../bench/synthetic/order-walk';
import { buildDistrict } from '../../../bench/synthetic/tree';
import { jobTexts } from '../../../src/i18n/zh-CN.jobs';
import { surveyTexts } from '../../../src/i18n/zh-CN.survey';
import { china, seededCalendar } from '../calendar/calendar.fixtures';

/**
 * The synthetic history writes what the jobs and the use cases would have written: the same texts, under the
 * same dedupe keys. One order of a small district, walked by hand past its deadline and its survey.
 */
function walkOne(now: string) {
  const district = buildDistrict({ rng: createRng(7), residents: 300 });
  const world = createLifeWorld({
    rng: createRng(7),
    now: china(now),
    calendar: seededCalendar(),
    district,
    categories: [{ id: 1, code: 'sanitation', name: '环境卫生', limitWorkingDays: 3, urgentLimitHours: 24 }],
  });
  const grid = district.grids[0]!;
  const residentId = district.residentsByGrid.get(grid.id)![0]!;
  const walk = new OrderWalk(world, {
    id: 1,
    no: 1001,
    createdAt: china('2026-11-23 10:00'),
    gridId: grid.id,
    residentId,
    categoryId: 1,
    urgency: 'normal',
    text: '小区门口垃圾堆了三天没人清',
    searchTokens: '',
    channel: 'direct',
    chatGroupId: null,
    locationText: null,
    lat: null,
    lng: null,
    mergeTarget: null,
  });
  walk.assignAtSubmit(walk.route(walk.chainOf(walk.grid.path))!);
  return { walk, world, resident: district.residents[residentId - 1]!, grid };
}

describe('the synthetic order walk writes what the product writes', () => {
  it('names the reporter in the assignment notice, as submitDemand does', () => {
    const { walk, resident } = walkOne('2026-11-23 11:00');
    const [assignment] = walk.finish().outbox.filter((m) => m.kind === 'assignment');
    expect(assignment!.text).toContain(`报事人：${resident.name} ${resident.phone ?? '未留电话'}\n`);
  });

  it('sends the overdue 督办 of the job to the assignee and the level above, and the survey reminder of the job', () => {
    const { walk, world, grid } = walkOne('2026-12-01 12:00');
    const assigneeId = walk.state.assigneeId!;
    walk.apply({ type: 'accept' }, 'assignee', china('2026-11-23 11:00').getTime(), 'direct');
    walk.apply({ type: 'resolve', note: '已清运' }, 'assignee', china('2026-11-30 10:00').getTime(), 'direct', { surveySentAt: china('2026-11-30 10:00') });
    const life = walk.finish();

    const supervise = life.outbox.filter((m) => m.kind === 'supervise');
    const line = { no: 1001, category: '环境卫生', urgent: false, place: grid.name, deadlineAt: china('2026-11-27 00:00') };
    expect(supervise.map((m) => [m.staffId, m.dedupeKey, m.createdAt])).toEqual([
      [assigneeId, `overdue:1:${china('2026-11-27 00:00').toISOString()}:assignee`, china('2026-11-27 09:00')],
      [expect.any(Number), expect.stringMatching(/^overdue:1:.*:supervisor:\d+$/), china('2026-11-27 09:00')],
    ]);
    expect(supervise[0]!.text).toBe(jobTexts.overdueToAssignee({ ...line, escalateAfterDays: 5 }));
    const handler = world.people.get(assigneeId)!;
    expect(supervise[1]!.text).toBe(jobTexts.overdueToSupervisor({ ...line, handler: `${handler.roleLabel}${handler.name}`, text: '小区门口垃圾堆了三天没人清' }));
    expect(life.order.wasOverdue).toBe(true);

    const reminder = life.outbox.filter((m) => m.dedupeKey?.startsWith('survey-remind:'));
    expect(reminder.map((m) => [m.kind, m.text, m.createdAt])).toEqual([['survey', surveyTexts.reminder({ no: 1001 }), china('2026-12-01 10:00')]]);
  });
  it('shows the resident’s 补充 with the report in the 督办 to the level above, as the sweep does', () => {
    const { walk, world, grid, resident } = walkOne('2026-11-30 12:00');
    const assigneeId = walk.state.assigneeId!;
    walk.apply({ type: 'resident_reply', text: '5号楼2单元门口' }, { kind: 'resident', residentId: resident.id }, china('2026-11-23 10:05').getTime(), 'direct');
    walk.apply({ type: 'accept' }, 'assignee', china('2026-11-23 11:00').getTime(), 'direct');
    const supervise = walk.finish().outbox.filter((m) => m.kind === 'supervise');
    const handler = world.people.get(assigneeId)!;
    const line = { no: 1001, category: '环境卫生', urgent: false, place: grid.name, deadlineAt: china('2026-11-27 00:00') };
    expect(supervise[1]!.text).toBe(
      jobTexts.overdueToSupervisor({ ...line, handler: `${handler.roleLabel}${handler.name}`, text: '小区门口垃圾堆了三天没人清（补充：5号楼2单元门口）' }),
    );
  });
});
