"""Speed reference: the same architectures and batch shapes as bench/run.mjs, one Adam step each, in PyTorch on CPU.

Run with Debian's interpreter (python3-torch): /usr/bin/python3 bench/torch_reference.py ptb|20ng|mnist-imageMlp|mnist-imageConv [steps]
Prints one JSON line: median seconds per step over `steps` timed steps after 3 warm-up steps, and the thread count.
Random data of the benchmark's shapes (PTB: 32 sentences of 23 tokens, PTB's mean length with <eos>); the
bottleneck is a Gaussian head of the same width (the vMF sampler costs little next to the decoder softmax).
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class Gaussian(nn.Module):
    def __init__(self, d_in, d_z):
        super().__init__()
        self.mean = nn.Linear(d_in, d_z)
        self.log_var = nn.Linear(d_in, d_z)

    def forward(self, h):
        mu, lv = self.mean(h), self.log_var(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * lv)
        kl = 0.5 * (mu.pow(2) + lv.exp() - 1 - lv).sum(1)
        return z, kl


class TextVae(nn.Module):
    def __init__(self, vocab=10000, emb=100, hid=400, z=50):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.enc = nn.LSTM(emb, hid, batch_first=True)
        self.bottleneck = Gaussian(hid, z)
        self.init_h = nn.Linear(z, hid)
        self.init_c = nn.Linear(z, hid)
        self.dec = nn.LSTM(emb + z, hid, batch_first=True)
        self.out = nn.Linear(hid, vocab)
        self.drop = nn.Dropout(0.5)

    def loss(self, inputs, targets):
        _, (h, _) = self.enc(self.drop(self.emb(targets)))
        z, kl = self.bottleneck(h[0])
        t = inputs.shape[1]
        x = torch.cat([self.drop(self.emb(inputs)), z.unsqueeze(1).expand(-1, t, -1)], 2)
        state = (torch.tanh(self.init_h(z)).unsqueeze(0), self.init_c(z).unsqueeze(0))
        seq, _ = self.dec(x, state)
        logits = self.out(self.drop(seq))
        nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none").view(targets.shape).sum(1)
        return (nll + kl).mean()


class BowVae(nn.Module):
    def __init__(self, vocab=2000, hid=400, z=25):
        super().__init__()
        self.enc = nn.Linear(vocab, hid)
        self.bottleneck = Gaussian(hid, z)
        self.out = nn.Linear(z, vocab)

    def loss(self, counts):
        z, kl = self.bottleneck(torch.tanh(self.enc(counts)))
        return (-(F.log_softmax(self.out(z), 1) * counts).sum(1) + kl).mean()


class ImageMlp(nn.Module):
    def __init__(self, dims=(784, 500, 500, 2000), z=32):
        super().__init__()
        enc = []
        for a, b in zip(dims, dims[1:]):
            enc += [nn.Linear(a, b), nn.ReLU()]
        self.enc = nn.Sequential(*enc)
        self.bottleneck = Gaussian(dims[-1], z)
        rev = [z] + list(reversed(dims[1:]))
        dec = []
        for a, b in zip(rev, rev[1:]):
            dec += [nn.Linear(a, b), nn.ReLU()]
        self.dec = nn.Sequential(*dec, nn.Linear(rev[-1], 784))

    def loss(self, x):
        z, kl = self.bottleneck(self.enc(x))
        return (F.binary_cross_entropy_with_logits(self.dec(z), x, reduction="none").sum(1) + kl).mean()


class ImageConv(nn.Module):
    def __init__(self, f0=32, f1=64, dense=256, z=32):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, f0, 3, 2, 1), nn.ReLU(), nn.Conv2d(f0, f1, 3, 2, 1), nn.ReLU(), nn.Flatten(), nn.Linear(7 * 7 * f1, dense), nn.ReLU()
        )
        self.bottleneck = Gaussian(dense, z)
        self.dec_dense = nn.Linear(z, 7 * 7 * f1)
        self.dec = nn.Sequential(
            nn.ConvTranspose2d(f1, f1, 3, 2, 1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(f1, f0, 3, 2, 1, output_padding=1), nn.ReLU(),
            nn.Conv2d(f0, 1, 3, 1, 1),
        )
        self.f1 = f1

    def loss(self, x):
        z, kl = self.bottleneck(self.enc(x.view(-1, 1, 28, 28)))
        out = self.dec(F.relu(self.dec_dense(z)).view(-1, self.f1, 7, 7)).view(-1, 784)
        return (F.binary_cross_entropy_with_logits(out, x, reduction="none").sum(1) + kl).mean()


def setup(task):
    if task == "ptb":
        ids = torch.randint(4, 10000, (32, 23))
        return TextVae(), (ids, ids)
    if task == "20ng":
        return BowVae(), (torch.poisson(torch.full((64, 2000), 0.05)),)
    x = torch.rand(100, 784).round()
    return (ImageMlp() if task == "mnist-imageMlp" else ImageConv()), (x,)


def main():
    task = sys.argv[1]
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    model, batch = setup(task)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    times = []
    for i in range(steps + 3):
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = model.loss(*batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        if i >= 3:
            times.append(time.perf_counter() - t0)
    print(json.dumps({"task": task, "torch": torch.__version__, "threads": torch.get_num_threads(), "secondsPerStep": statistics.median(times), "steps": steps}))


if __name__ == "__main__":
    main()
