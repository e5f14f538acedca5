// Measures archive writes: files/s for N small article-like files, cold and unchanged, per sync option.
// Run: npx tsx src/adapters/archive/testdata/measure-writer.ts [count] [concurrency]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArchiveWriter, type ArchiveWriterOptions } from '../writer.js';

const count = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 16);

async function run(label: string, options: ArchiveWriterOptions): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-measure-'));
  const writer = createArchiveWriter(root, options);
  const path = (i: number): string => `articles/src${i % 30}/2023/10/${String((i % 28) + 1).padStart(2, '0')}/${String(i).padStart(4, '0')}-abcdefghijklmnop.md`;
  const body = (i: number): string => `<!--1697796901000-->\n[标题 ${i}](https://x.org/${i})\n------\n\n${'<p>正文内容。</p>\n'.repeat(20)}`;
  const pass = async (): Promise<number> => {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const i = next++;
          await writer.write(path(i), body(i));
        }
      }),
    );
    return performance.now() - started;
  };
  const cold = await pass();
  const idle = await pass();
  console.log(`${label}, concurrency ${concurrency}: ${count} files cold ${(count / (cold / 1000)).toFixed(0)} files/s (${cold.toFixed(0)} ms); unchanged ${(count / (idle / 1000)).toFixed(0)} files/s (${idle.toFixed(0)} ms)`);
  await rm(root, { recursive: true, force: true });
}

await run('fsync file (default)', {});
await run('fsync file + folder', { syncDirectories: true });
await run('no fsync', { syncFiles: false });
