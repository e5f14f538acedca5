// Child process for the crash test: rewrites one big file forever, alternating two contents, until killed.
import { createArchiveWriter } from '../writer.js';

const [root, sizeText] = process.argv.slice(2);
const size = Number(sizeText);
const versions = ['A', 'B'].map((letter) => `${letter}:${letter.repeat(size)}\n`);
const writer = createArchiveWriter(root!);
let announced = false;
for (let i = 0; ; i++) {
  await writer.write('articles/big/file.md', versions[i % 2]!);
  await writer.write(`articles/small/${i % 50}.md`, `${i}\n`);
  if (!announced) {
    process.stdout.write('ready\n');
    announced = true;
  }
}
