/**
 * Gives the whole test run one private temporary folder (TMPDIR, inherited by the test
 * workers and the CLI processes they spawn) and removes it at the end, so tests that make
 * scratch worlds, tiles and runs never leave them behind on a shared machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'co2sat-test-'));
  process.env.TMPDIR = dir;
  return () => {
    if (process.env.KEEP_TEST_TMP !== '1') rmSync(dir, { recursive: true, force: true });
  };
}
