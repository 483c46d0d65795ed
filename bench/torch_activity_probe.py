#!/usr/bin/env python3
"""Can a network of co2sat's default shape learn "on" from a synthetic world's pixels? A probe
outside co2sat's own code, so a blind result cannot be blamed on its wasm kernels or trainer.

Usage: python3 bench/torch_activity_probe.py WORLD VARIANT [EPOCHS=12]

A PyTorch copy of the default trunk (3x3 stem stride 2 -> 16, two stages 16/32 each a stride-2
conv and one residual block, mean+max pooling, a 16-wide aux layer, 32 hidden, one logit) is
trained for activity alone (BCE, Adam 2e-3, batch 16, 1 thread, seed 0) on two thirds of the
plants and scored every epoch on the other third (plants shuffled with numpy seed 0): AUC on
all held-out overpasses, on clear ones (patch cloud fraction < 0.1), and on clear ones of plants
whose cooling can show a plume (`technology` natural or mechanical draught or wet FGD stack). Bands are z-scored
with training statistics. VARIANT is a combination of words:
  base        the 12 bands and the aux vector (capacity, fuel, cloud fraction, wind)
  noaux       zero the aux vector (the image alone)
  bg20 / bg   add each band minus the site background (20th percentile / median of the
              other overpasses with cloud fraction <= 0.2, as src/model/inputSteps/siteBackground.ts)
  asinh       compress those differences as asinh(d / 0.005 reflectance) before z-scoring
              (src/model/patchInput.ts, CHANGE_ASINH_FRACTION_OF_STD)
  tech        add the plant's cooling technology (sites.geojson `technology`), one-hot, to aux
  noimage     zero every image (the aux vector alone): the image-free control of a variant
  plumeonly   keep only plants whose technology can show a plume (natural or mechanical
              draught towers, wet FGD stacks): whether the trunk finds the plume where there
              is one to find, undiluted by once-through and air-cooled plants
Needs python3-gdal, numpy and python3-torch (Debian).
"""
import json, sys
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as Fn
from osgeo import gdal

gdal.UseExceptions()
torch.set_num_threads(1)
torch.manual_seed(0)
world, variant = sys.argv[1], sys.argv[2]
epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 12
truth = {(s["site_id"], s["datetime"]): s for s in json.load(open(f"{world}/truth.json"))["samples"]}
weather = {}
for line in open(f"{world}/weather.csv").read().splitlines()[1:]:
    c = line.split(",")
    weather[(c[0], c[1])] = (float(c[4] or 0), float(c[5] or 0))
plants = {f["properties"]["site_id"]: f["properties"] for f in json.load(open(f"{world}/sites.geojson"))["features"]}
records = [json.loads(l) for l in open(f"{world}/tiles/manifest.jsonl")]
records = [r for r in records if r["valid_fraction"] >= 0.5]
PLUME_TECHNOLOGIES = ("natural_draught", "mechanical_draught", "wet_fgd_stack")
TECHNOLOGIES = PLUME_TECHNOLOGIES + ("once_through", "air")
if "plumeonly" in variant:
    records = [r for r in records if plants[r["site_id"]].get("technology") in PLUME_TECHNOLOGIES]
X = None
for i, r in enumerate(records):
    a = gdal.Open(f"{world}/tiles/{r['path']}").ReadAsArray().astype(np.float32) / 10000.0
    if X is None:
        X = np.zeros((len(records),) + a.shape, np.float32)
    X[i] = a
