/**
 * The architecture as data: everything needed to rebuild the network from model.json.
 * Tasks, physics and likelihood are part of it because they change what the heads mean.
 */
export type Task = 'activity' | 'generation' | 'co2';
export const TASKS: readonly Task[] = ['activity', 'generation', 'co2'];
export type PhysicsName = 'none' | 'soft' | 'hard';
export type Likelihood = 'gaussian' | 'laplace';
/**
 * Which losses train the image trunk: every task's (`all`), or the activity loss alone
 * (`activity`: the regression heads read the trunk's features and P(on) without sending
 * gradients back, so generation and CO₂ — which capacity and fuel already explain — cannot
 * teach the trunk to ignore the image). The soft physics penalty, which ties P(on) to the
 * generation estimate, still reaches the trunk through the activity logit.
 */
export type TrunkTasks = 'all' | 'activity';
export const TRUNK_TASKS: readonly TrunkTasks[] = ['all', 'activity'];

export interface ModelSpec {
  /** Input bands (count = image channels). */
  bandCount: number;
  /** Patch height and width in pixels. */
  patchSize: number;
  /** Length of the aux (metadata + weather) vector. */
  auxFeatures: number;
  /** Channels of the stem convolution. */
  stemWidth: number;
  /** Stride of the stem (2 halves 64-px patches to 32 at a quarter of the cost; absent = 1). */
  stemStride?: 1 | 2;
  /** Channels per stage; each stage halves the resolution (stride-2 conv) then adds residual blocks. */
  stageWidths: number[];
  /** Residual blocks per stage. */
  blocksPerStage: number;
  /** Width of the fused (trunk + aux) hidden layer. */
  hidden: number;
  likelihood: Likelihood;
  physics: PhysicsName;
  /** Which losses train the trunk; absent = `all` (every model before this option). */
  trunkTasks?: TrunkTasks;
}

export const DEFAULT_SPEC: Omit<ModelSpec, 'bandCount' | 'patchSize' | 'auxFeatures'> = {
  stemWidth: 16,
  stemStride: 2,
  stageWidths: [16, 32],
  blocksPerStage: 1,
  hidden: 32,
  likelihood: 'gaussian',
  physics: 'hard',
};

/** Parses a task list such as `activity,generation`; errors list the valid names. */
export function parseTasks(value: string): Task[] {
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const bad = parts.filter((p) => !(TASKS as readonly string[]).includes(p));
  if (bad.length > 0 || parts.length === 0) {
    throw new Error(`unknown task '${bad[0] ?? value}' (valid: ${TASKS.join(', ')})`);
  }
  return TASKS.filter((t) => parts.includes(t));
}
