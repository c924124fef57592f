"""PyTorch CPU inference of latentkit's exported encoders, with the weights read from the same ONNX files that
onnxruntime runs (bench/encoding.mjs).

PyTorch cannot load ONNX, so this reads each encoder.onnx with Debian's python3-onnx and runs its graph in eager
PyTorch: one torch call per ONNX node, in the file's (topological) order, after dropping nodes no output needs.
That is what a hand-written nn.Module with these weights would run, with two rewrites a PyTorch author would make:
MatMul followed by the Add of a bias becomes one torch.addmm (nn.Linear's kernel), and the LSTM is a loop over time
steps with its input projection for all steps in one product (nn.LSTM cannot take latentkit's hard-sigmoid gates,
so its fused kernel would compute another function). Outputs are checked against onnxruntime's on the same inputs.

Usage: /usr/bin/python3 onnx_torch.py <manifest.json>
The manifest: {"runs", "warmup", "threads": [...], "models": [{"name", "encoder", "inputs": [{"name", "file",
"dtype", "shape"}], "reference": {"file", "shape"}}]}; raw little-endian arrays in the files. Prints one JSON line
{"torch", "results": [{"name", "threads", "ms": [...]}], "parity": [{"name", "maxAbsDiff"}]}.
"""
import json
import math
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

