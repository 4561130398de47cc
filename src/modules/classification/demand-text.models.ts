import { normalizeText } from '../../shared/text/normalize';

/** Words that mark a group message as a demand; they say nothing about the demand itself. */
export const TRIGGER_WORDS: readonly string[] = ['报事', '投诉', '求助', '反映', '咨询', '举报', '报修'];

/** Compiled once: the duplicate check strips the markers of every recent order it compares. */
const TRIGGER_PATTERNS = TRIGGER_WORDS.map((word) => new RegExp(`${word}(一下)?`, 'gu'));

/**
 * The message without what only addresses the bot: @mentions, "#" and trigger words (with a filler "一下"
 * after them: "反映一下"). WeChat ends a mention with a (four-per-em) space, so a mention is "@" up to the next
 * space; an "@" glued to the text is left alone rather than guessing where the name ends.
 */
export function stripDemandMarkers(text: string): string {
  let out = normalizeText(text).replace(/@\S+(\s|$)/gu, ' ').replace(/#/gu, ' ');
  for (const pattern of TRIGGER_PATTERNS) out = out.replace(pattern, ' ');
  return normalizeText(out);
}

/**
 * Words that say where something is. Relative places (楼下, 门口, 对面) count: the bot knows the resident's grid,
 * and a grid leader can find "3号楼门口" or "菜市场旁边" among 30–250 households.
 */
export const PLACE_MARKERS: readonly string[] = [
  '号楼', '栋', '幢', '单元', '室', '门口', '楼下', '楼上', '楼道', '楼梯', '楼顶', '顶楼', '天台', '一楼', '楼前',
  '楼后', '小区', '院子', '院里', '大院', '广场', '公园', '菜市场', '市场', '超市', '学校', '幼儿园', '医院', '附近',
  '对面', '旁边', '隔壁', '对门', '东门', '西门', '南门', '北门', '大门', '侧门', '地下车库', '车库', '停车场',
  '地下室', '电梯', '路口', '路边', '马路', '人行道', '公交站', '地铁', '河边', '桥', '巷', '胡同', '街道', '大街',
  '街边', '街口', '社区', '村', '绿化带', '垃圾站', '公厕', '步道', '花园',
];

/** A named road or estate: "建设路", "人民大街", "锦绣苑" — but not "路灯" or "走路". */
const NAMED_PLACE = /\p{Script=Han}{2,}?(路|大道|街|巷|苑|公寓|大厦)(?![灯面况费线])/gu;
const NOT_A_PLACE = /(走路|一路|道路|思路|线路|电路|水路|套路|迷路|带路|让路|修路|堵路|炸街|上街|逛街)$/u;

/** Building, unit or room numbers: "3号楼", "8栋", "2单元", "302", "弄堂" numbers "123弄". */
const NUMBERED_PLACE = /\d+\s*(号楼|号|栋|幢|座|单元|楼|室|层|门|弄)|(?<!\d)\d{3,4}(?![\d年元块米平分秒天个次斤度%])/u;

/** Whether the message says where the problem is. */
export function mentionsPlace(text: string): boolean {
  const body = stripDemandMarkers(text);
  if (PLACE_MARKERS.some((m) => body.includes(m))) return true;
  if (NUMBERED_PLACE.test(body)) return true;
  return [...body.matchAll(NAMED_PLACE)].some((m) => !NOT_A_PLACE.test(m[0]));
}

/**
 * Building, unit and room numbers by kind ("b3", "u2", "r302"), so two messages about 3号楼 and 8号楼 can be
 * told apart.
 */
export function unitNumbers(text: string): Set<string> {
  const body = normalizeText(text);
  const found = new Set<string>();
  for (const m of body.matchAll(/(\d+)\s*(号楼|号|栋|幢|座|单元|室)/gu)) {
    const kind = m[2] === '单元' ? 'u' : m[2] === '室' ? 'r' : 'b';
    found.add(`${kind}${Number(m[1])}`);
  }
  for (const m of body.matchAll(/(?<!\d)(\d{3,4})(?![\d年元块米平分秒天个次斤度%号栋幢座单室])/gu)) found.add(`r${Number(m[1])}`);
  return found;
}
