import { open, readFile, rm } from 'node:fs/promises';
import { NewsmirrorError } from '../../core/errors.js';

/** Lock is a held exclusive lock; release it exactly once. */
export interface Lock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * acquireLock takes an exclusive lock file (`O_EXCL`) holding our pid. A lock left by a process that
 * no longer exists (a SIGKILLed run) is taken over; a live holder makes it fail with code `locked`.
 */
export async function acquireLock(file: string, purpose: string): Promise<Lock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n${purpose}\n`);
      await handle.close();
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readFile(file, 'utf8').catch(() => '');
      const pid = Number.parseInt(holder.split('\n')[0] ?? '', 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new NewsmirrorError('locked', 'cli', `another newsmirror (${holder.split('\n')[1] ?? 'run'}, pid ${pid}) holds ${file}`, {
          hint: 'wait for it to finish; the lock is taken over automatically once that process is gone',
        });
      }
      await rm(file, { force: true });
    }
  }
  throw new NewsmirrorError('locked', 'cli', `could not take the lock ${file}`);
}
