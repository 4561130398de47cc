import type { StaffRole } from '../modules/people/people.models';

/**
 * The demo district as data: two towns, four communities, twelve grids, staff for every level (with a few
 * gaps on purpose, so routing up the tree shows), residents and one chat group per grid. Names are invented.
 */
export type DemoUnit = { code: string; name: string; children?: DemoUnit[]; households?: number };

export const DEMO_TREE: DemoUnit = {
  code: 'D01',
  name: '示范区',
  children: [
    {
      code: 'D01-T01',
      name: '东湖街道',
      children: [
        {
          code: 'D01-T01-C01',
          name: '柳岸社区',
          children: [
            { code: 'D01-T01-C01-G01', name: '柳岸社区第一网格', households: 180 },
            { code: 'D01-T01-C01-G02', name: '柳岸社区第二网格', households: 160 },
            { code: 'D01-T01-C01-G03', name: '柳岸社区第三网格', households: 210 },
          ],
        },
        {
          code: 'D01-T01-C02',
          name: '桂园社区',
          children: [
            { code: 'D01-T01-C02-G01', name: '桂园社区第一网格', households: 120 },
            { code: 'D01-T01-C02-G02', name: '桂园社区第二网格', households: 240 },
            { code: 'D01-T01-C02-G03', name: '桂园社区第三网格', households: 95 },
          ],
        },
      ],
    },
    {
      code: 'D01-T02',
      name: '西山镇',
      children: [
        {
          code: 'D01-T02-C01',
          name: '青石村',
          children: [
            { code: 'D01-T02-C01-G01', name: '青石村第一网格', households: 60 },
            { code: 'D01-T02-C01-G02', name: '青石村第二网格', households: 75 },
            { code: 'D01-T02-C01-G03', name: '青石村第三网格', households: 48 },
          ],
        },
        {
          code: 'D01-T02-C02',
          name: '南溪社区',
          children: [
            { code: 'D01-T02-C02-G01', name: '南溪社区第一网格', households: 150 },
            { code: 'D01-T02-C02-G02', name: '南溪社区第二网格', households: 130 },
            { code: 'D01-T02-C02-G03', name: '南溪社区第三网格', households: 200 },
          ],
        },
      ],
    },
  ],
};

export type DemoStaff = { name: string; phone: string; roles: { unit: string; role: StaffRole }[]; username?: string };

const grid = (c: string, g: number) => `D01-${c}-G0${g}`;

export const DEMO_STAFF: DemoStaff[] = [
  { name: '系统管理员', phone: '13800000000', roles: [{ unit: 'D01', role: 'admin' }], username: 'admin' },
  { name: '周主任', phone: '13800000001', roles: [{ unit: 'D01', role: 'officer' }] },
  { name: '吴书记', phone: '13800000010', roles: [{ unit: 'D01-T01', role: 'officer' }] },
  { name: '郑镇长', phone: '13800000020', roles: [{ unit: 'D01-T02', role: 'officer' }] },
  { name: '王主任', phone: '13800000011', roles: [{ unit: 'D01-T01-C01', role: 'officer' }] },
  { name: '冯主任', phone: '13800000012', roles: [{ unit: 'D01-T01-C02', role: 'officer' }] },
  { name: '陈支书', phone: '13800000021', roles: [{ unit: 'D01-T02-C01', role: 'officer' }] },
  { name: '褚主任', phone: '13800000022', roles: [{ unit: 'D01-T02-C02', role: 'officer' }] },
  // Grid teams ("1+X+Y"). 桂园社区第三网格 has no leader (its assistant answers) and 青石村第三网格 has nobody
  // (its orders go to the village), to show routing up the tree.
  { name: '张伟', phone: '13900000101', roles: [{ unit: grid('T01-C01', 1), role: 'leader' }] },
  { name: '李娜', phone: '13900000102', roles: [{ unit: grid('T01-C01', 1), role: 'assistant' }] },
  { name: '赵敏', phone: '13900000103', roles: [{ unit: grid('T01-C01', 1), role: 'informant' }] },
  { name: '刘洋', phone: '13900000104', roles: [{ unit: grid('T01-C01', 2), role: 'leader' }] },
  { name: '孙丽', phone: '13900000105', roles: [{ unit: grid('T01-C01', 3), role: 'leader' }] },
  { name: '钱进', phone: '13900000106', roles: [{ unit: grid('T01-C02', 1), role: 'leader' }] },
  { name: '何静', phone: '13900000107', roles: [{ unit: grid('T01-C02', 2), role: 'leader' }] },
  { name: '马超', phone: '13900000108', roles: [{ unit: grid('T01-C02', 3), role: 'assistant' }] },
  { name: '黄磊', phone: '13900000109', roles: [{ unit: grid('T02-C01', 1), role: 'leader' }] },
  { name: '林芳', phone: '13900000110', roles: [{ unit: grid('T02-C01', 2), role: 'leader' }] },
  { name: '高峰', phone: '13900000111', roles: [{ unit: grid('T02-C02', 1), role: 'leader' }] },
  { name: '罗琳', phone: '13900000112', roles: [{ unit: grid('T02-C02', 2), role: 'leader' }] },
  { name: '郭涛', phone: '13900000113', roles: [{ unit: grid('T02-C02', 3), role: 'leader' }] },
  { name: '宋雨', phone: '13900000114', roles: [{ unit: grid('T02-C02', 3), role: 'assistant' }] },
];

