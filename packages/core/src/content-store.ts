/**
 * A content-addressed store for the pipeline's large files, so Nx caches only small manifests.
 *
 * Nx's cache keeps a full copy of a target's outputs for every version it has seen. With Arrow
 * tables, model weights, EEG caches and patch PNGs that is hundreds of MB per pipeline version at
 * demo scale and many GB at paper scale. Instead, each stage publishes its output folder: every
 * large file (by extension, `STORED_EXTENSIONS`) moves into `<store>/sha256/<ab>/<hash>` and the
 * file in `data/` becomes a hard link to it, so identical content across versions, folders and
 * stages is one inode on disk. A small `.store.json` manifest (path → hash, bytes) is what Nx
 * caches and what downstream targets hash. `checkout` re-links the files a manifest names, so a
 * folder restored by Nx (manifest only, or with stale files from another version) becomes the
 * exact version the manifest describes. Blobs are never written in place: every writer in the
 * pipeline replaces files by rename, which leaves the linked blob untouched.
 */
import {
  chmodSync,
  copyFileSync,
  constants,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic, writeJsonAtomic, tempPathFor } from './atomic-write.ts';
import { InputError, readInputText } from './errors.ts';
import { sha256File } from './hash.ts';
import { workspaceRoot } from './paths.ts';

/** Files kept in the store instead of the Nx cache; package.json outputs exclude exactly these. */
export const STORED_EXTENSIONS = ['.arrow', '.bin', '.f32', '.png'] as const;
export const STORE_MANIFEST = '.store.json';
const MANIFEST_FORMAT = 'corpus-tune-store/1';

export interface StoreManifest {
  format: typeof MANIFEST_FORMAT;
  /** Relative path (POSIX separators) → content hash and size. */
  files: Record<string, { sha256: string; bytes: number }>;
}

export interface StoreOptions {
  /** The store folder; default `$CORPUS_TUNE_STORE`, else `<workspace>/.corpus-tune/store`. */
  storeDir?: string;
}

export interface PublishSummary {
  root: string;
  files: number;
  bytes: number;
  /** Files whose content was new to the store. */
  added: number;
  /** Files replaced by a link to content the store already had. */
  deduplicated: number;
}

export interface CheckoutSummary {
  manifests: number;
  files: number;
  /** Files (re-)linked because they were missing or held other content. */
  relinked: number;
  /** Stored-extension files not named by their folder's manifest, removed. */
  removed: number;
}

export function storeDir(options: StoreOptions = {}): string {
  if (options.storeDir) return resolve(options.storeDir);
  if (process.env.CORPUS_TUNE_STORE) return resolve(process.env.CORPUS_TUNE_STORE);
  return join(workspaceRoot(), '.corpus-tune', 'store');
}

const STORE_ID_FILE = 'store-id';

/**
 * The store's identity, created with the store. Every data target hashes it (an Nx runtime input),
 * so an Nx cache entry is only a hit for the store that holds its blobs. Nx 24 shares one cache
 * between all checkouts of a workspace (`~/.nx/<workspace id>/cache`), while each checkout has its
 * own store: without the identity a fresh clone would restore another clone's manifests and find
 * none of their blobs. A new id (new store, or `rotateStoreId` after gc dropped blobs) makes every
 * data target a cache miss once, which rebuilds exactly what the store lacks.
 */
export function storeId(options: StoreOptions = {}): string {
  const path = join(storeDir(options), STORE_ID_FILE);
  if (!existsSync(path)) rotateStoreId(options);
  return readInputText(path, 'store id').trim();
}

function rotateStoreId(options: StoreOptions): void {
  const store = storeDir(options);
  mkdirSync(store, { recursive: true });
  writeFileAtomic(join(store, STORE_ID_FILE), `${randomUUID()}\n`);
}

export function isStoredFile(path: string): boolean {
  return STORED_EXTENSIONS.some((ext) => path.endsWith(ext));
}

function blobPath(store: string, sha: string): string {
  return join(store, 'sha256', sha.slice(0, 2), sha);
}

/** Every file under `dir` (relative POSIX paths, sorted), dot-folders included, our temp files not. */
function walkFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.endsWith('.tmp'))
        out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

function sameInode(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.ino === sb.ino && sa.dev === sb.dev;
  } catch {
    return false;
  }
}

let warnedCopy = false;

/**
 * Puts `target` in place as a hard link to `source` (via temp + rename, so readers never see a
 * missing file). Across filesystems a link is impossible; then it copies (reflink where the
 * filesystem can) and says so once.
 */
function linkInto(source: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    linkSync(source, tmp);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    if (!warnedCopy) {
      process.stderr.write(
        `store: ${source} and ${target} are on different filesystems; copying instead of linking\n`,
      );
      warnedCopy = true;
    }
    copyFileSync(source, tmp, constants.COPYFILE_FICLONE);
  }
  renameSync(tmp, target);
}

function touch(path: string): void {
  const now = new Date();
  utimesSync(path, now, now);
}

