/**
 * Backups: the database (PGlite's data folder as a tarball, or a Postgres custom-format dump) and the attachment
 * files under DATA_DIR, in one folder with a manifest. The database is dumped first and the files copied after:
 * a file is written before its row commits, so every attachment row in the dump finds its file.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { acquireLockFile } from './lock';
import { openPglite } from './client';

const run = promisify(execFile);

export const MANIFEST = 'manifest.json';
const PGLITE_ARCHIVE = 'pglite.tar.gz';
const POSTGRES_ARCHIVE = 'postgres.dump';
const ATTACHMENTS = 'attachments';

export type Manifest = {
  format: 1;
  engine: 'pglite' | 'postgres';
  createdAt: string;
  database: string;
  /** Every attachment file, relative to DATA_DIR, with its size and SHA-256: checked after a restore. */
  attachments: { path: string; bytes: number; sha256: string }[];
};

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    // `parentPath` from Node 20.12; `path` before it.
    if (entry.isFile()) out.push(join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
  }
  return out.sort();
}

async function describe(dataDir: string, files: string[]): Promise<Manifest['attachments']> {
  const out: Manifest['attachments'] = [];
  for (const file of files) {
    const content = await readFile(file);
    out.push({ path: relative(dataDir, file), bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') });
  }
  return out;
}

/** The postgres:// URL without its password, for messages and the manifest. */
function safeUrl(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

/** Runs a Postgres client tool with the password in its environment, not on its command line (`ps` shows that). */
function pgTool(tool: 'pg_dump' | 'pg_restore', databaseUrl: string, args: string[]) {
  const password = decodeURIComponent(new URL(databaseUrl).password);
  return run(tool, [...args, `--dbname=${safeUrl(databaseUrl)}`], { env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } });
}

/** Writes a backup of the database and the attachments into `outDir` (created; must not exist or be empty). */
export async function backup({ databaseUrl, dataDir, outDir, now }: { databaseUrl?: string; dataDir: string; outDir: string; now: Date }): Promise<Manifest> {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) throw new BackupError(`${outDir} is not empty; choose a new folder for the backup`);
  await mkdir(outDir, { recursive: true });
  let engine: Manifest['engine'];
  let database: string;
  if (databaseUrl) {
    engine = 'postgres';
    database = safeUrl(databaseUrl);
    await pgTool('pg_dump', databaseUrl, ['--format=custom', '--no-owner', '--no-privileges', `--file=${join(outDir, POSTGRES_ARCHIVE)}`]);
  } else {
    engine = 'pglite';
    database = join(dataDir, 'pglite');
    // PGlite corrupts its files if two processes open them: a backup waits for no one and refuses while one runs.
    const release = acquireLockFile(join(dataDir, 'pglite.lock'));
    try {
      const { client } = await openPglite({ dataDir: database });
      try {
        const dump = await client.dumpDataDir('gzip');
        await writeFile(join(outDir, PGLITE_ARCHIVE), Buffer.from(await dump.arrayBuffer()));
      } finally {
        await client.close();
      }
    } finally {
      release();
    }
  }
  const source = join(dataDir, ATTACHMENTS);
  const files = await filesUnder(source);
  if (files.length > 0) await cp(source, join(outDir, ATTACHMENTS), { recursive: true, preserveTimestamps: true });
  const manifest: Manifest = { format: 1, engine, createdAt: now.toISOString(), database, attachments: await describe(dataDir, files) };
  await writeFile(join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function readManifest(fromDir: string): Promise<Manifest> {
  const file = join(fromDir, MANIFEST);
  if (!existsSync(file)) throw new BackupError(`${fromDir} holds no ${MANIFEST}: not a Gridline backup`);
  const manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
  if (manifest.format !== 1) throw new BackupError(`unknown backup format ${String(manifest.format)}`);
  return manifest;
}

/** Tables in the public schema: a restore goes into an empty database only. */
async function tableCount(databaseUrl: string): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from pg_tables where schemaname = 'public'`;
    return row?.n ?? 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Restores a backup into an empty database (Postgres: no tables in `public`; PGlite: no data folder yet) and the
 * attachments into DATA_DIR, then checks every attachment against the manifest. Refuses rather than overwrite.
 */
export async function restore({ databaseUrl, dataDir, fromDir }: { databaseUrl?: string; dataDir: string; fromDir: string }): Promise<Manifest> {
  const manifest = await readManifest(fromDir);
  const target = databaseUrl ? 'postgres' : 'pglite';
  if (manifest.engine !== target) {
    throw new BackupError(`this backup is of a ${manifest.engine} database; set ${manifest.engine === 'postgres' ? 'DATABASE_URL' : 'no DATABASE_URL'} to restore it`);
  }
  for (const a of manifest.attachments) {
    if (existsSync(join(dataDir, a.path))) throw new BackupError(`${join(dataDir, a.path)} exists already; restore into an empty DATA_DIR`);
  }
  if (databaseUrl) {
    if ((await tableCount(databaseUrl)) > 0) throw new BackupError(`${safeUrl(databaseUrl)} is not empty; restore into a new database`);
    await pgTool('pg_restore', databaseUrl, ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', join(fromDir, POSTGRES_ARCHIVE)]);
  } else {
    const folder = join(dataDir, 'pglite');
    const release = acquireLockFile(join(dataDir, 'pglite.lock'));
    try {
      if (existsSync(folder) && readdirSync(folder).length > 0) throw new BackupError(`${folder} is not empty; move it aside to restore`);
      const archive = new Blob([await readFile(join(fromDir, PGLITE_ARCHIVE))], { type: 'application/x-gzip' });
      const { client } = await openPglite({ dataDir: folder, loadDataDir: archive });
      await client.close();
    } finally {
      release();
    }
  }
  if (manifest.attachments.length > 0) {
    await cp(join(fromDir, ATTACHMENTS), join(dataDir, ATTACHMENTS), { recursive: true, force: false, errorOnExist: true, preserveTimestamps: true });
  }
  const restored = await describe(dataDir, manifest.attachments.map((a) => join(dataDir, a.path)));
  const bad = manifest.attachments.filter((a, i) => restored[i]?.sha256 !== a.sha256 || restored[i]?.bytes !== a.bytes);
  if (bad.length > 0) throw new BackupError(`${bad.length} attachment(s) differ from the backup, e.g. ${bad[0]!.path}`);
  return manifest;
}

