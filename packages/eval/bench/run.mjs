// Benchmark: k-means (10 restarts), the linear probe and kNN on 10,000 × 50 codes against scikit-learn on the same
// data in the same run, median seconds over repeats. scikit-learn (KMeans n_init=10; LogisticRegression over the same
// 7 strengths + refit; KNeighborsClassifier brute force) runs in one Debian /usr/bin/python3 process started at the
// beginning; its repeats interleave with ours, so both see the same machine load. It is a yardstick only, never a
// dependency. Both sides run every task once untimed first (JIT, imports, thread pools).
// The backend is initEngine's choice (auto: latentkit's native backend when installed); LATENTKIT_BACKEND=wasm or
// cpu picks another. Results go to bench-results/downstream.json (one entry per backend, other entries kept).
// Usage: pnpm --filter @latentkit/eval bench [-- --repeats 5]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng, initEngine, writeFileAtomic } from '@latentkit/core';
import { clusteringScores, kMeans, knnClassifier, linearProbe } from '../dist/index.js';

const repeatsArg = process.argv.indexOf('--repeats');
const repeats = repeatsArg > 0 ? Number(process.argv[repeatsArg + 1]) : 5;
const n = 10_000;
const dim = 50;
const classes = 10;
const split = 8_000;
const resultsFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bench-results/downstream.json');

const engine = await initEngine();
let blas;
if (engine.backend === 'native') {
  const status = (await import('@latentkit/backend-native')).addonStatus();
  blas =
    process.env.LATENTKIT_BLAS === 'none' ? 'none (LATENTKIT_BLAS=none): onnxruntime MLAS' : (status.blas ?? `none: ${status.blasReason ?? status.reason}`);
}

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
const train = { codes: codes.slice(0, split), labels: labels.slice(0, split) };
const test = { codes: codes.slice(split), labels: labels.slice(split) };

const ours = {
  kmeans: () => {
    const r = kMeans(codes, { k: classes, restarts: 10, seed: 1 });
    return { inertia: r.inertia, ari: clusteringScores(labels, r.assignments).ari };
  },
  probe: () => {
    const r = linearProbe(train, test, { seed: 1 });
    return { testAccuracy: r.testAccuracy, strength: r.strength, iterations: r.path.map((s) => s.iterations) };
  },
  knn: () => ({ testAccuracy: knnClassifier(train, test, { k: 5 }).testAccuracy }),
};

const script = `
import json, sys, time
import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
d = json.load(open(sys.argv[1])); X = np.array(d['codes']); y = np.array(d['labels'])
def kmeans():
    km = KMeans(10, n_init=10, random_state=1).fit(X)
    return {'inertia': float(km.inertia_), 'ari': float(adjusted_rand_score(y, km.labels_))}
def probe():
    Xtr, ytr, Xte, yte = X[:8000], y[:8000], X[8000:], y[8000:]
    sc = StandardScaler().fit(Xtr); Xtr = sc.transform(Xtr); Xte = sc.transform(Xte)
    fit, val = np.arange(8000) % 5 != 0, np.arange(8000) % 5 == 0
    best = max(((LogisticRegression(C=1/(fit.sum()*l2), max_iter=300).fit(Xtr[fit], ytr[fit]).score(Xtr[val], ytr[val]), l2) for l2 in [1,1e-1,1e-2,1e-3,1e-4,1e-5,1e-6]))
    return {'testAccuracy': float(LogisticRegression(C=1/(8000*best[1]), max_iter=300).fit(Xtr, ytr).score(Xte, yte)), 'strength': best[1]}
def knn():
    return {'testAccuracy': float(KNeighborsClassifier(5, algorithm='brute').fit(X[:8000], y[:8000]).score(X[8000:], y[8000:]))}
tasks = {'kmeans': kmeans, 'probe': probe, 'knn': knn}
print(json.dumps({'version': sklearn.__version__}), flush=True)
for line in sys.stdin:
    t = time.perf_counter(); out = tasks[line.strip()](); s = time.perf_counter() - t
    print(json.dumps({'seconds': s, 'result': out}), flush=True)
`;

