#!/usr/bin/env python3
"""How much of a plant's state a synthetic world's pixels carry, without any network.

Usage: python3 bench/plume_signal.py WORLD [TILES]   (TILES defaults to WORLD/tiles)

For every patch with valid_fraction >= 0.5 it computes one hand feature: the mean change of
visible brightness (B02-B04) within 120 m of the stack against the site's background, a
per-pixel quantile of the site's OTHER overpasses with patch cloud fraction <= 0.2 (the rule of
src/model/inputSteps/siteBackground.ts; its three least cloudy other overpasses when fewer are
clear), and prints the AUC of that feature for "on" (truth.json) on clear overpasses (patch
cloud fraction < 0.1) and on all, for background quantiles 0.1, 0.2 and 0.5 and for no
background, plus how large the change is in DN next to the spread of the visible band: the
numbers behind issue 15's background quantile and change compression. Last, a grouped 3-fold
logistic regression for "on" from capacity and fuel alone, and with the near-stack change
added: what one engineered scalar gives that the trunk has not learnt. Needs python3-gdal and
numpy; reads only the world's files.
"""
import json, sys
import numpy as np
from osgeo import gdal

gdal.UseExceptions()
world = sys.argv[1]
tiles = sys.argv[2] if len(sys.argv) > 2 else f"{world}/tiles"
truth = {(s["site_id"], s["datetime"]): s for s in json.load(open(f"{world}/truth.json"))["samples"]}
records = [json.loads(l) for l in open(f"{tiles}/manifest.jsonl")]
records = [r for r in records if r["valid_fraction"] >= 0.5]
vis = np.zeros((len(records), 0, 0), np.float32)
for i, r in enumerate(records):
    a = gdal.Open(f"{tiles}/{r['path']}").ReadAsArray().astype(np.float32)
    if i == 0:
        vis = np.zeros((len(records),) + a.shape[1:], np.float32)
    vis[i] = np.mean([a[r["bands"].index(b)] for b in ("B02", "B03", "B04")], axis=0)
site = np.array([r["site_id"] for r in records])
cloud = np.array([r["cloud_fraction"] if r["cloud_fraction"] is not None else 1.0 for r in records])
active = np.array([truth[(r["site_id"], r["datetime"])]["active"] for r in records], bool)
h, w = vis.shape[1:]
yy, xx = np.mgrid[0:h, 0:w]
near = np.hypot(xx - (w - 1) / 2, yy - (h - 1) / 2) < 12


def auc(x, y):
    r = np.argsort(np.argsort(x)) + 1
    return (r[y].sum() - y.sum() * (y.sum() + 1) / 2) / (y.sum() * (~y).sum())


def near_change(q):
    out = np.zeros(len(vis))
    for s in np.unique(site):
        idx = np.where(site == s)[0]
        for i in idx:
            others = idx[idx != i]
            members = others[cloud[others] <= 0.2]
            if len(members) < 3:
                members = others[np.argsort(cloud[others], kind="stable")][:3]
            out[i] = (vis[i] - np.quantile(vis[members], q, axis=0))[near].mean() if len(members) else 0.0
    return out


clear = cloud < 0.1
print(f"{len(records)} patches, {clear.sum()} clear (cloud fraction < 0.1), {active.mean():.2f} on")
for q in (0.1, 0.2, 0.5):
    f = near_change(q)
    print(f"background quantile {q}: AUC on clear {auc(f[clear], active[clear]):.3f}, on all {auc(f, active):.3f}")
    if q == 0.2:
        on, off = f[clear & active], f[clear & ~active]
        print(f"  near-stack change (DN), clear: on median {np.median(on):.0f} p90 {np.percentile(on, 90):.0f}; off median {np.median(off):.0f} p90 {np.percentile(off, 90):.0f}")
        print(f"  spread of the visible band over all patches: std {vis.std():.0f} DN; of the change: std {f.std():.0f} DN")
f0 = vis[:, near].mean(1)
print(f"no background: AUC on clear {auc(f0[clear], active[clear]):.3f}")

# What the feature adds to a plant-only model: logistic regression for "on" on capacity and fuel,
# then with the cloud fraction and the near-stack change (20th percentile background, also
# gated by a clear sky) added; grouped 3-fold over plants (numpy seed 0), held-out AUC.
plants = {f["properties"]["site_id"]: f["properties"] for f in json.load(open(f"{world}/sites.geojson"))["features"]}
cap = np.array([plants[s]["capacity_mw"] for s in site]) / 600
fuel = np.array([plants[s]["fuel"] for s in site])
change = near_change(0.2) / 100
plant_cols = [np.ones(len(site)), cap] + [(fuel == f).astype(float) for f in ("coal", "lignite", "gas", "oil")]
image_cols = [cloud, change * clear, change]


def fit_logit(X, y, l2=1e-2):
    w = np.zeros(X.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-X @ w))
        H = (X * (p * (1 - p))[:, None]).T @ X / len(y) + l2 * np.eye(len(w))
        w -= np.linalg.solve(H, X.T @ (p - y) / len(y) + l2 * w)
    return w


ids = np.unique(site)
np.random.default_rng(0).shuffle(ids)
for name, cols in (("plant only", plant_cols), ("plant + near-stack change", plant_cols + image_cols)):
    X = np.stack(cols, 1)
    scores = []
    for fold in np.array_split(ids, 3):
        te = np.isin(site, fold)
        p = 1 / (1 + np.exp(-X[te] @ fit_logit(X[~te], active[~te].astype(float))))
        c = clear[te]
        scores.append((auc(p, active[te]), auc(p[c], active[te][c])))
    m = np.mean(scores, 0)
    print(f"logistic, {name}: held-out AUC all {m[0]:.3f}, clear {m[1]:.3f} (mean of 3 folds)")
