/**
 * The model variants `co2sat ablate` trains, by name and slug (a slug names the model folder
 * and selects the variant with --variants). No tfjs here: the CLI's help lists the slugs.
 */
import { TASKS, type PhysicsName, type Task, type TrunkTasks } from '../model/spec.js';
import type { SelectionScore } from './selectionScores.js';
import type { WeightingName } from './weighting/types.js';

export interface AblationVariant {
  name: string;
  slug: string;
  tasks: Task[];
  weighting: WeightingName;
  physics: PhysicsName;
  /** Input steps (model/inputSteps) the variant trains with; none when absent. */
  input_steps?: string[];
  /** Trains with the cooling-technology inputs (TrainConfig.cooling_input); off when absent. */
  cooling_input?: boolean;
  /** Which losses train the trunk (TrainConfig.architecture.trunk_tasks); the base config's when absent. */
  trunk_tasks?: TrunkTasks;
}

/**
 * The trunk a variant trains: its own `trunk_tasks`, else the base config's where that means
 * something for the variant. A trunk trained by activity alone needs a model that learns
 * activity beside another task (single-task activity trains its trunk by activity anyway;
 * a generation or CO₂ model would leave its trunk untrained) and a weighting that does not
 * balance gradients on the shared layer (GradNorm; buildSpec refuses it): those variants
 * run with a trunk every task trains, and the run records which it was.
 */
export function trunkTasksFor(v: AblationVariant, base: TrunkTasks | undefined): TrunkTasks {
  if (v.trunk_tasks !== undefined) return v.trunk_tasks;
  const applies = v.tasks.includes('activity') && v.tasks.length > 1 && v.weighting !== 'gradnorm';
  return base === 'activity' && applies ? 'activity' : 'all';
}

/**
 * The validation score a variant's epochs are selected by: the base config's, except that
 * `plume_activity` scores the activity task, so variants without it use `all_tasks` (and the
 * run records which).
 */
export function selectionFor(v: AblationVariant, base: SelectionScore | undefined): SelectionScore {
  return base === 'plume_activity' && v.tasks.includes('activity') ? 'plume_activity' : 'all_tasks';
}

/** The plume-aware input steps, all three (issue 15's "inputs that carry the plume"). */
export const PLUME_INPUTS = ['spectral_indices', 'background_difference', 'wind_aligned'];

export const ABLATION_VARIANTS: readonly AblationVariant[] = [
  { name: 'single-task activity', slug: 'st-activity', tasks: ['activity'], weighting: 'equal', physics: 'none' },
  { name: 'single-task generation', slug: 'st-generation', tasks: ['generation'], weighting: 'equal', physics: 'none' },
  { name: 'single-task CO₂', slug: 'st-co2', tasks: ['co2'], weighting: 'equal', physics: 'none' },
  { name: 'MTL equal', slug: 'mtl-equal', tasks: [...TASKS], weighting: 'equal', physics: 'none' },
  { name: 'MTL uncertainty', slug: 'mtl-uw', tasks: [...TASKS], weighting: 'uncertainty', physics: 'none' },
  { name: 'MTL uncertainty + soft physics', slug: 'mtl-uw-soft', tasks: [...TASKS], weighting: 'uncertainty', physics: 'soft' },
  { name: 'MTL uncertainty + hard physics', slug: 'mtl-uw-hard', tasks: [...TASKS], weighting: 'uncertainty', physics: 'hard' },
  { name: 'MTL equal + hard physics', slug: 'mtl-equal-hard', tasks: [...TASKS], weighting: 'equal', physics: 'hard' },
  { name: 'MTL DWA + hard physics', slug: 'mtl-dwa-hard', tasks: [...TASKS], weighting: 'dwa', physics: 'hard' },
  { name: 'MTL GradNorm + hard physics', slug: 'mtl-gradnorm-hard', tasks: [...TASKS], weighting: 'gradnorm', physics: 'hard' },
  { name: 'MTL equal + plume inputs', slug: 'mtl-equal-plume', tasks: [...TASKS], weighting: 'equal', physics: 'none', input_steps: PLUME_INPUTS },
  { name: 'MTL uncertainty + hard physics + plume inputs', slug: 'mtl-uw-hard-plume', tasks: [...TASKS], weighting: 'uncertainty', physics: 'hard', input_steps: PLUME_INPUTS },
  { name: 'MTL uncertainty + hard physics + near-stack change', slug: 'mtl-uw-hard-nearstack', tasks: [...TASKS], weighting: 'uncertainty', physics: 'hard', input_steps: ['near_stack_change'] },
  { name: 'MTL equal + cooling', slug: 'mtl-equal-cooling', tasks: [...TASKS], weighting: 'equal', physics: 'none', cooling_input: true },
  { name: 'MTL uncertainty + hard physics + cooling', slug: 'mtl-uw-hard-cooling', tasks: [...TASKS], weighting: 'uncertainty', physics: 'hard', cooling_input: true },
  { name: 'MTL uncertainty + hard physics + cooling + background difference', slug: 'mtl-uw-hard-cooling-bg', tasks: [...TASKS], weighting: 'uncertainty', physics: 'hard', cooling_input: true, input_steps: ['background_difference'] },
  {
    name: 'MTL uncertainty + hard physics + cooling + background difference, trunk trained by activity',
    slug: 'mtl-uw-hard-cooling-bg-acttrunk',
    tasks: [...TASKS],
    weighting: 'uncertainty',
    physics: 'hard',
    cooling_input: true,
    input_steps: ['background_difference'],
    trunk_tasks: 'activity',
  },
];
