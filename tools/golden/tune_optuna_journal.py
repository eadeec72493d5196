"""Golden journal for packages/tune: a study written by Optuna itself (Debian python3-optuna 3.1).

Run: /usr/bin/python3 tools/golden/tune_optuna_journal.py
Writes packages/tune/test/golden/optuna-3.1-journal.log (the op log, with worker ids and timestamps
as Optuna wrote them) and optuna-3.1-trials.json (what Optuna reads back: number, state, params,
value, intermediate values, user attrs). The tune tests replay the log with our reader and compare.
"""
import json
import os
import warnings

import optuna

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.WARNING)

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "tune", "test", "golden")
os.makedirs(OUT, exist_ok=True)
log_path = os.path.join(OUT, "optuna-3.1-journal.log")
if os.path.exists(log_path):
    os.remove(log_path)

storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(log_path))
study = optuna.create_study(study_name="tune", storage=storage, sampler=optuna.samplers.RandomSampler(seed=3))
study.enqueue_trial({"layers": 2, "units_0": 64, "units_1": 32, "activation": "relu", "lr": 0.001, "dropout": 0.25, "use_bn": False})


def objective(trial):
    layers = trial.suggest_int("layers", 1, 3)
    for i in range(layers):
        trial.suggest_int(f"units_{i}", 8, 128, step=8)
    act = trial.suggest_categorical("activation", ["relu", "tanh", "sigmoid"])
    lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
    trial.suggest_float("dropout", 0.0, 0.5, step=0.05)
    trial.suggest_categorical("use_bn", [False, True])
    trial.set_user_attr("devError", round(lr * 10, 6))
    if act == "sigmoid":
        trial.set_user_attr("reason", "exception: sigmoid crashed")
        raise RuntimeError("sigmoid crashed")
    for epoch in range(1, 4):
        trial.report(round(1.0 / epoch + lr, 6), epoch)
        if trial.number % 5 == 4 and epoch == 2:
            raise optuna.TrialPruned()
    return round(lr * 10 + layers / 100, 6)


study.optimize(objective, n_trials=12, catch=(RuntimeError,))
trials = [
    {
        "number": t.number,
        "state": t.state.name,
        "params": t.params,
        "value": t.value,
        "intermediate": {str(k): v for k, v in t.intermediate_values.items()},
        "userAttrs": t.user_attrs,
    }
    for t in study.trials
]
with open(os.path.join(OUT, "optuna-3.1-trials.json"), "w") as f:
    json.dump(trials, f, indent=2)
    f.write("\n")
print(f"wrote {log_path} ({len(trials)} trials)")
