/**
 * `npm run restore -- <folder>`: a backup made by `npm run backup` into an empty database (DATABASE_URL: a new
 * database; else PGlite under DATA_DIR, whose pglite folder must not exist) and its attachments into DATA_DIR,
 * checked file by file against the backup's manifest. It refuses rather than overwrite anything.
 */
import { parseConfig } from '../config/config';
import { restore } from './backup';

async function main(): Promise<void> {
  const fromDir = process.argv[2];
  if (!fromDir) throw new Error('usage: npm run restore -- <backup folder>');
  const config = parseConfig();
  const manifest = await restore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, fromDir });
  console.log(`restored the ${manifest.engine} database of ${manifest.createdAt} and ${manifest.attachments.length} attachment(s)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
