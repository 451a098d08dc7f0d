// Latencies in nanoseconds, every one kept (as the Java harness's LongSamples): at benchmark sizes that is a few
// million numbers, cheap to hold, to send to the coordinator as one typed array, and it leaves nothing to bucket
// resolution. Percentiles are nearest-rank, the same definition as LongSamples.percentile.

export class Samples {
  constructor(capacity = 1024) {
    this.values = new Float64Array(capacity);
    this.size = 0;
  }

  add(value) {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = value;
  }

  /** The samples as a compact array (a copy), for sending over IPC. */
  toArray() {
    return this.values.slice(0, this.size);
  }
}

/** One sorted array of all the parts' samples: the exact percentiles of the whole run. */
export function merge(parts) {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Float64Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all.sort(); // a typed array sorts numerically
}

/** Nearest-rank percentile of sorted values, p in (0, 100]; 0 when there are none. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
}
