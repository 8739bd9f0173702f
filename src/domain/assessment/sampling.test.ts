// Stratified and two-stage sampling: reproducible from the seed, independent of input order,
// sizes and weights as planned, golden draws pinned, bad plans refused naming the stratum.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { drawStratified, drawTwoStage, SAMPLING_ALGORITHM, villageStratum, type StratumFrame } from './sampling.js';

const ids = (p: string, n: number, width = 3) => Array.from({ length: n }, (_, i) => ({ id: `${p}${String(i + 1).padStart(width, '0')}` }));

const FRAMES: StratumFrame[] = [
  { stratum: 'exited', units: ids('E', 40) },
  { stratum: 'nonRegistered', units: ids('N', 25) },
];
const SIZES = { exited: 6, nonRegistered: 4 };

function issuesOf(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

function messageOf(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).msg;
  }
  throw new Error('expected a ValidationError');
}

/** A permutation of xs from a fast-check-provided list of keys. */
function permute<T>(xs: readonly T[], keys: readonly number[]): T[] {
  return xs.map((x, i) => ({ x, k: keys[i % keys.length]! + i / 1e6 })).sort((a, b) => a.k - b.k).map((p) => p.x);
}

describe('drawStratified', () => {
  it('draws the pinned golden sample for a fixed seed (checked by an independent Python re-implementation)', () => {
    const d = drawStratified({ seed: 'tongliao-2019', frames: FRAMES, sizes: SIZES });
    expect(d.algorithm).toBe(SAMPLING_ALGORITHM);
    expect(d.strata.map((s) => [s.stratum, s.ids])).toEqual([
      ['exited', ['E029', 'E023', 'E031', 'E004', 'E037', 'E027']],
      ['nonRegistered', ['N005', 'N022', 'N014', 'N010']],
    ]);
  });

  it('gives the same sample for the same seed whatever the order of strata and units', () => {
    const base = drawStratified({ seed: 'tongliao-2019', frames: FRAMES, sizes: SIZES });
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 50 }), fc.boolean(), (keys, flip) => {
        const frames = FRAMES.map((f) => ({ stratum: f.stratum, units: permute(f.units, keys) }));
        const d = drawStratified({ seed: 'tongliao-2019', frames: flip ? frames.reverse() : frames, sizes: SIZES });
        expect(d).toEqual(base);
      }),
      { numRuns: 40 },
    );
  });

  it('gives different samples for different seeds', () => {
    const a = drawStratified({ seed: 'tongliao-2019', frames: FRAMES, sizes: SIZES });
    const b = drawStratified({ seed: 'tongliao-2020', frames: FRAMES, sizes: SIZES });
    const c = drawStratified({ seed: 'Tongliao-2019', frames: FRAMES, sizes: SIZES });
    expect(b.strata[0]!.ids).not.toEqual(a.strata[0]!.ids);
    expect(c.strata[0]!.ids).not.toEqual(a.strata[0]!.ids);
  });

  it('respects the sizes, draws distinct frame units, and its weights sum to the population', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 10 }).map((s) => `s${s.trim()}`), fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 5 }), (seed, spec) => {
        const frames = spec.map(([N], h) => ({ stratum: `h${h}`, units: ids(`h${h}-`, N) }));
        const sizes = Object.fromEntries(spec.map(([N, f], h) => [`h${h}`, Math.floor(f * N)]));
        const d = drawStratified({ seed, frames, sizes });
        for (const s of d.strata) {
          const N = frames.find((f) => f.stratum === s.stratum)!.units.length;
          expect(s.populationSize).toBe(N);
          expect(s.sampleSize).toBe(sizes[s.stratum]);
          expect(s.ids).toHaveLength(s.sampleSize);
          expect(new Set(s.ids).size).toBe(s.sampleSize);
          for (const id of s.ids) expect(id.startsWith(`${s.stratum}-`)).toBe(true);
          if (s.sampleSize > 0) {
            expect(s.inclusionProbability).toBeCloseTo(s.sampleSize / N, 15);
            expect(s.weightFraction).toEqual({ num: N, den: s.sampleSize });
            expect(s.ids.length * s.designWeight!).toBeCloseTo(N, 9);
          } else expect(s.designWeight).toBeNull();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('takes the whole frame when n = N, and nothing when n = 0', () => {
    const d = drawStratified({ seed: 'x', frames: FRAMES, sizes: { exited: 40, nonRegistered: 0 } });
    expect([...d.strata[0]!.ids].sort()).toEqual(FRAMES[0]!.units.map((u) => u.id));
    expect(d.strata[0]!.designWeight).toBe(1);
    expect(d.strata[1]).toMatchObject({ sampleSize: 0, ids: [], designWeight: null, weightFraction: null, inclusionProbability: 0 });
  });

  it("keeps one stratum's sample when another stratum is added or resized", () => {
    const a = drawStratified({ seed: 's', frames: FRAMES, sizes: SIZES });
    const b = drawStratified({ seed: 's', frames: [...FRAMES, { stratum: 'remaining', units: ids('R', 9) }], sizes: { ...SIZES, nonRegistered: 10, remaining: 3 } });
    expect(b.strata.find((s) => s.stratum === 'exited')).toEqual(a.strata.find((s) => s.stratum === 'exited'));
    // the first 4 of 10 drawn are the 4 drawn before: a larger sample extends the smaller one
    expect(b.strata.find((s) => s.stratum === 'nonRegistered')!.ids.slice(0, 4)).toEqual(a.strata[1]!.ids);
  });

  it('selects every unit with probability n/N (3 of 10 over 3,000 seeds)', () => {
    const frames = [{ stratum: 'h', units: ids('u', 10) }];
    const hits = new Map<string, number>();
    for (let s = 0; s < 3000; s++) for (const id of drawStratified({ seed: `seed-${s}`, frames, sizes: { h: 3 } }).strata[0]!.ids) hits.set(id, (hits.get(id) ?? 0) + 1);
    expect(hits.size).toBe(10);
    for (const c of hits.values()) expect(Math.abs(c - 900)).toBeLessThan(110); // sd ≈ 25 for 900
  });

  it('carries unit sizes to the result', () => {
    const d = drawStratified({ seed: 'x', frames: [{ stratum: 'h', units: [{ id: 'a', size: 4 }, { id: 'b' }] }], sizes: { h: 2 } });
    expect(d.strata[0]!.units.find((u) => u.id === 'a')).toEqual({ id: 'a', size: 4 });
    expect(d.strata[0]!.units.find((u) => u.id === 'b')).toEqual({ id: 'b' });
  });

  it('refuses bad plans with bilingual messages naming the stratum', () => {
    const cases: [string, () => unknown, RegExp, RegExp][] = [
      ['too big', () => drawStratified({ seed: 's', frames: FRAMES, sizes: { ...SIZES, nonRegistered: 26 } }), /层“nonRegistered”的样本量 26 大于总体数 25/, /stratum "nonRegistered" \(26\) exceeds its population of 25/],
      ['negative', () => drawStratified({ seed: 's', frames: FRAMES, sizes: { ...SIZES, exited: -1 } }), /层“exited”的样本量为负数/, /stratum "exited" is negative/],
      ['fraction', () => drawStratified({ seed: 's', frames: FRAMES, sizes: { ...SIZES, exited: 2.5 } }), /层“exited”的样本量 2.5 不是整数/, /stratum "exited" \(2.5\) is not a whole number/],
      ['NaN', () => drawStratified({ seed: 's', frames: FRAMES, sizes: { ...SIZES, exited: Number.NaN } }), /层“exited”的样本量必须是数字/, /stratum "exited" must be a number/],
      ['unknown', () => drawStratified({ seed: 's', frames: FRAMES, sizes: { ...SIZES, remaining: 1 } }), /层“remaining”没有抽样框（未知的层）/, /stratum "remaining", which has no frame \(unknown stratum\)/],
      ['missing', () => drawStratified({ seed: 's', frames: FRAMES, sizes: { exited: 1 } }), /层“nonRegistered”没有给出样本量/, /No sample size is given for stratum "nonRegistered"/],
      ['empty seed', () => drawStratified({ seed: '', frames: FRAMES, sizes: SIZES }), /随机种子 "" 为空/, /seed "" is empty/],
      ['blank seed', () => drawStratified({ seed: '  ', frames: FRAMES, sizes: SIZES }), /为空/, /is empty/],
      ['spaced seed', () => drawStratified({ seed: ' 2019', frames: FRAMES, sizes: SIZES }), /首尾有空格/, /leading or trailing spaces/],
      ['NFD seed', () => drawStratified({ seed: 'e\u0301', frames: FRAMES, sizes: SIZES }), /NFC/, /NFC/],
      ['dup stratum', () => drawStratified({ seed: 's', frames: [...FRAMES, FRAMES[0]!], sizes: SIZES }), /层“exited”出现了两次/, /stratum "exited" is listed twice/],
      ['dup id', () => drawStratified({ seed: 's', frames: [FRAMES[0]!, { stratum: 'x', units: [{ id: 'E001' }] }], sizes: { exited: 1, x: 1 } }), /编号 "E001" 重复（层“exited”与层“x”）/, /id "E001" appears twice \(stratum "exited" and stratum "x"\)/],
      ['empty id', () => drawStratified({ seed: 's', frames: [{ stratum: 'x', units: [{ id: '' }] }], sizes: { x: 1 } }), /层“x”第 1 个单位的编号无效/, /stratum "x": unit 1 has an invalid id/],
      ['bad size', () => drawStratified({ seed: 's', frames: [{ stratum: 'x', units: [{ id: 'a', size: -2 }] }], sizes: { x: 1 } }), /规模必须是非负有限数字/, /must be a finite number ≥ 0/],
    ];
    for (const [name, f, zh, en] of cases) {
      const issues = issuesOf(f);
      expect(issues.map((i) => i.zh).join('\n'), name).toMatch(zh);
      expect(issues.map((i) => i.en).join('\n'), name).toMatch(en);
    }
    const msg = messageOf(() => drawStratified({ seed: '', frames: FRAMES, sizes: { exited: 99 } }));
    expect(msg.zh).toMatch(/^抽样方案输入有误：.*（另有 2 处）$/);
    expect(msg.en).toMatch(/^Invalid input to the sampling plan: .*\(and 2 more\)$/);
  });
});

