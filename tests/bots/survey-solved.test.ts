/**
 * The survey (回访) asks two things apart, as 接诉即办 does: was the problem solved, and is the resident satisfied.
 * Residents answer as they talk; 解决率 and 满意率 come out as different figures when the answers differ.
 */
import { asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/modules/calendar/calendar.models';
import { loadDashboard } from '../../src/modules/stats/dashboard.usecases';
import { refreshStats } from '../../src/modules/stats/stats.usecases';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import { type BotHarness, GROUP, atIn, dm, startBotHarness } from './helpers';

let h: BotHarness;
afterEach(async () => h?.close());

/** `from` reports `text` in the group; 张伟 signs for it and resolves it. */
async function resolvedOrder(from: string, text: string) {
  await h.say({ from, room: GROUP, text, mentionBot: true });
  const row = await h.lastOrder();
  await h.say({ from: '张伟', text: `接单 ${row.no}` });
  const resolved = await h.say({ from: '张伟', text: `办结 ${row.no} 已处理好了` });
  return { no: row.no, id: row.id, resolved };
}

async function roundOf(orderId: number) {
  const [row] = await h.t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, orderId)).orderBy(asc(surveyAnswers.round));
  return row;
}

async function figures() {
  await refreshStats({ deps: h.t });
  const today = chinaDate(h.t.clock.now());
  const d = await loadDashboard({ db: h.t.db, categories: await h.t.categories.all(), scopeUnitId: await h.t.gridId('D01'), period: { from: `${today.slice(0, 8)}01`, to: today } });
  return d!.total;
}

