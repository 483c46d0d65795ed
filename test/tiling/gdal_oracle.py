#!/usr/bin/env python3
"""GDAL answers for the geo/tiling tests in one process (spawning gdal_translate per window
cost most of the test time on 2 cores). Reads a JSON list of requests on stdin, prints a JSON
list of answers. gdal.Translate and gdal.BuildVRT are the library forms of gdal_translate
and gdalbuildvrt (same code, same options), gdal.Info(format='json') is gdalinfo -json.

  {"op": "info", "file": F, "checksum": bool}           -> gdalinfo -json [-checksum]
  {"op": "srcwin", "file": F, "window": [x, y, w, h]}   -> {"b64": BSQ ENVI bytes, "geoTransform": [...]}
  {"op": "proj4", "file": F}                             -> gdalsrsinfo -o proj4
  {"op": "transform", "proj4": P, "points": [[lon, lat], ...]} -> [[x, y] or null, ...] (gdaltransform; null: no finite answer)
  {"op": "transform", "srs": S, "points": [...]}       -> the same, to any SRS GDAL reads ('EPSG:n', WKT)
  {"op": "to_wgs84", "file": F, "pixels": [[col, row], ...]} -> [[lon, lat], ...] of those pixel positions, from the file's CRS
  {"op": "buildvrt", "out": V, "files": [...], "separate": true, "nodata": n?}  -> null (gdalbuildvrt -resolution highest -r nearest [-vrtnodata n])
  {"op": "read", "file": F}                              -> {"b64": band 1's pixels, little-endian, "type": GDAL type name}
  {"op": "band_vrt", "src": V, "band": n, "out": V2}     -> null (gdal_translate -of VRT -b n)
"""
import base64, json, math, sys
from osgeo import gdal, osr

gdal.UseExceptions()


def answer(r):
    op = r["op"]
    if op == "info":
        return gdal.Info(r["file"], format="json", computeChecksum=bool(r.get("checksum")))
    if op == "srcwin":
        x, y, w, h = r["window"]
        gdal.Translate("/vsimem/w.img", r["file"], format="ENVI", srcWin=[x, y, w, h], creationOptions=["INTERLEAVE=BSQ"])
        gt = list(gdal.Open("/vsimem/w.img").GetGeoTransform())
        f = gdal.VSIFOpenL("/vsimem/w.img", "rb")
        gdal.VSIFSeekL(f, 0, 2); n = gdal.VSIFTellL(f); gdal.VSIFSeekL(f, 0, 0)
        data = gdal.VSIFReadL(1, n, f); gdal.VSIFCloseL(f)
        gdal.GetDriverByName("ENVI").Delete("/vsimem/w.img")
        return {"b64": base64.b64encode(data).decode(), "geoTransform": gt}
    if op == "proj4":
        return gdal.Open(r["file"]).GetSpatialRef().ExportToProj4().strip()
    if op == "transform":
        src = osr.SpatialReference(); src.ImportFromEPSG(4326)
        dst = osr.SpatialReference()
        if "srs" in r: dst.SetFromUserInput(r["srs"])  # 'EPSG:25832', WKT, a proj string
        else: dst.ImportFromProj4(r["proj4"])
        for s in (src, dst):
            s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        ct = osr.CoordinateTransformation(src, dst)
        out = []
        for lon, lat in r["points"]:
            try:
                xy = ct.TransformPoint(lon, lat)[:2]
            except RuntimeError:  # outside the projection's domain (gdal.UseExceptions)
                xy = (math.inf, math.inf)
            # JSON has no Infinity/NaN: a point without a finite answer is null.
            out.append(list(xy) if all(math.isfinite(v) for v in xy) else None)
        return out
    if op == "to_wgs84":
        ds = gdal.Open(r["file"]); gt = ds.GetGeoTransform()
        src = ds.GetSpatialRef(); dst = osr.SpatialReference(); dst.ImportFromEPSG(4326)
        for s in (src, dst):
            s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        ct = osr.CoordinateTransformation(src, dst)
        return [list(ct.TransformPoint(gt[0] + c * gt[1] + l * gt[2], gt[3] + c * gt[4] + l * gt[5])[:2]) for c, l in r["pixels"]]
    if op == "buildvrt":
        gdal.BuildVRT(r["out"], r["files"], separate=r.get("separate", False), resolution="highest", resampleAlg="nearest", VRTNodata=r.get("nodata"))
        return None
    if op == "read":
        ds = gdal.Open(r["file"])  # kept: a band outlives no dataset
        band = ds.GetRasterBand(1)
        a = band.ReadAsArray()
        return {"b64": base64.b64encode(a.astype(a.dtype.newbyteorder("<")).tobytes()).decode(), "type": gdal.GetDataTypeName(band.DataType)}
    if op == "band_vrt":
        gdal.Translate(r["out"], r["src"], format="VRT", bandList=[r["band"]])
        return None
    raise ValueError("unknown op " + op)


json.dump([answer(r) for r in json.load(sys.stdin)], sys.stdout)
