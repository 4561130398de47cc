import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, acquireLockFile, currentBootId, lockHolderOf, parseLockFile, processStartTicks } from '../../src/db/lock';

const children: ChildProcess[] = [];
let dir: string;
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function spawnSleep(): ChildProcess {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** A real second process that holds the lock the way Gridline does. */
async function spawnHolder(lockFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/hold-lock.ts'), lockFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return child;
}

const linux = existsSync('/proc/self/stat');

describe('the data folder lock', () => {
  it.runIf(linux)('takes over a lock whose pid now belongs to an unrelated process started after the lock was written', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridline-lock-'));
    const lockFile = join(dir, 'pglite.lock');
    const sleeper = spawnSleep();
    await expect.poll(() => processStartTicks(sleeper.pid!)).not.toBeNull();
    // As a Gridline before a restart would have written it: the same pid, an earlier start, this boot.
    writeFileSync(lockFile, JSON.stringify({ pid: sleeper.pid, startTicks: processStartTicks(sleeper.pid!)! - 500, bootId: currentBootId() }));
    const release = acquireLockFile(lockFile);
    expect(parseLockFile(readFileSync(lockFile, 'utf8'))).toEqual(lockHolderOf(process.pid));
    release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it.runIf(linux)('takes over a lock written before a reboot, even if its pid is alive now', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridline-lock-'));
    const lockFile = join(dir, 'pglite.lock');
    const sleeper = spawnSleep();
    await expect.poll(() => processStartTicks(sleeper.pid!)).not.toBeNull();
    writeFileSync(lockFile, JSON.stringify({ ...lockHolderOf(sleeper.pid!), bootId: 'another-boot' }));
    acquireLockFile(lockFile)();
  });

  it('takes over a lock left by a dead process', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridline-lock-'));
    const lockFile = join(dir, 'pglite.lock');
    const sleeper = spawnSleep();
    const holder = lockHolderOf(sleeper.pid!);
    sleeper.kill('SIGKILL');
    await new Promise((r) => sleeper.once('exit', r));
    writeFileSync(lockFile, JSON.stringify(holder));
    acquireLockFile(lockFile)();
  });

  it('refuses while a live Gridline process holds it, and is free once that process is gone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridline-lock-'));
    const lockFile = join(dir, 'pglite.lock');
    const holder = await spawnHolder(lockFile);
    expect(() => acquireLockFile(lockFile)).toThrow(DataDirLockedError);
    expect(() => acquireLockFile(lockFile)).toThrow(`pid ${holder.pid}`);
    // Killed without a chance to clean up: the lock file stays, and is stale.
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    expect(existsSync(lockFile)).toBe(true);
    acquireLockFile(lockFile)();
  });

  it('still refuses a bare-pid lock (older versions) whose process lives', () => {
    dir = mkdtempSync(join(tmpdir(), 'gridline-lock-'));
    const lockFile = join(dir, 'pglite.lock');
    const sleeper = spawnSleep();
    writeFileSync(lockFile, String(sleeper.pid));
    expect(() => acquireLockFile(lockFile)).toThrow(DataDirLockedError);
  });
});
