import { afterEach, describe, expect, it } from 'vitest';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import { type BotHarness, GROUP, atIn, dm, startBotHarness } from './helpers';

let h: BotHarness;
afterEach(async () => h?.close());

/** Reports `text` as `from` in the group; 张伟 signs for it and, with `resolve`, resolves it. */
async function order(from: string, text: string, resolve: boolean) {
  await h.say({ from, room: GROUP, text, mentionBot: true });
  const row = await h.lastOrder();
  await h.say({ from: '张伟', text: `接单 ${row.no}` });
  if (resolve) await h.say({ from: '张伟', text: `办结 ${row.no} 已处理` });
  return row.no;
}

describe('a survey answer in the digit form with an order number', () => {
  it('rates the order it names, and a number that is not the speaker\'s waiting order is not found', async () => {
    h = await startBotHarness();
    const lamp = await order('陈阿姨', '3号楼门口的路灯坏了，晚上很黑', true);
    const lift = await order('陈阿姨', '5号楼电梯停了两天了，老人上下楼很不方便', false);
    const hers = await order('老王', '7号楼下水道堵了，污水漫到路上', true);

    // Her own order that is not awaiting a survey: not found, and the waiting one is untouched.
    expect(dm(await h.say({ from: '陈阿姨', text: `3 #${lift} 还是不行` }), '陈阿姨')).toEqual([expect.stringContaining('没有找到这个工单')]);
    // Someone else's order awaiting a survey: not found either.
    expect(dm(await h.say({ from: '陈阿姨', text: `1 #${hers}` }), '陈阿姨')).toEqual([expect.stringContaining('没有找到这个工单')]);
    expect(await h.t.db.select().from(surveyAnswers)).toEqual([]);
    expect((await h.order(lamp)).status).toBe('resolved');
    expect((await h.order(hers)).status).toBe('resolved');
    expect((await h.order(lift)).status).toBe('accepted');

    // The number of her waiting order: rated, with her comment.
    const reply = await h.say({ from: '陈阿姨', text: `3 #${lamp} 灯还是不亮` });
    expect(dm(reply, '陈阿姨')).toEqual([expect.stringContaining(`工单 #${lamp} 将由干部王主任重新办理`)]);
    expect(await h.order(lamp)).toMatchObject({ status: 'assigned', level: 'community', reopenCount: 1 });
    expect(await h.t.db.select().from(surveyAnswers)).toEqual([
      expect.objectContaining({ orderId: (await h.order(lamp)).id, answer: 'unsatisfied', comment: '灯还是不亮' }),
    ]);
    expect(atIn(await h.say({ from: '老王', room: GROUP, text: `1 #${hers}` }), '老王')).toEqual([expect.stringContaining(`工单 #${hers} 已归档`)]);
  });
});
