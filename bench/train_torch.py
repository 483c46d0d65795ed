#!/usr/bin/env python3
"""PyTorch CPU peer of bench/train.ts: the same network, batch and thread count.

Prints one JSON object: step_ms (one Adam training step, MSE loss, fastest of --steps:
on a shared machine other load only adds time),
infer_ms and infer_patches_per_s (forward of one batch without autograd), threads, torch
version. The architecture comes as JSON (--arch) from bench/trainModel.ts, so both sides
build the same layers: a 3x3 stem (stride stem_stride), stages of a stride-2 3x3 conv then
residual blocks (conv-relu-conv + identity, relu), global average and max pooling
concatenated, a dense head; convs have biases.
"""
import argparse
import json
import sys
import time

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.c1 = nn.Conv2d(c, c, 3, 1, 1)
        self.c2 = nn.Conv2d(c, c, 3, 1, 1)

    def forward(self, x):
        return torch.relu(x + self.c2(torch.relu(self.c1(x))))


class AvgMaxPool(nn.Module):
    def forward(self, x):
        return torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)


def build(arch: dict) -> nn.Module:
    layers = [nn.Conv2d(arch["in_channels"], arch["stem"], 3, arch.get("stem_stride", 1), 1), nn.ReLU()]
    c = arch["stem"]
    for w in arch["stages"]:
        # TensorFlow's 'same' for stride 2 on even sizes pads bottom/right only; the cost is
        # what matters here, so PyTorch's symmetric padding 1 is used.
        layers += [nn.Conv2d(c, w, 3, 2, 1), nn.ReLU()]
        layers += [Block(w) for _ in range(arch["blocks"])]
        c = w
    layers += [AvgMaxPool(), nn.Linear(2 * c, arch["outputs"])]
    return nn.Sequential(*layers)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True, help="architecture JSON (bench/trainModel.ts BenchArch)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--serve", action="store_true", help="time one step/infer per stdin line")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    arch = json.loads(args.arch)
    model = build(arch)
    # NCHW here; tfjs runs the same batch as NHWC.
    x = torch.randn(args.batch, arch["in_channels"], args.size, args.size)
    y = torch.randn(args.batch, arch["outputs"])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step() -> None:
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()

    def infer() -> None:
        with torch.no_grad():
            model(x)

    if args.serve:
        # Side-by-side mode: bench/train.ts alternates its own steps with ours, one command
        # per line ("step" or "infer"), so both sides see the same load on a shared machine.
        print(json.dumps({"ready": True, "torch": torch.__version__, "threads": args.threads}), flush=True)
        for line in sys.stdin:
            fn = step if line.strip() == "step" else infer
            t0 = time.perf_counter()
            fn()
            print(json.dumps({"ms": (time.perf_counter() - t0) * 1000}), flush=True)
        return

    step()  # warm-up
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    with torch.no_grad():
        model(x)
        infer = []
        for _ in range(args.steps):
            t0 = time.perf_counter()
            model(x)
            infer.append((time.perf_counter() - t0) * 1000)
    infer_ms = min(infer)
    print(json.dumps({
        "step_ms": min(times),
        "infer_ms": infer_ms,
        "infer_patches_per_s": args.batch / infer_ms * 1000,
        "threads": args.threads,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
