/**
 * Chinese texts of the offline simulator (the page at /simulator and its HTTP API's errors). Kept apart from
 * zh-CN.ts to avoid edit conflicts.
 */

export const SIMULATOR_ROLE_LABELS: Record<string, string> = {
  resident: '居民',
  leader: '网格长',
  assistant: '协理员',
  informant: '信息员',
  officer: '干部',
  admin: '管理员',
  department: '部门经办',
};

export const simulatorTexts = {
  title: '聊天模拟器',
  subtitle: (botName: string) => `离线模拟：以任何居民或工作人员的身份，在群里或私聊中和机器人“${botName}”对话`,
  notice: '这是模拟的微信网络（wechaty-puppet-mock），运行的是与正式环境相同的机器人代码，工单会写入数据库。',
  speaker: '说话人',
  residents: '居民',
  staff: '工作人员',
  conversation: '会话',
  direct: (botName: string) => `私聊“${botName}”`,
  groups: '群聊',
  mentionBot: (botName: string) => `@${botName}`,
  text: '消息内容',
  textPlaceholder: '例如：3号楼门口的路灯坏了，晚上很黑',
  send: '发送',
  sending: '发送中…',
  examples: '常用说法',
  exampleTexts: ['报事 3号楼门口的路灯坏了，晚上很黑', '查询', '我的工单', '接单', '进展 已联系物业', '办结 已更换灯泡', '满意', '帮助'],
  chat: '对话记录',
  onlyThisConversation: '只看当前会话',
  empty: '还没有消息。选择说话人和会话，发一条消息试试。',
  members: '群成员',
  you: '你',
  bot: (botName: string) => botName,
  toDirect: (name: string) => `私聊 ${name}`,
  inRoom: (topic: string) => `群 ${topic}`,
  mentions: (names: string[]) => `@ ${names.join('、')}`,
  sendFailed: '发送失败：',
  offline: '无法连接服务器，稍后自动重试…',
  noscript: '此页面需要启用 JavaScript。也可以直接使用 HTTP 接口：POST /api/simulator/messages。',
  errors: {
    unknownContact: (name: string) => `模拟器中没有名为“${name}”的联系人（见 GET /api/simulator/contacts）`,
    unknownRoom: (topic: string) => `模拟器中没有主题为“${topic}”的群（见 GET /api/simulator/contacts）`,
    notStored: '机器人未能保存这条消息（数据库暂不可用），请稍后重发',
  },
};
