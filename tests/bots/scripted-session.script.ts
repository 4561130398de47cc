/**
 * A scripted natural session: residents and a grid leader writing as they do on a phone — in the group with and
 * without @, 1:1, in fragments, with repeats, thanks, emoji, follow-ups and natural answers. Each line says what a
 * real hotline should make of it, so the session measures junk orders (orders nobody asked for, or copies) and
 * how much the bot says in the group per order.
 *
 * `demand` names the problem a line reports: the first order for a name is right, a second one from the same
 * person is a copy (junk). A line without `demand` must not create an order. `{L1}` in a text is replaced by the
 * number of the order made for demand L1 when the line is said.
 */
export type SessionLine = {
  from: string;
  /** The group's topic; omitted: a 1:1 message to the bot. */
  room?: string;
  text: string;
  mention?: boolean;
  /** Minutes that pass before the line is said. */
  after?: number;
  demand?: string;
  /** A message naming several problems may become up to this many orders. */
  maxOrders?: number;
  /** A question that a real hotline may answer with a consultation order or with an answer alone. */
  mayOrder?: boolean;
  /** Why the line is here (shown when a line makes a junk order). */
  note?: string;
};

export const SESSION_GROUP = '柳岸社区第一网格居民群';
const g = (from: string, text: string, extra: Partial<SessionLine> = {}): SessionLine => ({ from, room: SESSION_GROUP, text, ...extra });
const at = (from: string, text: string, extra: Partial<SessionLine> = {}): SessionLine => g(from, text, { mention: true, ...extra });
const dm = (from: string, text: string, extra: Partial<SessionLine> = {}): SessionLine => ({ from, text, ...extra });

