/**
 * Which reports are private: a 举报, or a complaint that names a neighbour (a person or household, not a place).
 * Said in a residents' group, such a report would be answered — and its progress @-mentioned — in front of the
 * very neighbour it is about. A complaint about a thing (投诉 a street light, "楼下的下水道") is not private.
 *
 * The rule, deliberately narrow so ordinary demands stay in the group:
 *   - the word 举报 (report someone), or
 *   - a reference to a neighbouring PERSON or HOUSEHOLD (邻居; 隔壁/楼上/楼下/对门/对面 followed by 家/户/人/住户/
 *     邻居/老X/大爷/阿姨/那家/那户/这家/的人; "某户", "那户人家"; a flat number such as 302室, 3-201, 502户)
 *     together with a complaint about conduct (投诉, 扰民, 吵, 噪音, 装修, 乱扔, 抛物, 违建, 搭建, 占用, 堆放, 养狗,
 *     狗叫, 骂, 打人, 威胁, 群租, 偷).
 */
const REPORT = /举报/u;

const NEIGHBOUR = new RegExp(
  [
    '邻居',
    '(?:隔壁|楼上|楼下|对门|对面)(?:的)?(?:那家|那户|这家|这户|人家|住户|邻居|一家|家|户|的人|老[\\p{Script=Han}]|大爷|大妈|阿姨|大叔|小伙|男的|女的)',
    '某户',
    '那户人家',
    '那家人',
    '\\d{3,4}(?:室|户|房)',
    '\\d{1,2}-\\d{3,4}',
  ].join('|'),
  'u',
);

const CONDUCT = /投诉|扰民|吵|噪音|噪声|装修|乱扔|抛物|违建|违章|搭建|占用|堆放|养狗|狗叫|骂|打人|威胁|群租|偷/u;

export type PrivacyVerdict = { private: false } | { private: true; why: 'report' | 'neighbour' };

export function privateReport(text: string): PrivacyVerdict {
  const t = text.slice(0, 2_000);
  if (REPORT.test(t)) return { private: true, why: 'report' };
  if (NEIGHBOUR.test(t) && CONDUCT.test(t)) return { private: true, why: 'neighbour' };
  return { private: false };
}

export function isPrivateReport(text: string): boolean {
  return privateReport(text).private;
}
