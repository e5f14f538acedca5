import { main } from '../../src/cli/main.js';

/** CliResult is what one in-process command run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** runCli runs a newsmirror command line in this process, capturing its output. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env,
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}
