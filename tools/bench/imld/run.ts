// imld-gen benchmark: generate the three full-size corpora (#08–#10, 1.45 M rows) and write them as
// Arrow, against numpy drawing the same mixtures and writing .npy, in one run; prints the ratio.
// Usage: node --import tsx tools/bench/imld/run.ts [repeats]   (pin to one core: taskset -c 0 …)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { generateCorpus, listRecipes, RECIPES_DIR } from '@corpus-tune/imld-gen';

const repeats = Number(process.argv[2] ?? 3);

function ours(): { seconds: number; rows: number } {
  let best = Infinity;
  let rows = 0;
  for (let r = 0; r < repeats; r++) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-imld-'));
    const t = performance.now();
    rows = 0;
    for (const name of listRecipes()) {
      const { manifest } = generateCorpus(name, dir, { bayesDraws: 0, force: true });
      rows += manifest.splits.train.rows + manifest.splits.dev.rows + manifest.splits.eval.rows;
    }
    best = Math.min(best, (performance.now() - t) / 1000);
    rmSync(dir, { recursive: true, force: true });
  }
  return { seconds: best, rows };
}

function bayesSeconds(): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-imld-'));
  const t = performance.now();
  for (const name of listRecipes()) generateCorpus(name, dir, { force: true, scale: 0.001 });
  rmSync(dir, { recursive: true, force: true });
  return (performance.now() - t) / 1000;
}

const mine = ours();
const peer = JSON.parse(
  execFileSync(
    '/usr/bin/python3',
    [join(import.meta.dirname, 'numpy_peer.py'), RECIPES_DIR, String(repeats)],
    { encoding: 'utf8' },
  ),
) as { seconds: number; rows: number; numpy: string };
console.log(`rows: ours ${mine.rows}, numpy ${peer.rows}`);
console.log(
  `corpus-tune (Arrow): ${mine.seconds.toFixed(3)} s  ${(mine.rows / mine.seconds / 1e6).toFixed(2)} M rows/s`,
);
console.log(
  `numpy ${peer.numpy} (.npy): ${peer.seconds.toFixed(3)} s  ${(peer.rows / peer.seconds / 1e6).toFixed(2)} M rows/s`,
);
console.log(`ratio numpy/ours: ${(peer.seconds / mine.seconds).toFixed(2)}× (>1 means we are faster)`);
console.log(
  `Bayes error, 9 splits × 10^6 Monte Carlo draws (not in the ratio): ${bayesSeconds().toFixed(2)} s`,
);