export function readStoreManifest(path: string): StoreManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readInputText(path, 'store manifest'));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: store manifest is not valid JSON (${(error as Error).message})`);
  }
  const manifest = parsed as Partial<StoreManifest> | null;
  if (manifest?.format !== MANIFEST_FORMAT || typeof manifest.files !== 'object' || manifest.files === null) {
    throw new InputError(`${path}: not a ${MANIFEST_FORMAT} manifest`);
  }
  for (const [rel, entry] of Object.entries(manifest.files)) {
    if (!/^[0-9a-f]{64}$/.test(entry?.sha256 ?? '') || rel.split('/').includes('..')) {
      throw new InputError(`${path}: bad entry "${rel}"`);
    }
  }
  return manifest as StoreManifest;
}

/**
 * Moves the large files under `root` into the store, links them back, and writes
 * `root/.store.json`. Idempotent and cheap on a second call: a file that is already a link to its
 * manifest's blob is not hashed again.
 */
export function publishToStore(root: string, options: StoreOptions = {}): PublishSummary {
  const store = storeDir(options);
  const manifestPath = join(root, STORE_MANIFEST);
  const previous = existsSync(manifestPath) ? readStoreManifest(manifestPath).files : {};
  const files: StoreManifest['files'] = {};
  const summary: PublishSummary = { root, files: 0, bytes: 0, added: 0, deduplicated: 0 };
  for (const rel of walkFiles(root).filter((r) => isStoredFile(r) && !isUnderOtherManifest(root, r))) {
    const path = join(root, rel);
    const bytes = lstatSync(path).size;
    const known = previous[rel];
    let sha: string;
    if (known && sameInode(path, blobPath(store, known.sha256))) {
      sha = known.sha256;
    } else {
      sha = sha256File(path);
      const blob = blobPath(store, sha);
      if (!existsSync(blob)) {
        linkInto(path, blob);
        // Read-only: a writer that tried to change a published file in place would fail loudly.
        chmodSync(blob, 0o444);
        summary.added++;
      } else if (!sameInode(path, blob)) {
        linkInto(blob, path);
        summary.deduplicated++;
      }
    }
    touch(blobPath(store, sha));
    files[rel] = { sha256: sha, bytes };
    summary.files++;
    summary.bytes += bytes;
  }
  writeJsonAtomic(manifestPath, { format: MANIFEST_FORMAT, files } satisfies StoreManifest);
  return summary;
}

/** Folders at or under `root` holding a store manifest. */
function manifestDirs(root: string): string[] {
  return walkFiles(root)
    .filter((rel) => rel === STORE_MANIFEST || rel.endsWith(`/${STORE_MANIFEST}`))
    .map((rel) => join(root, dirname(rel)));
}

/**
 * Makes every folder under `root` that has a manifest hold exactly the stored files its manifest
 * names: missing or different files are linked from the store, stored-extension files the
 * manifest does not name are removed. A blob the store no longer has is an InputError naming the
 * file and the way out (rerun the producing target without the Nx cache).
 */
export function checkoutFromStore(root: string, options: StoreOptions = {}): CheckoutSummary {
  const store = storeDir(options);
  const summary: CheckoutSummary = { manifests: 0, files: 0, relinked: 0, removed: 0 };
  const missing: string[] = [];
  for (const dir of manifestDirs(root)) {
    const manifest = readStoreManifest(join(dir, STORE_MANIFEST));
    summary.manifests++;
    for (const [rel, entry] of Object.entries(manifest.files)) {
      const path = join(dir, rel);
      const blob = blobPath(store, entry.sha256);
      summary.files++;
      if (sameInode(path, blob)) continue;
      if (!existsSync(blob)) {
        missing.push(path);
        continue;
      }
      linkInto(blob, path);
      touch(blob);
      summary.relinked++;
    }
    for (const rel of walkFiles(dir).filter(isStoredFile)) {
      if (!(rel in manifest.files) && !isUnderOtherManifest(dir, rel)) {
        rmSync(join(dir, rel));
        summary.removed++;
      }
    }
  }
  if (missing.length > 0) {
    throw new InputError(
      `${missing.length} file(s) named by store manifests are not in the store ${store} (first: ${missing[0]}); ` +
        'rerun the target that makes them without the Nx cache (npx nx run <project>:<target> --skip-nx-cache)',
    );
  }
  return summary;
}

/** A nested folder with its own manifest owns its files. */
function isUnderOtherManifest(dir: string, rel: string): boolean {
  const parts = rel.split('/');
  for (let i = parts.length - 1; i > 0; i--) {
    if (existsSync(join(dir, ...parts.slice(0, i), STORE_MANIFEST))) return true;
  }
  return false;
}

export interface GcSummary {
  blobs: number;
  bytes: number;
  removed: number;
  removedBytes: number;
}

/**
 * Bounds the store: blobs no file in a data tree links to (link count 1) are removed, least
 * recently published or checked out first, until the store holds at most `maxBytes`. Blobs that
 * a data folder links to are never removed. Nx cache entries may still name a removed blob, so
 * removing any rotates the store id: every data target misses the Nx cache once and rebuilds,
 * rather than a later cache hit failing on a missing blob.
 */
export function gcStore(maxBytes: number, options: StoreOptions = {}): GcSummary {
  const root = join(storeDir(options), 'sha256');
  const blobs = walkFiles(root).map((rel) => {
    const path = join(root, rel);
    const st = statSync(path);
    return { path, bytes: st.size, links: st.nlink, mtimeMs: st.mtimeMs };
  });
  const summary: GcSummary = { blobs: blobs.length, bytes: 0, removed: 0, removedBytes: 0 };
  for (const b of blobs) summary.bytes += b.bytes;
  let total = summary.bytes;
  for (const b of blobs.filter((x) => x.links === 1).sort((x, y) => x.mtimeMs - y.mtimeMs)) {
    if (total <= maxBytes) break;
    rmSync(b.path);
    total -= b.bytes;
    summary.removed++;
    summary.removedBytes += b.bytes;
  }
  if (summary.removed > 0) rotateStoreId(options);
  return summary;
}
