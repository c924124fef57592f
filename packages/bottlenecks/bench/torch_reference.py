"""Speed reference only: VQ-VAE and soft-VQ forward + backward in PyTorch on one thread, same sizes as run.mjs."""
import statistics
import sys
import time

import torch

batch, width, codebook, runs = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(1)
torch.manual_seed(0)
h = torch.randn(batch, width, requires_grad=True)
e = (torch.rand(codebook, width) * 2 - 1).requires_grad_(True)


def distances():
    return (h * h).sum(1, keepdim=True) - 2 * h @ e.T + (e * e).sum(1)


def vq():
    k = distances().argmin(1)
    q = e[k]
    loss = ((h.detach() - q) ** 2).sum(1).mean() + 0.25 * ((h - q.detach()) ** 2).sum(1).mean()
    code = h + (q - h).detach()
    return code.sum() + loss


def soft_vq():
    p = torch.softmax(-distances() / 2, 1)
    q = p @ e
    loss = ((q - h.detach()) ** 2).sum(1).mean() + 0.25 * ((h - q.detach()) ** 2).sum(1).mean()
    return q.sum() + loss


def timed(f):
    for _ in range(3):
        f().backward()
    ms = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f().backward()
        ms.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ms)


print(f"PyTorch {torch.__version__}, 1 thread: vq train {timed(vq):.2f} ms, softVq train {timed(soft_vq):.2f} ms")