site = np.array([r["site_id"] for r in records])
act = np.array([truth[(r["site_id"], r["datetime"])]["active"] for r in records], np.float32)
cf = np.array([r["cloud_fraction"] or 0 for r in records], np.float32)
u = np.array([weather.get((r["site_id"], r["datetime"]), (0, 0))[0] for r in records], np.float32)
v = np.array([weather.get((r["site_id"], r["datetime"]), (0, 0))[1] for r in records], np.float32)
cap = np.array([plants[s]["capacity_mw"] for s in site], np.float32)
fuel = np.array([plants[s]["fuel"] for s in site])
tech = np.array([plants[s].get("technology") for s in site])
tech_columns = [(tech == t).astype(np.float32) for t in TECHNOLOGIES] if "tech" in variant else []
aux = np.stack([cap / 600] + [(fuel == f).astype(np.float32) for f in ("coal", "lignite", "gas", "oil")] + tech_columns + [cf, u / 5, v / 5], 1).astype(np.float32)
if "bg" in variant:
    q = 20 if "bg20" in variant else 50
    B = np.zeros_like(X)
    for s in np.unique(site):
        idx = np.where(site == s)[0]
        clear = idx[cf[idx] <= 0.2]
        for i in idx:
            o = clear[clear != i]
            if len(o) < 3:
                o = idx[np.argsort(cf[idx])]
                o = o[o != i][:3]
            B[i] = np.percentile(X[o], q, axis=0)
    D = X - B
    if "asinh" in variant:
        D = np.arcsinh(D / 0.005)
    X = np.concatenate([X, D], 1)
if "noaux" in variant:
    aux[:] = 0
if "noimage" in variant:
    X[:] = 0
sites = np.unique(site)
np.random.default_rng(0).shuffle(sites)
te = np.isin(site, np.array_split(sites, 3)[0])
tr = ~te
mu = X[tr].mean((0, 2, 3), keepdims=True)
sd = X[tr].std((0, 2, 3), keepdims=True) + 1e-6
X = (X - mu) / sd
C = X.shape[1]


class Res(nn.Module):
    def __init__(s, c):
        super().__init__()
        s.a = nn.Conv2d(c, c, 3, padding=1)
        s.b = nn.Conv2d(c, c, 3, padding=1)

    def forward(s, x):
        return Fn.relu(x + s.b(Fn.relu(s.a(x))))


class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.stem = nn.Conv2d(C, 16, 3, stride=2, padding=1)
        s.d0, s.r0 = nn.Conv2d(16, 16, 3, stride=2, padding=1), Res(16)
        s.d1, s.r1 = nn.Conv2d(16, 32, 3, stride=2, padding=1), Res(32)
        s.aux, s.h, s.o = nn.Linear(aux.shape[1], 16), nn.Linear(2 * 32 + 16, 32), nn.Linear(32, 1)

    def forward(s, x, a):
        h = s.r1(Fn.relu(s.d1(s.r0(Fn.relu(s.d0(Fn.relu(s.stem(x))))))))
        return s.o(Fn.relu(s.h(torch.cat([h.mean((2, 3)), h.amax((2, 3)), Fn.relu(s.aux(a))], 1)))).squeeze(1)


def auc(x, y):
    y = np.asarray(y, bool)
    r = np.argsort(np.argsort(x)) + 1
    return (r[y].sum() - y.sum() * (y.sum() + 1) / 2) / (y.sum() * (~y).sum())


net = Net()
opt = torch.optim.Adam(net.parameters(), 2e-3)
Xt, At, Yt = torch.tensor(X[tr]), torch.tensor(aux[tr]), torch.tensor(act[tr])
Xe, Ae = torch.tensor(X[te]), torch.tensor(aux[te])
clear = cf[te] < 0.1
# Clear overpasses of held-out plants whose cooling can show a plume: where there is a plume to read.
plume_clear = clear & np.isin(tech[te], PLUME_TECHNOLOGIES)
for ep in range(epochs):
    net.train()
    perm = torch.randperm(len(Xt))
    for k in range(0, len(perm), 16):
        b = perm[k:k + 16]
        loss = Fn.binary_cross_entropy_with_logits(net(Xt[b], At[b]), Yt[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        p = torch.cat([net(Xe[k:k + 256], Ae[k:k + 256]) for k in range(0, len(Xe), 256)]).numpy()
    print(f"{variant} epoch {ep + 1}: held-out AUC all {auc(p, act[te]):.3f}, clear {auc(p[clear], act[te][clear]):.3f}, clear with a plume-capable cooling {auc(p[plume_clear], act[te][plume_clear]):.3f} (n {plume_clear.sum()})", flush=True)
