import { inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { categories } from '../modules/categories/categories.table';
import { departmentMembers, departments, dispatchCatalogue } from '../modules/departments/departments.table';
import { gridUnits } from '../modules/grids/grids.table';
import { staff } from '../modules/people/staff.table';

/**
 * The demo district's 职能部门, public-service companies and one 物业公司 per estate (the three 社区; 青石村 is a
 * village without one), each with a chat identity on the mock world (so the simulator shows dispatch), and the
 * 派单目录. Only the utilities and the estates' 物业 are dispatched by the system at intake (`auto`); the rest are
 * the officers' suggestions, so the grid tree keeps the demands it handles (路灯 in the README story).
 */
type DemoDepartment = {
  code: string;
  name: string;
  kind: 'department' | 'company' | 'property';
  unit: string;
  calendar?: 'working' | 'every_day';
  signLimitHours?: number;
  limitDays?: number;
  returnLimitHours?: number;
  members: { name: string; phone: string; role?: 'handler' | 'head' }[];
};

export const DEMO_DEPARTMENTS: DemoDepartment[] = [
  { code: 'CG', name: '区城管执法局', kind: 'department', unit: 'D01', members: [{ name: '韩冰', phone: '13600000001' }] },
  { code: 'SZ', name: '区市政所', kind: 'department', unit: 'D01', members: [{ name: '蒋涛', phone: '13600000002' }] },
  { code: 'ZJ', name: '区住建局', kind: 'department', unit: 'D01', members: [{ name: '沈静', phone: '13600000003' }] },
  { code: 'GA', name: '区公安分局', kind: 'department', unit: 'D01', calendar: 'every_day', members: [{ name: '秦警官', phone: '13600000004' }] },
  { code: 'SCJG', name: '区市场监管局', kind: 'department', unit: 'D01', members: [{ name: '尤敏', phone: '13600000005' }] },
  { code: 'HB', name: '区生态环境分局', kind: 'department', unit: 'D01', members: [{ name: '施洋', phone: '13600000006' }] },
  {
    code: 'RQ',
    name: '区燃气公司',
    kind: 'company',
    unit: 'D01',
    calendar: 'every_day',
    signLimitHours: 1,
    limitDays: 2,
    returnLimitHours: 4,
    members: [
      { name: '李强', phone: '13600000011' },
      { name: '魏经理', phone: '13600000012', role: 'head' },
    ],
  },
  { code: 'GD', name: '区供电公司', kind: 'company', unit: 'D01', calendar: 'every_day', signLimitHours: 1, limitDays: 2, members: [{ name: '陶亮', phone: '13600000013' }] },
  { code: 'GS', name: '区供水公司', kind: 'company', unit: 'D01', calendar: 'every_day', signLimitHours: 1, limitDays: 2, members: [{ name: '姜山', phone: '13600000014' }] },
  { code: 'WY-LA', name: '柳岸物业', kind: 'property', unit: 'D01-T01-C01', members: [{ name: '戚红', phone: '13600000021' }] },
  { code: 'WY-GY', name: '桂园物业', kind: 'property', unit: 'D01-T01-C02', members: [{ name: '邹丽', phone: '13600000022' }] },
  { code: 'WY-NX', name: '南溪物业', kind: 'property', unit: 'D01-T02-C02', members: [{ name: '喻华', phone: '13600000023' }] },
];

type DemoEntry = { category: string; department: string; unit?: string; role?: 'lead' | 'assist'; keywords?: string[]; auto?: boolean };

const GAS = ['燃气', '煤气', '天然气', '液化气', '漏气'];

export const DEMO_CATALOGUE: DemoEntry[] = [
  { category: 'safety_hazard', department: 'RQ', keywords: GAS, auto: true },
  { category: 'utility_outage', department: 'RQ', keywords: GAS, auto: true },
  { category: 'utility_outage', department: 'GD', keywords: ['停电', '没电', '断电', '跳闸', '电压'], auto: true },
  { category: 'utility_outage', department: 'GS', keywords: ['停水', '没水', '水压', '自来水', '水管'], auto: true },
  { category: 'streetlight', department: 'SZ' },
  { category: 'road_facility', department: 'SZ' },
  { category: 'road_occupation', department: 'CG' },
  { category: 'illegal_building', department: 'CG' },
  { category: 'illegal_building', department: 'ZJ', role: 'assist' },
  { category: 'noise', department: 'CG', keywords: ['施工', '工地', '打桩'] },
  { category: 'noise', department: 'HB', keywords: ['工厂', '排风', '油烟'] },
  { category: 'dogs', department: 'GA' },
  { category: 'other', department: 'SCJG', keywords: ['食品', '过期', '无证', '假货', '缺斤短两'] },
  { category: 'property_mgmt', department: 'WY-LA', unit: 'D01-T01-C01', auto: true },
  { category: 'property_mgmt', department: 'WY-GY', unit: 'D01-T01-C02', auto: true },
  { category: 'property_mgmt', department: 'WY-NX', unit: 'D01-T02-C02', auto: true },
  // A complaint about the 物业 itself goes to its supervisor, by an officer's hand.
  { category: 'property_mgmt', department: 'ZJ', keywords: ['物业费', '业委会', '物业不作为'] },
];

/** Inserts the demo departments, their members and the catalogue (inside the demo's transaction). */
export async function seedDemoDepartments(tx: Database): Promise<void> {
  const unitRows = await tx.select({ id: gridUnits.id, code: gridUnits.code }).from(gridUnits);
  const unitId = (code: string) => {
    const found = unitRows.find((u) => u.code === code);
    if (!found) throw new Error(`demo departments name an unknown unit ${code}`);
    return found.id;
  };
  const ids = new Map<string, number>();
  for (const d of DEMO_DEPARTMENTS) {
    const [row] = await tx
      .insert(departments)
      .values({
        code: d.code,
        name: d.name,
        kind: d.kind,
        unitId: unitId(d.unit),
        calendar: d.calendar ?? 'working',
        signLimitHours: d.signLimitHours ?? 2,
        limitDays: d.limitDays ?? null,
        returnLimitHours: d.returnLimitHours ?? 24,
      })
      .returning({ id: departments.id });
    ids.set(d.code, row!.id);
    for (const m of d.members) {
      const [person] = await tx.insert(staff).values({ name: m.name, phone: m.phone }).returning({ id: staff.id });
      await tx.insert(departmentMembers).values({ departmentId: row!.id, staffId: person!.id, role: m.role ?? 'handler' });
    }
  }
  const codes = [...new Set(DEMO_CATALOGUE.map((e) => e.category))];
  const cats = await tx.select({ id: categories.id, code: categories.code }).from(categories).where(inArray(categories.code, codes));
  const categoryId = (code: string) => {
    const found = cats.find((c) => c.code === code);
    if (!found) throw new Error(`the demo catalogue names an unknown category ${code}`);
    return found.id;
  };
  await tx.insert(dispatchCatalogue).values(
    DEMO_CATALOGUE.map((e) => ({
      categoryId: categoryId(e.category),
      unitId: e.unit ? unitId(e.unit) : null,
      departmentId: ids.get(e.department)!,
      role: e.role ?? 'lead',
      keywords: e.keywords ?? [],
      auto: e.auto ?? false,
    })),
  );
}

