/**
 * `co2sat synth --report`: a world's fleet statistics as a table in the form of domain.md's
 * "Real fleets" table (one column per fuel), for a reader to hold beside the real numbers.
 */
import { FUELS } from '../records/sites.js';
import { COOLINGS } from './fleet.js';
import type { FleetStatistics, FuelStatistics, Quartiles } from './fleetStatistics.js';

const COLUMN = 22;
const LABEL = 36;

const n2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2).replace(/^0\./, '.') : '–');
const n3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3).replace(/^0\./, '.') : '–');
const pct = (v: number | null) => (v !== null && Number.isFinite(v) ? `${Math.round(v * 100)}%` : '–');
const mw = (q: Quartiles) => `${Math.round(q.median)} [${Math.round(q.p25)}–${Math.round(q.p75)}]`;
const iqr = (q: Quartiles, f: (v: number) => string) => `${f(q.median)} [${f(q.p25)}–${f(q.p75)}]`;

const ROWS: readonly [string, (s: FuelStatistics) => string][] = [
  ['share of plants', (s) => `${pct(s.share)} (${s.plants})`],
  ['capacity MW, median [IQR]', (s) => mw(s.capacity_mw)],
  ['plant CF, median [IQR]', (s) => iqr(s.capacity_factor, n2)],
  ['plants with CF < 0.05', (s) => pct(s.below_cf_0_05)],
  ['EF t/MWh, median [IQR]', (s) => iqr(s.emission_factor, n2)],
  ['EF realised (plants that ran)', (s) => `${iqr(s.emission_factor_realised, n2)} (${s.emission_factor_realised.plants})`],
  ['CF while on, p10 / median', (s) => `${n2(s.cf_while_on.p10)} / ${n2(s.cf_while_on.median)}`],
  ['on share p10 / median / p90', (s) => `${n2(s.on_share.p10)} / ${n2(s.on_share.median)} / ${n2(s.on_share.p90)}`],
  ['on at >= 95% / < 50% of overpasses', (s) => `${pct(s.on_at_least_95pct)} / ${pct(s.on_below_half)}`],
  ['P(on→off) / P(off→on) per 5 d', (s) => `${n3(s.p_on_to_off)} / ${n3(s.p_off_to_on)}`],
  ['on/off autocorrelation (lag 1)', (s) => n2(s.on_off_autocorrelation)],
  ['on share Mar–May / other months', (s) => `${s.on_share_spring === null ? '–' : n2(s.on_share_spring)} / ${s.on_share_rest === null ? '–' : n2(s.on_share_rest)}`],
  ['plants with several units', (s) => pct(s.multi_unit)],
  ...COOLINGS.map((c) => [`cooling: ${c.replace(/_/g, ' ')}`, (s: FuelStatistics) => pct(s.cooling[c])] as [string, (s: FuelStatistics) => string]),
];

/** The statistics as a fixed-width text table with a header line and a cloud line. */
export function formatFleetReport(stats: FleetStatistics): string {
  const cell = (v: string) => v.padEnd(COLUMN);
  const lines = [
    `fleet '${stats.fleet}': ${stats.plants} plants, ${stats.overpasses} overpasses`,
    `${''.padEnd(LABEL)}${FUELS.map(cell).join('')}`.trimEnd(),
    ...ROWS.map(([label, f]) => `${label.padEnd(LABEL)}${FUELS.map((fuel) => cell(stats.by_fuel[fuel] ? f(stats.by_fuel[fuel]) : '–')).join('')}`.trimEnd()),
    `CF while on, p10 over all plants: ${n2(stats.cf_while_on_p10)}`,
    `scene cloud cover: mean ${pct(stats.cloud_cover_mean)}; by month ${Object.entries(stats.cloud_cover_by_month).map(([m, v]) => `${m} ${pct(v)}`).join(', ')}`,
  ];
  return lines.join('\n');
}
