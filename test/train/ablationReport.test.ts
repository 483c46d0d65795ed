import { describe, expect, it } from 'vitest';
import { KEPT_MARKER, withKeptSection } from '../../src/train/ablationReport.js';

describe('RESULTS.md rewrite', () => {
  it('keeps the hand-written part below the marker and replaces everything above it', () => {
    const previous = `# old table\n| a | 1 |\n\n${KEPT_MARKER}\n\n## Notes\nhand-written\n`;
    const next = withKeptSection('# new table\n| a | 2 |\n', previous);
    expect(next).toBe(`# new table\n| a | 2 |\n\n${KEPT_MARKER}\n\n## Notes\nhand-written\n`);
    expect(next).not.toContain('old table');
  });

  it('writes the rendered report alone when there is no previous file or no marker', () => {
    expect(withKeptSection('# t\n', null)).toBe('# t\n');
    expect(withKeptSection('# t\n', '# old, no marker\n')).toBe('# t\n');
  });
});
