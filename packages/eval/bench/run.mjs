// Benchmark: k-means (10 restarts), the linear probe and kNN on 10,000 × 50 codes, median seconds over repeats.
// A scikit-learn reference (KMeans n_init=10; LogisticRegression over the same 7 strengths + refit) runs on the same
// data in the same run when Debian's /usr/bin/python3 has sklearn; it is a yardstick only, never a dependency.
// Usage: pnpm --filter @latentkit/eval bench [-- --repeats 3]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '@latentkit/core';
import { clusteringScores, kMeans, knnClassifier, linearProbe } from '../dist/index.js';

const repeatsArg = process.argv.indexOf('--repeats');
const repeats = repeatsArg > 0 ? Number(process.argv[repeatsArg + 1]) : 3;
const n = 10_000;
const dim = 50;
const classes = 10;

// Ten overlapping Gaussian classes: class means drawn N(0, 0.3²) per dimension, unit noise.
const rng = Rng.fromSeed('bench');
const means = Array.from({ length: classes }, () => Array.from({ length: dim }, () => 0.3 * rng.normal()));
const codes = [];
const labels = [];
for (let i = 0; i < n; i++) {
  const c = rng.int(classes);
  codes.push(Array.from({ length: dim }, (_, j) => means[c][j] + rng.normal()));
  labels.push(c);
}
const split = 8_000;
const train = { codes: codes.slice(0, split), labels: labels.slice(0, split) };
const test = { codes: codes.slice(split), labels: labels.slice(split) };

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(fn) {
  const seconds = [];
  let result;
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    result = fn();
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { median: median(seconds), seconds, result };
}

const km = time(() => kMeans(codes, { k: classes, restarts: 10, seed: 1 }));
const kmScores = clusteringScores(labels, km.result.assignments);
console.log(
  `k-means k=10, 10 restarts, ${n}×${dim}: median ${km.median.toFixed(3)} s over ${repeats} (${km.seconds.map((s) => s.toFixed(3)).join(', ')}); ` +
    `inertia ${km.result.inertia.toFixed(1)}, accuracy ${kmScores.accuracy.toFixed(4)}, ARI ${kmScores.ari.toFixed(4)}`,
);
const probe = time(() => linearProbe(train, test, { seed: 1 }));
console.log(
  `linear probe (7 strengths + refit) on ${split}×${dim}, test ${n - split}: median ${probe.median.toFixed(3)} s over ${repeats} ` +
    `(${probe.seconds.map((s) => s.toFixed(3)).join(', ')}); test accuracy ${probe.result.testAccuracy.toFixed(4)}, strength ${probe.result.strength}, ` +
    `iterations ${probe.result.path.map((s) => s.iterations).join('/')}`,
);
const knn = time(() => knnClassifier(train, test, { k: 5 }));
console.log(
  `kNN k=5 (${n - split} queries against ${split}×${dim}): median ${knn.median.toFixed(3)} s over ${repeats}; test accuracy ${knn.result.testAccuracy.toFixed(4)}`,
);

const python = '/usr/bin/python3';
const script = `
import json, sys, time, statistics
import numpy as np
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import adjusted_rand_score
d = json.load(open(sys.argv[1])); X = np.array(d['codes']); y = np.array(d['labels']); r = int(sys.argv[2])
def timed(f):
    s = []
    for _ in range(r):
        t = time.perf_counter(); out = f(); s.append(time.perf_counter() - t)
    return statistics.median(s), out
km_t, km = timed(lambda: KMeans(10, n_init=10, random_state=1).fit(X))
def probe():
    Xtr, ytr, Xte, yte = X[:8000], y[:8000], X[8000:], y[8000:]
    sc = StandardScaler().fit(Xtr); Xtr = sc.transform(Xtr); Xte = sc.transform(Xte)
    fit, val = np.arange(8000) % 5 != 0, np.arange(8000) % 5 == 0
    best = max(((LogisticRegression(C=1/(fit.sum()*l2), max_iter=300).fit(Xtr[fit], ytr[fit]).score(Xtr[val], ytr[val]), l2) for l2 in [1,1e-1,1e-2,1e-3,1e-4,1e-5,1e-6]))
    return LogisticRegression(C=1/(8000*best[1]), max_iter=300).fit(Xtr, ytr).score(Xte, yte)
lp_t, acc = timed(probe)
from sklearn.neighbors import KNeighborsClassifier
knn_t, knn_acc = timed(lambda: KNeighborsClassifier(5, algorithm='brute').fit(X[:8000], y[:8000]).score(X[8000:], y[8000:]))
print(json.dumps({'kmeans': km_t, 'kmeans_inertia': km.inertia_, 'kmeans_ari': adjusted_rand_score(y, km.labels_), 'probe': lp_t, 'probe_accuracy': acc, 'knn': knn_t, 'knn_accuracy': knn_acc}))
`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'latentkit-eval-bench-'));
try {
  writeFileSync(path.join(dir, 'data.json'), JSON.stringify({ codes, labels }));
  writeFileSync(path.join(dir, 'ref.py'), script);
  const ref = JSON.parse(execFileSync(python, [path.join(dir, 'ref.py'), path.join(dir, 'data.json'), String(repeats)], { encoding: 'utf8' }));
  console.log(
    `scikit-learn reference (same data, same run): k-means median ${ref.kmeans.toFixed(3)} s (inertia ${ref.kmeans_inertia.toFixed(1)}, ARI ${ref.kmeans_ari.toFixed(4)}); ` +
      `probe median ${ref.probe.toFixed(3)} s (test accuracy ${ref.probe_accuracy.toFixed(4)}); kNN median ${ref.knn.toFixed(3)} s (test accuracy ${ref.knn_accuracy.toFixed(4)})`,
  );
  console.log(`ratio latentkit / scikit-learn: k-means ${(km.median / ref.kmeans).toFixed(2)}×, probe ${(probe.median / ref.probe).toFixed(2)}×, kNN ${(knn.median / ref.knn).toFixed(2)}×`);
} catch (e) {
  console.log(`scikit-learn reference skipped: ${String(e.message).split('\n')[0]}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
