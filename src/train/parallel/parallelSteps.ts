/**
 * Synchronous data-parallel training steps: each batch is split into contiguous shards, one
 * per worker (shardWorker.ts), the shards' gradients are summed in shard order through shared
 * memory (src/backend/parallel/trainPool.ts), and one fused Adam update (optimizer/flatAdam.ts)
 * is applied to the shared parameters the workers load for the next step. The result equals
 * single-thread training for the same seed and batches up to float summation order.
 *
 * The batches (shuffling, augmentation) are drawn on the main thread, so worker count and
 * timing never change which samples or which random draws a step sees.
 */
import { createTrainPool, type TrainPool } from '../../backend/parallel/trainPool.js';
import { splitBatch } from '../../backend/parallel/workerGroup.js';
import type { InputContext } from '../../model/inputs.js';
import type { Network } from '../../model/network.js';
import type { Likelihood, Task } from '../../model/spec.js';
import { FlatAdam } from '../optimizer/flatAdam.js';
import { FlatParams } from '../optimizer/flatParams.js';
import type { TrainSample } from '../prepare.js';
import { assertFinite, type StepResult } from '../step.js';
import type { StepContext, TaskNumbers, WeightingName, WeightingOptions } from '../weighting/index.js';
import type { ShardMessage, ShardWorkerInit } from './shardWorker.js';
import type { ShardOutcome } from './shardStep.js';

export interface ParallelSetup {
  net: Network;
  seed: number;
  tasks: readonly Task[];
  likelihood: Likelihood;
  weighting: WeightingName;
  weightingOptions: WeightingOptions;
  ctx: InputContext;
  learningRate: number;
  threads: number;
  /** Most samples a step gets (the batch size): sizes each worker's shared image slot. */
  maxBatch: number;
}

/** The worker module: the compiled .js next to this file, or this folder's .ts from the sources. */
function workerModule(): string {
  return new URL(`./shardWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
}

export class ParallelSteps {
  private constructor(
    private readonly pool: TrainPool,
    private readonly layout: FlatParams,
    private readonly adam: FlatAdam,
    private readonly tasks: readonly Task[],
    private readonly images: Float32Array,
    private readonly slotRows: number,
    private readonly pixels: number,
  ) {}

  /** Starts the workers with the network's current parameters. */
  static async start(s: ParallelSetup): Promise<ParallelSteps> {
    const layout = new FlatParams(s.net.store.list());
    // Each worker's shard images go through its own slot of shared memory, written in place
    // every step: posting them instead cost a structured-clone copy into freshly mapped memory
    // on both sides, ≈ 10 ms a step — as much as the step's compute saved by the second core.
    const threads = Math.max(1, Math.min(s.threads, s.maxBatch));
    const slotRows = Math.ceil(s.maxBatch / threads);
    const pixels = s.ctx.patchSize * s.ctx.patchSize * s.ctx.channels;
    const images = new SharedArrayBuffer(threads * slotRows * pixels * 4);
    const init: ShardWorkerInit = {
      spec: s.net.spec,
      seed: s.seed,
      tasks: [...s.tasks],
      likelihood: s.likelihood,
      weighting: s.weighting,
      weightingOptions: s.weightingOptions,
      ctx: s.ctx,
      paramNames: s.net.store.names(),
      images,
      slotFloats: slotRows * pixels,
    };
    const pool = await createTrainPool({ moduleUrl: workerModule(), init, paramCount: layout.size, workers: threads });
    layout.read(pool.params);
    return new ParallelSteps(pool, layout, new FlatAdam(layout.size, { learningRate: s.learningRate }), s.tasks, new Float32Array(images), slotRows, pixels);
  }

  get threads(): number {
    return this.pool.size;
  }

  get learningRate(): number {
    return this.adam.learningRate;
  }

  set learningRate(value: number) {
    this.adam.learningRate = value;
  }

  /** One step on `batch`; the numbers are the whole batch's, as trainStep reports them. */
  async step(batch: readonly TrainSample[], ctx: StepContext): Promise<StepResult> {
    const labelCounts = Object.fromEntries(
      (['activity', 'generation', 'co2'] as const).map((t) => [
        t,
        batch.filter((x) => (t === 'activity' ? x.truth.active : t === 'generation' ? x.truth.generation_mw : x.truth.co2_t_per_h) !== null).length,
      ]),
    ) as Record<Task, number>;
    if (batch.length > this.slotRows * this.pool.size) throw new Error(`a step of ${batch.length} samples exceeds the ${this.slotRows * this.pool.size} the workers' image slots hold`);
    const shards: ShardMessage[] = splitBatch(batch.length, this.pool.size).map(([start, n], i) => {
      const part = batch.slice(start, start + n);
      part.forEach((x, k) => {
        if (x.image.length !== this.pixels) throw new Error(`sample image has ${x.image.length} values, expected ${this.pixels}`);
        x.image.writeTo(this.images, (i * this.slotRows + k) * this.pixels);
      });
      return {
        samples: part.map((x) => ({ aux: x.aux, truth: x.truth })),
        slot: i,
        plan: { labelCounts, batchSize: batch.length, first: i === 0 },
        ctx,
      };
    });
    const { grads, results } = await this.pool.step(shards);
    const outcomes = results as ShardOutcome[];
    let total = 0;
    let penalty = 0;
    const losses: TaskNumbers = {};
    for (const o of outcomes) {
      total += o.total;
      penalty += o.penalty;
      for (const t of this.tasks) losses[t] = (losses[t] ?? 0) + (o.losses[t] ?? 0);
    }
    assertFinite(total, losses, this.tasks, ctx);
    this.adam.update(this.pool.params, grads);
    const first = outcomes[0]!;
    return { total, losses, weights: first.weights, sigmas: first.sigmas, penalty };
  }

  /** Copies the shared parameters into the main thread's network (before validating or saving). */
  syncNetwork(): void {
    this.layout.write(this.pool.params);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
