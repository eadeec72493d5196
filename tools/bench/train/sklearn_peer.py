#!/usr/bin/python3
"""scikit-learn peer for tools/bench/train: KNN (k, classify dev+eval against train) and a random
forest (trees, max_depth 20, one job) on the IMLD CSVs in argv[1]. Prints JSON seconds."""
import json, sys, time, os
import numpy as np
from sklearn.neighbors import KNeighborsClassifier
from sklearn.ensemble import RandomForestClassifier

d, k, trees = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
L = {s: np.loadtxt(os.path.join(d, s + '.csv'), delimiter=',') for s in ['train', 'dev', 'eval']}
t = time.perf_counter()
m = KNeighborsClassifier(n_neighbors=k, n_jobs=1).fit(L['train'][:, 1:], L['train'][:, 0])
m.predict(np.vstack([L['dev'][:, 1:], L['eval'][:, 1:]]))
knn = time.perf_counter() - t
t = time.perf_counter()
RandomForestClassifier(n_estimators=trees, max_depth=20, n_jobs=1, random_state=0).fit(L['train'][:, 1:], L['train'][:, 0])
rf = time.perf_counter() - t
print(json.dumps({'knnSec': knn, 'rfSec': rf}))