export const NATURAL_SESSION: SessionLine[] = [
  // Morning chatter in the group: none of it is for the bot.
  g('小林', '大家早上好☀️'),
  g('老王', '早'),
  g('陈阿姨', '今天降温了，大家出门多穿点'),
  g('小林', '[强]'),
  // A street light, reported with @.
  at('陈阿姨', '3号楼门口的路灯不亮了，晚上黑乎乎的，老人走路怕摔', { after: 2, demand: 'L1' }),
  g('老王', '是的，我昨天晚上也差点摔一跤', { note: 'a neighbour agreeing, to the neighbours' }),
  at('陈阿姨', '谢谢', { after: 1 }),
  // The leader signs for it in his own words.
  dm('张伟', '收到', { after: 3 }),
  // A sewer, with a trigger word, sent three times by an impatient resident.
  g('老王', '报事 5号楼后面下水道堵了，污水都冒出来了，臭得很', { after: 2, demand: 'W1' }),
  g('老王', '报事 5号楼后面下水道堵了，污水都冒出来了，臭得很', { after: 1, demand: 'W1', note: 'the same message again' }),
  g('老王', '报事 5号楼后面下水道堵了，污水都冒出来了，臭得很', { after: 1, demand: 'W1', note: 'and a third time' }),
  g('小林', '老王你别急，网格员会来的'),
  dm('张伟', '{W1}收到了，我明天去看看', { after: 4 }),
  // An urgent gas smell.
  at('小林', '我家楼道里好大一股煤气味！！3单元的', { after: 5, demand: 'G1' }),
  g('陈阿姨', '天哪 赶紧开窗'),
  g('老王', '快打电话给燃气公司'),
  dm('张伟', '好的', { after: 1 }),
  // Small talk and vague bits.
  at('老王', '👍', { after: 2 }),
  at('小林', '小格你好', { after: 1 }),
  dm('陈阿姨', '你好，有人吗', { after: 2 }),
  dm('陈阿姨', '不用了谢谢', { after: 1 }),
  // 1:1 demands.
  dm('陈阿姨', '电梯又坏了，12栋的，老人上不去啊', { after: 3, demand: 'E1' }),
  dm('小林', '村口那个桥栏杆断了 小孩子上学走那里很危险', { after: 2, demand: 'B1' }),
  // Follow-ups and questions about open orders: no new orders.
  at('陈阿姨', '路灯怎么还没修好啊？3号楼的', { after: 20, note: 'follow-up on L1' }),
  dm('小林', '我刚才说的煤气那个事情有人来了吗', { after: 2, note: 'follow-up on G1' }),
  dm('陈阿姨', '{E1} 啥时候来修啊', { after: 2, note: 'status question on E1' }),
  g('老王', '下水道的事有人管吗', { after: 1, note: 'follow-up on W1 without @' }),
  // Group life goes on.
  g('小林', '谁家的快递放在我门口了？顺丰的'),
  g('陈阿姨', '是我的 谢谢啊'),
  g('老王', '哈哈哈'),
  g('小林', '晚上广场舞几点'),
  g('陈阿姨', '七点半'),
  // Addressed by name, without @.
  g('陈阿姨', '小格你好，我家楼下那个化粪池盖子松了，3号楼2单元门口，踩上去晃', { after: 5, demand: 'P1' }),
  g('老王', '请问一下谁管垃圾的？小格知道吗', { after: 2, mayOrder: true }),
  // Several problems in one message.
  at('老王', '小区门口垃圾没人收，还有北门路灯也不亮，晚上狗叫得睡不着', { after: 3, demand: 'M1', maxOrders: 3 }),
  // A demand with a typo and a trigger word.
  g('杨大爷', '报事 路等坏了，2栋门口', { after: 2, demand: 'T1', room: '柳岸社区第二网格居民群', note: 'a typo, in his own group' }),
  // The leader at work.
  dm('张伟', '待办', { after: 10 }),
  dm('张伟', '这个是哪个居民报的，电话多少', { after: 1 }),
  dm('张伟', '进展 {L1} 已联系电工，明天上午来换灯', { after: 2 }),
  dm('张伟', '接单 {G1}', { after: 1 }),
  dm('张伟', '办结 {G1} 燃气公司已上门关阀检修，已无异味', { after: 30 }),
  dm('张伟', '这个单子能不能宽限几天，物业要找施工队', { after: 2, note: 'extension for E1' }),
  // Natural survey answers, without @.
  g('小林', '好的好的，谢谢你们，辛苦了👍', { after: 5, note: 'survey answer for G1' }),
  g('陈阿姨', '小林你家没事吧', { after: 1 }),
  g('小林', '没事了 放心'),
  // Withdrawals and changes of mind.
  at('老王', '刚才那个单子不要了，我点错了', { after: 3, note: 'withdraws his last order' }),
  dm('小林', '桥那个我再补充一下，是村口往学校那座石桥，左边栏杆', { after: 2, note: 'added detail to B1' }),
  dm('陈阿姨', '好的', { after: 1 }),
  // More chatter and thanks.
  g('老王', '今天菜市场的青菜好贵'),
  g('陈阿姨', '是啊 涨价了'),
  at('陈阿姨', '小格辛苦了', { after: 2 }),
  g('小林', '🌹🌹'),
  // The next day: the leader resolves, residents answer.
  dm('张伟', '办结 {L1} 已更换灯泡，恢复照明', { after: 600 }),
  g('陈阿姨', '好的好的，谢谢你们，辛苦了👍', { after: 30, note: 'survey answer for L1' }),
  dm('张伟', '办结 {W1} 已疏通', { after: 5 }),
  g('老王', '还是有味道，根本没人来看过', { after: 20, note: 'survey answer for W1, unsatisfied' }),
  // A resident asks again about something already reported by herself.
  at('陈阿姨', '3号楼门口路灯不亮', { after: 5, note: 'repeat of her resolved L1 (already rated)', mayOrder: true }),
  g('小林', '明天有雨 记得收衣服'),
  g('老王', '收到'),
  at('小林', '谢谢小格', { after: 1 }),
  dm('小林', '1', { after: 1, note: 'a bare 1 with nothing to rate' }),
  // Another real demand late in the day.
  at('小林', '6号楼和7号楼中间那棵大树的枝条压到电线了，风一吹就晃', { after: 30, demand: 'T2' }),
  dm('张伟', '收到', { after: 2 }),
  g('陈阿姨', '这个树早该修了'),
  g('老王', '是的'),
  at('老王', '+1', { after: 1, note: 'joins the tree order' }),
  dm('小林', '树那个啥时候来', { after: 60, note: 'follow-up on T2' }),
  dm('小林', '谢谢', { after: 1 }),
  g('陈阿姨', '晚安大家'),
  g('小林', '晚安'),
  g('老王', '晚安🌙'),
  dm('张伟', '好', { after: 2 }),
  dm('陈阿姨', '嗯嗯', { after: 1 }),
  dm('老王', '你好', { after: 1 }),
  dm('老王', '没事了', { after: 1 }),
  at('小林', '在吗', { after: 1 }),
  at('小林', '没事 就问问', { after: 1 }),
  g('陈阿姨', '[表情]'),
  g('老王', '😂😂😂'),
  dm('陈阿姨', '我的工单', { after: 2 }),
  dm('老王', '查询', { after: 1 }),
  at('陈阿姨', '帮助', { after: 1 }),
  g('小林', '哈哈'),
];
