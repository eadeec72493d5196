// corpus-store: the content-addressed store around each Nx data target (see content-store.ts).
//   corpus-store checkout DIR...          link the files the manifests under DIR name (before a stage reads them)
//   corpus-store publish [--each] DIR...  move DIR's large files into the store, write DIR/.store.json
//   corpus-store gc [--max-size 4GB]      drop unlinked blobs, oldest first, down to the size
//   corpus-store id                       print the store's identity (an Nx runtime input of every data target)
//   corpus-store run [--checkout D,..] [--publish D,..] [--publish-each D,..] -- CMD ARGS...
//       the three around one stage command, which is how every Nx data target runs: the arguments Nx
//       appends (a configuration's `args`) land after CMD, where they belong.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { elapsedSec, runCli } from './cli.ts';
import { checkoutFromStore, gcStore, publishToStore, storeDir, storeId } from './content-store.ts';
import { InputError } from './errors.ts';

const USAGE =
  'usage: corpus-store checkout DIR... | publish [--each] DIR... | gc [--max-size 4GB] | id | ' +
  'run [--checkout D,..] [--publish D,..] [--publish-each D,..] -- CMD ARGS...';

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)B?$/i.exec(text.trim());
  if (!m) throw new InputError(`--max-size: expected a size like 500MB or 4GB, got "${text}"`);
  return Number(m[1]) * 1024 ** ' KMGT'.indexOf(m[2].toUpperCase() || ' ');
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function list(value: string | undefined): string[] {
  return value ? value.split(',').filter((d) => d !== '') : [];
}

function publish(dirs: string[], each: boolean): void {
  const t0 = performance.now();
  // --each: every subfolder is its own root (features writes one folder per corpus, and its
  // per-corpus Nx targets cache those folders separately).
  const roots = each
    ? dirs.flatMap((d) =>
        existsSync(d)
          ? readdirSync(d, { withFileTypes: true })
              .filter((e) => e.isDirectory())
              .map((e) => join(d, e.name))
          : [],
      )
    : dirs;
  const total = { files: 0, bytes: 0, added: 0, deduplicated: 0 };
  for (const root of roots) {
    if (!existsSync(root)) throw new InputError(`${root}: no such folder to publish`);
    const s = publishToStore(root);
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += s[key];
  }
  process.stderr.write(
    `corpus-store: published ${total.files} files (${mb(total.bytes)}; ${total.added} new, ` +
      `${total.deduplicated} deduplicated) from ${roots.join(', ')} → ${storeDir()} in ${elapsedSec(t0)}s\n`,
  );
}

function checkout(dirs: string[]): void {
  if (dirs.length === 0) return;
  const t0 = performance.now();
  const total = { manifests: 0, files: 0, relinked: 0, removed: 0 };
  for (const dir of dirs.filter((d) => existsSync(d))) {
    const s = checkoutFromStore(dir);
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += s[key];
  }
  process.stderr.write(
    `corpus-store: checked out ${total.files} files from ${total.manifests} manifests under ${dirs.join(', ')} ` +
      `(${total.relinked} relinked, ${total.removed} stale removed) in ${elapsedSec(t0)}s\n`,
  );
}

await runCli(
  'corpus-store',
  (argv) => {
    const dash = argv.indexOf('--');
    const own = dash >= 0 ? argv.slice(0, dash) : argv;
    const { values, positionals } = parseArgs({
      args: own,
      allowPositionals: true,
      options: {
        each: { type: 'boolean', default: false },
        'max-size': { type: 'string', default: '4GB' },
        checkout: { type: 'string' },
        publish: { type: 'string' },
        'publish-each': { type: 'string' },
      },
    });
    const [command, ...dirs] = positionals;
    if (command === 'publish' && dirs.length > 0) publish(dirs, values.each);
    else if (command === 'checkout' && dirs.length > 0) checkout(dirs);
    else if (command === 'id' && dirs.length === 0) process.stdout.write(`${storeId()}\n`);
    else if (command === 'gc' && dirs.length === 0) {
      const t0 = performance.now();
      const s = gcStore(parseSize(values['max-size']));
      process.stderr.write(
        `corpus-store: ${storeDir()} holds ${s.blobs - s.removed} blobs (${mb(s.bytes - s.removedBytes)}); ` +
          `removed ${s.removed} unlinked (${mb(s.removedBytes)}) in ${elapsedSec(t0)}s\n`,
      );
    } else if (command === 'run' && dirs.length === 0 && dash >= 0 && dash < argv.length - 1) {
      checkout(list(values.checkout));
      const [cmd, ...args] = argv.slice(dash + 1);
      const child = spawnSync(cmd, args, { stdio: 'inherit' });
      if (child.error) throw new InputError(`cannot run ${cmd}: ${child.error.message}`);
      if (child.status !== 0) {
        // The stage said what went wrong; publish nothing from a failed run.
        process.exitCode = child.status ?? 1;
        return;
      }
      if (values.publish) publish(list(values.publish), false);
      if (values['publish-each']) publish(list(values['publish-each']), true);
    } else throw new InputError(USAGE);
  },
  { recordForWhy: false },
);
