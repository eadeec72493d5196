"""numpy peer for the imld-gen benchmark: draws the same mixtures as the recipes and writes .npy.

Run with Debian's python3 (/usr/bin/python3). Prints one JSON line: {"seconds": best of N, "rows": …}.
"""
import json, os, sys, tempfile, time
import numpy as np

RECIPES = sys.argv[1]
REPEATS = int(sys.argv[2]) if len(sys.argv) > 2 else 3


def inside(polygons, x, y):
    inside = np.zeros(x.shape, dtype=bool)
    for poly in polygons:
        p = np.asarray(poly, dtype=float)
        for (xi, yi), (xj, yj) in zip(p, np.roll(p, 1, axis=0)):
            cross = (yi > y) != (yj > y)
            with np.errstate(divide="ignore", invalid="ignore"):
                xint = (xj - xi) * (y - yi) / (yj - yi) + xi
            inside ^= cross & (x < xint)
    return inside


def sample_component(c, n, rng):
    if c["type"] == "gaussian":
        return rng.multivariate_normal(c["mean"], c["cov"], size=n)
    if c["type"] == "ring":
        t = rng.uniform(0, 2 * np.pi, n)
        r = rng.uniform(c["radiusMin"], c["radiusMax"], n)
        return np.stack([c["center"][0] + r * np.cos(t), c["center"][1] + r * np.sin(t)], 1)
    if c["type"] == "shapes":
        pts = np.asarray([v for poly in c["polygons"] for v in poly])
        lo, hi = pts.min(0), pts.max(0)
        out = np.empty((0, 2))
        while len(out) < n:
            cand = rng.uniform(lo, hi, size=(2 * (n - len(out)) + 16, 2))
            out = np.concatenate([out, cand[inside(c["polygons"], cand[:, 0], cand[:, 1])]])
        out = out[:n]
        return out + rng.normal(0, c["noiseStd"], size=out.shape) if c["noiseStd"] > 0 else out
    raise ValueError(c["type"])


def generate(recipe, rng, out_dir):
    rows = 0
    for split in ("train", "dev", "eval"):
        xs, labels = [], []
        for k, cls in enumerate(recipe["splits"][split]["classes"]):
            w = np.array([c.get("weight", 1.0) for c in cls["components"]])
            counts = rng.multinomial(cls["count"], w / w.sum())
            for c, m in zip(cls["components"], counts):
                xs.append(sample_component(c, m, rng))
            labels.append(np.full(cls["count"], k, dtype=np.int8))
        x = np.concatenate(xs).astype(np.float32)
        y = np.concatenate(labels)
        perm = rng.permutation(len(y))
        np.save(os.path.join(out_dir, f"{recipe['name']}_{split}_x.npy"), x[perm])
        np.save(os.path.join(out_dir, f"{recipe['name']}_{split}_label.npy"), y[perm])
        rows += len(y)
    return rows


recipes = [json.load(open(os.path.join(RECIPES, f))) for f in sorted(os.listdir(RECIPES)) if f.endswith(".json")]
best = float("inf")
for _ in range(REPEATS):
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        rng = np.random.default_rng(0)
        rows = sum(generate(r, rng, d) for r in recipes)
        best = min(best, time.perf_counter() - t)
print(json.dumps({"seconds": best, "rows": rows, "numpy": np.__version__}))
