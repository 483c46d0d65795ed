#!/usr/bin/env node
/** Entry point of the `co2sat` binary. */
import { CommanderError } from 'commander';
import { buildProgram } from './index.js';
import { ExitCode } from '../errors.js';

const program = await buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  // commander has already printed its message (unknown option, missing argument, --help).
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? ExitCode.ok : ExitCode.usage);
  throw err;
}
