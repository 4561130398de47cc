/**
 * A known history built through the real use cases on a manual clock, whose figures are worked out by hand in
 * figures.test.ts. Times are China time. Orders:
 *
 * E 南溪社区第一网格 政策咨询 (2 wd): submitted 10-28 10:00, signed 10:20, resolved 10-29 15:00, 满意 11-02 09:00.
 * A 柳岸一 路灯 (5 wd): 11-23 10:00, signed 10:30 (limit 12:00), resolved 11-24 10:00, 满意 10:30.
 * B 柳岸一 环境卫生 (3 wd, limit 11-27 00:00): 11-23 11:00, signed 14:00 (late, limit 13:00), resolved 11-30
 *   10:00 (late), 不满意 11:00 → reopened to 王主任 (limit 13:00), resolved by him 11:30 (signing implicitly), 基本满意 12:00.
 * C 柳岸二 噪音: 11-23 12:00 to 刘洋, returned 12:30 (unsigned, within its limit) to 王主任, who reassigns it 13:00
 *   to 孙丽 of 柳岸三 (the order moves to that grid); she never signs (limit 15:00).
 * D 柳岸一 漏水, urgent (4 h, sign 30 min): 11-24 20:00, escalated 20:10 by 张伟 unsigned, signed 20:35 by 王主任
 *   (limit 20:40), resolved 23:00 (limit 24:00), survey timed out 11-27 23:00 (未评价).
 * F 柳岸一 政策咨询 (limit 11-28 00:00): 11-25 10:00, signed 10:05, asked the resident 11-26 10:00, reply 11-27
 *   10:00 (24 h pause: limit 11-29 00:00), resolved 11-28 12:00 (on time only thanks to the pause), 满意 13:00.
 * G 桂园一 环境卫生 (limit 11-28 00:00): 11-24 09:00, signed 09:30, extension of 2 wd asked 11-26 10:00 and approved
 *   11:00 (limit 12-02 00:00), resolved 11-30 16:00 (on time thanks to the extension); no survey answer yet.
 * H 柳岸一 其他: 11-25 11:00, cancelled by the resident 11:10 (unsigned, within its limit).
 */
import {
  acceptOrder,
  answerSurvey,
  askResident,
  cancelOrder,
  decideExtension,
  escalateOrder,
  reassignOrder,
  requestExtension,
  residentReply,
  resolveOrder,
  returnOrder,
  timeoutSurvey,
} from '../../../src/modules/work-orders/handling/order-actions.usecases';
import { submitDemand } from '../../../src/modules/work-orders/intake/submit-demand.usecases';
import type { TestContext } from '../../helpers/context';

export const G01 = 'D01-T01-C01-G01';

export type History = Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H', { id: number; no: number }>;

type Step = { at: string; run: () => Promise<unknown> };