describe('the survey asks whether it was solved and whether the resident is satisfied', () => {
  it('four orders — solved and satisfied, solved but not satisfied, not solved, no answer — give 解决率 2/3 and 满意率 1/3', async () => {
    h = await startBotHarness();

    // 1. 陈阿姨: solved and satisfied, in one line of her own words.
    const lamp = await resolvedOrder('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    expect(atIn(lamp.resolved, '陈阿姨')).toEqual([expect.stringContaining('问题解决了吗？您满意吗？')]);
    const happy = await h.say({ from: '陈阿姨', room: GROUP, text: '修好了，挺满意的' });
    expect(atIn(happy, '陈阿姨')).toEqual([expect.stringContaining(`工单 #${lamp.no} 已归档`)]);
    expect(dm(happy, '张伟')).toEqual([expect.stringContaining('居民评价：满意\n是否解决：已解决')]);
    expect(await roundOf(lamp.id)).toMatchObject({ solved: true, answer: 'satisfied' });
    expect((await h.order(lamp.no)).status).toBe('closed');

    // 2. 老王: fixed, but too slow for him: recorded as solved and 不满意; closed, not redone; the handler hears it.
    const drain = await resolvedOrder('老王', '7号楼下水道堵了，污水漫到路上');
    const slow = await h.say({ from: '老王', room: GROUP, text: '修好了但是太慢了，不满意', mentionBot: true });
    expect(await roundOf(drain.id)).toMatchObject({ solved: true, answer: 'unsatisfied', comment: '修好了但是太慢了，不满意' });
    expect(await h.order(drain.no)).toMatchObject({ status: 'closed', closure: 'unsatisfied', reopenCount: 0 });
    expect(dm(slow, '张伟')).toEqual([expect.stringContaining('居民评价：不满意（修好了但是太慢了，不满意）\n是否解决：已解决')]);

    // 3. 陈阿姨 again, 1:1: "还没修好" says only that it is not solved. It is redone one level up at once, and the
    //    bot asks one short question about satisfaction; her "不满意" completes the round.
    const lift = await resolvedOrder('陈阿姨', '5号楼电梯停了两天了，老人上下楼很不方便');
    const notYet = await h.say({ from: '陈阿姨', text: '还没修好' });
    const told = dm(notYet, '陈阿姨');
    expect(told.join('\n')).toContain(`工单 #${lift.no} 将由干部王主任重新办理`);
    expect(told.at(-1)).toBe('请问您对这次办理满意吗？回复"满意""基本满意"或"不满意"。');
    expect(await h.order(lift.no)).toMatchObject({ status: 'assigned', level: 'community', reopenCount: 1 });
    expect(await roundOf(lift.id)).toMatchObject({ solved: false, answer: null, comment: '还没修好' });
    const rated = await h.say({ from: '陈阿姨', text: '不满意' });
    expect(dm(rated, '陈阿姨')).toEqual([`已记下您对工单 #${lift.no} 的评价，谢谢！`]);
    expect(await roundOf(lift.id)).toMatchObject({ solved: false, answer: 'unsatisfied' });
    expect((await h.order(lift.no)).status).toBe('assigned');
    // The question is answered once: a second "不满意" finds nothing waiting and records nothing more.
    await h.say({ from: '陈阿姨', text: '不满意' });
    expect(await h.t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, lift.id))).toHaveLength(1);

    // 4. 老王's second order: resolved, no answer yet.
    const bin = await resolvedOrder('老王', '2号楼垃圾桶满了好几天没人清理，味道很大');
    expect((await h.order(bin.no)).status).toBe('resolved');

    const total = await figures();
    expect(total.counts).toMatchObject({ surveySolved: 2, surveyUnsolved: 1, surveySatisfied: 1, surveyUnsatisfied: 2, surveyUnrated: 0, reopened: 1 });
    expect([total.figures.solved.numerator, total.figures.solved.denominator]).toEqual([2, 3]);
    expect([total.figures.satisfaction.numerator, total.figures.satisfaction.denominator]).toEqual([1, 3]);
    expect(total.figures.solved.rate).not.toBe(total.figures.satisfaction.rate);
  }, 240_000);

  it('"满意" alone keeps 是否解决 unknown, "好了谢谢" is solved and satisfied, the digit 4 is solved but not satisfied', async () => {
    h = await startBotHarness();
    const lamp = await resolvedOrder('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    const plain = await h.say({ from: '陈阿姨', text: '满意' });
    expect(dm(plain, '陈阿姨').join('\n')).not.toContain('满意吗');
    expect(await roundOf(lamp.id)).toMatchObject({ solved: null, answer: 'satisfied' });

    const drain = await resolvedOrder('老王', '7号楼下水道堵了，污水漫到路上');
    await h.say({ from: '老王', room: GROUP, text: '好了谢谢', mentionBot: true });
    expect(await roundOf(drain.id)).toMatchObject({ solved: true, answer: 'satisfied' });

    const lift = await resolvedOrder('陈阿姨', '5号楼电梯停了两天了，老人上下楼很不方便');
    await h.say({ from: '陈阿姨', room: GROUP, text: '4 师傅来得太晚' });
    expect(await roundOf(lift.id)).toMatchObject({ solved: true, answer: 'unsatisfied', comment: '师傅来得太晚' });
    expect((await h.order(lift.no)).status).toBe('closed');

    // "修好了" alone: solved; the one follow-up about satisfaction is asked, and a line without @ in the group answers it.
    const bin = await resolvedOrder('老王', '2号楼垃圾桶满了好几天没人清理，味道很大');
    const fixed = await h.say({ from: '老王', room: GROUP, text: '修好了', mentionBot: true });
    expect(atIn(fixed, '老王').at(-1)).toContain('请问您对这次办理满意吗');
    expect(await h.order(bin.no)).toMatchObject({ status: 'closed', closure: 'unrated' });
    await h.say({ from: '老王', room: GROUP, text: '还行吧' });
    expect(await roundOf(bin.id)).toMatchObject({ solved: true, answer: 'basically_satisfied' });
    expect(await h.order(bin.no)).toMatchObject({ closure: 'basically_satisfied' });

    const total = await figures();
    // 解决率: 3 of the 3 rounds that said whether it was solved; 满意率: 3 of 4 (the digit 4 is 不满意).
    expect([total.figures.solved.numerator, total.figures.solved.denominator]).toEqual([3, 3]);
    expect([total.figures.satisfaction.numerator, total.figures.satisfaction.denominator]).toEqual([3, 4]);
  }, 240_000);
});
