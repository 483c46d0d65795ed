/**
 * The input steps' names in the order they run, without their code: the CLI's help and the
 * config checks read this, so `co2sat --help` loads no step (as physicsModes/names.ts).
 */
export const INPUT_STEP_NAMES = ['spectral_indices', 'background_difference', 'wind_aligned', 'near_stack_change'] as const;
export type InputStepName = (typeof INPUT_STEP_NAMES)[number];
