"""PyTorch reference for bench/workloads.ts: the same three models, Adam, synthetic fixed inputs.

Usage: /usr/bin/python3 torch_reference.py <workload> <threads> <steps> [warmup seconds, default 2]
       /usr/bin/python3 torch_reference.py export <workload> <file.onnx>   (the deterministic forward pass, for
       bench/inference.ts)
Prints one JSON line {"workload", "threads", "ms": [...], "cpuMs": [...], "loss"} (cpuMs: process CPU time, all threads).
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def kl(mu, logvar):
    return 0.5 * torch.sum(logvar.exp() + mu * mu - 1 - logvar) / mu.shape[0]


def reparameterize(mu, logvar):
    return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)


class LstmVae(nn.Module):
    def __init__(self, vocab=10_000, emb=256, hidden=512, latent=32):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.encoder = nn.LSTM(emb, hidden)
        self.decoder = nn.LSTM(emb, hidden)
        self.to_mu = nn.Linear(hidden, latent)
        self.to_logvar = nn.Linear(hidden, latent)
        self.to_state = nn.Linear(latent, hidden)
        self.to_vocab = nn.Linear(hidden, vocab)

    def run(self, tokens, decoder_input, sample):
        steps, batch = tokens.shape
        _, (h, _) = self.encoder(self.embedding(tokens))
        mu, logvar = self.to_mu(h[0]), self.to_logvar(h[0])
        z = reparameterize(mu, logvar) if sample else mu
        h0 = torch.tanh(self.to_state(z)).unsqueeze(0)
        states, _ = self.decoder(self.embedding(decoder_input), (h0, torch.zeros_like(h0)))
        return mu, logvar, self.to_vocab(states.reshape(steps * batch, -1))

    def loss(self, tokens, decoder_input):
        mu, logvar, logits = self.run(tokens, decoder_input, True)
        nll = F.cross_entropy(logits, tokens.reshape(-1), reduction="sum") / tokens.shape[1]
        return nll + kl(mu, logvar)

    def forward(self, tokens, decoder_input):
        return self.run(tokens, decoder_input, False)[2]


class BowVae(nn.Module):
    def __init__(self, vocab=2000, hidden=500, latent=50):
        super().__init__()
        self.encode = nn.Linear(vocab, hidden)
        self.to_mu = nn.Linear(hidden, latent)
        self.to_logvar = nn.Linear(hidden, latent)
        self.decode = nn.Linear(latent, vocab)

    def run(self, x, sample):
        h = torch.relu(self.encode(x))
        mu, logvar = self.to_mu(h), self.to_logvar(h)
        z = reparameterize(mu, logvar) if sample else mu
        return mu, logvar, F.log_softmax(self.decode(z), dim=1)

    def loss(self, x):
        mu, logvar, logp = self.run(x, True)
        return -(x * logp).sum() / x.shape[0] + kl(mu, logvar)

    def forward(self, x):
        return self.run(x, False)[2]


class Unflatten(nn.Module):
    """nn.Unflatten(1, (64, 7, 7)), which torch 1.13 cannot export to ONNX."""

    def forward(self, x):
        return x.reshape(x.shape[0], 64, 7, 7)


class ConvAe(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
            nn.Flatten(),
            nn.Linear(7 * 7 * 64, 32),
            nn.Linear(32, 7 * 7 * 64), nn.ReLU(),
            Unflatten(),
            nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(32, 1, 3, stride=2, padding=1, output_padding=1),
        )

    def forward(self, images):
        return self.net(images)

    def loss(self, images):
        logits = self.net(images)
        return F.binary_cross_entropy_with_logits(logits, images, reduction="sum") / images.shape[0]


def setup(workload):
    g = torch.Generator().manual_seed(9)
    if workload == "lstm-vae":
        tokens = torch.randint(1, 10_000, (35, 32), generator=g)
        decoder_input = torch.cat([torch.zeros(1, 32, dtype=torch.long), tokens[:-1]])
        return LstmVae(), (tokens, decoder_input)
    if workload == "bow-vae":
        x = torch.zeros(64, 2000)
        for d in range(64):
            x[d].index_add_(0, torch.randint(0, 2000, (100,), generator=g), torch.ones(100))
        return BowVae(), (x,)
    if workload == "conv-ae":
        u = torch.rand(128, 1, 28, 28, generator=g)
        images = torch.where(torch.rand(128, 1, 28, 28, generator=g) < 0.2, u, torch.zeros_like(u))
        return ConvAe(), (images,)
    raise SystemExit(f"unknown workload {workload!r}")


def export(workload, file):
    model, inputs = setup(workload)
    model.eval()
    names = ["tokens", "decoder_input"] if workload == "lstm-vae" else ["x"]
    with torch.no_grad():
        torch.onnx.export(model, inputs, file, input_names=names, output_names=["y"], opset_version=14)
    print(json.dumps({"workload": workload, "file": file, "inputs": names}))


def main():
    if sys.argv[1] == "export":
        export(sys.argv[2], sys.argv[3])
        return
    workload, threads, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    warmup_seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 2.0
    torch.manual_seed(9)
    torch.set_num_threads(threads)
    model, inputs = setup(workload)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad(set_to_none=True)
        cost = model.loss(*inputs)
        cost.backward()
        optimizer.step()
        return cost.item()

    # The same warm-up as bench/run-workload.ts: at least two steps and the warm-up time.
    start, warmed = time.perf_counter(), 0
    while warmed < 2 or time.perf_counter() - start < warmup_seconds:
        step()
        warmed += 1
    ms, cpu_ms, loss = [], [], float("nan")
    for _ in range(steps):
        t0 = time.perf_counter()
        c0 = time.process_time()
        loss = step()
        ms.append((time.perf_counter() - t0) * 1000)
        cpu_ms.append((time.process_time() - c0) * 1000)
    print(json.dumps({"workload": workload, "threads": threads, "ms": ms, "cpuMs": cpu_ms, "loss": loss}))


if __name__ == "__main__":
    main()
