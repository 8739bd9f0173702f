// A small seeded PRNG (sfc32, Chris Doty-Humphrey's "small fast counting" generator, seeded
// through splitmix32) and the draws the synthesiser needs. Pure integer arithmetic on 32-bit
// values: the same seed gives the same stream on every platform and Node version, which is
// what makes `jingzhun seed` reproducible byte for byte.

/** Mixes a 32-bit value (splitmix32's finaliser). */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A 32-bit hash of numbers and strings (FNV-1a over UTF-16 units, then mixed). Used to derive
 * independent streams, e.g. one per (seed, county, household), so that a household's data
 * does not depend on how the run is chunked.
 */
export function hash32(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const s = typeof p === 'number' ? `#${p}` : `$${p}`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is any number (taken modulo 2^32) or a list of parts hashed with hash32. */
  constructor(seed: number | readonly (string | number)[]) {
    let s = typeof seed === 'number' ? seed >>> 0 : hash32(...seed);
    const split = () => {
      s = (s + 0x9e3779b9) >>> 0;
      return mix32(s);
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (!items.length) throw new Error('pick from an empty list');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Standard normal (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.float();
    const v = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given arithmetic mean and log-scale sigma. */
  lognormal(mean: number, sigma: number): number {
    return mean * Math.exp(this.normal(-(sigma * sigma) / 2, sigma));
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }
}

/** A categorical distribution over values, sampled by cumulative weight. */
export class Categorical<T> {
  private readonly cum: number[];
  private readonly total: number;

  constructor(
    readonly values: readonly T[],
    weights: readonly number[],
  ) {
    if (values.length !== weights.length || !values.length) throw new Error('values and weights must match and not be empty');
    let acc = 0;
    this.cum = weights.map((w) => {
      if (!(w >= 0)) throw new Error('weights must be ≥ 0');
      return (acc += w);
    });
    this.total = acc;
    if (!(acc > 0)) throw new Error('weights must not all be 0');
  }

  /** From `[value, weight]` pairs. */
  static of<T>(pairs: readonly (readonly [T, number])[]): Categorical<T> {
    return new Categorical(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  }

  sample(rng: Rng): T {
    const x = rng.float() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cum[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo] as T;
  }

  /** Probability of a value (sum of its weights / total). */
  probability(value: T): number {
    let p = 0;
    let prev = 0;
    this.cum.forEach((c, i) => {
      if (this.values[i] === value) p += c - prev;
      prev = c;
    });
    return p / this.total;
  }

  /** The mean, for numeric values. */
  mean(this: Categorical<number>): number {
    let m = 0;
    let prev = 0;
    this.cum.forEach((c, i) => {
      m += (this.values[i] as number) * (c - prev);
      prev = c;
    });
    return m / this.total;
  }
}
