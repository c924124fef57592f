"""Baseline imputations for bench/impute-air-quality.mjs (a yardstick only, never a product dependency).

Reads a JSON file {"rows": [[number or null, ...], ...], "seed": int} (null = missing, standardised units) and
writes JSON to stdout: {"sklearn": version, "knn": rows, "mice": rows, "seconds": {...}}.
kNN: KNNImputer(n_neighbors=5), uniform weights, nan-Euclidean distance. MICE: IterativeImputer (BayesianRidge,
max_iter=10, the defaults) with random_state=seed.
Run with Debian's /usr/bin/python3 (python3-sklearn).
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.experimental import enable_iterative_imputer  # noqa: F401 (enables IterativeImputer)
from sklearn.impute import IterativeImputer, KNNImputer

data = json.load(open(sys.argv[1]))
X = np.array([[np.nan if v is None else v for v in row] for row in data["rows"]], dtype=float)
seconds = {}
t = time.perf_counter()
knn = KNNImputer(n_neighbors=5).fit_transform(X)
seconds["knn"] = time.perf_counter() - t
t = time.perf_counter()
mice = IterativeImputer(max_iter=10, random_state=data["seed"]).fit_transform(X)
seconds["mice"] = time.perf_counter() - t
json.dump({"sklearn": sklearn.__version__, "knn": knn.tolist(), "mice": mice.tolist(), "seconds": seconds}, sys.stdout)
