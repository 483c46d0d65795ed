/**
 * The validation scores training can select epochs by (TrainConfig.selection); no other
 * imports, so the CLI's help lists them without loading the trainer.
 */
export const SELECTION_SCORES = ['all_tasks', 'plume_activity'] as const;
export type SelectionScore = (typeof SELECTION_SCORES)[number];
