import { InputError } from '@corpus-tune/core';
import { Journal } from '../journal.ts';
import { PROTOCOLS, resolveProtocol, resolveProtocolOptions } from '../protocol.ts';
import type { ProtocolName, Selection } from '../protocol.ts';
import type { FrozenTrial } from '../trial.ts';
import { describeStorage, openLogStorage } from './log-storage.ts';
import type { StorageSpec } from './log-storage.ts';

export interface StoredStudy {
  trials: FrozenTrial[];
  /** The settings the study was created with (`tune:settings`), {} for a study Optuna created. */
  settings: Record<string, unknown>;
}

/** Reads one study's trials from a storage; a missing study is an error naming the storage. */
export async function readStoredStudy(spec: StorageSpec, studyName: string): Promise<StoredStudy> {
  const journal = new Journal(await openLogStorage(spec, { retrySec: 5 }));
  try {
    const state = await journal.sync();
    const study = state.studyByName(studyName);
    if (!study) {
      const names = [...state.studies.values()].map((s) => `"${s.name}"`).join(', ') || 'none';
      throw new InputError(`no study "${studyName}" in ${describeStorage(spec)} (studies: ${names})`);
    }
    return {
      trials: state.trialsOf(study.id),
      settings: (study.userAttrs['tune:settings'] ?? {}) as Record<string, unknown>,
    };
  } finally {
    await journal.close();
  }
}

/** The selection of a study's protocol, recomputed from its journal (what best.json records). */
export function selectionOf(study: StoredStudy): Selection {
  const name = study.settings.protocol;
  if (!PROTOCOLS.includes(name as ProtocolName))
    throw new InputError(`the study records no protocol (${JSON.stringify(name)}); was it made by tune run?`);
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  const topK = num(study.settings.topK);
  const retrainSeeds = num(study.settings.retrainSeeds);
  const o = resolveProtocolOptions(name as ProtocolName, String(study.settings.corpus ?? ''), {
    seed: num(study.settings.seed) ?? 1,
    ...(topK !== undefined ? { topK } : {}),
    ...(retrainSeeds !== undefined ? { retrainSeeds } : {}),
  });
  return resolveProtocol(o).select(study.trials);
}
