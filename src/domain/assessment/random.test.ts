// The sampling stream against published test vectors, so a change to any step is caught.
//
// The same stream, written from random.ts's header alone (Python 3), gave every pinned value in
// this file and in sampling.test.ts's golden draws:
//
//   M = (1 << 64) - 1
//   def fnv(b):
//       h = 0xcbf29ce484222325
//       for c in b: h = ((h ^ c) * 0x100000001b3) & M
//       return h
//   def splitmix(x):
//       while True:
//           x = (x + 0x9e3779b97f4a7c15) & M; z = x
//           z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
//           z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
//           yield z ^ (z >> 31)
//   rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & M
//   class Xoshiro:
//       def __init__(self, parts):
//           g = splitmix(fnv('\0'.join(parts).encode('utf-8'))); self.s = [next(g) for _ in range(4)]
//       def next(self):
//           s0, s1, s2, s3 = self.s
//           r = (rotl((s1 * 5) & M, 7) * 9) & M; t = (s1 << 17) & M
//           s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
//           self.s = [s0, s1, s2, s3]; return r
//       def below(self, m):
//           th = ((1 << 64) - m) % m
//           while True:
//               r = self.next()
//               if r >= th: return r % m
//   def draw(seed, key, ids, n):          # key = [stratum] or [village, stratum]
//       a = sorted(ids); g = Xoshiro([seed] + key)
//       for i in range(n):
//           j = i + g.below(len(a) - i); a[i], a[j] = a[j], a[i]
//       return a[:n]

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints, fnv1a64, isWellFormed, splitMix64, Xoshiro256ss } from './random.js';

describe('FNV-1a-64', () => {
  it('matches the published test vectors', () => {
    // Fowler/Noll/Vo test suite (isthe.com/chongo/tech/comp/fnv, test_fnv.c; draft-eastlake-fnv)
    expect(fnv1a64('')).toBe(0xcbf29ce484222325n);
    expect(fnv1a64('a')).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64('foobar')).toBe(0x85944171f73967e8n);
  });

  it('hashes the UTF-8 bytes of a string', () => {
    expect(fnv1a64('开鲁县')).toBe(fnv1a64(new TextEncoder().encode('开鲁县')));
  });
});

describe('SplitMix64', () => {
  it('matches the reference outputs from state 0', () => {
    // Vigna, prng.di.unimi.it/splitmix64.c started at x = 0 (also Java's SplittableRandom mix)
    const st = { x: 0n };
    expect([splitMix64(st), splitMix64(st), splitMix64(st)]).toEqual([0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n, 0x06c45d188009454fn]);
  });
});

describe('xoshiro256**', () => {
  it('matches the reference implementation from the state {1, 2, 3, 4}', () => {
    // prng.di.unimi.it/xoshiro256starstar.c with s = {1, 2, 3, 4}; the first two by hand:
    // rotl(2·5, 7)·9 = 1280·9 = 11520, then s1 becomes 2 ⊕ (3 ⊕ 1) = 0, so rotl(0, 7)·9 = 0
    const x = new Xoshiro256ss([1n, 2n, 3n, 4n]);
    expect([x.next(), x.next(), x.next(), x.next(), x.next()]).toEqual([11520n, 0n, 1509978240n, 1215971899390074240n, 1216172134540287360n]);
  });

  it('keys a stream by its parts (pinned, and checked against the Python above)', () => {
    const k = Xoshiro256ss.forKey(['tongliao-2019', '开鲁县/poor']);
    expect([k.next(), k.next(), k.next()]).toEqual([6345512044024528124n, 7968106427645559997n, 6358905339297906902n]);
  });

  it('gives different streams for different part lists, even with the same characters', () => {
    const first = (parts: string[]) => Xoshiro256ss.forKey(parts).next();
    expect(first(['ab', 'c'])).not.toBe(first(['a', 'bc']));
    expect(first(['abc'])).not.toBe(first(['ab', 'c']));
    expect(first(['s', 'x'])).toBe(first(['s', 'x']));
  });

  it('refuses an all-zero state and key parts that are ambiguous', () => {
    expect(() => new Xoshiro256ss([0n, 0n, 0n, 0n])).toThrow(/all zero/);
    expect(() => Xoshiro256ss.forKey(['a\u0000b'])).toThrow();
    expect(() => Xoshiro256ss.forKey(['\uD800'])).toThrow();
  });

  it('below(m) stays in [0, m) and is close to uniform', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 8 }).filter(isWellFormed).filter((s) => !s.includes('\u0000')), fc.integer({ min: 1, max: 2 ** 53 - 1 }), (seed, m) => {
        const r = Xoshiro256ss.forKey([seed]);
        for (let i = 0; i < 20; i++) {
          const v = r.below(m);
          expect(Number.isSafeInteger(v) && v >= 0 && v < m).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
    const r = Xoshiro256ss.forKey(['uniform']);
    const counts = new Array(7).fill(0) as number[];
    for (let i = 0; i < 7000; i++) counts[r.below(7)]!++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120); // ≈ 4 sd
    expect(() => r.below(0)).toThrow();
    expect(() => r.below(1.5)).toThrow();
  });
});

describe('compareCodePoints', () => {
  it('orders by code point, unlike UTF-16 `<`', () => {
    const astral = '\u{1F600}'; // above U+FFFF: a surrogate pair in UTF-16
    const high = '\uFF5E'; // U+FF5E, in U+E000–U+FFFF
    expect(astral < high).toBe(true); // UTF-16 order
    expect(compareCodePoints(astral, high)).toBeGreaterThan(0); // code-point order
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('户1', '户1')).toBe(0);
  });

  it('agrees with comparing arrays of code points', () => {
    const cps = (s: string) => Array.from(s, (c) => c.codePointAt(0)!);
    const ref = (a: string, b: string) => {
      const x = cps(a);
      const y = cps(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return Math.sign(x[i]! - y[i]!);
      return Math.sign(x.length - y.length);
    };
    const str = fc.array(fc.constantFrom('a', 'b', '\uE000', '\uFFFF', '\u{10000}', '\u{1F600}', '户'), { maxLength: 5 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(str, str, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(ref(a, b));
      }),
    );
  });
});
