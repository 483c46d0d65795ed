/**
 * What post-processing needs to know of a plant site: where it is (WGS84) and the
 * attributes GIS users filter on. Built from the sites GeoJSON by the CLI; kept minimal so
 * aggregation does not depend on how sites are parsed.
 */
export interface SiteInfo {
  site_id: string;
  /** WGS84 longitude, degrees. */
  lon: number;
  /** WGS84 latitude, degrees. */
  lat: number;
  name: string | null;
  fuel: string | null;
  capacity_mw: number | null;
}
