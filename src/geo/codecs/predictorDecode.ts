/**
 * Undoing TIFF predictors on decoded blocks in host (little-endian) byte order, for the
 * blocks co2sat decodes itself (DEFLATE prefixes). 2 = horizontal differencing of integer
 * samples (per row, stride = samples per pixel); 3 = the floating-point predictor (byte
 * differencing along the row, then byte planes most-significant first back into samples).
 * Only whole rows are present; the data is modified in place.
 */
export function undoHorizontal(data: ArrayBuffer, rowSamples: number, stride: number, bytesPerSample: 1 | 2 | 4, signed: boolean): void {
  const v =
    bytesPerSample === 1 ? new Uint8Array(data) : bytesPerSample === 2 ? (signed ? new Int16Array(data, 0, data.byteLength >> 1) : new Uint16Array(data, 0, data.byteLength >> 1)) : new Uint32Array(data, 0, data.byteLength >> 2);
  for (let start = 0; start + rowSamples <= v.length; start += rowSamples) {
    for (let i = start + stride; i < start + rowSamples; i++) v[i] = v[i]! + v[i - stride]!;
  }
}

export function undoFloatingPoint(data: ArrayBuffer, rowSamples: number, stride: number, bytesPerSample: number): void {
  const bytes = new Uint8Array(data);
  const rowBytes = rowSamples * bytesPerSample;
  const copy = new Uint8Array(rowBytes);
  for (let start = 0; start + rowBytes <= bytes.length; start += rowBytes) {
    const row = bytes.subarray(start, start + rowBytes);
    for (let i = stride; i < rowBytes; i++) row[i] = (row[i]! + row[i - stride]!) & 0xff;
    copy.set(row);
    for (let i = 0; i < rowSamples; i++) {
      for (let b = 0; b < bytesPerSample; b++) row[bytesPerSample * i + b] = copy[(bytesPerSample - b - 1) * rowSamples + i]!;
    }
  }
}
