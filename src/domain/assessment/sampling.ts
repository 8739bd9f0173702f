// Reproducible stratified random sampling for third-party exit evaluation (issue 8; domain.md §4
// "Third-party assessment"). Simple random sampling without replacement (SRSWOR) in each stratum,
// from a published seed and the algorithm named by SAMPLING_ALGORITHM, so that anyone can re-draw
// the same sample; no I/O, no clock, no Math.random.
//
// One stratum h with frame U_h (N_h units) and sample size n_h (0 ≤ n_h ≤ N_h, whole):
//   1. sort U_h by id in Unicode code-point order (input order never matters);
//   2. stream = xoshiro256** keyed by [seed, stratum] (random.ts: UTF-8, FNV-1a-64, SplitMix64);
//      in the second stage of a two-stage draw the key is [seed, village, stratum];
//   3. partial Fisher–Yates on the sorted array a[0..N_h−1]:
//        for i = 0 … n_h−1:  j = i + below(N_h − i);  swap a[i], a[j]
//      a[0], a[1], …, a[n_h−1] are the sample, in draw order.
//   inclusion probability π_h = n_h / N_h;   design weight w_h = N_h / n_h  (so Σ_sample w = N_h)
// Each stratum has its own stream, so adding, removing or resizing one stratum leaves the others'
// samples unchanged; raising n_h keeps the first n_h draws and appends to them (a reserve list is
// the continuation of the same draw). Put the county and year in the seed, so two plans never
// share streams by accident.
//
// Two stages (villages, then households within the chosen villages):
//   stage 1: strata h = township × {poor, nonPoor} villages (villageStratum()); SRSWOR of n_h of
//            N_h villages — exactly drawStratified() on the village frames;
//   stage 2: in each chosen village i, strata k = exited / remaining / nonRegistered households;
//            SRSWOR of m_ik of M_ik households, keyed by [seed, i, k];
//   π_hik = (n_h/N_h)·(m_ik/M_ik);  overall weight w = (N_h/n_h)·(M_ik/m_ik), kept as the exact
//   fraction (N_h·M_ik)/(n_h·m_ik) too, so estimates.ts can decide bars without float error.
// Within a chosen village the stage-2 weights of stratum k sum to M_ik; across villages the
// overall weights sum to an unbiased estimate (not the exact value) of the stratum total.

import type { Msg } from '../errors.js';
import { Issues, show } from '../measures/check.js';
import { Xoshiro256ss, compareCodePoints, isWellFormed } from './random.js';

/** The name to publish with the seed: change it whenever any step above changes. */
export const SAMPLING_ALGORITHM = 'jingzhun-srswor-v1 (code-point id order; xoshiro256** keyed by FNV-1a-64/SplitMix64; partial Fisher–Yates)';

export const SAMPLING_ALGORITHM_TEXT: Msg = {
  zh: '各层独立的不放回简单随机抽样：按编号的 Unicode 码点排序；以 [种子, 层名]（第二阶段为 [种子, 村, 层名]）用 U+0000 连接后的 UTF-8 字节做 FNV-1a-64 散列，经 SplitMix64 生成 xoshiro256** 的初始状态；用部分 Fisher–Yates 洗牌（拒绝采样取无偏整数）依次抽取',
  en: 'Independent simple random sampling without replacement per stratum: units sorted by id in Unicode code-point order; the UTF-8 bytes of [seed, stratum] (stage two: [seed, village, stratum]) joined by U+0000 are hashed with FNV-1a-64 and expanded by SplitMix64 into a xoshiro256** state; units are drawn by a partial Fisher–Yates shuffle using unbiased (rejection) integers',
};

export interface FrameUnit {
  id: string;
  /** Carried to the result (e.g. households in a village, people in a household); not used to select. */
  size?: number;
}

export interface StratumFrame {
  stratum: string;
  units: readonly FrameUnit[];
}

export interface StratifiedPlan {
  /** The published seed: non-empty text, no surrounding spaces (it is hashed exactly as given). */
  seed: string;
  frames: readonly StratumFrame[];
  /** n_h per stratum; every frame's stratum needs one and every key must name a frame. */
  sizes: Readonly<Record<string, number>>;
}

/** An exact non-negative fraction of whole numbers. */
export interface Fraction {
  num: number;
  den: number;
}

