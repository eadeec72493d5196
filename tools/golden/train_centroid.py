#!/usr/bin/python3
"""Golden numbers for packages/train's nearest-centroid baseline (issue 15).

Run with Debian's scikit-learn (python3-sklearn):  /usr/bin/python3 tools/golden/train_centroid.py
Writes packages/train/test/golden/centroid.json from a synthetic fixture drawn here (numpy seed 15):
- nearestCentroid: 3 classes, 5 features on very different scales, one of them constant (its std is 0,
  StandardScaler scales it by 1); StandardScaler fitted on train, then NearestCentroid (Euclidean);
  the scaler's mean/scale, the centroids and the predicted classes of train and test.
- patchFeatures: uint8 HWC RGB patches; mean R, G, B over the patch and the mean absolute difference
  of the grey level (0.299 R + 0.587 G + 0.114 B) over all horizontally and vertically adjacent pairs.
"""
import json, os
import numpy as np
import sklearn
from sklearn.neighbors import NearestCentroid
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'packages', 'train', 'test', 'golden', 'centroid.json')
rng = np.random.RandomState(15)

CLASSES, DIM = 3, 5
SCALES = np.array([1.0, 100.0, 0.01, 5.0, 1.0])
CENTRES = rng.normal(size=(CLASSES, DIM)) * 0.8


def draw(n):
    y = np.arange(n) % CLASSES
    x = (CENTRES[y] + rng.normal(size=(n, DIM))) * SCALES
    x[:, 4] = 3.25  # constant: zero std on train
    return x, y


x_train, y_train = draw(45)
x_test, y_test = draw(30)
scaler = StandardScaler().fit(x_train)
nc = NearestCentroid().fit(scaler.transform(x_train), y_train)
predict = lambda x: nc.predict(scaler.transform(x)).tolist()

patches = rng.randint(0, 256, size=(3, 6, 5, 3)).astype(np.uint8)


def patch_features(p):
    f = p.astype(np.float64)
    g = 0.299 * f[..., 0] + 0.587 * f[..., 1] + 0.114 * f[..., 2]
    diffs = np.concatenate([np.abs(np.diff(g, axis=1)).ravel(), np.abs(np.diff(g, axis=0)).ravel()])
    return [float(f[..., 0].mean()), float(f[..., 1].mean()), float(f[..., 2].mean()), float(diffs.mean())]


golden = {
    'generator': 'tools/golden/train_centroid.py (numpy RandomState(15))',
    'sklearn': sklearn.__version__,
    'nearestCentroid': {
        'numClasses': CLASSES,
        'dim': DIM,
        'train': {'x': x_train.ravel().tolist(), 'y': y_train.tolist()},
        'test': {'x': x_test.ravel().tolist(), 'y': y_test.tolist()},
        'scalerMean': scaler.mean_.tolist(),
        'scalerScale': scaler.scale_.tolist(),
        'centroids': nc.centroids_.ravel().tolist(),
        'predictedTrain': predict(x_train),
        'predictedTest': predict(x_test),
    },
    'patchFeatures': {
        'shape': [6, 5, 3],
        'pixels': patches.ravel().tolist(),
        'features': [patch_features(p) for p in patches],
    },
}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as fh:
    json.dump(golden, fh, indent=1)
    fh.write('\n')
tr = np.mean(np.array(golden['nearestCentroid']['predictedTrain']) != y_train)
te = np.mean(np.array(golden['nearestCentroid']['predictedTest']) != y_test)
print(f'wrote {OUT}: train error {tr:.3f}, test error {te:.3f}')
