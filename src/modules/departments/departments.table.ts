import { boolean, index, integer, pgEnum, pgTable, serial, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from '../../db/columns';
import { categories } from '../categories/categories.table';
import { gridUnits } from '../grids/grids.table';
import { staff } from '../people/staff.table';

/** 职能部门 (城管, 市政 …), public-service companies (燃气, 供电, 供水) and an estate's 物业公司. */
export const departmentKindEnum = pgEnum('department_kind', ['department', 'company', 'property']);

/** Which days count for a department's limits: the holiday calendar's working days, or every day (utilities). */
export const departmentCalendarEnum = pgEnum('department_calendar', ['working', 'every_day']);

/** 主办 (lead: holds the order) or 协办 (assist: works alongside and reports progress). */
export const dispatchRoleEnum = pgEnum('dispatch_role', ['lead', 'assist']);

export const departmentMemberRoleEnum = pgEnum('department_member_role', ['handler', 'head']);

/**
 * A unit outside the grid tree that fixes things: orders are dispatched (分流交办) to it from the tree and it
 * answers for them with its own staff, calendar and limits. `unitId` is the area it serves: the district for a
 * district-wide department or company, the estate's community (or grid) for a 物业公司.
 */
export const departments = pgTable(
  'departments',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    /** As residents read it in "由区市政所办理". */
    name: text('name').notNull(),
    kind: departmentKindEnum('kind').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => gridUnits.id),
    calendar: departmentCalendarEnum('calendar').notNull().default('working'),
    /** 签收 limit after dispatch, in hours (working hours on a 'working' calendar, clock hours on 'every_day'). */
    signLimitHours: integer('sign_limit_hours').notNull().default(2),
    /** 办结 limit in days on its calendar, when it overrides the category's working days; null = the category's. */
    limitDays: integer('limit_days'),
    /** How long after a dispatch the department may still 退回 it (不属于本部门职责), in clock hours. */
    returnLimitHours: integer('return_limit_hours').notNull().default(24),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('departments_unit_idx').on(t.unitId)],
);

/** A member of staff working for a department: handlers take its orders, heads see all of them and decide. */
export const departmentMembers = pgTable(
  'department_members',
  {
    id: serial('id').primaryKey(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    staffId: integer('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    role: departmentMemberRoleEnum('role').notNull().default('handler'),
  },
  (t) => [
    uniqueIndex('department_members_unique').on(t.departmentId, t.staffId),
    index('department_members_staff_idx').on(t.staffId),
  ],
);

/**
 * The 派单目录: which department answers for a category in an area (`unitId` and every unit below it; null =
 * everywhere). The most specific area wins; several leads at the same depth make the entry ambiguous, and then
 * an officer dispatches by hand.
 */
export const dispatchCatalogue = pgTable(
  'dispatch_catalogue',
  {
    id: serial('id').primaryKey(),
    categoryId: integer('category_id')
      .notNull()
      .references(() => categories.id),
    unitId: integer('unit_id').references(() => gridUnits.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    role: dispatchRoleEnum('role').notNull().default('lead'),
  },
  (t) => [
    unique('dispatch_catalogue_unique').on(t.categoryId, t.unitId, t.departmentId).nullsNotDistinct(),
    index('dispatch_catalogue_category_idx').on(t.categoryId),
    index('dispatch_catalogue_department_idx').on(t.departmentId),
  ],
);

export type DepartmentRow = typeof departments.$inferSelect;
export type DepartmentMemberRow = typeof departmentMembers.$inferSelect;
export type DispatchCatalogueRow = typeof dispatchCatalogue.$inferSelect;

