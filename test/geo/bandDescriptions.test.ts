/**
 * Band descriptions from GDAL_METADATA in one pass (openRaster.ts). GDAL writes one
 * `<Item name="DESCRIPTION" sample="i" role="description">` per described band beside
 * dataset-level items without a sample; the text is XML-escaped.
 */
import { describe, expect, it } from 'vitest';
import { bandDescriptionsOf } from '../../src/geo/tiff/openRaster.js';

describe('bandDescriptionsOf', () => {
  it('maps each DESCRIPTION item to its sample and leaves the others null', () => {
    const xml = [
      '<GDALMetadata>',
      '  <Item name="MISSION_ID">S2B</Item>',
      '  <Item name="DESCRIPTION" sample="0" role="description">B02</Item>',
      '  <Item role="description" sample="2" name="DESCRIPTION">B04 &amp; &lt;red&gt;</Item>',
      '  <Item name="OFFSET" sample="1" role="offset">-1000</Item>',
      '  <Item name="DESCRIPTION" sample="7" role="description">beyond the bands</Item>',
      '  <Item name="DESCRIPTION" sample="3" role="description"></Item>',
      '</GDALMetadata>',
    ].join('\n');
    expect(bandDescriptionsOf(xml, 4)).toEqual(['B02', null, 'B04 & <red>', null]);
  });

  it('gives nulls without metadata', () => {
    expect(bandDescriptionsOf(undefined, 3)).toEqual([null, null, null]);
    expect(bandDescriptionsOf('<GDALMetadata></GDALMetadata>', 2)).toEqual([null, null]);
  });
});
