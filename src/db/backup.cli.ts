/**
 * `npm run backup [-- <folder>]`: the database (PGlite under DATA_DIR, or DATABASE_URL with pg_dump) and the
 * attachments into a new folder (default ./backups/gridline-<time>). On PGlite it refuses while Gridline runs
 * on the same DATA_DIR. See docs/reliability-notes (backups).
 */
import { join } from 'node:path';
import { parseConfig } from '../config/config';
import { backup } from './backup';

async function main(): Promise<void> {
  const config = parseConfig();
  const now = new Date();
  const outDir = process.argv[2] ?? join('backups', `gridline-${now.toISOString().replace(/[:.]/gu, '-')}`);
  const manifest = await backup({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, outDir, now });
  console.log(`backed up the ${manifest.engine} database and ${manifest.attachments.length} attachment(s) to ${outDir}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