export interface StratumDraw {
  stratum: string;
  /** N_h */
  populationSize: number;
  /** n_h actually drawn */
  sampleSize: number;
  /** n_h asked for; larger than sampleSize only when a stage-2 shortfall was taken whole. */
  requestedSize: number;
  capped: boolean;
  /** n_h / N_h (0 when N_h = 0) */
  inclusionProbability: number;
  /** N_h / n_h; null when nothing is drawn (the stratum is then not represented). */
  designWeight: number | null;
  weightFraction: Fraction | null;
  /** Chosen ids in draw order. */
  ids: string[];
  /** Chosen units in draw order. */
  units: FrameUnit[];
}

export interface StratifiedDraw {
  algorithm: string;
  seed: string;
  /** In code-point order of the stratum name. */
  strata: StratumDraw[];
}

const PLAN: Msg = { zh: '抽样方案', en: 'the sampling plan' };

// --- checks -----------------------------------------------------------------------------------

/** A key string (seed, stratum, village): hashed, so it must be unambiguous text. */
function checkKey(iss: Issues, field: string, v: unknown, label: Msg): v is string {
  if (typeof v !== 'string') {
    iss.add(field, `${label.zh}必须是文本，收到 ${show(v)}`, `The ${label.en} must be text, got ${show(v)}`, v);
    return false;
  }
  const bad = (zh: string, en: string) => {
    iss.add(field, `${label.zh} ${show(v)} ${zh}`, `The ${label.en} ${show(v)} ${en}`, v);
    return false;
  };
  if (v.trim() === '') return bad('为空，请填写', 'is empty; fill it in');
  if (v.trim() !== v) return bad('首尾有空格，请去掉（散列时原样使用，空格会改变样本）', 'has leading or trailing spaces; remove them (it is hashed as given, so spaces change the sample)');
  if (v.includes('\u0000')) return bad('含有 U+0000 字符，不允许', 'contains U+0000, which is not allowed');
  if (!isWellFormed(v)) return bad('含有不成对的代理字符，不是有效文本', 'contains an unpaired surrogate, so it is not valid text');
  if (v.normalize('NFC') !== v) return bad('不是 NFC 规范化形式，请先规范化', 'is not in Unicode NFC form; normalise it first');
  return true;
}

/** Units of one frame: ids non-empty, well-formed and unique across the whole draw; sizes ≥ 0. */
function checkUnits(iss: Issues, field: string, units: unknown, where: Msg, seen: Map<string, Msg>): units is readonly FrameUnit[] {
  if (!Array.isArray(units)) {
    iss.add(field, `${where.zh}的抽样框必须是单位列表`, `The frame of ${where.en} must be a list of units`, units);
    return false;
  }
  let ok = true;
  units.forEach((u: unknown, i) => {
    const f = `${field}.${i}`;
    const id = (u as FrameUnit | null)?.id;
    if (typeof id !== 'string' || id === '' || !isWellFormed(id)) {
      ok = false;
      iss.add(`${f}.id`, `${where.zh}第 ${i + 1} 个单位的编号无效：${show(id)}`, `${where.en}: unit ${i + 1} has an invalid id: ${show(id)}`, id);
      return;
    }
    const before = seen.get(id);
    if (before !== undefined) {
      ok = false;
      iss.add(`${f}.id`, `编号 ${show(id)} 重复（${before.zh}与${where.zh}），每个单位只能出现一次`, `id ${show(id)} appears twice (${before.en} and ${where.en}); each unit may appear once`, id);
      return;
    }
    seen.set(id, where);
    const size = (u as FrameUnit).size;
    if (size !== undefined && !(typeof size === 'number' && Number.isFinite(size) && size >= 0)) {
      ok = false;
      iss.add(`${f}.size`, `${where.zh}单位 ${show(id)} 的规模必须是非负有限数字，收到 ${show(size)}`, `${where.en}: the size of unit ${show(id)} must be a finite number ≥ 0, got ${show(size)}`, size);
    }
  });
  return ok;
}

/** A sample size: whole, ≥ 0, and ≤ N unless `cap` (then the whole frame is taken). */
function checkSize(iss: Issues, field: string, n: unknown, N: number, where: Msg, cap: boolean): n is number {
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    iss.add(field, `${where.zh}的样本量必须是数字，收到 ${show(n)}`, `The sample size of ${where.en} must be a number, got ${show(n)}`, n);
    return false;
  }
  if (n < 0) {
    iss.add(field, `${where.zh}的样本量为负数（${n}），不能为负`, `The sample size of ${where.en} is negative (${n}); it must be ≥ 0`, n);
    return false;
  }
  if (!Number.isSafeInteger(n)) {
    iss.add(field, `${where.zh}的样本量 ${n} 不是整数`, `The sample size of ${where.en} (${n}) is not a whole number`, n);
    return false;
  }
  if (n > N && !cap) {
    iss.add(field, `${where.zh}的样本量 ${n} 大于总体数 ${N}，请减小样本量`, `The sample size of ${where.en} (${n}) exceeds its population of ${N}; reduce it`, n);
    return false;
  }
  return true;
}

