/**
 * A varied synthetic batch for training-step tests, made in memory: random normalised
 * patches with a bright blob whose size follows generation, aux inputs across fuels and
 * capacities (some weather missing), and labels with some missing per task, so masked
 * losses and their sharding are exercised.
 */
import { BASE_AUX_FEATURES, computeAuxStats } from '../../../src/model/features.js';
import type { InputContext } from '../../../src/model/inputs.js';
import { DenseImage } from '../../../src/model/patchImage.js';
import { loadEmissionFactors } from '../../../src/model/physics.js';
import { FUELS } from '../../../src/records/sites.js';
import type { TrainSample } from '../../../src/train/prepare.js';
import { createRng } from '../../../src/train/rng.js';

export function stepBatch(n: number, opts: { size?: number; channels?: number; seed?: number } = {}): { samples: TrainSample[]; ctx: InputContext } {
  const size = opts.size ?? 16;
  const channels = opts.channels ?? 3;
  const rng = createRng(opts.seed ?? 7);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const samples: TrainSample[] = Array.from({ length: n }, (_, i) => {
    const fuel = FUELS[i % FUELS.length]!;
    const capacity = 200 + 1500 * rng();
    const active = rng() < 0.7;
    const gen = active ? capacity * (0.3 + 0.6 * rng()) : 0;
    const image = new Float32Array(size * size * channels);
    const radius = 1 + (gen / 1700) * (size / 4);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        for (let c = 0; c < channels; c++) {
          const d = Math.hypot(x - size / 2, y - size / 2);
          image[(y * size + x) * channels + c] = 0.5 * gauss() + (d < radius ? 1.5 + 0.3 * c : 0);
        }
    // Every third sample misses one label, in turn per task; one sample misses all weather.
    const missing = i % 3 === 0 ? (i / 3) % 3 : -1;
    return {
      image: new DenseImage(image, size, channels),
      aux: {
        fuel,
        capacity_mw: capacity,
        technology: null,
        temperature_c: i === 1 ? null : 10 + 8 * gauss(),
        relative_humidity: i === 1 ? null : 60 + 10 * gauss(),
        wind_u: i === 1 ? null : 4 * gauss(),
        wind_v: i === 1 ? null : 4 * gauss(),
        cloud_fraction: rng() * 0.3,
      },
      truth: {
        active: missing === 0 ? null : active,
        generation_mw: missing === 1 ? null : gen,
        co2_t_per_h: missing === 2 ? null : gen * (fuel === 'gas' ? 0.39 : 1),
        fuel,
        capacity_mw: capacity,
      },
      site_id: `S${i}`,
      time_ms: i * 86_400_000,
    };
  });
  const ctx: InputContext = {
    patchSize: size,
    channels,
    auxStats: computeAuxStats(samples.map((s) => s.aux)),
    auxFeatures: BASE_AUX_FEATURES,
    efs: loadEmissionFactors(),
    scales: { generation: { mean: 500, std: 400 }, co2: { mean: 400, std: 350 } },
  };
  return { samples, ctx };
}