/** One scikit-learn process; `run(task)` times one call of the task there. */
function startReference(dir) {
  writeFileSync(path.join(dir, 'data.json'), JSON.stringify({ codes, labels }));
  writeFileSync(path.join(dir, 'ref.py'), script);
  const child = spawn('/usr/bin/python3', [path.join(dir, 'ref.py'), path.join(dir, 'data.json')], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffered = '';
  const waiting = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    let cut = buffered.indexOf('\n');
    while (cut >= 0) {
      const line = buffered.slice(0, cut);
      buffered = buffered.slice(cut + 1);
      waiting.shift()?.resolve(JSON.parse(line));
      cut = buffered.indexOf('\n');
    }
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  const next = () =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve });
      exited.then((code) => reject(new Error(`scikit-learn process exited (${code})`)));
    });
  const ready = next();
  return {
    ready,
    run(task) {
      const answer = next();
      child.stdin.write(`${task}\n`);
      return answer;
    },
    stop() {
      child.stdin.end();
    },
  };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timeOurs(task) {
  const start = process.hrtime.bigint();
  const result = ours[task]();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'latentkit-eval-bench-'));
let reference;
try {
  reference = startReference(dir);
  reference.version = (await reference.ready).version;
} catch (e) {
  console.log(`scikit-learn reference skipped: ${String(e.message).split('\n')[0]}`);
  reference = undefined;
}
const loadBefore = os.loadavg();
console.log(
  `backend ${engine.backend} (${engine.threads} threads${blas ? `, BLAS: ${blas}` : ''}); ${repeats} repeats; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
);
const tasks = {};
const labelsOf = { kmeans: 'k-means k=10, 10 restarts, 10000×50', probe: 'linear probe, 7 strengths + refit, 8000×50', knn: 'kNN k=5, 2000 queries × 8000×50' };
try {
  for (const task of ['kmeans', 'probe', 'knn']) {
    timeOurs(task);
    if (reference) await reference.run(task);
    const mine = [];
    const theirs = [];
    let mineResult;
    let theirResult;
    for (let r = 0; r < repeats; r++) {
      const a = timeOurs(task);
      mine.push(a.seconds);
      mineResult = a.result;
      if (reference) {
        const b = await reference.run(task);
        theirs.push(b.seconds);
        theirResult = b.result;
      }
    }
    const entry = { latentkit: { median: median(mine), seconds: mine, result: mineResult } };
    if (reference) {
      entry.sklearn = { median: median(theirs), seconds: theirs, result: theirResult };
      entry.ratio = entry.latentkit.median / entry.sklearn.median;
    }
    tasks[task] = entry;
    const fmt = (s) => s.map((v) => v.toFixed(3)).join(', ');
    console.log(`${labelsOf[task]}:`);
    console.log(`  latentkit    median ${entry.latentkit.median.toFixed(3)} s (${fmt(mine)}); ${JSON.stringify(mineResult)}`);
    if (reference) {
      console.log(`  scikit-learn median ${entry.sklearn.median.toFixed(3)} s (${fmt(theirs)}); ${JSON.stringify(theirResult)}`);
      console.log(`  ratio ${entry.ratio.toFixed(2)}×`);
    }
  }
} finally {
  reference?.stop();
  rmSync(dir, { recursive: true, force: true });
}

const loadAfter = os.loadavg();
console.log(`load average after: ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
const summary = Object.entries(tasks)
  .map(([task, e]) => `${task} ${e.ratio === undefined ? 'n/a' : `${e.ratio.toFixed(2)}×`}`)
  .join(', ');
console.log(`ratio latentkit / scikit-learn (${engine.backend}): ${summary}`);

const previous = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : { runs: {} };
previous.runs[engine.backend] = {
  date: new Date().toISOString(),
  loadAverage: { before: loadBefore, after: loadAfter },
  cpus: os.cpus().length,
  backend: engine.backend,
  threads: engine.threads,
  blas,
  sklearnVersion: reference?.version,
  repeats,
  data: { codes: n, dim, classes, trainSplit: split },
  tasks,
};
await writeFileAtomic(resultsFile, `${JSON.stringify(previous, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), resultsFile)}`);