// --- two stages -------------------------------------------------------------------------------

const VILLAGES: StratumFrame[] = [
  { stratum: villageStratum('T1', 'poor'), units: ids('T1P', 4, 2) },
  { stratum: villageStratum('T1', 'nonPoor'), units: ids('T1N', 3, 2) },
  { stratum: villageStratum('T2', 'poor'), units: ids('T2P', 3, 2) },
];
const HH: Record<string, StratumFrame[]> = {};
VILLAGES.flatMap((s) => s.units).forEach((v, i) => {
  const k = i + 1;
  HH[v.id] = [
    { stratum: 'exited', units: ids(`${v.id}-E`, 5 + (k % 4), 2) },
    { stratum: 'remaining', units: ids(`${v.id}-R`, 1 + (k % 3), 2) },
    { stratum: 'nonRegistered', units: ids(`${v.id}-N`, 6 + (k % 5), 2) },
  ];
});
const TWO = {
  seed: '通辽-2019-评估',
  villages: { frames: VILLAGES, sizes: { 'T1/poor': 2, 'T1/nonPoor': 1, 'T2/poor': 2 } },
  households: { frames: HH, sizes: { exited: 3, remaining: 1, nonRegistered: 2 } },
};

describe('drawTwoStage', () => {
  it('draws the pinned golden sample (checked by the Python re-implementation)', () => {
    const d = drawTwoStage(TWO);
    expect(d.villageStrata.map((s) => [s.stratum, s.ids])).toEqual([
      ['T1/nonPoor', ['T1N01']],
      ['T1/poor', ['T1P02', 'T1P03']],
      ['T2/poor', ['T2P02', 'T2P03']],
    ]);
    expect(d.villages.map((v) => [v.village, v.strata.map((s) => [s.stratum, s.populationSize, s.ids])])).toEqual([
      ['T1N01', [['exited', 6, ['T1N01-E03', 'T1N01-E01', 'T1N01-E04']], ['nonRegistered', 6, ['T1N01-N06', 'T1N01-N03']], ['remaining', 3, ['T1N01-R01']]]],
      ['T1P02', [['exited', 7, ['T1P02-E04', 'T1P02-E02', 'T1P02-E01']], ['nonRegistered', 8, ['T1P02-N07', 'T1P02-N08']], ['remaining', 3, ['T1P02-R01']]]],
      ['T1P03', [['exited', 8, ['T1P03-E06', 'T1P03-E01', 'T1P03-E08']], ['nonRegistered', 9, ['T1P03-N05', 'T1P03-N07']], ['remaining', 1, ['T1P03-R01']]]],
      ['T2P02', [['exited', 6, ['T2P02-E06', 'T2P02-E01', 'T2P02-E03']], ['nonRegistered', 10, ['T2P02-N09', 'T2P02-N04']], ['remaining', 1, ['T2P02-R01']]]],
      ['T2P03', [['exited', 7, ['T2P03-E06', 'T2P03-E04', 'T2P03-E01']], ['nonRegistered', 6, ['T2P03-N01', 'T2P03-N06']], ['remaining', 2, ['T2P03-R02']]]],
    ]);
  });

  it('stage 1 is drawStratified on the village frames', () => {
    expect(drawTwoStage(TWO).villageStrata).toEqual(drawStratified({ seed: TWO.seed, ...TWO.villages }).strata);
  });

  it('gives overall weights = product of stage weights; stage-2 weights sum to the village population', () => {
    const d = drawTwoStage(TWO);
    // T1P02: stage 1 N_h/n_h = 4/2; exited M/m = 7/3 → 28/6
    const h = d.households.find((x) => x.id === 'T1P02-E04')!;
    expect(h).toMatchObject({ village: 'T1P02', villageStratum: 'T1/poor', householdStratum: 'exited', order: 1, stage1Weight: { num: 4, den: 2 }, stage2Weight: { num: 7, den: 3 }, weightFraction: { num: 28, den: 6 } });
    expect(h.weight).toBeCloseTo(28 / 6, 14);
    expect(h.inclusionProbability).toBeCloseTo(6 / 28, 14);
    for (const x of d.households) {
      expect(x.weightFraction).toEqual({ num: x.stage1Weight.num * x.stage2Weight.num, den: x.stage1Weight.den * x.stage2Weight.den });
    }
    for (const v of d.villages) {
      for (const s of v.strata) {
        const sum = d.households.filter((x) => x.village === v.village && x.householdStratum === s.stratum).reduce((a, x) => a + x.stage2Weight.num / x.stage2Weight.den, 0);
        expect(sum).toBeCloseTo(s.populationSize, 9);
      }
    }
    expect(d.households).toHaveLength(5 * (3 + 1 + 2));
  });

  it('estimates stratum totals without bias (mean over 400 seeds)', () => {
    const truth = Object.values(HH).reduce((a, fs) => a + fs.find((f) => f.stratum === 'exited')!.units.length, 0);
    let total = 0;
    for (let s = 0; s < 400; s++) {
      total += drawTwoStage({ ...TWO, seed: `mc-${s}` }).households.filter((x) => x.householdStratum === 'exited').reduce((a, x) => a + x.weight, 0);
    }
    expect(Math.abs(total / 400 - truth) / truth).toBeLessThan(0.03);
  });

  it('is independent of input order', () => {
    const shuffled = {
      ...TWO,
      villages: { ...TWO.villages, frames: [...VILLAGES].reverse().map((f) => ({ ...f, units: [...f.units].reverse() })) },
      households: { ...TWO.households, frames: Object.fromEntries(Object.entries(HH).reverse().map(([v, fs]) => [v, [...fs].reverse().map((f) => ({ ...f, units: [...f.units].reverse() }))])) },
    };
    expect(drawTwoStage(shuffled)).toEqual(drawTwoStage(TWO));
  });

  it('refuses a shortfall naming the village, or takes the whole stratum when asked', () => {
    const big = { ...TWO, households: { ...TWO.households, sizes: { exited: 3, remaining: 2, nonRegistered: 2 } } };
    const issues = issuesOf(() => drawTwoStage(big));
    expect(issues.map((i) => i.zh).join('\n')).toMatch(/村“T1P03”的层“remaining”的样本量 2 大于总体数 1/);
    expect(issues.map((i) => i.en).join('\n')).toMatch(/stratum "remaining" of village "T1P03" \(2\) exceeds its population of 1/);
    const d = drawTwoStage({ ...big, households: { ...big.households, shortfall: 'takeAll' } });
    const r = d.villages.find((v) => v.village === 'T1P03')!.strata.find((s) => s.stratum === 'remaining')!;
    expect(r).toMatchObject({ populationSize: 1, sampleSize: 1, requestedSize: 2, capped: true, designWeight: 1 });
  });

  it('refuses missing household frames, unknown villages and unknown strata', () => {
    const { T1P02: _dropped, ...rest } = HH;
    expect(issuesOf(() => drawTwoStage({ ...TWO, households: { ...TWO.households, frames: rest } }))[0]!.zh).toMatch(/抽中的村“T1P02”（层“T1\/poor”）没有住户抽样框/);
    expect(issuesOf(() => drawTwoStage({ ...TWO, households: { ...TWO.households, frames: { ...HH, X9: [] } } }))[0]!.en).toMatch(/village "X9", which is not in any stage-1 frame \(unknown village\)/);
    const unknown = issuesOf(() => drawTwoStage({ ...TWO, households: { ...TWO.households, sizes: { ...TWO.households.sizes, moved: 0 } } }));
    expect(unknown.map((i) => i.en).join('\n')).toMatch(/household sizes name stratum "moved", which no chosen village has \(unknown stratum\)/);
    const neg = issuesOf(() => drawTwoStage({ ...TWO, households: { ...TWO.households, sizes: { ...TWO.households.sizes, exited: -3 } } }));
    expect(neg).toHaveLength(1); // reported once, not once per village
    expect(neg[0]!.zh).toMatch(/住户层“exited”的样本量为负数/);
    expect(issuesOf(() => drawTwoStage({ ...TWO, seed: '' }))[0]!.en).toMatch(/seed "" is empty/);
  });
});