/** Residents per grid code; the first grid has several so the simulator has people to talk as. */
export const DEMO_RESIDENTS: { name: string; grid: string; phone?: string }[] = [
  { name: '陈阿姨', grid: grid('T01-C01', 1), phone: '13700000001' },
  { name: '老王', grid: grid('T01-C01', 1) },
  { name: '小林', grid: grid('T01-C01', 1) },
  { name: '杨大爷', grid: grid('T01-C01', 2) },
  { name: '徐女士', grid: grid('T01-C01', 2) },
  { name: '朱先生', grid: grid('T01-C01', 3) },
  { name: '胡奶奶', grid: grid('T01-C02', 1) },
  { name: '于老师', grid: grid('T01-C02', 2) },
  { name: '唐姐', grid: grid('T01-C02', 3) },
  { name: '许大哥', grid: grid('T02-C01', 1) },
  { name: '邓婶', grid: grid('T02-C01', 2) },
  { name: '曹师傅', grid: grid('T02-C01', 3) },
  { name: '彭同学', grid: grid('T02-C02', 1) },
  { name: '曾阿姨', grid: grid('T02-C02', 2) },
  { name: '谢先生', grid: grid('T02-C02', 3) },
];

/** One residents' group per grid: "<grid name>居民群". */
export function demoGroupTopic(gridName: string): string {
  return `${gridName}居民群`;
}

/** The made-up centre of the demo district (WGS-84), somewhere in Hangzhou. */
export const DEMO_ORIGIN = { lng: 120.14, lat: 30.24 } as const;
const GRID_WIDTH = 0.004; // ≈ 385 m east–west
const GRID_HEIGHT = 0.003; // ≈ 335 m north–south

/**
 * A demo grid's boundary (GeoJSON Polygon, WGS-84 [lng, lat]): the twelve grids tile a 3 × 4 block of
 * rectangles, one row per community, one column per grid number, so every demo point has exactly one grid.
 * Null for a code that is not a demo grid.
 */
export function demoBoundary(code: string): { type: 'Polygon'; coordinates: number[][][] } | null {
  const m = /^D01-T0([12])-C0([12])-G0([123])$/.exec(code);
  if (!m) return null;
  const row = (Number(m[1]) - 1) * 2 + (Number(m[2]) - 1);
  const column = Number(m[3]) - 1;
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const x0 = round(DEMO_ORIGIN.lng + column * GRID_WIDTH);
  const y0 = round(DEMO_ORIGIN.lat + row * GRID_HEIGHT);
  const x1 = round(x0 + GRID_WIDTH);
  const y1 = round(y0 + GRID_HEIGHT);
  return { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] };
}
