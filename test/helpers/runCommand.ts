/**
 * Runs one co2sat command in process, as the binary would, capturing what it writes and the
 * exit code it sets (commands set process.exitCode; they never call process.exit).
 */
import type { Command } from 'commander';

export async function runCommand(
  make: () => Promise<Command>,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cmd = await make();
  cmd.exitOverride();
  let stdout = '';
  let stderr = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => ((stdout += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')), true)) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await cmd.parseAsync(args, { from: 'user' });
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stdout, stderr };
}
