import type { WorkCalendar } from '../../src/modules/calendar/calendar.models';
import type { StaffAtUnit } from '../../src/modules/grids/grids.models';
import type { Person } from '../../src/modules/notifications/notifications.models';
import type { outbox } from '../../src/modules/notifications/outbox.table';
import type { Actor } from '../../src/modules/people/people.models';
import type { pointsLedger } from '../../src/modules/points/points.table';
import type { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import type { Urgency } from '../../src/modules/work-orders/work-orders.models';
import type { orderEvents, orderSupporters, workOrders } from '../../src/modules/work-orders/work-orders.table';
import type { Rng } from '../lib/rng';
import type { SynthDistrict } from './tree';

export type OrderRow = typeof workOrders.$inferInsert;
export type EventRow = typeof orderEvents.$inferInsert;
export type OutboxRow = typeof outbox.$inferInsert;
export type SurveyRow = typeof surveyAnswers.$inferInsert;
export type PointsRow = typeof pointsLedger.$inferInsert;
export type SupporterRow = typeof orderSupporters.$inferInsert;

export type SynthCategory = { id: number; code: string; name: string; limitWorkingDays: number; urgentLimitHours: number };

/** Everything the order walks share: the district, its staff as actors, the calendar, and `now`. */
export type LifeWorld = {
  rng: Rng;
  now: Date;
  calendar: WorkCalendar;
  district: SynthDistrict;
  categoriesById: Map<number, SynthCategory>;
  staffAtUnit: Map<number, StaffAtUnit[]>;
  actors: Map<number, Extract<Actor, { kind: 'staff' }>>;
  people: Map<number, Person>;
  unitNames: Map<number, string>;
  deadlineMemo: Map<string, number>;
};

export type OrderInput = {
  id: number;
  no: number;
  createdAt: Date;
  gridId: number;
  residentId: number;
  categoryId: number;
  urgency: Urgency;
  text: string;
  searchTokens: string;
  channel: 'group' | 'direct' | 'open311' | 'console';
  chatGroupId: number | null;
  locationText: string | null;
  lat: number | null;
  lng: number | null;
  /** An earlier open order of the same grid, for a 并单. */
  mergeTarget: { id: number; no: number } | null;
};

export type OrderLife = {
  order: OrderRow;
  events: EventRow[];
  outbox: OutboxRow[];
  surveys: SurveyRow[];
  points: PointsRow[];
  supporters: SupporterRow[];
  /** Whether the order is still being worked on at `now`. */
  open: boolean;
};

/** The columns the jobs set so that each reminder goes out once. */
export type Markers = Partial<
  Pick<
    OrderRow,
    | 'surveySentAt'
    | 'surveyRemindedAt'
    | 'signRemindedAt'
    | 'reminded75At'
    | 'remindedLastDayAt'
    | 'urgentRemindedAt'
    | 'overdueNoticeAt'
    | 'overdueEscalatedAt'
    | 'wasOverdue'
  >
>;