/** Builds the history; `afterEach` runs after each step (a refresh, to test the incremental path). */
export async function buildHistory(t: TestContext, { afterEach }: { afterEach?: (at: string) => Promise<void> } = {}): Promise<History> {
  const orders = {} as History;
  const deps = t.orderDeps;
  const staff = (name: string) => t.staffActor(name);
  const resident = async (name: string) => ({ kind: 'resident' as const, residentId: await t.residentId(name) });
  const submit = (key: keyof History, input: { resident: string; grid: string; text: string; category: string; urgent?: boolean }) => async () => {
    const r = await submitDemand({
      deps,
      input: {
        sourceMessageId: `stats-${key}`,
        channel: 'group',
        residentId: await t.residentId(input.resident),
        gridId: await t.gridId(input.grid),
        text: input.text,
        categoryCode: input.category,
        urgent: input.urgent ?? false,
        checkDuplicates: false,
      },
    });
    if (r.outcome !== 'created') throw new Error(`order ${key} not created: ${r.outcome}`);
    orders[key] = { id: r.order.id, no: r.order.no };
  };
  const ref = (key: keyof History) => ({ no: orders[key].no });

  const steps: Step[] = [
    { at: '2026-10-28T10:00', run: submit('E', { resident: '彭同学', grid: 'D01-T02-C02-G01', text: '想咨询一下老年卡怎么办理', category: 'consultation' }) },
    { at: '2026-10-28T10:20', run: async () => acceptOrder({ deps, ref: ref('E'), actor: await staff('高峰'), channel: 'direct' }) },
    { at: '2026-10-29T15:00', run: async () => resolveOrder({ deps, ref: ref('E'), actor: await staff('高峰'), channel: 'direct', note: '已电话告知办理流程' }) },
    { at: '2026-11-02T09:00', run: async () => answerSurvey({ deps, ref: ref('E'), actor: await resident('彭同学'), channel: 'group', answer: 'satisfied' }) },

    { at: '2026-11-23T10:00', run: submit('A', { resident: '陈阿姨', grid: G01, text: '3号楼门口路灯坏了', category: 'streetlight' }) },
    { at: '2026-11-23T10:30', run: async () => acceptOrder({ deps, ref: ref('A'), actor: await staff('张伟'), channel: 'direct' }) },
    { at: '2026-11-23T11:00', run: submit('B', { resident: '老王', grid: G01, text: '垃圾桶满了没人清运', category: 'sanitation' }) },
    { at: '2026-11-23T12:00', run: submit('C', { resident: '杨大爷', grid: 'D01-T01-C01-G02', text: '楼上装修噪音太大', category: 'noise' }) },
    { at: '2026-11-23T12:30', run: async () => returnOrder({ deps, ref: ref('C'), actor: await staff('刘洋'), channel: 'direct', reason: '不属本网格' }) },
    { at: '2026-11-23T13:00', run: async () => reassignOrder({ deps, ref: ref('C'), actor: await staff('王主任'), channel: 'console', toStaffId: await t.staffId('孙丽') }) },
    { at: '2026-11-23T14:00', run: async () => acceptOrder({ deps, ref: ref('B'), actor: await staff('张伟'), channel: 'direct' }) },
    { at: '2026-11-24T09:00', run: submit('G', { resident: '胡奶奶', grid: 'D01-T01-C02-G01', text: '小区垃圾站气味很大', category: 'sanitation' }) },
    { at: '2026-11-24T09:30', run: async () => acceptOrder({ deps, ref: ref('G'), actor: await staff('钱进'), channel: 'direct' }) },
    { at: '2026-11-24T10:00', run: async () => resolveOrder({ deps, ref: ref('A'), actor: await staff('张伟'), channel: 'direct', note: '已更换灯泡' }) },
    { at: '2026-11-24T10:30', run: async () => answerSurvey({ deps, ref: ref('A'), actor: await resident('陈阿姨'), channel: 'group', answer: 'satisfied' }) },
    { at: '2026-11-24T20:00', run: submit('D', { resident: '小林', grid: G01, text: '楼上水管爆了往下漏水', category: 'water_leak', urgent: true }) },
    { at: '2026-11-24T20:10', run: async () => escalateOrder({ deps, ref: ref('D'), actor: await staff('张伟'), channel: 'direct', reason: '需社区协调物业' }) },
    { at: '2026-11-24T20:35', run: async () => acceptOrder({ deps, ref: ref('D'), actor: await staff('王主任'), channel: 'direct' }) },
    { at: '2026-11-24T23:00', run: async () => resolveOrder({ deps, ref: ref('D'), actor: await staff('王主任'), channel: 'direct', note: '已关阀维修' }) },
    { at: '2026-11-25T10:00', run: submit('F', { resident: '陈阿姨', grid: G01, text: '咨询一下社区食堂的开放时间', category: 'consultation' }) },
    { at: '2026-11-25T10:05', run: async () => acceptOrder({ deps, ref: ref('F'), actor: await staff('张伟'), channel: 'direct' }) },
    { at: '2026-11-25T11:00', run: submit('H', { resident: '老王', grid: G01, text: '想反映一下其他事情', category: 'other' }) },
    { at: '2026-11-25T11:10', run: async () => cancelOrder({ deps, ref: ref('H'), actor: await resident('老王'), channel: 'group' }) },
    { at: '2026-11-26T10:00', run: async () => askResident({ deps, ref: ref('F'), actor: await staff('张伟'), channel: 'direct', question: '您问的是哪个食堂？' }) },
    { at: '2026-11-26T10:00', run: async () => requestExtension({ deps, ref: ref('G'), actor: await staff('钱进'), channel: 'direct', days: 2, reason: '等待环卫车辆' }) },
    { at: '2026-11-26T11:00', run: async () => decideExtension({ deps, ref: ref('G'), actor: await staff('冯主任'), channel: 'console', approve: true }) },
    { at: '2026-11-27T10:00', run: async () => residentReply({ deps, ref: ref('F'), actor: await resident('陈阿姨'), channel: 'group', text: '柳岸社区的长者食堂' }) },
    { at: '2026-11-27T23:00', run: async () => timeoutSurvey({ deps, ref: ref('D') }) },
    { at: '2026-11-28T12:00', run: async () => resolveOrder({ deps, ref: ref('F'), actor: await staff('张伟'), channel: 'direct', note: '已告知开放时间' }) },
    { at: '2026-11-28T13:00', run: async () => answerSurvey({ deps, ref: ref('F'), actor: await resident('陈阿姨'), channel: 'group', answer: 'satisfied' }) },
    { at: '2026-11-30T10:00', run: async () => resolveOrder({ deps, ref: ref('B'), actor: await staff('张伟'), channel: 'direct', note: '已清运' }) },
    { at: '2026-11-30T11:00', run: async () => answerSurvey({ deps, ref: ref('B'), actor: await resident('老王'), channel: 'group', answer: 'unsatisfied', comment: '还是有味道' }) },
    { at: '2026-11-30T11:30', run: async () => resolveOrder({ deps, ref: ref('B'), actor: await staff('王主任'), channel: 'console', note: '已消杀并增加清运频次' }) },
    { at: '2026-11-30T12:00', run: async () => answerSurvey({ deps, ref: ref('B'), actor: await resident('老王'), channel: 'group', answer: 'basically_satisfied' }) },
    { at: '2026-11-30T16:00', run: async () => resolveOrder({ deps, ref: ref('G'), actor: await staff('钱进'), channel: 'direct', note: '已清理垃圾站' }) },
  ];

  for (const step of steps) {
    t.clock.set(`${step.at}:00+08:00`);
    await step.run();
    await afterEach?.(step.at);
  }
  t.clock.set('2026-12-01T09:00:00+08:00');
  return orders;
}