DTYPES = {"float32": np.float32, "int64": np.int64, "int32": np.int32}


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def same_upper_pads(size, kernel, stride, dilation):
    """ONNX auto_pad SAME_UPPER: output ceil(size / stride), the odd padding pixel at the end."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def conv(a, weight, bias):
    strides, dilations = a.get("strides", [1, 1]), a.get("dilations", [1, 1])
    auto_pad = a.get("auto_pad", b"NOTSET").decode()
    explicit = a.get("pads", [0, 0, 0, 0])
    if auto_pad not in ("NOTSET", "SAME_UPPER", "VALID"):
        raise SystemExit(f"Conv auto_pad {auto_pad} is not handled here")

    def run(x):
        if auto_pad == "SAME_UPPER":
            (top, bottom), (left, right) = (
                same_upper_pads(x.shape[2 + i], weight.shape[2 + i], strides[i], dilations[i]) for i in range(2)
            )
        elif auto_pad == "VALID":
            top = bottom = left = right = 0
        else:
            top, left, bottom, right = explicit
        if top == bottom and left == right:
            return F.conv2d(x, weight, bias, strides, (top, left), dilations)
        return F.conv2d(F.pad(x, (left, right, top, bottom)), weight, bias, strides, 0, dilations)

    return run


def reshape(shape):
    def run(x):
        dims = [x.shape[i] if d == 0 else int(d) for i, d in enumerate(shape)]
        return x.reshape(dims)

    return run


def activation(name, alpha, beta):
    if name == "HardSigmoid":
        return lambda x: x.mul(alpha).add_(beta).clamp_(0, 1)
    if name == "Sigmoid":
        return torch.sigmoid
    if name == "Tanh":
        return torch.tanh
    raise SystemExit(f"LSTM activation {name} is not handled here")


def lstm(a, w, r, b, wanted):
    """ONNX LSTM, forward, gates (i, o, f, c); returns (Y, Y_h, Y_c) with Y only when something reads it."""
    if a.get("direction", b"forward") != b"forward" or a.get("layout", 0) != 0:
        raise SystemExit("only forward, time-major LSTMs are handled here")
    hidden = a["hidden_size"]
    names = [n.decode() for n in a.get("activations", [b"Sigmoid", b"Tanh", b"Tanh"])]
    alphas, betas = list(a.get("activation_alpha", [])), list(a.get("activation_beta", []))
    # alpha/beta are listed only for the activations that take them, in order.
    params, k = [], 0
    for name in names:
        if name == "HardSigmoid":
            params.append((alphas[k] if k < len(alphas) else 0.2, betas[k] if k < len(betas) else 0.5))
            k += 1
        else:
            params.append((None, None))
    gate, cell, out = (activation(n, *p) for n, p in zip(names, params))
    w_t, r_t = w[0].t().contiguous(), r[0].t().contiguous()
    bias = b[0, : 4 * hidden] + b[0, 4 * hidden :] if b is not None else torch.zeros(4 * hidden)

    def run(x, lengths=None, h0=None, c0=None):
        steps, batch, width = x.shape
        projected = torch.addmm(bias, x.reshape(steps * batch, width), w_t).reshape(steps, batch, 4 * hidden)
        h = h0[0] if h0 is not None else x.new_zeros(batch, hidden)
        c = c0[0] if c0 is not None else x.new_zeros(batch, hidden)
        lengths = lengths.long() if lengths is not None else torch.full((batch,), steps)
        ys = [] if wanted[0] else None
        last = int(lengths.max())
        for t in range(last):
            g = torch.addmm(projected[t], h, r_t)
            s = gate(g[:, : 3 * hidden])
            i, o, f = s[:, :hidden], s[:, hidden : 2 * hidden], s[:, 2 * hidden :]
            c_new = f * c + i * cell(g[:, 3 * hidden :])
            h_new = o * out(c_new)
            live = (lengths > t).unsqueeze(1)
            if bool(live.all()):
                h, c = h_new, c_new
            else:
                h, c = torch.where(live, h_new, h), torch.where(live, c_new, c)
            if ys is not None:
                ys.append(torch.where(live, h_new, torch.zeros_like(h_new)))
        y = None
        if ys is not None:
            ys += [x.new_zeros(batch, hidden)] * (steps - last)
            y = torch.stack(ys).unsqueeze(1)
        return y, h.unsqueeze(0), c.unsqueeze(0)

    return run


class Graph:
    """An ONNX graph as a list of torch calls; initializers become tensors once."""

    def __init__(self, file):
        g = onnx.load(file).graph
        self.inputs = [i.name for i in g.input]
        self.outputs = [o.name for o in g.output]
        consts = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in g.initializer}
        self.consts = consts
        nodes = self.live(g.node, set(self.outputs))
        consumers = {}
        for n in nodes:
            for i in n.input:
                consumers[i] = consumers.get(i, 0) + 1
        self.steps = []
        skip = set()
        for k, n in enumerate(nodes):
            if k in skip:
                continue
            nxt = nodes[k + 1] if k + 1 < len(nodes) else None
            # MatMul + Add of a bias vector: one addmm, as nn.Linear runs it.
            if (
                n.op_type == "MatMul"
                and nxt is not None
                and nxt.op_type == "Add"
                and n.input[1] in consts
                and consts[n.input[1]].dim() == 2
                and consumers.get(n.output[0]) == 1
                and n.output[0] in nxt.input
            ):
                other = nxt.input[1] if nxt.input[0] == n.output[0] else nxt.input[0]
                if other in consts and consts[other].dim() == 1:
                    weight, bias = consts[n.input[1]], consts[other]
                    self.steps.append((lambda x, w=weight, b=bias: torch.addmm(b, x, w), [n.input[0]], [nxt.output[0]]))
                    skip.add(k + 1)
                    continue
            self.steps.append(self.compile(n, consts, consumers))

    @staticmethod
    def live(nodes, needed):
        """The nodes some graph output depends on, in the file's order."""
        keep = []
        for n in reversed(list(nodes)):
            if any(o in needed for o in n.output):
                keep.append(n)
                needed.update(i for i in n.input if i)
        return list(reversed(keep))

    def compile(self, n, consts, consumers):
        a = attrs(n)
        op = n.op_type
        names = list(n.input)

        def const(k):
            return consts[names[k]]

        def step(fn, inputs):
            return (fn, inputs, list(n.output))

        if op == "Identity":
            return step(lambda x: x, names[:1])
        if op in ("Relu", "Tanh", "Sigmoid"):
            return step({"Relu": torch.relu, "Tanh": torch.tanh, "Sigmoid": torch.sigmoid}[op], names[:1])
        if op in ("Add", "Sub", "Mul", "Div", "Max", "Min", "MatMul"):
            fn = {
                "Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": torch.div,
                "Max": torch.maximum, "Min": torch.minimum, "MatMul": torch.matmul,
            }[op]
            if names[1] in consts:
                return step(lambda x, y=const(1): fn(x, y), names[:1])
            return step(fn, names[:2])
        if op == "Reshape":
            return step(reshape(const(1).tolist()), names[:1])
        if op == "Transpose":
            return step(lambda x, p=a["perm"]: x.permute(*p), names[:1])
        if op == "Flatten":
            return step(lambda x, axis=a.get("axis", 1): x.reshape(math.prod(x.shape[:axis]), -1), names[:1])
        if op == "Squeeze":
            axes = sorted(const(1).tolist() if len(names) > 1 else a["axes"], reverse=True)

            def squeeze(x):
                for axis in axes:
                    x = x.squeeze(axis)
                return x

            return step(squeeze, names[:1])
        if op == "Gather":
            if a.get("axis", 0) != 0 or names[0] not in consts:
                raise SystemExit("only Gather of rows of a weight table is handled here")
            return step(lambda ids, table=const(0): F.embedding(ids, table), names[1:2])
        if op == "Conv":
            return step(conv(a, const(1), const(2) if len(names) > 2 else None), names[:1])
        if op == "ReduceL2":
            return step(lambda x: torch.linalg.vector_norm(x, dim=a["axes"], keepdim=bool(a.get("keepdims", 1))), names[:1])
        if op == "LSTM":
            wanted = [consumers.get(o, 0) > 0 or o in self.outputs for o in n.output]
            while len(wanted) < 3:
                wanted.append(False)
            run = lstm(a, const(1), const(2), const(3) if len(names) > 3 and names[3] else None, wanted)
            extra = [names[k] if len(names) > k and names[k] else None for k in (4, 5, 6)]
            return (lambda x, *rest: run(x, *rest), [names[0], *extra], list(n.output))
        raise SystemExit(f"ONNX op {op} is not handled by this bench")

    def __call__(self, feeds):
        env = {**self.consts, **feeds}
        for fn, inputs, outputs in self.steps:
            result = fn(*[env[i] if i is not None else None for i in inputs])
            if len(outputs) == 1:
                env[outputs[0]] = result
            else:
                for name, value in zip(outputs, result):
                    if name:
                        env[name] = value
        return [env[o] for o in self.outputs]


def load_array(spec):
    data = np.fromfile(spec["file"], dtype=DTYPES[spec.get("dtype", "float32")])
    return torch.from_numpy(data.reshape(spec["shape"]))


def main():
    manifest = json.load(open(sys.argv[1]))
    results, parity = [], []
    for model in manifest["models"]:
        graph = Graph(model["encoder"])
        feeds = {i["name"]: load_array(i) for i in model["inputs"]}
        with torch.inference_mode():
            code = graph(feeds)[graph.outputs.index("code")]
            reference = load_array(model["reference"])
            parity.append({"name": model["name"], "maxAbsDiff": float((code - reference).abs().max())})
            for threads in manifest["threads"]:
                torch.set_num_threads(threads)
                ms = []
                for k in range(manifest["warmup"] + manifest["runs"]):
                    t0 = time.perf_counter()
                    graph(feeds)
                    if k >= manifest["warmup"]:
                        ms.append((time.perf_counter() - t0) * 1000)
                results.append({"name": model["name"], "threads": threads, "ms": ms})
    print(json.dumps({"torch": torch.__version__, "results": results, "parity": parity}))


if __name__ == "__main__":
    main()
