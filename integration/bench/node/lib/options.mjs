// key=value command-line options, as the Java benchmarks take them (BenchOptions): every key must be known, so a
// typo fails the run at once instead of silently measuring the default.

export function parseOptions(argv, defaults) {
  const options = { ...defaults };
  for (const arg of argv) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new Error(`expected key=value, got "${arg}"`);
    const key = arg.slice(0, eq);
    if (!(key in defaults)) {
      throw new Error(`unknown option "${key}"; known: ${Object.keys(defaults).join(', ')}`);
    }
    options[key] = arg.slice(eq + 1);
  }
  return options;
}

export function integer(options, key, { min = 0 } = {}) {
  const value = Number(options[key]);
  if (!Number.isInteger(value) || value < min) throw new Error(`${key} must be an integer >= ${min}`);
  return value;
}

export function integerList(options, key) {
  return String(options[key]).split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${key}: "${s}" is not a positive integer`);
    return n;
  });
}
