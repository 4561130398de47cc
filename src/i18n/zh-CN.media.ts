/**
 * Chinese texts for photos, voice notes and locations: what the bot tells staff who send them, the console's
 * attachment section, and the simulator's media controls and errors. Kept apart from zh-CN.ts to avoid edit
 * conflicts.
 */
import type { AttachmentStage } from '../modules/work-orders/rules/attachments.models';

const orderNo = (no: number) => `#${no}`;

export const mediaTexts = {
  /** The bot, 1:1 to a member of staff. */
  staff: {
    added: (no: number, what: string, stage: AttachmentStage) =>
      stage === 'after' ? `已将${what}作为办结后照片附到工单 ${orderNo(no)}。` : `已将${what}附到工单 ${orderNo(no)}（办理中）。`,
    unlinked: (windowMinutes: number) =>
      `收到，但没能确定是哪张工单的附件：请在接单、进展或办结后${windowMinutes}分钟内发送照片、语音或位置，会附到那张工单上。`,
  },
  /** The note of a staff attachment's timeline event ("照片（办结后）"). */
  timelineNote: (what: string, stage: AttachmentStage) => (stage === 'after' ? `${what}（办结后）` : stage === 'progress' ? `${what}（办理中）` : what),
  /** The console's order page. */
  console: {
    stages: { report: '居民反映时', progress: '办理中（办结前）', after: '办结后' } satisfies Record<AttachmentStage, string>,
    addedBy: (name: string) => `由 ${name} 上传`,
    byResident: '由居民上传',
    location: '位置',
    coordinates: (lat: number, lng: number) => `经纬度：${lat.toFixed(6)}, ${lng.toFixed(6)}`,
    voice: '语音',
    voiceNeedsConversion: (format: string) => `${format} 格式的微信语音浏览器无法直接播放，请下载后用转换工具转为 MP3 再收听。`,
    download: '下载',
    openFull: '查看原图',
    link: '链接',
    file: '文件',
    video: '视频',
    noFile: '（文件未保存）',
    size: (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)}MB` : `${Math.max(1, Math.round(bytes / 1024))}KB`),
  },
  /** The simulator page and its API. */
  simulator: {
    kindText: '文字',
    kindImage: '照片',
    kindVoice: '语音',
    kindLocation: '位置',
    kind: '消息类型',
    imageFile: '选择照片（JPG、PNG、WebP、GIF）',
    voiceFile: '选择语音文件（silk、amr、mp3、wav、m4a、ogg）',
    fileLimit: (mb: number) => `文件不超过 ${mb}MB。`,
    locationName: '地点名称',
    locationAddress: '详细地址',
    lat: '纬度',
    lng: '经度',
    locationPlaceholder: '例如：柳岸小区3号楼',
    /** How the page's log shows what the person sent (the name or place follows). */
    sentPrefix: { image: '[照片] ', voice: '[语音] ', location: '[位置] ' },
    chooseFile: '请先选择文件',
    errors: {
      missingFile: '请选择要发送的文件',
      missingLocation: '请填写位置：地点名称或地址，以及经纬度',
      badBase64: '文件内容无法读取（不是有效的 base64 编码）',
      tooLarge: (mb: number) => `文件太大：模拟器只接受不超过 ${mb}MB 的文件`,
      empty: '文件是空的',
      imageType: '不支持的图片格式：只接受 JPG、PNG、WebP 或 GIF 图片',
      voiceType: '不支持的语音格式：只接受 silk、amr、mp3、wav、m4a、ogg 等音频文件',
      contentMismatch: (expected: string) => `文件内容与类型不符：这不是有效的${expected}文件`,
      textNeeded: '请输入消息内容',
      invalid: (fields: string) => `消息格式不对（${fields}）：请检查说话人、会话、文字长度（不超过2000字）、文件和经纬度（纬度 -90 到 90，经度 -180 到 180）`,
    },
  },
};
