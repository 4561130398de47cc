import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { migrateServer } from '../../src/db/client';

/**
 * Migrates a template database once per run on the real Postgres; every test database is a copy of it
 * (CREATE DATABASE ... TEMPLATE), which takes a fraction of a second.
 */
export default async function setup({ provide }: { provide?: unknown }) {
  void provide;
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const template = `gridline_tpl_${randomBytes(4).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${template}`);
  const url = new URL(baseUrl);
  url.pathname = `/${template}`;
  await migrateServer(url.toString());
  process.env.GRIDLINE_PG_TEMPLATE = template;
  return async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end({ timeout: 5 });
  };
}
