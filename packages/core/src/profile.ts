import { checkOneOf } from './validate.ts';

/**
 * How big a pipeline run is. `demo` (default): embedded demo corpora, full-size synthetic sets, small
 * training budgets; `ci`: the same at a smaller scale; `paper`: the poster's sizes and budgets on the
 * real corpora (TUSZ_ROOT / TUDP_ROOT). Set by the Nx configuration (`-c ci`, `-c paper`) through the
 * CORPUS_TUNE_PROFILE environment variable, which every data target hashes as an input.
 */
export const PIPELINE_PROFILES = ['demo', 'ci', 'paper'] as const;
export type PipelineProfile = (typeof PIPELINE_PROFILES)[number];

export function pipelineProfile(env: NodeJS.ProcessEnv = process.env): PipelineProfile {
  const value = env.CORPUS_TUNE_PROFILE;
  if (value === undefined || value === '') return 'demo';
  return checkOneOf('CORPUS_TUNE_PROFILE', value, PIPELINE_PROFILES);
}
