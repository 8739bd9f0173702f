import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Categorical, hash32, Rng } from './prng.js';
import { apportion } from './plan.js';

describe('Rng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = new Rng(2014);
    const b = new Rng(2014);
    const c = new Rng(2015);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
  });

  it('derives streams from parts: order and kind of parts matter', () => {
    expect(hash32(1, 'a')).toBe(hash32(1, 'a'));
    expect(hash32(1, 'a')).not.toBe(hash32('a', 1));
    expect(hash32(1)).not.toBe(hash32('1'));
    expect(new Rng([1, 'x']).next()).toBe(new Rng([1, 'x']).next());
  });

  it('keeps draws in range', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 100 }), (seed, lo, span) => {
        const r = new Rng(seed);
        for (let i = 0; i < 50; i++) {
          const f = r.float();
          expect(f).toBeGreaterThanOrEqual(0);
          expect(f).toBeLessThan(1);
          const n = r.int(lo, lo + span);
          expect(n).toBeGreaterThanOrEqual(lo);
          expect(n).toBeLessThanOrEqual(lo + span);
        }
      }),
    );
  });

  it('is roughly uniform and normal', () => {
    const r = new Rng(42);
    const n = 100_000;
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < n; i++) {
      const f = r.float();
      sum += f;
      buckets[Math.floor(f * 10)]++;
      const z = r.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    for (const b of buckets) expect(Math.abs(b - n / 10)).toBeLessThan(n / 100);
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(sumN2 / n).toBeCloseTo(1, 1);
  });

  it('samples a categorical distribution by weight', () => {
    const d = Categorical.of([
      ['a', 1],
      ['b', 3],
      ['c', 0],
    ]);
    const r = new Rng(1);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 40_000; i++) counts[d.sample(r)]!++;
    expect(counts.c).toBe(0);
    expect(counts.b! / counts.a!).toBeGreaterThan(2.8);
    expect(counts.b! / counts.a!).toBeLessThan(3.2);
    expect(d.probability('b')).toBeCloseTo(0.75);
    expect(Categorical.of([[1, 1], [3, 1]]).mean()).toBe(2);
  });
});

describe('apportion', () => {
  it('splits a total exactly, in proportion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 }), (total, w) => {
        const out = apportion(total, w);
        expect(out.reduce((a, b) => a + b, 0)).toBe(total);
        const sum = w.reduce((a, b) => a + b, 0);
        if (sum > 0) out.forEach((o, i) => expect(Math.abs(o - (total * w[i]!) / sum)).toBeLessThan(1 + 1e-9));
      }),
    );
  });
});
