import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Rng } from '../lib/rng';

export type LabelledDemand = { text: string; category: string; urgent: boolean };

/** The labelled fixtures: real-looking resident messages with their category and urgency. */
export function loadDemandTexts(): LabelledDemand[] {
  const read = (name: string) =>
    JSON.parse(readFileSync(fileURLToPath(new URL(`../../tests/fixtures/${name}`, import.meta.url)), 'utf8')) as LabelledDemand[];
  // The training set moved under src/ (issue 11): the product reads it at run time.
  const training = JSON.parse(
    readFileSync(fileURLToPath(new URL('../../src/modules/classification/training/demands.json', import.meta.url)), 'utf8'),
  ) as LabelledDemand[];
  return [...training, ...read('demands.holdout.json')];
}

const LEADING_MARKER = /^(?:@小格\s*|报事\s*|投诉\s*|求助\s*|反映一下\s*|反映\s*|#\s*)+/u;
const PREFIXES = ['', '', '', '@小格 ', '报事 ', '投诉 ', '求助 ', '反映一下 ', '#'];
const ESTATES = [
  '阳光花园', '锦绣家园', '滨江华府', '幸福里', '金色家园', '翠湖苑', '和平新村', '文化路小区', '建设新村', '东湖名苑',
  '丽景湾', '书香门第', '南苑小区', '康乐小区', '水岸名都', '梧桐雅居', '职工宿舍', '老供销社宿舍', '新城花园', '枫林小区',
];
const SPOTS = ['南门', '北门', '东门口', '菜市场旁边', '幼儿园门口', '小学后门', '公交站旁', '篮球场边上', '地下车库入口', '快递柜旁边'];
const SUFFIXES = [
  '，麻烦尽快处理', '，谢谢', '，已经好几天了', '，希望有人管管', '！', '，老人小孩都不安全', '，跟物业说了没用',
  '，打过电话没人接', '，影响大家休息', '，请社区帮忙协调', '。拜托了', '，上周也反映过',
];

/**
 * A realistic stream of demands: the fixture messages, each varied the way residents vary them (another
 * building number, a named estate or spot, a trigger word, a closing plea), so texts repeat in meaning but
 * rarely verbatim, as on a real hotline.
 */
export function createDemandTextSource({ rng, base = loadDemandTexts() }: { rng: Rng; base?: LabelledDemand[] }) {
  const stripped = base.map((d) => ({ ...d, body: d.text.replace(LEADING_MARKER, '').trim() }));
  const byCategory = new Map<string, typeof stripped>();
  for (const d of stripped) byCategory.set(d.category, [...(byCategory.get(d.category) ?? []), d]);
  const categories = [...byCategory.keys()];

  const vary = (body: string) => {
    let text = body.replace(/[0-9０-９]+/g, () => String(rng.int(1, 36)));
    if (rng.chance(0.3)) text = `${rng.pick(ESTATES)}${rng.int(1, 28)}号楼${rng.chance(0.4) ? `${rng.int(1, 6)}单元` : ''}，${text}`;
    else if (rng.chance(0.15)) text = `${rng.pick(ESTATES)}${rng.pick(SPOTS)}，${text}`;
    if (rng.chance(0.35)) text = text.replace(/[。！!，,\s]+$/u, '') + rng.pick(SUFFIXES);
    return rng.pick(PREFIXES) + text;
  };

  return {
    categories,
    /** A demand of the given category (or any), varied. */
    next(category?: string): LabelledDemand {
      const pool = (category && byCategory.get(category)) || stripped;
      const d = rng.pick(pool);
      return { text: vary(d.body), category: d.category, urgent: d.urgent };
    },
  };
}
