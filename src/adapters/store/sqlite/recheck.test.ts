import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRecheckContract } from '../contract/index.js';
import { openSqliteRecheckStore, openSqliteStore } from './index.js';

runRecheckContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'newsmirror-recheck-'));
  const file = join(dir, 'newsmirror.db');
  // The store migrates the file; the re-check store opens its own connection beside it.
  const store = openSqliteStore(file);
  const recheck = openSqliteRecheckStore(file);
  return {
    store,
    recheck,
    cleanup: async () => {
      await recheck.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
