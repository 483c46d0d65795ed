/**
 * OGR (GDAL's vector library) as the reader of our GeoJSON: what QGIS and ogr2ogr will see.
 * Debian 12's GDAL 3.6 has no `ogrinfo -json`, so a few lines of GDAL's Python bindings
 * dump the layer as JSON. Used through oracle() so GDAL-less machines compare with goldens.
 */
import { spawnSync } from 'node:child_process';

const DUMP = `
import json, sys
from osgeo import ogr
ogr.UseExceptions()
ds = ogr.Open(sys.argv[1])
lyr = ds.GetLayer(0)
defn = lyr.GetLayerDefn()
fields = []
for i in range(defn.GetFieldCount()):
    f = defn.GetFieldDefn(i)
    fields.append([f.GetName(), ogr.GetFieldTypeName(f.GetType())])
feats = []
for feat in lyr:
    g = feat.GetGeometryRef()
    vals = {}
    for i in range(defn.GetFieldCount()):
        name = defn.GetFieldDefn(i).GetName()
        vals[name] = feat.GetFieldAsString(i) if feat.IsFieldSetAndNotNull(i) else None
    feats.append({"x": g.GetX(), "y": g.GetY(), "geom": g.GetGeometryName(), "values": vals})
srs = lyr.GetSpatialRef()
print(json.dumps({"driver": ds.GetDriver().GetName(), "count": lyr.GetFeatureCount(), "fields": fields,
  "srs_epsg": srs.GetAuthorityCode(None) if srs is not None else None, "features": feats}))
`;

export interface OgrLayer {
  driver: string;
  count: number;
  fields: [string, string][];
  srs_epsg: string | null;
  features: { x: number; y: number; geom: string; values: Record<string, string | null> }[];
}

function python(): string {
  // Debian's python3-gdal lives in the system interpreter; a pyenv shim may shadow it.
  for (const p of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(p, ['-c', 'from osgeo import ogr'], { encoding: 'utf8' }).status === 0) return p;
  }
  throw new Error('no python3 with GDAL bindings (python3-gdal)');
}

/** OGR's view of a vector file's first layer. */
export function ogrDump(file: string): OgrLayer {
  const r = spawnSync(python(), ['-c', DUMP, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`OGR could not read ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout) as OgrLayer;
}

/** ogr2ogr to GeoPackage, then OGR's view of the result. */
export function ogrToGpkg(file: string, gpkg: string): OgrLayer {
  const r = spawnSync('ogr2ogr', ['-f', 'GPKG', gpkg, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ogr2ogr -f GPKG failed: ${r.stderr}`);
  return ogrDump(gpkg);
}
