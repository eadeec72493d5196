"""Reference values of packages/tune/test/parzen.test.ts (Debian python3-optuna 3.1, scipy 1.10).

Run: /usr/bin/python3 tools/golden/tune_parzen.py
Prints the two constant arrays the test holds, OPTUNA_31 and SCIPY_EXACT, so a change of the
fixture (observations, evaluation points) can be carried into the test:

- OPTUNA_31: log_pdf of Optuna 3.1's own _ParzenEstimator built from the observations on
  FloatDistribution(0, 1) with TPESampler's default settings (prior weight 1, magic clip on,
  endpoints off, default_weights).
- SCIPY_EXACT: log of the textbook mixture sum_k w_k truncnorm.pdf(x) over the same components
  (the observations plus the prior at the middle of the range, each with Optuna's sigma), so
  every component is a density on [0, 1] (what `scaleFreeDensity: false` computes).
"""
import numpy as np
from optuna.distributions import FloatDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights
from scipy.stats import truncnorm

OBSERVATIONS = [0.2, 0.5, 0.9, 0.55]
AT = [0.1, 0.3, 0.7, 0.99]
EXACT_AT = AT[:2]

parameters = _ParzenEstimatorParameters(
    consider_prior=True,
    prior_weight=1.0,
    consider_magic_clip=True,
    consider_endpoints=False,
    weights=default_weights,
    multivariate=False,
)
estimator = _ParzenEstimator(
    {"x": np.asarray(OBSERVATIONS)}, {"x": FloatDistribution(0.0, 1.0)}, parameters
)
optuna_31 = estimator.log_pdf({"x": np.asarray(AT)})

# The components Optuna built (observations then the prior), as plain truncated normals on [0, 1].
mus = estimator._mus["x"]
sigmas = estimator._sigmas["x"]
weights = estimator._weights
exact = [
    float(
        np.log(
            sum(
                w * truncnorm.pdf(x, (0 - mu) / s, (1 - mu) / s, loc=mu, scale=s)
                for w, mu, s in zip(weights, mus, sigmas)
            )
        )
    )
    for x in EXACT_AT
]

print("// mu:", ", ".join(f"{m:.4g}" for m in mus), " sigma:", ", ".join(f"{s:.4g}" for s in sigmas))
print("const OPTUNA_31 = [" + ", ".join(f"{v:.8f}" for v in optuna_31) + "];")
print("const SCIPY_EXACT = [" + ", ".join(f"{v:.11f}" for v in exact) + "];")
