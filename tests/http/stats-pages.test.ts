import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, orderEvents, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { residents } from '../../src/modules/people/residents.table';
import { staff } from '../../src/modules/people/staff.table';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import { buildHistory } from '../integration/stats/history';
import { Browser, type ConsoleTest, createConsoleTest } from './console-helpers';

const NOVEMBER = 'from=2026-11-01&to=2026-11-30';

/** The text between a figure card's opening and the next card. */
function figureCard(body: string, key: string): string {
  const start = body.indexOf(`id="figure-${key}"`);
  return body.slice(start, body.indexOf('</div>\n    </div>', start));
}

describe('the dashboard (统计) and the public page (定期公示)', () => {
  let t: ConsoleTest;
  beforeAll(async () => {
    t = await createConsoleTest();
    await buildHistory(t.ctx);
  }, 300_000);
  afterAll(async () => t?.close());

  it('sends an anonymous visitor to the log-in page', async () => {
    const res = await new Browser(t.app).get('/console/dashboard');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toMatch(/^\/login\?next=/);
  });

  it('shows an admin the district’s figures for a period, each with its numbers and definition', async () => {
    const admin = await t.as('系统管理员');
    const res = await admin.get(`/console/dashboard?${NOVEMBER}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('示范区');
    expect(figureCard(res.body, 'response')).toContain('71.4%');
    expect(figureCard(res.body, 'response')).toContain('5 / 7');
    expect(figureCard(res.body, 'satisfaction')).toContain('80.0%');
    // The history's residents said only how satisfied: 解决率 has no data ("—"), never a made-up rate.
    expect(figureCard(res.body, 'solved')).toContain('0 / 0');
    expect(figureCard(res.body, 'onTime')).toContain('5 / 6');
    expect(figureCard(res.body, 'firstTime')).toContain('3 / 5');
    expect(figureCard(res.body, 'reopen')).toContain('1 / 6');
    expect(figureCard(res.body, 'return')).toContain('1 / 11');
    for (const name of ['响应率', '解决率', '满意率', '一次办结率', '按时办结率', '重办率', '退回率']) expect(res.body).toContain(`<dt>${name}</dt>`);
    expect(res.body).toContain('回访超时未评价的，不计入分母');
    expect(res.body).toContain('解决率只看“是否解决”');
    // Towns to drill into, the ranking, the weekly trend, and the charts' script from the installed package.
    expect(res.body).toContain('东湖街道</a>');
    expect(res.body).toContain('红榜');
    expect(res.body).toContain('桂园社区第一网格');
    expect(res.body).toContain('data-chart="');
    expect(res.body).toContain('<script src="/vendor/echarts.min.js" defer></script>');
    expect(res.body).not.toMatch(/<script>(?!<)/); // no inline script (the CSP forbids it)
    expect(res.body).toContain('按事件日志全部重算');
  });

  it('serves ECharts from node_modules, not a CDN', async () => {
    const res = await new Browser(t.app).get('/vendor/echarts.min.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.body.length).toBeGreaterThan(500_000);
    expect(res.body).toContain('echarts');
    const script = await new Browser(t.app).get('/static/stats-dashboard.js');
    expect(script.statusCode).toBe(200);
  });

  it('keeps an officer to their own subtree: their town by default, another town is not found', async () => {
    const officer = await t.as('郑镇长');
    const own = await officer.get(`/console/dashboard?${NOVEMBER}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('西山镇');
    expect(own.body).not.toContain('东湖街道');
    expect(own.body).not.toContain('柳岸社区');
    expect(figureCard(own.body, 'satisfaction')).toContain('1 / 1');

    const eastId = await t.ctx.gridId('D01-T01');
    const other = await officer.get(`/console/dashboard?unit=${eastId}&${NOVEMBER}`);
    expect(other.statusCode).toBe(404);
    const district = await officer.get(`/console/dashboard?unit=${await t.ctx.gridId('D01')}`);
    expect(district.statusCode).toBe(404);
  });

  it('shows a grid leader their grid only', async () => {
    const leader = await t.as('张伟');
    const own = await leader.get(`/console/dashboard?${NOVEMBER}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('柳岸社区第一网格');
    expect(figureCard(own.body, 'response')).toContain('4 / 5');
    const neighbour = await leader.get(`/console/dashboard?unit=${await t.ctx.gridId('D01-T01-C01-G02')}`);
    expect(neighbour.statusCode).toBe(404);
  });

  it('refuses informants, who report through the chat', async () => {
    const informant = await t.as('赵敏');
    expect((await informant.get('/console/dashboard')).statusCode).toBe(403);
  });

  it('says what is wrong with a bad period and shows this month instead', async () => {
    const admin = await t.as('系统管理员');
    const res = await admin.get('/console/dashboard?from=2026-12-01&to=2026-11-01');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('起始日期晚于截止日期');
    expect(res.body).toContain('统计期：2026-12-01 至 2026-12-01');
    const tooLong = await admin.get('/console/dashboard?from=2024-01-01&to=2026-11-30');
    expect(tooLong.body).toContain('统计期最长 400 天');
  });

  it('lets an admin rebuild the figures from the event log, with the CSRF token; nobody else', async () => {
    const admin = await t.as('系统管理员');
    const page = await admin.get('/console/dashboard');
    admin.takeCsrf(page.body);
    const res = await admin.post('/console/dashboard/rebuild', {});
    expect(res.statusCode).toBe(303);
    const after = await admin.follow(res.headers.location as string);
    expect(after.body).toContain('已按事件日志重算 8 张工单的统计');

    const forged = await admin.post('/console/dashboard/rebuild', { _csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
    const officer = await t.as('王主任');
    officer.takeCsrf((await officer.get('/console/dashboard')).body);
    expect((await officer.post('/console/dashboard/rebuild', {})).statusCode).toBe(403);
  });

  it('publishes per town and grid per month without a log-in', async () => {
    const res = await new Browser(t.app).get('/public?month=2026-11');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('定期公示');
    expect(res.body).toContain('2026年11月');
    for (const name of ['东湖街道', '西山镇', '柳岸社区第一网格', '南溪社区第三网格']) expect(res.body).toContain(name);
    // 柳岸社区第一网格 in November: 5 demands, 5 resolutions, 4 on time (80.0%), 响应率 80.0%, 一次办结率 50.0%,
    // 满意率 3/4.
    const row = res.body.slice(res.body.indexOf('柳岸社区第一网格'), res.body.indexOf('</tr>', res.body.indexOf('柳岸社区第一网格')));
    expect(row.match(/>(\d+|[\d.]+%|—)</g)!.map((c) => c.slice(1, -1))).toEqual(['5', '5', '4', '80.0%', '80.0%', '50.0%', '—', '75.0%']);
    for (const name of ['响应率', '一次办结率', '满意率']) expect(res.body).toContain(`<dt>${name}</dt>`);
    // Residents read it: it is not the officers' 后台, and shows no console menu.
    expect(res.body).not.toContain('后台');
    expect(res.body).not.toContain('/console/orders');
    const defaultMonth = await new Browser(t.app).get('/public');
    expect(defaultMonth.body).toContain('2026年11月');
  });

  it('shows no name, phone number or text of any resident or member of staff on the public page', async () => {
    const db = t.ctx.db;
    const secrets = new Set<string>();
    for (const r of await db.select().from(residents)) for (const v of [r.name, r.phone, r.chatName]) if (v) secrets.add(v);
    for (const s of await db.select().from(staff)) for (const v of [s.name, s.phone, s.username]) if (v) secrets.add(v);
    for (const o of await db.select().from(workOrders)) for (const v of [o.text, o.locationText]) if (v) secrets.add(v);
    for (const e of await db.select().from(orderEvents)) if (e.note) secrets.add(e.note);
    for (const a of await db.select().from(surveyAnswers)) if (a.comment) secrets.add(a.comment);
    for (const a of await db.select().from(attachments)) if (a.address) secrets.add(a.address);
    expect(secrets.size).toBeGreaterThan(40);
    for (const month of ['2026-11', '2026-10', '2026-06']) {
      const res = await new Browser(t.app).get(`/public?month=${month}`);
      expect(res.statusCode).toBe(200);
      const leaked = [...secrets].filter((s) => res.body.includes(s));
      expect(leaked).toEqual([]);
    }
  });

  it('has no page for a month not over yet or a malformed one', async () => {
    expect((await new Browser(t.app).get('/public?month=2026-12')).statusCode).toBe(404);
    expect((await new Browser(t.app).get('/public?month=2026-1')).statusCode).toBe(400);
  });
});
