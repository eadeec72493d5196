import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { InputError } from '@corpus-tune/core';
import { ANNOTATION_EXTENSIONS } from './annotations.ts';
import type { SplitName } from './options.ts';
import type { RecordingRef } from './recording.ts';

// Finding recordings in a TUSZ tree (layouts as the TUSZ v1.5.0 and v2.0 AAREADMEs give them): v2 `edf/<split>/<patient>/<session>/<montage>/
// <patient>_sNNN_tNNN.edf`, v1.5 `edf/<split>/<montage>/<nnn>/<patient>/<session>/<patient>_sNNN_tNNN.edf`,
// the annotation beside the EDF with the same base name.

export interface DiscoveredRecording extends RecordingRef {
  /** Path relative to the corpus root (what metadata records; never absolute). */
  edfRelPath: string;
  annotationRelPath: string;
  /** The TUSZ split folder the file sits in, or null. */
  folderSplit: SplitName | null;
}

export interface DiscoveryProblem {
  file: string;
  reason: string;
}

const SPLIT_FOLDERS: Record<string, SplitName> = {
  train: 'train',
  dev: 'dev',
  dev_test: 'dev',
  eval: 'eval',
};

/** `aaaaapks_s016_t001` → patient `aaaaapks`, session `s016`. */
export function parseRecordingName(name: string, file: string): { patientId: string; sessionId: string } {
  const m = /^(.+?)_(s\d+)_(t\d+)$/.exec(name);
  if (!m)
    throw new InputError(
      `file name "${name}" is not <patient>_s<NNN>_t<NNN> (TUSZ naming), so its patient is unknown`,
      { file },
    );
  return { patientId: m[1], sessionId: `${m[1]}_${m[2]}` };
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.toLowerCase().endsWith('.edf')) out.push(path);
  }
}

export function discoverRecordings(root: string): {
  recordings: DiscoveredRecording[];
  problems: DiscoveryProblem[];
} {
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new InputError('corpus root is not a directory', { file: root });
  const files: string[] = [];
  walk(root, files);
  const recordings: DiscoveredRecording[] = [];
  const problems: DiscoveryProblem[] = [];
  const seen = new Map<string, string>();
  for (const edfPath of files) {
    const rel = relative(root, edfPath);
    const name = basename(edfPath).replace(/\.edf$/i, '');
    const stem = edfPath.slice(0, -4);
    const annotationPath = ANNOTATION_EXTENSIONS.map((ext) => stem + ext).find((p) => existsSync(p));
    try {
      if (!annotationPath)
        throw new InputError(
          `no annotation file beside it (looked for ${ANNOTATION_EXTENSIONS.join(', ')})`,
          { file: rel },
        );
      const { patientId, sessionId } = parseRecordingName(name, rel);
      const previous = seen.get(name);
      if (previous) throw new InputError(`recording id "${name}" also used by ${previous}`, { file: rel });
      seen.set(name, rel);
      const folder =
        rel
          .split(sep)
          .map((p) => SPLIT_FOLDERS[p])
          .find((s) => s !== undefined) ?? null;
      recordings.push({
        recordingId: name,
        patientId,
        sessionId,
        edfPath,
        annotationPath,
        edfRelPath: rel.split(sep).join('/'),
        annotationRelPath: relative(root, annotationPath).split(sep).join('/'),
        folderSplit: folder,
      });
    } catch (error) {
      problems.push({ file: rel, reason: (error as Error).message.replace(`${rel}: `, '') });
    }
  }
  recordings.sort((a, b) => (a.recordingId < b.recordingId ? -1 : a.recordingId > b.recordingId ? 1 : 0));
  return { recordings, problems };
}
