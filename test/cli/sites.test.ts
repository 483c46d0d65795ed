/**
 * `co2sat sites import` on real extracts of the GPPD and the JRC open power plants database
 * (test/fixtures/plants). The expected plants are computed here from the fixture rows with a
 * plain split, independently of the importer.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sitesCommand } from '../../src/cli/commands/sites.js';
import { parseSites } from '../../src/records/sites.js';
import { REPO_ROOT } from '../helpers/oracle.js';
import { runCommand } from '../helpers/runCommand.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/plants');
const GPPD = path.join(FIX, 'gppd_v1.3_extract.csv');
const JRC = path.join(FIX, 'jrc_open_units_extract.csv');
const dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-sites-'));
const cli = (args: string[]) => runCommand(sitesCommand, ['import', ...args]);

/** Rows as header → cell maps; the extracts have no commas inside fields. */
function rows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const header = (head ?? '').split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((c, i) => [header[i], c.replace(/^"|"$/g, '')])));
}

describe('sites import: JRC open power plants database', () => {
  const units = rows(JRC);
  const jrcFuel: Record<string, string> = { 'Fossil Hard coal': 'coal', 'Fossil Brown coal/Lignite': 'lignite', 'Fossil Gas': 'gas', 'Fossil Oil': 'oil' };
  it('groups units into plants by eic_p, sums in-service fossil units, keeps hard coal and lignite apart', async () => {
    const out = path.join(dir, 'jrc.geojson');
    const r = await cli([JRC, '--min-capacity', '200', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const expected = new Map<string, { fuel: string; capacity: number; country: string }>();
    for (const u of units) {
      const fuel = jrcFuel[u.type_g ?? ''];
      if (fuel === undefined || u.status_g !== 'COMMISSIONED') continue;
      const p = expected.get(u.eic_p ?? '') ?? { fuel, capacity: 0, country: u.country ?? '' };
      p.capacity += Number(u.capacity_g);
      expected.set(u.eic_p ?? '', p);
    }
    const kept = [...expected.entries()].filter(([, p]) => p.capacity >= 200);
    const sites = parseSites(readFileSync(out, 'utf8'), out);
    expect(sites.map((s) => s.site_id).sort()).toEqual(kept.map(([id]) => id).sort());
    for (const [id, p] of kept) {
      const s = sites.find((x) => x.site_id === id);
      expect(s?.fuel).toBe(p.fuel);
      expect(s?.capacity_mw).toBeCloseTo(p.capacity, 6);
      expect(s?.extra).toMatchObject({ source: 'JRC-PPDB-OPEN', eic_p: id, country: p.country });
    }
    // Theiß: the 485 MW combined-cycle unit is in RESERVE, so 130 + 230 + 255.
    expect(sites.find((s) => s.site_id === '14W-KW-THE-EVN-7')?.capacity_mw).toBe(615);
    expect(sites.find((s) => s.site_id === '36W-TE-STANARI-V')?.fuel).toBe('lignite');
    expect(sites.find((s) => s.site_id === '36W-TE-TUZLA---K')?.fuel).toBe('coal');
    const json = JSON.parse(r.stdout) as { rows: number; skipped: { line: number; reason: string }[] };
    expect(json.rows).toBe(units.length);
    // Every row is either part of a site or skipped with a reason.
    const used = units.filter((u) => kept.some(([id]) => id === u.eic_p) && jrcFuel[u.type_g ?? ''] && u.status_g === 'COMMISSIONED').length;
    expect(json.skipped.length + used).toBe(units.length);
    expect(json.skipped.find((s) => s.reason.includes('RESERVE'))?.line).toBe(8);
    expect(json.skipped.some((s) => s.reason === 'not a fossil fuel co2sat models: Nuclear')).toBe(true);
  });
  it('filters by fuel, country name and bounding box', async () => {
    const out = path.join(dir, 'jrc-bih.geojson');
    const r = await cli([JRC, '--country', 'bosnia and herzegovina', '--fuel', 'coal', '--bbox', '18,44,19,45', '--out', out]);
    expect(r.code).toBe(0);
    const sites = parseSites(readFileSync(out, 'utf8'), out);
    // Tuzla (18.605, 44.52), Ugljevik (18.967, 44.682), Kakanj (18.114, 44.088); Gacko lies south of 44°.
    expect(sites.map((s) => s.site_id).sort()).toEqual(['36W-TE-KAKANJ--S', '36W-TE-TUZLA---K', '36W-TE-UGLJEVIKN']);
  });
});

describe('sites import: Global Power Plant Database', () => {
  const plants = rows(GPPD);
  it('maps Coal/Gas/Oil, reports unmappable fuels and every skipped row', async () => {
    const out = path.join(dir, 'gppd.geojson');
    const r = await cli([GPPD, '--country', 'ARG,Algeria', '--min-capacity', '100', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const fuel: Record<string, string> = { Coal: 'coal', Gas: 'gas', Oil: 'oil' };
    const expected = plants.filter((p) => fuel[p.primary_fuel ?? ''] && (p.country === 'ARG' || p.country_long === 'Algeria') && Number(p.capacity_mw) >= 100);
    const sites = parseSites(readFileSync(out, 'utf8'), out);
    expect(sites.map((s) => s.site_id)).toEqual(expected.map((p) => p.gppd_idnr));
    expected.forEach((p, i) => {
      expect(sites[i]).toMatchObject({ fuel: fuel[p.primary_fuel ?? ''], capacity_mw: Number(p.capacity_mw), lon: Number(p.longitude), lat: Number(p.latitude), name: p.name });
      expect(sites[i]?.extra).toMatchObject({ source: 'GPPD', gppd_idnr: p.gppd_idnr, country: p.country });
    });
    const json = JSON.parse(r.stdout) as { skipped: { plant_id: string; reason: string }[]; unmapped_fuels: Record<string, number> };
    expect(json.skipped).toHaveLength(plants.length - expected.length);
    expect(json.unmapped_fuels).toEqual({ Other: plants.filter((p) => p.primary_fuel === 'Other').length });
    expect(json.skipped.find((s) => s.plant_id === 'ARG0000128')?.reason).toBe('capacity 1.035 MW below the minimum 100 MW');
    expect(r.stderr).toContain('fuels that cannot be mapped (rows skipped): Other (2)');
  });
  it('a filter nothing passes: one line, exit 2, no file', async () => {
    const out = path.join(dir, 'none.geojson');
    const r = await cli([GPPD, '--country', 'NZL', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('gppd_v1.3_extract.csv: no plant passes the filters');
    expect(() => readFileSync(out)).toThrow();
  });
  it('an unknown fuel name or bad box is a usage error', async () => {
    expect((await cli([GPPD, '--fuel', 'peat'])).stderr).toContain("--fuel: unknown fuel 'peat' (valid: lignite, coal, gas, oil)");
    expect((await cli([GPPD, '--bbox', '10,50,5,55'])).code).toBe(2);
  });
});
