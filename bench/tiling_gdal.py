#!/usr/bin/env python3
"""GDAL peer for `co2sat bench tiling` (bench/tiling.ts), run with Debian's python3-gdal.

make-scene OUT REAL_DIR [EDGE]: writes the benchmark scene with GDAL: 10980 x 10980, 12 bands UInt16, tiled
  256 x 256, DEFLATE, EPSG:32619 10 m (Sentinel-2 tile 19UDP's grid). Pixels are the 12 real
  Sentinel-2 L1C bands of ../shared/data/real (122 x 122 at 900 m, repeated 90 x 90) plus
  seeded noise, so DEFLATE sees realistic entropy; a smooth synthetic field without ../shared.
  EDGE (default 10980) makes a smaller scene on the same grid origin (the bench's own test).
tile SCENE SITES OUT SIZE [SHARD SHARDS]: one process of a pool of SHARDS (default 1 of 1)
  does, for every SHARDS-th site from SHARD, what `co2sat tile` does, the GDAL way: place it with
  OSR, apply the same window rule, ReadAsArray the clipped window (nodata outside), write a
  DEFLATE GeoTIFF with the window geotransform. Prints one JSON line: patches, seconds,
  peak RSS (getrusage, includes GDAL's block cache: GDAL_CACHEMAX as configured).
"""
import json, math, os, resource, sys, time
import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
L1C = ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B11", "B12"]


def make_scene(out, real_dir, size=10980):
    step = 90 * size // 10980 or 1
    tmp = out + ".part"
    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(tmp, size, size, 12, gdal.GDT_UInt16,
                    ["TILED=YES", "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER", "NUM_THREADS=ALL_CPUS"])
    ds.SetGeoTransform([399960, 10, 0, 5400000, 0, -10])
    srs = osr.SpatialReference(); srs.ImportFromEPSG(32619)
    ds.SetProjection(srs.ExportToWkt())
    rng = np.random.default_rng(42)
    rows = 512
    for b in range(12):
        path = os.path.join(real_dir, "sentinel2_l1c_19UDP_20170729", L1C[b] + ".tif")
        if os.path.exists(path):
            small = gdal.Open(path).ReadAsArray().astype(np.int32)
        else:
            yy, xx = np.mgrid[0:122, 0:122]
            small = (2000 + 800 * np.sin(xx / 9.0 + b) * np.cos(yy / 7.0)).astype(np.int32)
        band = ds.GetRasterBand(b + 1)
        band.SetDescription(L1C[b])
        for y0 in range(0, size, rows):
            h = min(rows, size - y0)
            block = np.repeat(np.repeat(small[(y0 // step):((y0 + h - 1) // step) + 1], step, axis=0), step, axis=1)
            block = block[(y0 % step):(y0 % step) + h, :size]
            noise = rng.integers(0, 64, size=(h, size), dtype=np.int32)
            band.WriteArray(np.clip(block + noise, 0, 65535).astype(np.uint16), 0, y0)
    ds = None
    os.replace(tmp, out)


def tile(scene, sites_path, out, size, shard=0, shards=1):
    t0 = time.perf_counter()
    ds = gdal.Open(scene)
    gt = ds.GetGeoTransform()
    w, h, nb = ds.RasterXSize, ds.RasterYSize, ds.RasterCount
    nodata = ds.GetRasterBand(1).GetNoDataValue()
    fill = 0 if nodata is None else nodata
    srs = ds.GetSpatialRef(); srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326); wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(wgs, srs)
    # One process of a pool of `shards`: every shards-th site from `shard`, so a pool of N
    # processes covers the sites once, as co2sat's concurrency N does.
    sites = json.load(open(sites_path))["features"][shard::shards]
    drv = gdal.GetDriverByName("GTiff")
    wkt = ds.GetProjection()
    dtype = gdal.GetDataTypeName(ds.GetRasterBand(1).DataType)
    np_type = {"UInt16": np.uint16, "Int16": np.int16, "Byte": np.uint8, "Float32": np.float32}[dtype]
    os.makedirs(out, exist_ok=True)
    written = 0
    half = size // 2
    for f in sites:
        lon, lat = f["geometry"]["coordinates"][:2]
        x, y, _ = ct.TransformPoint(lon, lat)
        col = math.floor((x - gt[0]) / gt[1]); row = math.floor((y - gt[3]) / gt[5])
        if not (0 <= col < w and 0 <= row < h):
            continue
        xoff, yoff = col - half, row - half
        xs, ys, xe, ye = max(0, xoff), max(0, yoff), min(w, xoff + size), min(h, yoff + size)
        arr = np.full((nb, size, size), fill, dtype=np_type)
        arr[:, ys - yoff:ye - yoff, xs - xoff:xe - xoff] = ds.ReadAsArray(xs, ys, xe - xs, ye - ys).reshape(nb, ye - ys, xe - xs)
        o = drv.Create(os.path.join(out, f["properties"]["site_id"] + ".tif"), size, size, nb, ds.GetRasterBand(1).DataType, ["COMPRESS=DEFLATE"])
        o.SetGeoTransform([gt[0] + xoff * gt[1], gt[1], 0, gt[3] + yoff * gt[5], 0, gt[5]])
        o.SetProjection(wkt)
        for b in range(nb):
            ob = o.GetRasterBand(b + 1)
            ob.SetNoDataValue(fill)
            ob.WriteArray(arr[b])
        o = None
        written += 1
    seconds = time.perf_counter() - t0
    print(json.dumps({"patches": written, "seconds": seconds,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "gdal_version": gdal.__version__, "gdal_cachemax_mb": gdal.GetCacheMax() / 1048576}))


if __name__ == "__main__":
    if sys.argv[1] == "make-scene":
        make_scene(sys.argv[2], sys.argv[3], *(int(a) for a in sys.argv[4:5]))
    elif sys.argv[1] == "tile":
        tile(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), *(int(a) for a in sys.argv[6:8]))
    else:
        sys.exit("usage: tiling_gdal.py make-scene OUT REAL_DIR [EDGE] | tile SCENE SITES OUT SIZE [SHARD SHARDS]")
