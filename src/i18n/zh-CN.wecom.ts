/**
 * What members of staff see in the 企业微信 (WeCom) app: the new-order card, its buttons and what a click turns them
 * into, and the app's replies that the chat has no counterpart for. The order notices themselves are the chat's.
 */
export const wecomTexts = {
  /** What the console's order timeline calls an event a member made in the app. */
  channel: '企业微信',
  cardSource: '网格民情直通车',
  cardTitle: (no: number) => `新工单 #${no}`,
  cardDesc: (category: string) => category,
  buttons: { accept: '接单', return: '退回', view: '查看' },
  /** What a clicked card's buttons become (one greyed-out button). */
  done: {
    accepted: '已接单',
    notAssigned: (status: string) => `已处理（${status}）`,
  },
  /** 退回 needs a reason: the click asks for it in words. */
  askReturnReason: (no: number) => `退回 #${no} 需要说明原因，请直接回复：\n退回 ${no} 原因（例如：退回 ${no} 不属于本网格）`,
  /** A userid that is not bound to any member of staff yet. */
  unbound: '您的企业微信账号尚未绑定网格员身份。请在控制台「工作人员」页取得绑定码后，在此发送：绑定 验证码',
  bound: (name: string) => `绑定成功：${name}。今后的派单、提醒、督办和每日待办将发到企业微信。`,
  bindFailed: '绑定码无效或已过期，请在控制台重新生成后再试。',
  /** Texts the app cannot act on (pictures, voice …): staff commands are text. */
  textOnly: '企业微信应用里请发送文字指令，例如：接单 1001、进展 1001 已联系、办结 1001 已修好、待办。',
  cardUnknown: '这张卡片已失效，请发送「待办」查看当前工单。',
  /** Dead-letter reason of a WeCom send that fell back to WeChat and could not be sent there either. */
  fellBack: (reason: string) => `企业微信无法送达（${reason}），已改用微信发送`,
};
