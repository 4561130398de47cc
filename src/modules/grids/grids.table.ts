import { sql } from 'drizzle-orm';
import type { MultiPolygon, Polygon } from 'geojson';
import { index, integer, jsonb, pgEnum, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { createdAt } from '../../db/columns';

/** The four levels of the grid tree, bottom to top. */
export const unitLevelEnum = pgEnum('unit_level', ['grid', 'community', 'town', 'district']);

/**
 * One node of the grid tree: district (区/县) → town/street (乡镇/街道) → community/village (社区/村) → grid (网格).
 * `path` is the materialised chain of ids ("/1/3/7/"), so a subtree is one prefix match and an officer's
 * scope check needs no recursion.
 */
export const gridUnits = pgTable(
  'grid_units',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    level: unitLevelEnum('level').notNull(),
    parentId: integer('parent_id'),
    path: text('path').notNull(),
    /** Households in a grid (30–250 in practice); informational. */
    households: integer('households'),
    /**
     * The grid's boundary as a GeoJSON Polygon or MultiPolygon geometry, coordinates [lng, lat] in WGS-84 (the
     * datum of GeoJSON, browsers and Open311; GCJ-02 points from WeChat are converted before they are compared).
     * Null when none was imported. Checked by validateBoundaryImport before it is written; see docs/places.md.
     */
    boundary: jsonb('boundary').$type<Polygon | MultiPolygon>(),
    createdAt: createdAt(),
  },
  (t) => [
    index('grid_units_parent_idx').on(t.parentId),
    index('grid_units_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
  ],
);
