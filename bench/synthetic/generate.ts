import { type CalendarDay, buildWorkCalendar } from '../../src/modules/calendar/calendar.models';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { pointsLedger } from '../../src/modules/points/points.table';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import { orderEvents, orderSupporters, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { createJiebaTokenizer } from '../../src/shared/text/tokenizer';
import { copyEncoder } from '../lib/bench-db';
import { createRng, cumulativeWeights } from '../lib/rng';
import { type OrderInput, type SynthCategory, createLifeWorld, simulateOrder } from './lifecycle';
import { createDemandTextSource } from './texts';
import { type DayCount, timesOfDay } from './timeline';
import { buildDistrict } from './tree';

/** How often each kind of demand comes in (a 12345-like mix: environment, noise, parking and property lead). */
const CATEGORY_WEIGHTS: Record<string, number> = {
  sanitation: 14, noise: 12, road_occupation: 12, property_mgmt: 11, streetlight: 7, water_leak: 7, road_facility: 7,
  consultation: 8, neighbour_dispute: 6, dogs: 5, other: 5, utility_outage: 4, illegal_building: 4, safety_hazard: 4,
  greening: 4,
};
const CHANNELS = ['group', 'direct', 'open311', 'console'] as const;
const CHANNEL_WEIGHTS = cumulativeWeights([62, 28, 4, 6]);
const ESTATES = ['阳光花园', '锦绣家园', '滨江华府', '幸福里', '金色家园', '翠湖苑', '和平新村', '建设新村', '东湖名苑', '丽景湾'];

/** Everything a generator needs, plain data so it crosses to a worker thread. */
export type GeneratorSpec = {
  seed: number;
  nowMs: number;
  residents: number;
  categories: SynthCategory[];
  calendarDays: CalendarDay[];
  coveredYears: number[];
};

export type Chunk = { index: number; days: DayCount[]; firstId: number; count: number };

/** One batch of COPY text per table. */
export type Batch = { orders: string; events: string; outbox: string; surveys: string; points: string; supporters: string; count: number };
export type ChunkTotals = { rows: Record<string, number>; residentPoints: Int32Array };

export const COPY_TABLES = {
  orders: copyEncoder(workOrders, [
    'id', 'no', 'residentId', 'gridId', 'unitId', 'level', 'assigneeId', 'categoryId', 'urgency', 'status', 'text', 'searchTokens',
    'locationText', 'lat', 'lng', 'channel', 'chatGroupId', 'sourceMessageId', 'createdAt', 'assignedAt', 'acceptedAt', 'resolvedAt',
    'closedAt', 'signDeadlineAt', 'deadlineAt', 'pausedAt', 'pendingExtensionDays', 'pendingExtensionReason', 'reopenCount',
    'escalationCount', 'returnCount', 'supporters', 'mergedIntoId', 'closure', 'surveySentAt', 'surveyRemindedAt', 'signRemindedAt',
    'reminded75At', 'remindedLastDayAt', 'urgentRemindedAt', 'overdueNoticeAt', 'overdueEscalatedAt', 'wasOverdue', 'version', 'updatedAt',
  ]),
  events: copyEncoder(orderEvents, [
    'orderId', 'type', 'actorKind', 'actorStaffId', 'actorResidentId', 'channel', 'note', 'fromStatus', 'toStatus', 'fromAssigneeId',
    'toAssigneeId', 'fromUnitId', 'toUnitId', 'data', 'at',
  ]),
  outbox: copyEncoder(outbox, [
    'botAccount', 'kind', 'orderId', 'recipientType', 'staffId', 'residentId', 'chatGroupId', 'text', 'status', 'attempts',
    'nextAttemptAt', 'lastError', 'dedupeKey', 'deliveredVia', 'createdAt', 'sentAt',
  ]),
  surveys: copyEncoder(surveyAnswers, ['orderId', 'residentId', 'round', 'answer', 'comment', 'channel', 'at']),
  points: copyEncoder(pointsLedger, ['residentId', 'delta', 'reason', 'orderId', 'at']),
  supporters: copyEncoder(orderSupporters, ['orderId', 'residentId', 'chatGroupId', 'at']),
};

export const TABLE_NAMES: Record<keyof typeof COPY_TABLES, string> = {
  orders: 'work_orders',
  events: 'order_events',
  outbox: 'outbox',
  surveys: 'survey_answers',
  points: 'points_ledger',
  supporters: 'order_supporters',
};

/** The district every thread rebuilds identically from the seed. */
export function districtFor(spec: Pick<GeneratorSpec, 'seed' | 'residents'>) {
  return buildDistrict({ rng: createRng(spec.seed), residents: spec.residents });
}

/**
 * Generates the orders of one chunk of days, with their whole lives, as COPY text in batches. Each chunk has its
 * own random stream (seeded by its index), so the data set is the same however many workers share the chunks.
 */
export function createChunkGenerator(spec: GeneratorSpec) {
  const now = new Date(spec.nowMs);
  const district = districtFor(spec);
  const calendar = buildWorkCalendar({ days: spec.calendarDays, coveredYears: spec.coveredYears });
  const catByCode = new Map(spec.categories.map((c) => [c.code, c]));
  const codes = Object.keys(CATEGORY_WEIGHTS).filter((c) => catByCode.has(c));
  const codeWeights = cumulativeWeights(codes.map((c) => CATEGORY_WEIGHTS[c]!));
  const tokenize = createJiebaTokenizer();
  const shared = createLifeWorld({ rng: createRng(spec.seed), now, calendar, district, categories: spec.categories });
  const gridRng = createRng(spec.seed + 1);
  const gridWeights = cumulativeWeights(district.grids.map((g) => (g.households ?? 50) * Math.exp(gaussian(gridRng) * 0.5)));

  return function generateChunk(chunk: Chunk, onBatch: (batch: Batch) => void, batchSize = 2_000): ChunkTotals {
    const rng = createRng((spec.seed * 31 + chunk.index * 7_919 + 1) >>> 0);
    const world = { ...shared, rng };
    const texts = createDemandTextSource({ rng });
    const lastOpenInGrid = new Map<number, { id: number; no: number; at: number }>();
    const supporterKeys = new Set<string>();
    const rows: Record<string, number> = { work_orders: 0, order_events: 0, outbox: 0, survey_answers: 0, points_ledger: 0, order_supporters: 0 };
    const residentPoints = new Int32Array(district.residents.length + 1);
    let parts = emptyParts();
    let inBatch = 0;
    let id = chunk.firstId - 1;
    const flush = () => {
      if (inBatch === 0) return;
      onBatch({
        orders: parts.orders.join(''),
        events: parts.events.join(''),
        outbox: parts.outbox.join(''),
        surveys: parts.surveys.join(''),
        points: parts.points.join(''),
        supporters: parts.supporters.join(''),
        count: inBatch,
      });
      parts = emptyParts();
      inBatch = 0;
    };
    for (const day of chunk.days) {
      for (const at of timesOfDay({ rng, day, nowMs: spec.nowMs })) {
        id++;
        const createdAt = new Date(at);
        const grid = rng.weighted(district.grids, gridWeights);
        const gridResidents = district.residentsByGrid.get(grid.id)!;
        const residentId = gridResidents[Math.floor(gridResidents.length * rng.next() ** 1.8)]!;
        let demand = texts.next(rng.weighted(codes, codeWeights));
        // The fixtures over-represent emergencies (they test the urgent rules); real traffic has few.
        if (demand.urgent && rng.chance(0.7)) demand = texts.next(demand.category);
        const category = catByCode.get(demand.category) ?? catByCode.get('other')!;
        const channel = rng.weighted(CHANNELS, CHANNEL_WEIGHTS);
        const recent = lastOpenInGrid.get(grid.id);
        const input: OrderInput = {
          id,
          no: 1000 + id,
          createdAt,
          gridId: grid.id,
          residentId,
          categoryId: category.id,
          urgency: demand.urgent ? 'urgent' : 'normal',
          text: demand.text,
          searchTokens: tokenize(demand.text).join(' '),
          channel,
          chatGroupId: channel === 'group' ? district.groupByGrid.get(grid.id)! : null,
          locationText: rng.chance(0.25) ? `${rng.pick(ESTATES)}${rng.int(1, 28)}号楼` : null,
          lat: null,
          lng: null,
          mergeTarget: recent && at - recent.at < 3 * 86_400_000 && rng.chance(0.02) ? { id: recent.id, no: recent.no } : null,
        };
        if (rng.chance(0.2)) {
          input.lat = 30.2 + rng.between(-0.08, 0.08);
          input.lng = 120.2 + rng.between(-0.1, 0.1);
        }
        const life = simulateOrder(world, input);
        if (!input.mergeTarget) lastOpenInGrid.set(grid.id, { id, no: input.no, at });

        parts.orders.push(COPY_TABLES.orders.encode(life.order));
        for (const e of life.events) parts.events.push(COPY_TABLES.events.encode(e));
        for (const m of life.outbox) parts.outbox.push(COPY_TABLES.outbox.encode(m));
        for (const s of life.surveys) parts.surveys.push(COPY_TABLES.surveys.encode(s));
        for (const p of life.points) {
          parts.points.push(COPY_TABLES.points.encode(p));
          residentPoints[p.residentId] = (residentPoints[p.residentId] ?? 0) + p.delta;
        }
        for (const s of life.supporters) {
          // Joining an order twice is one supporter (mergeOrder's ON CONFLICT DO NOTHING).
          const key = `${s.orderId}:${s.residentId}`;
          if (supporterKeys.has(key)) continue;
          supporterKeys.add(key);
          parts.supporters.push(COPY_TABLES.supporters.encode(s));
          rows.order_supporters! += 1;
        }
        rows.work_orders! += 1;
        rows.order_events! += life.events.length;
        rows.outbox! += life.outbox.length;
        rows.survey_answers! += life.surveys.length;
        rows.points_ledger! += life.points.length;
        if (++inBatch >= batchSize) flush();
      }
    }
    flush();
    return { rows, residentPoints };
  };
}

function emptyParts() {
  return { orders: [] as string[], events: [] as string[], outbox: [] as string[], surveys: [] as string[], points: [] as string[], supporters: [] as string[] };
}

function gaussian(rng: { next(): number }): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}
