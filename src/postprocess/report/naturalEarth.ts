/**
 * Natural Earth 1:50m land and countries from the `world-atlas` package (TopoJSON, public
 * domain), read from node_modules at run time so the report's offline basemap and the
 * country filter need no network and no copy of the data in this repository.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Topology, GeometryCollection } from 'topojson-specification';

const require = createRequire(import.meta.url);

export type AtlasName = 'countries-50m' | 'land-50m' | 'countries-110m' | 'land-110m';

const cache = new Map<AtlasName, Topology>();

/** One world-atlas TopoJSON file, parsed once per process. */
export function readAtlas(name: AtlasName): Topology<{ countries: GeometryCollection<{ name: string }>; land: GeometryCollection }> {
  let topo = cache.get(name);
  if (topo === undefined) {
    topo = JSON.parse(readFileSync(require.resolve(`world-atlas/${name}.json`), 'utf8')) as Topology;
    cache.set(name, topo);
  }
  return topo as Topology<{ countries: GeometryCollection<{ name: string }>; land: GeometryCollection }>;
}
