#!/usr/bin/env node
/** Entry point of the `co2sat` binary. */
import { CommanderError } from 'commander';
import { buildProgram } from './index.js';
import { ExitCode } from '../errors.js';

const program = await buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  // commander has already printed its message (unknown option, missing argument, --help);
  // with --json a scheduler still gets one JSON object saying what went wrong.
  if (err instanceof CommanderError) {
    const code = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (code !== ExitCode.ok && process.argv.includes('--json')) {
      const message = err.message.replace(/^error: /, '');
      process.stdout.write(`${JSON.stringify({ error: message, error_kind: 'UsageError', exit_code: code })}\n`);
    }
    process.exit(code);
  }
  throw err;
}
