"""Reference anomaly detectors for the anomaly benchmarks (a yardstick, never a latentkit dependency).

Reads a JSON file of cases {"cases": [{"name", "seed", "train": [[...]], "test": [[...]], "labels": [0/1],
"vae": {score name: [...]}}]} and prints one JSON line per case: AUROC and AUPRC (scikit-learn roc_auc_score and
average_precision_score) of IsolationForest, OneClassSVM and LocalOutlierFactor(novelty=True), each fitted on the
case's training rows with scikit-learn defaults (IsolationForest and the seeds: random_state=seed), and the same two
metrics of the VAE's scores as scikit-learn computes them, to cross-check latentkit's own AUROC/AUPRC.
With --scores each case's output also holds each detector's test scores.
Usage: /usr/bin/python3 anomaly_baselines.py cases.json [--only IsolationForest,OneClassSVM,LocalOutlierFactor] [--scores]
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.neighbors import LocalOutlierFactor
from sklearn.svm import OneClassSVM


def detectors(seed):
    return {
        "IsolationForest": lambda: IsolationForest(random_state=seed),
        "OneClassSVM": lambda: OneClassSVM(),
        "LocalOutlierFactor": lambda: LocalOutlierFactor(novelty=True),
    }


def main():
    cases = json.load(open(sys.argv[1]))["cases"]
    only = None
    if "--only" in sys.argv:
        only = set(sys.argv[sys.argv.index("--only") + 1].split(","))
    print(json.dumps({"sklearn": sklearn.__version__}), flush=True)
    for case in cases:
        train = np.asarray(case["train"], dtype=np.float64)
        test = np.asarray(case["test"], dtype=np.float64)
        y = np.asarray(case["labels"], dtype=np.int64)
        out = {"name": case["name"], "seed": case["seed"], "baselines": {}, "vae": {}, "scores": {}}
        for name, make in detectors(case["seed"]).items():
            if only and name not in only:
                continue
            started = time.time()
            model = make().fit(train)
            # score_samples is higher for normal records; the anomaly score is its negative.
            score = -model.score_samples(test)
            if "--scores" in sys.argv:
                out["scores"][name] = score.tolist()
            out["baselines"][name] = {
                "auroc": float(roc_auc_score(y, score)),
                "auprc": float(average_precision_score(y, score)),
                "seconds": time.time() - started,
            }
        for name, score in case.get("vae", {}).items():
            out["vae"][name] = {"auroc": float(roc_auc_score(y, score)), "auprc": float(average_precision_score(y, score))}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
