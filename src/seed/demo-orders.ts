/**
 * A few located open orders for the demo district, so that a fresh `npm start` shows the maps: points inside
 * the demo grids' rectangles (WGS-84, as every stored point), some clustered, in the colours the map uses —
 * overdue, nearly due, urgent and on time. They go through submitDemand like a resident's demand in a group
 * (the clock set back for the older ones), so they are routed, limited and on the timeline like any order.
 */
import { eq } from 'drizzle-orm';
import { chatGroups } from '../modules/chat/chat.table';
import { gridUnits } from '../modules/grids/grids.table';
import { storedPoint } from '../modules/grids/places.models';
import { residents } from '../modules/people/residents.table';
import { resolveDeadline } from '../modules/work-orders/rules/order-limits.models';
import type { OrderDeps } from '../modules/work-orders/work-orders.deps';
import { submitDemand } from '../modules/work-orders/intake/submit-demand.usecases';
import { demoBoundary } from './demo-district';

const HOUR_MS = 3_600_000;

type DemoOrder = {
  key: string;
  grid: string;
  resident: string;
  text: string;
  category: string;
  urgent?: boolean;
  /** Where in the grid's rectangle, as fractions of its width and height from the south-west corner. */
  at: [number, number];
  /** How old: hours, or 'nearly_due' for an age past three quarters of its limit. */
  age: number | 'nearly_due';
};

export const DEMO_ORDERS: DemoOrder[] = [
  { key: 'lamp', grid: 'D01-T01-C01-G01', resident: '陈阿姨', text: '3号楼门口的路灯不亮了，晚上很黑', category: 'streetlight', at: [0.3, 0.6], age: 2 },
  { key: 'bins', grid: 'D01-T01-C01-G01', resident: '老王', text: '小区东门的垃圾两天没人清运，味道很大', category: 'sanitation', at: [0.72, 0.42], age: 24 * 12 },
  { key: 'bins2', grid: 'D01-T01-C01-G01', resident: '小林', text: '东门旁边绿化带里堆了装修垃圾', category: 'sanitation', at: [0.74, 0.45], age: 5 },
  { key: 'wires', grid: 'D01-T01-C01-G02', resident: '杨大爷', text: '楼道里有人拉电线给电动车充电，很危险', category: 'safety_hazard', urgent: true, at: [0.5, 0.5], age: 1 },
  { key: 'leak', grid: 'D01-T01-C01-G03', resident: '朱先生', text: '路边水管破了，一直在冒水', category: 'water_leak', at: [0.4, 0.3], age: 'nearly_due' },
  { key: 'noise', grid: 'D01-T01-C02-G01', resident: '胡奶奶', text: '晚上十点以后楼下广场舞音响太吵', category: 'noise', at: [0.55, 0.65], age: 3 },
  { key: 'road', grid: 'D01-T02-C01-G02', resident: '邓婶', text: '村口的路面塌了一个坑，电动车容易摔', category: 'road_facility', at: [0.5, 0.4], age: 24 * 9 },
  { key: 'dogs', grid: 'D01-T02-C02-G03', resident: '谢先生', text: '有人遛狗不牵绳，孩子被吓到了', category: 'dogs', at: [0.35, 0.55], age: 6 },
];

/** Creates the demo orders (once: each has a fixed source id). Returns how many were created now. */
export async function seedDemoOrders({ deps }: { deps: OrderDeps }): Promise<number> {
  const now = deps.clock.now();
  const calendar = await deps.calendar.get();
  let created = 0;
  for (const o of DEMO_ORDERS) {
    const [grid] = await deps.db.select({ id: gridUnits.id }).from(gridUnits).where(eq(gridUnits.code, o.grid));
    const [resident] = await deps.db.select({ id: residents.id }).from(residents).where(eq(residents.name, o.resident));
    const box = demoBoundary(o.grid);
    if (!grid || !resident || !box) continue;
    const [group] = await deps.db.select({ id: chatGroups.id }).from(chatGroups).where(eq(chatGroups.gridId, grid.id));
    const [[x0, y0], [x1], [, y1]] = [box.coordinates[0]![0]!, box.coordinates[0]![1]!, box.coordinates[0]![2]!];
    const point = storedPoint({ lng: x0! + (x1! - x0!) * o.at[0], lat: y0! + (y1! - y0!) * o.at[1], datum: 'wgs84' });
    let ageMs = typeof o.age === 'number' ? o.age * HOUR_MS : 0;
    if (o.age === 'nearly_due') {
      const category = await deps.categories.byCode(o.category);
      // The first whole hour back at which 80–95% of its limit has gone (working days skip weekends).
      for (let hours = 1; category && hours < 24 * 30; hours++) {
        const start = new Date(now.getTime() - hours * HOUR_MS);
        const deadline = resolveDeadline({ now: start, urgency: 'normal', category, calendar });
        const gone = (now.getTime() - start.getTime()) / (deadline.getTime() - start.getTime());
        if (gone >= 0.8 && gone < 0.95) {
          ageMs = hours * HOUR_MS;
          break;
        }
      }
    }
    const at = new Date(now.getTime() - ageMs);
    const result = await submitDemand({
      deps: { ...deps, clock: { now: () => at } },
      input: {
        sourceMessageId: `demo-order:${o.key}`,
        channel: 'group',
        residentId: resident.id,
        gridId: grid.id,
        chatGroupId: group?.id ?? null,
        text: o.text,
        lat: point?.lat ?? null,
        lng: point?.lng ?? null,
        categoryCode: o.category,
        urgent: o.urgent ?? false,
        checkDuplicates: false,
        receipt: false,
      },
    });
    if (result.outcome === 'created') created++;
  }
  return created;
}
