import { LEVEL_LABELS } from '../../i18n/zh-CN';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { parseCsv } from '../../shared/text/csv';
import { type UnitLevel, UNIT_LEVELS, levelRank } from './grids.models';

const e = consoleTexts.grids.errors;

export type GridCsvRow = { line: number; code: string; name: string; level: UnitLevel; parentCode: string | null; households: number | null };
export type ExistingUnitRef = { code: string; level: UnitLevel };
export type ImportError = { line: number; message: string };

const LEVEL_ALIASES = new Map<string, UnitLevel>([
  ['district', 'district'], ['区', 'district'], ['县', 'district'], ['区/县', 'district'],
  ['town', 'town'], ['街道', 'town'], ['乡镇', 'town'], ['镇', 'town'], ['乡', 'town'],
  ['community', 'community'], ['社区', 'community'], ['村', 'community'],
  ['grid', 'grid'], ['网格', 'grid'],
]);

const CODE = /^[A-Za-z0-9_-]{1,40}$/;
const HEADER_FIRST = new Set(['code', '编码']);

export function parentLevelOf(level: UnitLevel): UnitLevel | null {
  return UNIT_LEVELS[levelRank(level) + 1] ?? null;
}

/**
 * Checks a grid-tree CSV against itself and the units already in the system, reporting every problem with its
 * line. Rows come back sorted top-down (districts first), so parents are written before their children.
 * Levels only go down one step per parent, so the file cannot describe a cycle.
 */
export function planGridImport({
  text,
  existing,
}: {
  text: string;
  existing: ReadonlyMap<string, ExistingUnitRef>;
}): { ok: true; rows: GridCsvRow[] } | { ok: false; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const rows: GridCsvRow[] = [];
  const lineOfCode = new Map<string, number>();
  const parsed = parseCsv(text);
  for (const [index, { line, fields }] of parsed.entries()) {
    if (index === 0 && HEADER_FIRST.has((fields[0] ?? '').trim().toLowerCase())) continue;
    if (fields.length < 4 || fields.length > 5) {
      errors.push({ line, message: e.columns(fields.length) });
      continue;
    }
    const [code = '', name = '', levelText = '', parentText = '', householdsText = ''] = fields.map((f) => f.trim());
    const before = errors.length;
    if (!CODE.test(code)) errors.push({ line, message: e.code(code) });
    else if (lineOfCode.has(code)) errors.push({ line, message: e.duplicateCode(code, lineOfCode.get(code)!) });
    else lineOfCode.set(code, line);
    if (!name || [...name].length > 50) errors.push({ line, message: e.name });
    const level = LEVEL_ALIASES.get(levelText.toLowerCase());
    if (!level) errors.push({ line, message: e.level(levelText) });
    let households: number | null = null;
    if (householdsText !== '') {
      households = Number(householdsText);
      if (!Number.isInteger(households) || households < 0 || households > 100_000) errors.push({ line, message: e.households(householdsText) });
    }
    if (level && CODE.test(code)) {
      const known = existing.get(code);
      if (known && known.level !== level) errors.push({ line, message: e.levelChange(code, LEVEL_LABELS[known.level]) });
    }
    if (errors.length === before && level) rows.push({ line, code, name, level, parentCode: parentText || null, households });
  }

  // Parents: in the file or in the system, exactly one level up.
  const levelInFile = new Map(rows.map((r) => [r.code, r.level]));
  for (const row of rows) {
    const expected = parentLevelOf(row.level);
    if (expected === null) {
      if (row.parentCode) errors.push({ line: row.line, message: e.rootHasParent });
      continue;
    }
    if (!row.parentCode) {
      errors.push({ line: row.line, message: e.parentMissing });
      continue;
    }
    const parentLevel = levelInFile.get(row.parentCode) ?? existing.get(row.parentCode)?.level;
    if (!parentLevel) errors.push({ line: row.line, message: e.parentUnknown(row.parentCode) });
    else if (parentLevel !== expected) errors.push({ line: row.line, message: e.parentLevel(row.parentCode, LEVEL_LABELS[expected]) });
  }

  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  if (rows.length === 0) return { ok: false, errors: [{ line: 0, message: e.empty }] };
  return { ok: true, rows: rows.sort((a, b) => levelRank(b.level) - levelRank(a.level) || a.line - b.line) };
}

/** The materialised paths of a whole tree from its parent links (for re-deriving after moves and imports). */
export function derivePaths(units: readonly { id: number; parentId: number | null }[]): Map<number, string> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const paths = new Map<number, string>();
  const pathOf = (id: number, seen = new Set<number>()): string => {
    const known = paths.get(id);
    if (known) return known;
    if (seen.has(id)) throw new Error(`the grid tree has a cycle at unit ${id}`);
    seen.add(id);
    const unit = byId.get(id);
    const parent = unit?.parentId ?? null;
    const path = parent === null || !byId.has(parent) ? `/${id}/` : `${pathOf(parent, seen)}${id}/`;
    paths.set(id, path);
    return path;
  };
  for (const u of units) pathOf(u.id);
  return paths;
}
