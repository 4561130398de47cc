import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { jobDepsFrom } from '../../src/jobs/job-deps';
import { run as monthly } from '../../src/jobs/monthly-analysis.job';
import { run as weekly } from '../../src/jobs/weekly-report.job';
import { storeAndSend } from '../../src/jobs/report-writer';
import { jobTexts } from '../../src/i18n/zh-CN.jobs';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { type ConsoleTest, createConsoleTest } from './console-helpers';

let c: ConsoleTest;
afterEach(async () => c?.close());

const china = (at: string) => new Date(`${at.replace(' ', 'T')}:00+08:00`);

describe('the 报告 page the monthly analysis links to', () => {
  it('answers the link in the message with the report for a logged-in officer, and not for a stranger or a grid leader', async () => {
    c = await createConsoleTest({ now: '2026-11-10T10:00:00+08:00', env: { PUBLIC_URL: 'https://gridline.example/' } });
    const { ctx } = c;
    await submitDemand({
      deps: ctx.orderDeps,
      input: { sourceMessageId: 'r-1', channel: 'group', residentId: await ctx.residentId('陈阿姨'), gridId: await ctx.gridId('D01-T01-C01-G01'), text: '3号楼路灯坏了', categoryCode: 'streetlight', checkDuplicates: false },
    });
    ctx.clock.set(china('2026-12-01 07:00'));
    const deps = jobDepsFrom(ctx, { instance: 'test' });
    expect((await monthly({ ...deps, tick: china('2026-12-01 07:00') })).ran).toBe(true);
    ctx.clock.set(china('2026-12-07 09:00'));
    expect((await weekly({ ...deps, tick: china('2026-12-07 09:00') })).ran).toBe(true);

    const sent = (await ctx.db.select().from(outbox).where(eq(outbox.kind, 'report'))).find((m) => m.text.includes('【民情分析】'));
    expect(sent, 'the monthly analysis was sent').toBeDefined();
    const link = /详见后台“报告”：(\S+)/.exec(sent!.text)?.[1];
    expect(link).toBe('https://gridline.example/console/reports?kind=monthly&period=2026-11');
    const path = link!.replace('https://gridline.example', '');

    const town = await c.as('吴书记'); // a town officer: the district's analysis is sent to them
    const page = await town.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('【民情分析】');
    expect(page.body).toContain('2026年11月');
    expect(page.body).not.toContain('【每周一排】'); // filtered to the analysis
    const all = await town.get('/console/reports');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('【每周一排】');
    expect(all.body).toContain('href="/console/reports"'); // in the menu

    // An agenda cut at 20 orders in the message lists all of them on the page.
    const town1 = await ctx.gridId('D01-T01');
    const items = Array.from({ length: 23 }, (_, i) => ({
      orderId: i + 1, no: 9001 + i, gridName: '柳岸社区第一网格', categoryName: '路灯照明', text: `议题${i + 1}`,
      createdAt: '2026-11-01T00:00:00Z', deadlineAt: null, daysOpen: 30, tags: ['overdue' as const],
    }));
    const agenda = { unitId: town1, unitName: '东湖街道', level: 'town' as const, items };
    const agendaLink = '/console/reports?kind=agenda_town&period=2027-01';
    const title = jobTexts.agendaTitle({ unitName: '东湖街道', level: 'town', month: '2027-01' });
    await ctx.db.transaction((tx) =>
      storeAndSend(tx, { kind: 'agenda_town', runKey: 'agenda:town:2027-01', periodKey: '2027-01', unitId: town1, title, body: jobTexts.agendaBody({ ...agenda, title, link: agendaLink }), data: agenda, now: ctx.clock.now(), recipients: [], botAccount: 'test' }),
    );
    const agendaPage = await town.get(agendaLink);
    expect(agendaPage.statusCode).toBe(200);
    expect(agendaPage.body).toContain('……另有 3 件');
    expect(agendaPage.body).toContain('#9023');

    const stranger = await c.app.inject({ method: 'GET', url: path });
    expect(stranger.statusCode).toBeGreaterThanOrEqual(300);
    expect(stranger.body).not.toContain('【民情分析】');
    const leader = await c.as('张伟');
    const refused = await leader.get(path);
    expect(refused.statusCode).not.toBe(200);
    expect(refused.body).not.toContain('【民情分析】');
  });
});
