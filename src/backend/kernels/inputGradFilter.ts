/**
 * The input gradient of a strided convolution as ONE stride-1 convolution over dy whose
 * output channels hold every stride phase of dx at once (a "sub-pixel" convolution, the
 * way a transposed convolution is often run).
 *
 * With stride s, the rows h = s·i' + a of dx (phase a) only meet the filter taps
 * p = r_a + s·m (r_a = (a + padTop) mod s) and read dy[i' + c_a − m] (c_a = (a + padTop − r_a)/s).
 * Every phase reads dy at offsets o = c_a − m within one small window [minOff, maxOff], so
 * a filter K[o − minOff, ·, o_out, (a, b, c)] = W[r_a + s·m, ·, c, o_out] (zero where a phase
 * has no tap at that offset) computes all s² phases in one convolution; a 4-D transpose then
 * interleaves them (depth-to-space). The filter is built here in JavaScript: it is tiny, and
 * building it from wasm's Reverse/StridedSlice/Transpose kernels cost more than the loop.
 */

/** The window of dy offsets one spatial axis reads, and where each phase's taps sit in it. */
export interface AxisPlan {
  /** Filter length along the axis (maxOff − minOff + 1), 0 when no phase has a tap. */
  length: number;
  /** Rows of dx per phase, the longest (phase 0): ceil(size / s). */
  rows: number;
  /** dy rows [begin, end) the convolution reads, and its zero pads around them. */
  begin: number;
  end: number;
  padBefore: number;
  padAfter: number;
  /** Per phase a: [position in the window, filter tap] pairs. */
  taps: [number, number][][];
}

/** The plan along one axis: input size, output size, kernel k, stride s, forward pad before. */
export function axisPlan(size: number, outSize: number, k: number, s: number, padBefore: number): AxisPlan {
  const raw: [number, number][][] = [];
  let minOff = Infinity;
  let maxOff = -Infinity;
  for (let a = 0; a < s; a++) {
    const r = (a + padBefore) % s;
    const c = (a + padBefore - r) / s;
    const list: [number, number][] = [];
    for (let p = r, m = 0; p < k; p += s, m++) {
      list.push([c - m, p]);
      minOff = Math.min(minOff, c - m);
      maxOff = Math.max(maxOff, c - m);
    }
    raw.push(list);
  }
  const rows = Math.ceil(size / s);
  if (minOff > maxOff) return { length: 0, rows, begin: 0, end: 0, padBefore: 0, padAfter: 0, taps: raw };
  const taps = raw.map((list) => list.map(([o, p]) => [o - minOff, p] as [number, number]));
  const begin = Math.max(0, minOff);
  const end = Math.min(outSize, rows - 1 + maxOff + 1);
  return {
    length: maxOff - minOff + 1,
    rows,
    begin,
    end,
    padBefore: Math.max(0, -minOff),
    padAfter: Math.max(0, rows - 1 + maxOff - (outSize - 1)),
    taps,
  };
}

/**
 * The merged filter [Kh, Kw, C_out, sh·sw·C_in] from W [k_h, k_w, C_in, C_out] (row-major),
 * output channel (a·sw + b)·C_in + c holding phase (a, b) of input channel c.
 */
export function mergedFilter(w: ArrayLike<number>, filterShape: readonly number[], ph: AxisPlan, pw: AxisPlan): Float32Array {
  const [, kw, cin, cout] = filterShape as [number, number, number, number];
  const sh = ph.taps.length;
  const sw = pw.taps.length;
  const outC = sh * sw * cin;
  const k = new Float32Array(ph.length * pw.length * cout * outC);
  for (let a = 0; a < sh; a++) {
    for (const [th, p] of ph.taps[a]!) {
      for (let b = 0; b < sw; b++) {
        for (const [tw, q] of pw.taps[b]!) {
          const kBase = (th * pw.length + tw) * cout * outC + (a * sw + b) * cin;
          const wBase = (p * kw + q) * cin * cout;
          for (let c = 0; c < cin; c++) {
            for (let o = 0; o < cout; o++) k[kBase + o * outC + c] = w[wBase + c * cout + o]!;
          }
        }
      }
    }
  }
  return k;
}
