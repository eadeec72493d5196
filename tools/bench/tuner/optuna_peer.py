"""Optuna's TPE on the same test functions, seeds and budgets as tools/bench/tuner/run.ts.

Run with Debian's interpreter (python3-optuna 3.1): /usr/bin/python3 optuna_peer.py '<json args>'
Prints JSON: {function: [{seed, best: {N: value}, samplerMsPerTrial}]}.
"""
import json
import math
import sys
import time
import warnings

import optuna
from optuna.samplers import TPESampler

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.WARNING)


def branin(p):
    x1, x2 = p["x1"], p["x2"]
    b = 5.1 / (4 * math.pi**2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
ALPHA = [1, 1.2, 3, 3.2]


def hartmann6(p):
    total = 0.0
    for i in range(4):
        inner = sum(A[i][j] * (p[f"x{j + 1}"] - P[i][j] * 1e-4) ** 2 for j in range(6))
        total += ALPHA[i] * math.exp(-inner)
    return -total


FUNCTIONS = {
    "branin": (branin, {"x1": (-5, 10), "x2": (0, 15)}),
    "hartmann6": (hartmann6, {f"x{j + 1}": (0, 1) for j in range(6)}),
}


class TimedTPE(TPESampler):
    """TPESampler that accumulates the time spent proposing parameters."""

    spent = 0.0

    def sample_independent(self, study, trial, param_name, param_distribution):
        t0 = time.perf_counter()
        try:
            return super().sample_independent(study, trial, param_name, param_distribution)
        finally:
            self.spent += time.perf_counter() - t0


def run(name, seed, trials):
    f, bounds = FUNCTIONS[name]
    sampler = TimedTPE(seed=seed)
    study = optuna.create_study(sampler=sampler)
    best = {}
    running = math.inf

    def objective(trial):
        p = {k: trial.suggest_float(k, lo, hi) for k, (lo, hi) in bounds.items()}
        return f(p)

    for n in range(1, max(trials) + 1):
        study.optimize(objective, n_trials=1)
        running = min(running, study.trials[-1].value)
        if n in trials:
            best[str(n)] = running
    return {"seed": seed, "best": best, "samplerMsPerTrial": 1000 * sampler.spent / max(trials)}


def main():
    args = json.loads(sys.argv[1])
    out = {name: [run(name, seed, args["trials"]) for seed in args["seeds"]] for name in args["functions"]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
