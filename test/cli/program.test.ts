import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/index.js';

describe('co2sat program', () => {
  it('documents the exit codes in --help', async () => {
    const program = await buildProgram();
    const help = program.helpInformation() + '';
    let after = '';
    program.configureOutput({ writeOut: (s) => (after += s), writeErr: (s) => (after += s) });
    program.exitOverride();
    try {
      await program.parseAsync(['node', 'co2sat', '--help']);
    } catch {
      // commander throws on --help under exitOverride
    }
    expect(help).toContain('Usage: co2sat');
    expect(after).toMatch(/Exit codes:[\s\S]*2\s+usage error[\s\S]*3\s+some items failed/);
  });

  it('gives every command an Examples section and the global flags', async () => {
    const program = await buildProgram();
    for (const cmd of program.commands) {
      let text = '';
      cmd.configureOutput({ writeOut: (s) => (text += s) });
      cmd.outputHelp();
      expect(text, cmd.name()).toContain('Examples:');
      expect(text, cmd.name()).toContain('--json');
      expect(text, cmd.name()).toContain('--quiet');
    }
  });
});