function stratumLabel(stratum: string, village?: string): Msg {
  return village === undefined
    ? { zh: `层“${stratum}”`, en: `stratum "${stratum}"` }
    : { zh: `村“${village}”的层“${stratum}”`, en: `stratum "${stratum}" of village "${village}"` };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

// --- drawing ----------------------------------------------------------------------------------

/** SRSWOR of n from units (already validated), by the steps in the header. */
function drawOne(key: readonly string[], stratum: string, units: readonly FrameUnit[], requested: number, cap: boolean): StratumDraw {
  const a = [...units].sort((x, y) => compareCodePoints(x.id, y.id));
  const N = a.length;
  const n = cap ? Math.min(requested, N) : requested;
  const rng = Xoshiro256ss.forKey(key);
  for (let i = 0; i < n; i++) {
    const j = i + rng.below(N - i);
    const t = a[i] as FrameUnit;
    a[i] = a[j] as FrameUnit;
    a[j] = t;
  }
  const chosen = a.slice(0, n).map((u) => (u.size === undefined ? { id: u.id } : { id: u.id, size: u.size }));
  return {
    stratum,
    populationSize: N,
    sampleSize: n,
    requestedSize: requested,
    capped: n < requested,
    inclusionProbability: N === 0 ? 0 : n / N,
    designWeight: n === 0 ? null : N / n,
    weightFraction: n === 0 ? null : { num: N, den: n },
    ids: chosen.map((u) => u.id),
    units: chosen,
  };
}

/** Checks frames (strata unique, units valid) into `iss`; returns the valid frames by stratum. */
function checkFrames(iss: Issues, field: string, frames: unknown, seen: Map<string, Msg>, village?: string): Map<string, readonly FrameUnit[]> {
  const out = new Map<string, readonly FrameUnit[]>();
  const where = village === undefined ? { zh: '', en: '' } : { zh: `村“${village}”`, en: ` of village "${village}"` };
  if (!Array.isArray(frames)) {
    iss.add(field, `${where.zh}抽样框必须是分层列表`, `The frames${where.en} must be a list of strata`, frames);
    return out;
  }
  frames.forEach((fr: unknown, i) => {
    const stratum = (fr as StratumFrame | null)?.stratum;
    if (!checkKey(iss, `${field}.${i}.stratum`, stratum, { zh: `${where.zh}层名`, en: `stratum name${where.en}` })) return;
    if (out.has(stratum)) {
      iss.add(`${field}.${i}.stratum`, `${stratumLabel(stratum, village).zh}出现了两次，每层只能有一个抽样框`, `${stratumLabel(stratum, village).en} is listed twice; give each stratum one frame`, stratum);
      return;
    }
    const units = (fr as StratumFrame).units;
    if (checkUnits(iss, `${field}.${i}.units`, units, stratumLabel(stratum, village), seen)) out.set(stratum, units);
  });
  return out;
}

/** Checks `sizes` against the frames: no unknown stratum, none missing, each size valid. */
function checkSizes(iss: Issues, field: string, sizes: unknown, frames: Map<string, readonly FrameUnit[]>, village?: string): void {
  if (!isRecord(sizes)) {
    iss.add(field, '样本量必须是“层名 → 样本量”的对象', 'The sizes must be an object of stratum name → sample size', sizes);
    return;
  }
  for (const k of Object.keys(sizes)) {
    if (!frames.has(k)) {
      iss.add(`${field}.${k}`, `样本量中的${stratumLabel(k, village).zh}没有抽样框（未知的层）`, `The sizes name ${stratumLabel(k, village).en}, which has no frame (unknown stratum)`, k);
    }
  }
  for (const [stratum, units] of frames) {
    if (!own(sizes, stratum)) {
      iss.add(`${field}.${stratum}`, `${stratumLabel(stratum, village).zh}没有给出样本量`, `No sample size is given for ${stratumLabel(stratum, village).en}`);
    } else checkSize(iss, `${field}.${stratum}`, sizes[stratum], units.length, stratumLabel(stratum, village), false);
  }
}

/**
 * Stratified SRSWOR from a published seed (see the header). Refuses a bad plan with one
 * ValidationError listing every problem, each naming its stratum.
 */
export function drawStratified(plan: StratifiedPlan): StratifiedDraw {
  const iss = new Issues();
  checkKey(iss, 'seed', plan?.seed, { zh: '随机种子', en: 'seed' });
  const frames = checkFrames(iss, 'frames', plan?.frames, new Map());
  checkSizes(iss, 'sizes', plan?.sizes, frames);
  iss.throwIfAny(PLAN);
  const strata = [...frames.keys()].sort(compareCodePoints);
  return {
    algorithm: SAMPLING_ALGORITHM,
    seed: plan.seed,
    strata: strata.map((s) => drawOne([plan.seed, s], s, frames.get(s)!, plan.sizes[s]!, false)),
  };
}

// --- two stages -------------------------------------------------------------------------------

export const VILLAGE_KINDS = ['poor', 'nonPoor'] as const;
export type VillageKind = (typeof VILLAGE_KINDS)[number];

/** Household strata within a chosen village: exited (已脱贫), remaining poor (未脱贫), non-registered rural (非建档立卡). */
export const HOUSEHOLD_STRATA = ['exited', 'remaining', 'nonRegistered'] as const;
export type HouseholdStratum = (typeof HOUSEHOLD_STRATA)[number];

/** The stage-1 stratum name for a township's poor or non-poor villages: "150525101/poor". */
export function villageStratum(township: string, kind: VillageKind): string {
  return `${township}/${kind}`;
}

export interface TwoStagePlan {
  seed: string;
  /** Stage 1: villages in township × poor/non-poor strata (see villageStratum). */
  villages: { frames: readonly StratumFrame[]; sizes: Readonly<Record<string, number>> };
  /** Stage 2: household frames by village id (needed for every chosen village; those of villages not chosen are not read), sizes per household stratum. */
  households: {
    frames: Readonly<Record<string, readonly StratumFrame[]>>;
    /** m_k, the same in every chosen village. */
    sizes: Readonly<Record<string, number>>;
    /** 'refuse' (default): m_k > M_ik is an error naming the village; 'takeAll': take all M_ik (flagged `capped`). */
    shortfall?: 'refuse' | 'takeAll';
  };
}

export interface ChosenVillage {
  village: string;
  villageStratum: string;
  /** 1-based draw order within its stratum. */
  order: number;
  size?: number;
  /** N_h / n_h */
  stage1Weight: Fraction;
  /** Household strata of this village, in code-point order. */
  strata: StratumDraw[];
}

export interface SampledHousehold {
  id: string;
  size?: number;
  village: string;
  /** The estimation stratum (stage-1 stratum); the village is the primary sampling unit. */
  villageStratum: string;
  householdStratum: string;
  /** 1-based draw order within its village and household stratum. */
  order: number;
  stage1Weight: Fraction;
  stage2Weight: Fraction;
  /** (N_h·M_ik)/(n_h·m_ik), exact */
  weightFraction: Fraction;
  weight: number;
  inclusionProbability: number;
}

export interface TwoStageDraw {
  algorithm: string;
  seed: string;
  /** Stage 1, as drawStratified would give it. */
  villageStrata: StratumDraw[];
  villages: ChosenVillage[];
  households: SampledHousehold[];
}

/** Villages, then households within each chosen village; overall weights = product of stage weights. */
export function drawTwoStage(plan: TwoStagePlan): TwoStageDraw {
  const stage1 = drawStratified({ seed: plan?.seed, frames: plan?.villages?.frames, sizes: plan?.villages?.sizes });
  const iss = new Issues();
  const hh = plan.households;
  const cap = hh?.shortfall === 'takeAll';
  if (hh?.shortfall !== undefined && hh.shortfall !== 'refuse' && hh.shortfall !== 'takeAll') {
    iss.add('households.shortfall', `shortfall 只能是 refuse 或 takeAll，收到 ${show(hh.shortfall)}`, `shortfall must be refuse or takeAll, got ${show(hh.shortfall)}`, hh.shortfall);
  }
  const frameMap = hh?.frames;
  if (!isRecord(frameMap)) {
    iss.add('households.frames', '住户抽样框必须是“村编号 → 分层列表”的对象', 'The household frames must be an object of village id → list of strata', frameMap);
  }
  if (!isRecord(hh?.sizes)) {
    iss.add('households.sizes', '住户样本量必须是“层名 → 样本量”的对象', 'The household sizes must be an object of stratum name → sample size', hh?.sizes);
  }
  iss.throwIfAny(PLAN);

  const allVillages = new Set(plan.villages.frames.flatMap((f) => f.units.map((u) => u.id)));
  for (const v of Object.keys(frameMap)) {
    if (!allVillages.has(v)) {
      iss.add(`households.frames.${v}`, `住户抽样框中的村“${v}”不在第一阶段的村抽样框中（未知的村）`, `The household frames name village "${v}", which is not in any stage-1 frame (unknown village)`, v);
    }
  }
  const sizes = hh.sizes;
  const validSize = new Set<string>();
  for (const k of Object.keys(sizes)) {
    if (checkSize(iss, `households.sizes.${k}`, sizes[k], Infinity, { zh: `住户层“${k}”`, en: `household stratum "${k}"` }, false)) validSize.add(k);
  }
  const seen = new Map<string, Msg>();
  const known = new Set<string>();
  const missing = new Set<string>();
  const chosen: { village: FrameUnit; stratum: StratumDraw; order: number; frames: Map<string, readonly FrameUnit[]> }[] = [];
  for (const s of stage1.strata) {
    s.units.forEach((v, i) => {
      const field = `households.frames.${v.id}`;
      if (!own(frameMap, v.id)) {
        iss.add(field, `抽中的村“${v.id}”（层“${s.stratum}”）没有住户抽样框`, `Chosen village "${v.id}" (stratum "${s.stratum}") has no household frame`, v.id);
        return;
      }
      checkKey(iss, field, v.id, { zh: '村编号', en: 'village id' });
      const frames = checkFrames(iss, field, frameMap[v.id], seen, v.id);
      for (const k of frames.keys()) {
        known.add(k);
        if (!own(sizes, k) && !missing.has(k)) {
          missing.add(k);
          iss.add(`households.sizes.${k}`, `${stratumLabel(k, v.id).zh}没有给出样本量`, `No sample size is given for ${stratumLabel(k, v.id).en}`);
        }
      }
      for (const k of validSize) checkSize(iss, `households.sizes.${k}`, sizes[k], frames.get(k)?.length ?? 0, stratumLabel(k, v.id), cap);
      chosen.push({ village: v, stratum: s, order: i + 1, frames });
    });
  }
  for (const k of Object.keys(sizes)) {
    if (!known.has(k) && chosen.length > 0) {
      iss.add(`households.sizes.${k}`, `住户样本量中的层“${k}”在抽中的村里都没有抽样框（未知的层）`, `The household sizes name stratum "${k}", which no chosen village has (unknown stratum)`, k);
    }
  }
  iss.throwIfAny(PLAN);

  const villages: ChosenVillage[] = [];
  const households: SampledHousehold[] = [];
  for (const c of chosen) {
    const w1 = c.stratum.weightFraction!; // a chosen village's stratum has n_h ≥ 1
    const names = [...new Set([...c.frames.keys(), ...Object.keys(sizes)])].sort(compareCodePoints);
    const strata = names.map((k) => drawOne([plan.seed, c.village.id, k], k, c.frames.get(k) ?? [], sizes[k]!, cap));
    villages.push({
      village: c.village.id,
      villageStratum: c.stratum.stratum,
      order: c.order,
      ...(c.village.size === undefined ? {} : { size: c.village.size }),
      stage1Weight: w1,
      strata,
    });
    for (const d of strata) {
      if (!d.weightFraction) continue;
      const w2 = d.weightFraction;
      const wf = { num: w1.num * w2.num, den: w1.den * w2.den };
      d.units.forEach((u, i) => {
        households.push({
          id: u.id,
          ...(u.size === undefined ? {} : { size: u.size }),
          village: c.village.id,
          villageStratum: c.stratum.stratum,
          householdStratum: d.stratum,
          order: i + 1,
          stage1Weight: w1,
          stage2Weight: w2,
          weightFraction: wf,
          weight: wf.num / wf.den,
          inclusionProbability: wf.den / wf.num,
        });
      });
    }
  }
  return { algorithm: SAMPLING_ALGORITHM, seed: plan.seed, villageStrata: stage1.strata, villages, households };
}
