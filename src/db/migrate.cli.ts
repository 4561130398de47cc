/**
 * `DATABASE_URL=postgres://… npm run db:migrate`: applies the migrations to that Postgres database, as an
 * instance does at start (under the same advisory lock). A PGlite database migrates when it is opened.
 */
import { migrateServer } from './client';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required (a Postgres URL)');
  await migrateServer(url);
  console.log(`migrated ${new URL(url).pathname.slice(1)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
