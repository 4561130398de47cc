import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(readonly lockFile: string, readonly pid: number) {
    super(
      `The data folder is in use by another Gridline process (pid ${pid}). ` +
        `PGlite corrupts its data if two processes open it, so this one will not start. ` +
        `Stop the other process, or point DATA_DIR elsewhere, or use a real Postgres (DATABASE_URL). ` +
        `If no such process exists, delete ${lockFile}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * Who holds the lock: the pid, and — where the system has /proc — the process's start time (clock ticks after
 * boot) and the boot id. A pid alone is not enough: after a reboot or a container restart the same number
 * often belongs to another live process, and the lock would refuse for ever.
 */
export type LockHolder = { pid: number; startTicks: number | null; bootId: string | null };

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The boot id (Linux); null elsewhere. */
export function currentBootId(): string | null {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim() || null;
}

/** A process's start time in clock ticks after boot (field 22 of /proc/<pid>/stat); null without /proc or process. */
export function processStartTicks(pid: number): number | null {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return null;
  // The command name (field 2) is in parentheses and may hold spaces or parentheses: count after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? ticks : null;
}

export function lockHolderOf(pid: number): LockHolder {
  return { pid, startTicks: processStartTicks(pid), bootId: currentBootId() };
}

/** The holder written in a lock file: JSON, or a bare pid (written by older versions); null if unreadable. */
export function parseLockFile(text: string): LockHolder | null {
  const trimmed = text.trim();
  if (/^\d+$/u.test(trimmed)) return { pid: Number(trimmed), startTicks: null, bootId: null };
  try {
    const parsed = JSON.parse(trimmed) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || !Number.isSafeInteger(parsed.pid)) return null;
    return {
      pid: parsed.pid,
      startTicks: typeof parsed.startTicks === 'number' ? parsed.startTicks : null,
      bootId: typeof parsed.bootId === 'string' ? parsed.bootId : null,
    };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process that wrote the lock still runs. With /proc: the same boot, and a live process with that pid
 * that started when the holder did. Without /proc (macOS, Windows) or for a lock written by an older version:
 * whether any process has that pid — a reused pid then still refuses, and the message says which file to delete.
 */
export function holderAlive(holder: LockHolder): boolean {
  if (holder.pid === process.pid) return false;
  const bootId = currentBootId();
  if (holder.bootId !== null && bootId !== null && holder.bootId !== bootId) return false;
  if (!isAlive(holder.pid)) return false;
  if (holder.startTicks === null) return true;
  const ticks = processStartTicks(holder.pid);
  return ticks === null || ticks === holder.startTicks;
}

/**
 * Takes an exclusive lock file naming this process. A lock left by a process that is gone (dead, another boot, or
 * its pid now someone else's) is taken over; a live holder refuses. Returns the release function.
 */
export function acquireLockFile(lockFile: string): () => void {
  mkdirSync(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, JSON.stringify(lockHolderOf(process.pid)));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const text = readProc(lockFile);
      if (text === null) continue; // released meanwhile
      const holder = parseLockFile(text);
      if (holder && holderAlive(holder)) throw new DataDirLockedError(lockFile, holder.pid);
      // Stale. Moved aside rather than deleted, and checked: if another process took it over between our read
      // and the move, what we moved is its live lock, which goes back.
      const aside = `${lockFile}.stale-${process.pid}`;
      try {
        renameSync(lockFile, aside);
      } catch (renameError) {
        if ((renameError as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw renameError;
      }
      if (readProc(aside) !== text) {
        renameSync(aside, lockFile);
        continue;
      }
      rmSync(aside, { force: true });
    }
  }
  throw new Error(`Could not take the lock file ${lockFile}`);
}
