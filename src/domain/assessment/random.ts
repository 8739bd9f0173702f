// The random stream behind evaluation sampling, built only from published algorithms so that
// anyone holding the published seed can re-draw a sample in any language (a Python version is
// ~30 lines). All arithmetic is on unsigned 64-bit integers (BigInt, masked to 64 bits).
//
//   key bytes   K = UTF-8( part_1 ‖ U+0000 ‖ part_2 ‖ … ‖ U+0000 ‖ part_k )
//               the parts are e.g. [seed, stratum] or [seed, village, stratum]; no part may
//               contain U+0000, so different part lists never give the same bytes
//   key hash    h = FNV-1a-64(K): h ← 0xcbf29ce484222325; for each byte b: h ← (h ⊕ b) · 0x100000001b3
//               (Fowler, Noll & Vo; IETF draft-eastlake-fnv)
//   state       s_0…s_3 = the first four outputs of SplitMix64 started at x = h
//               SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference C):
//                 x ← x + 0x9e3779b97f4a7c15;  z ← x
//                 z ← (z ⊕ (z ≫ 30)) · 0xbf58476d1ce4e5b9
//                 z ← (z ⊕ (z ≫ 27)) · 0x94d049bb133111eb;  output z ⊕ (z ≫ 31)
//               (this is the seeding Blackman & Vigna recommend for xoshiro)
//   stream      xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number
//               generators", ACM TOMS 2021; prng.di.unimi.it/xoshiro256starstar.c):
//                 out ← rotl(s_1 · 5, 7) · 9;  t ← s_1 ≪ 17
//                 s_2 ⊕= s_0; s_3 ⊕= s_1; s_1 ⊕= s_2; s_0 ⊕= s_3; s_2 ⊕= t; s_3 ← rotl(s_3, 45)
//   below(m)    uniform integer in [0, m), unbiased by rejection: draw r = out until
//               r ≥ (2^64 − m) mod m, then return r mod m (OpenBSD arc4random_uniform's rule)
//
// Why not synth/prng.ts: that generator (sfc32) is seeded from a 32-bit, project-specific
// string hash and maps floats to integers with a small bias. It is fine for synthetic data, but
// an auditor could not re-create its stream from an algorithm name alone, and a change made for
// the synthesiser would silently change evaluation samples. This file is that stream's own,
// frozen definition; its test pins published vectors and a golden draw.

export const MASK64 = (1n << 64n) - 1n;

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

const utf8 = new TextEncoder();

/** FNV-1a, 64-bit, over bytes (a string is taken as its UTF-8 bytes). */
export function fnv1a64(input: string | Uint8Array): bigint {
  const bytes = typeof input === 'string' ? utf8.encode(input) : input;
  let h = FNV64_OFFSET;
  for (const b of bytes) h = ((h ^ BigInt(b)) * FNV64_PRIME) & MASK64;
  return h;
}

/** SplitMix64: returns the generator's next output and advances `state.x`. */
export function splitMix64(state: { x: bigint }): bigint {
  state.x = (state.x + GOLDEN_GAMMA) & MASK64;
  let z = state.x;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

function rotl(x: bigint, k: bigint): bigint {
  return ((x << k) | (x >> (64n - k))) & MASK64;
}

/** True when a string has no unpaired UTF-16 surrogate (UTF-8 would replace it with U+FFFD). */
export function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/** xoshiro256** 1.0. */
export class Xoshiro256ss {
  private s0: bigint;
  private s1: bigint;
  private s2: bigint;
  private s3: bigint;

  /** From an explicit 256-bit state (four 64-bit words, not all zero). */
  constructor(state: readonly [bigint, bigint, bigint, bigint]) {
    const [a, b, c, d] = state.map((v) => v & MASK64) as [bigint, bigint, bigint, bigint];
    if ((a | b | c | d) === 0n) throw new Error('xoshiro256** state must not be all zero');
    this.s0 = a;
    this.s1 = b;
    this.s2 = c;
    this.s3 = d;
  }

  /** The state from the first four SplitMix64 outputs started at `seed`. */
  static fromSeed64(seed: bigint): Xoshiro256ss {
    const st = { x: seed & MASK64 };
    return new Xoshiro256ss([splitMix64(st), splitMix64(st), splitMix64(st), splitMix64(st)]);
  }

  /**
   * The stream for a key: parts joined by U+0000, UTF-8, FNV-1a-64, SplitMix64. Parts must be
   * well-formed and free of U+0000 (callers validate and report; this only guards).
   */
  static forKey(parts: readonly string[]): Xoshiro256ss {
    for (const p of parts) {
      if (p.includes('\u0000') || !isWellFormed(p)) throw new Error(`invalid stream key part ${JSON.stringify(p)}`);
    }
    return Xoshiro256ss.fromSeed64(fnv1a64(parts.join('\u0000')));
  }

  /** The next unsigned 64-bit output. */
  next(): bigint {
    const result = (rotl((this.s1 * 5n) & MASK64, 7n) * 9n) & MASK64;
    const t = (this.s1 << 17n) & MASK64;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 45n);
    return result;
  }

  /** Uniform integer in [0, m) for 1 ≤ m ≤ 2^53, by rejection (no modulo bias). */
  below(m: number): number {
    if (!Number.isSafeInteger(m) || m < 1) throw new Error(`below(m) needs a whole number m ≥ 1, got ${m}`);
    const M = BigInt(m);
    const threshold = (MASK64 + 1n - M) % M;
    for (;;) {
      const r = this.next();
      if (r >= threshold) return Number(r % M);
    }
  }
}

/**
 * Compares strings by Unicode code point (= UTF-8 byte order, = Python's str order), not by
 * UTF-16 unit as `<` does: the two differ only when a character above U+FFFF meets one in
 * U+E000–U+FFFF. Used to put a frame in a language-independent order before drawing.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (D800–DFFF) above E000–FFFF, giving code-point order for the first differing unit. */
function fixup(u: number): number {
  if (u < 0xd800) return u;
  return u >= 0xe000 ? u - 0x800 : u + 0x2000;
}
