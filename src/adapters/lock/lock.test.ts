import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from './index.js';
import { isNewsmirrorError } from '../../core/errors.js';

describe('lock', () => {
  it('LOCK-01 a second holder is refused while the first lives, and the lock is free after release', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nm-lock-'));
    try {
      const file = join(dir, 'x.lock');
      // A live process other than us holds it: our parent (the test runner) stands in for another sync.
      await writeFile(file, `${process.ppid}\nsync\n`);
      await assert.rejects(acquireLock(file, 'sync'), (error) => isNewsmirrorError(error) && error.code === 'locked');
      await rm(file);
      const lock = await acquireLock(file, 'sync');
      assert.match(await readFile(file, 'utf8'), new RegExp(`^${process.pid}\\n`));
      await lock.release();
      assert.equal(existsSync(file), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('LOCK-02 a lock left by a dead process (SIGKILLed run) is taken over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nm-lock-'));
    try {
      const file = join(dir, 'x.lock');
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
      await writeFile(file, `${dead}\nsync\n`);
      const lock = await acquireLock(file, 'sync');
      assert.match(await readFile(file, 'utf8'), new RegExp(`^${process.pid}\\n`));
      await lock.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
