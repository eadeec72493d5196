import { lstatSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';

/** Blocks the thread for `ms` without spinning (locks are held for milliseconds). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface FileLock {
  acquire(): void;
  release(): void;
}

export interface SymlinkLockOptions {
  /** A lock older than this is taken to belong to a killed process and is broken. */
  staleAfterMs?: number;
  /** Give up (throw) after waiting this long. */
  timeoutMs?: number;
}

/**
 * Optuna's JournalFileSymlinkLock: `<journal>.lock` is a symbolic link to the journal, created
 * with symlink(2), which is atomic on local filesystems and NFS alike, so our workers and Optuna's
 * can share one journal. Release renames the link away before unlinking it. Unlike Optuna we break
 * a lock older than `staleAfterMs` (a worker killed with -9 while appending), since appends hold
 * the lock for milliseconds.
 */
export function symlinkLock(targetPath: string, options: SymlinkLockOptions = {}): FileLock {
  const lockPath = `${targetPath}.lock`;
  const staleAfterMs = options.staleAfterMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 600_000;
  let held = false;
  return {
    acquire() {
      const started = Date.now();
      let waitMs = 1;
      for (;;) {
        try {
          symlinkSync(basename(targetPath), lockPath);
          held = true;
          return;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        try {
          const age = Date.now() - lstatSync(lockPath).mtimeMs;
          if (age > staleAfterMs) {
            const away = `${lockPath}.${randomUUID()}.stale`;
            renameSync(lockPath, away);
            unlinkSync(away);
            continue;
          }
        } catch {
          // vanished or broken by another waiter: try again at once
          continue;
        }
        if (Date.now() - started > timeoutMs)
          throw new Error(
            `could not lock ${targetPath} within ${timeoutMs} ms (remove ${lockPath} if no worker runs)`,
          );
        sleepSync(waitMs);
        waitMs = Math.min(waitMs * 2, 100);
      }
    },
    release() {
      if (!held) return;
      held = false;
      const away = `${lockPath}.${randomUUID()}.rename`;
      renameSync(lockPath, away);
      unlinkSync(away);
    },
  };
}
