// Synthetic measures ledger, projects and assets for a seeded county (see assistance.ts for the
// rest and the common inputs). Pure and deterministic from the seed.
//
// Assumed distributions and amounts (demo assumptions; rates are round figures of the kind
// Inner Mongolia paid in 2024–2025, not citations):
// - Measures are recorded for MEASURE_YEARS (the last yearly record's year) for households with
//   status 0, 1 or 3 (status 4: social security and ecology only). Each money measure sits in the
//   income component of its type and never exceeds what the household's yearly record holds in that
//   component (the sums per component are capped in fen); a measure that would be under 100 yuan
//   after the cap is left out. Education and health measures (not counted as income) are taken
//   from the record's non-counting income, which the register generator built from exactly those:
//   1,000 yuan a year per child aged 6–15 (boarding allowance), 2,000 per older student from 2021
//   (grant), and the rest of an ill household's non-counting income as a one-stop settlement.
// - Transfers, in this order: 低保 45–70% (特困 60–85%) of the transfer income for those attributes;
//   pension 2,100 a year per member aged 60+ in households where social security is the safety net
//   (低保, 特困, poor, or at risk); disability allowances 2,400 (grade 1–2) or 1,200;
//   公益林 16 yuan/mu, 退耕还林 90 yuan/mu, grassland 7.5 (禁牧, 40%) or 2.5 yuan/mu; a solar reward of
//   300–1,000 for half the households without labour in villages with a station.
// - Wages: ecological ranger (6% of households with an adult aged 25–60; 10,000 a year), solar
//   public-welfare job (12% in station villages; 6–12 months at 500), public-welfare job (8%;
//   6–12 months at 600), job placement (20% of households with someone who worked; 40–80% of the
//   wage income), scenic-spot job (15% in tourism villages, 8% tourism sales; 3–8 months at 2,500), Mongolian
//   medicine job (4% in Kulun and Horqin Left Back; 2–6 months at 2,000).
// - Cattle, the commonest production channel: 65% of households with someone aged 18–72 who has
//   some labour and is not seriously ill (75% where the county is pastoral), fixed per household; of those, each year 50% insemination (1–3 head),
//   60% calf or cattle sales (1–2 head at 6,000–9,000), 6% a granted breeding cow (1–2 head, valued
//   10,000 each, from the year's cattle project), 20% cooperative membership with a dividend of
//   300–1,500 in 70% of those. Herbs, tourism sales, online sales, capable-person dividends and
//   wind dividends for a few per cent each; training (none) for 6%.
// - Projects per year 2023–2025: a breeding-cow project, an ecological ranger project, a public-job
//   project, an e-commerce project, 1–2 cattle barns and, in 60% of years, a tourism project for a
//   (poor) village and 1–4 others of its township; Mongolian medicine in Kulun and Horqin Left Back; plus 2026's planned ones and the
//   2018 village solar station project. Budgets cover the linked measures (× 1.02–1.15) or a
//   typical size, split by fund source per channel; disbursements are 1–3 payments per source,
//   never more than its budget (completed: 90–100%, in progress: 30–80%, planned: none).
//   Beneficiaries (利益联结) are the households with linked measures, or (2023 and later
//   projects without measures) 20–150 households of the project's villages. 90% of approved or
//   later projects are disclosed 10–20 days before they start.
// - Assets: a village solar station (200–500 kW, 5.5–6.5 yuan/W, completed in 2018) in every poor
//   village with registered households, with quarterly income 2023 Q1 – SNAPSHOT_YEAR Q3 (kW ×
//   quarter hours 300/420/380/280 × 0.42 yuan × 0.85–1.1); the solar measures of a village take at
//   most 70% of its station's income that year. Completed barn and tourism projects leave an asset;
//   barns earn a yearly rent (100 yuan a head).
import type { Channel, FundSource, IncomeComponent, LinkKind, ProjectStatus, AssetKind } from '../assistance/catalogue.js';
import { Rng, hash32 } from './prng.js';
import { countyProfile, SNAPSHOT_YEAR } from './params.js';
import type { AidHousehold, AidInput, AidMember, AidYear } from './assistance.js';
import { ASSISTANCE_TODAY, MEASURE_YEARS, REGISTERED_STATUSES, atRisk, dayBetween, addDays } from './assistance.js';

export interface SynthMeasure {
  householdId: number; memberIdNumber: string | null; memberId: number | null; typeCode: string; year: number; givenOn: string;
  quantity: number | null; amount: number; project: number | null; fundSource: FundSource | null;
  incomeComponent: IncomeComponent; assetIncome: number | null; note: string | null;
}
export interface SynthBudget { fundSource: FundSource; amount: number }
export interface SynthDisbursement { fundSource: FundSource; paidOn: string; amount: number; payee: string; voucherNo: string; note: string | null }
export interface SynthBeneficiary { householdId: number; linkKind: LinkKind; expectedBenefit: number; note: string | null }
export interface SynthProject {
  name: string; channel: Channel; year: number; status: ProjectStatus; villageCodes: string[]; implementer: string;
  description: string; startsOn: string; endsOn: string; disclosedOn: string | null; disclosureNote: string | null;
  budgets: SynthBudget[]; disbursements: SynthDisbursement[]; beneficiaries: SynthBeneficiary[];
}
export interface SynthAsset {
  project: number | null; villageCode: string; kind: AssetKind; name: string; capacity: number; value: number; completedOn: string; owner: string;
}
export interface SynthAssetIncome { asset: number; year: number; quarter: number | null; amount: number; decidedOn: string; decisionNote: string }

export interface SynthFunds {
  projects: SynthProject[];
  assets: SynthAsset[];
  assetIncomes: SynthAssetIncome[];
  measures: SynthMeasure[];
  /** Each household's measures of SNAPSHOT_YEAR (for its plan). */
  lastYearMeasures: Map<number, readonly SynthMeasure[]>;
}

export const PROJECT_YEARS = [2023, 2024, 2025] as const;
const QUARTER_HOURS = [300, 420, 380, 280];
const SOLAR_PRICE = 0.42;
const SOLAR_DECISION = '村民代表会议决议：公益岗位工资60%，奖励补助20%，小型公益事业20%';
/** Counties with Mongolian-medicine bases and with wind farms in this synthesis. */
const MEDICINE_COUNTIES = new Set(['150524', '150522']);
const WIND_COUNTIES = new Set(['150521', '150526']);

const SPLITS: Record<string, [FundSource, number][]> = {
  cattle: [['central', 70], ['province', 15], ['county', 15]],
  ranger: [['central', 100]],
  jobs: [['central', 60], ['county', 40]],
  ecommerce: [['central', 60], ['east_west', 40]],
  barn: [['central', 60], ['county', 20], ['enterprise', 20]],
  tourism: [['east_west', 70], ['county', 30]],
  medicine: [['central', 50], ['enterprise', 50]],
  solar: [['central', 50], ['province', 20], ['county', 30]],
};

interface FundsInput extends AidInput {
  rng: Rng;
  villages: { code: string; poor: boolean; households: AidHousehold[] }[];
  unitNames: string[];
}

const fen = (yuan: number) => Math.round(yuan * 100);
const yuan = (f: number) => f / 100;
const r2 = (v: number) => Math.round(v * 100) / 100;

interface Slot { index: number; key: string; split: string; base: [number, number]; withMeasures: boolean }

export function generateFunds(input: FundsInput): SynthFunds {
  const { rng, plan } = input;
  const county = plan.county;
  const cname = county.name;
  const villageName = new Map(county.villages.map((v) => [v.code, v.name]));
  const profile = countyProfile(county.code);
  const projects: SynthProject[] = [];
  const slots = new Map<string, Slot>();
  /** The tourism project of a village and year (one project serves several villages). */
  const tourismOf = new Map<string, Slot>();
  const assets: SynthAsset[] = [];
  const assetIncomes: SynthAssetIncome[] = [];
  const withHouseholds = input.villages.filter((v) => v.households.some((h) => REGISTERED_STATUSES.has(h.status)));
  const poorVillages = withHouseholds.filter((v) => v.poor);

  const project = (key: string, split: string, p: Omit<SynthProject, 'budgets' | 'disbursements' | 'beneficiaries' | 'startsOn' | 'endsOn' | 'disclosedOn' | 'disclosureNote' | 'status'>, base: [number, number], status?: ProjectStatus) => {
    const startsOn = p.year === 2018 ? '2018-04-15' : dayBetween(rng, `${p.year}-03-01`, `${p.year}-04-30`);
    const endsOn = p.year === 2018 ? '2018-12-20' : dayBetween(rng, `${p.year}-10-31`, `${p.year}-12-20`);
    const st: ProjectStatus = status ?? (p.year < SNAPSHOT_YEAR ? 'completed' : p.year === SNAPSHOT_YEAR ? (rng.chance(0.6) ? 'completed' : 'in_progress') : rng.chance(0.5) ? 'planned' : 'approved');
    const disclosed = st !== 'planned' && st !== 'cancelled' && rng.chance(0.9);
    projects.push({
      ...p, status: st, startsOn, endsOn,
      disclosedOn: disclosed ? addDays(startsOn, -rng.int(10, 20)) : null,
      disclosureNote: disclosed ? '在旗县政府门户网站和村务公开栏公告公示10天，无异议' : null,
      budgets: [], disbursements: [], beneficiaries: [],
    });
    slots.set(key, { index: projects.length - 1, key, split, base, withMeasures: (MEASURE_YEARS as readonly number[]).includes(p.year) });
    return projects.length - 1;
  };

  // The 2018 solar project and its stations.
  const stationOf = new Map<string, number>();
  if (poorVillages.length) {
    const solar = project('solar', 'solar', {
      name: `${cname}村级光伏扶贫电站建设项目`, channel: 'solar_wind', year: 2018, villageCodes: poorVillages.map((v) => v.code),
      implementer: `${cname}乡村振兴局`, description: '每个贫困村建设一座村级光伏电站，收益归村集体，用于公益岗位、奖励补助和小型公益事业',
    }, [0, 0], 'completed');
    for (const v of poorVillages) {
      const kw = rng.pick([200, 300, 300, 300, 400, 500]);
      assets.push({
        project: solar, villageCode: v.code, kind: 'solar_station', name: `${villageName.get(v.code) ?? v.code}光伏电站`, capacity: kw,
        value: Math.round(kw * 1000 * rng.uniform(5.5, 6.5)), completedOn: dayBetween(rng, '2018-06-30', '2018-12-20'), owner: '村集体',
      });
      stationOf.set(v.code, assets.length - 1);
    }
  }

  for (const y of [...PROJECT_YEARS, SNAPSHOT_YEAR + 1]) {
    const future = y > SNAPSHOT_YEAR;
    project(`cattle:${y}`, 'cattle', { name: `${cname}${y}年基础母牛扶持项目`, channel: 'cattle', year: y, villageCodes: [], implementer: `${cname}农牧局`, description: '为有劳动能力的脱贫户和监测户扶持基础母牛，发展黄牛产业' }, [2_000_000, 5_000_000]);
    if (future) {
      project(`ecommerce:${y}`, 'ecommerce', { name: `${cname}${y}年电子商务进农村项目`, channel: 'ecommerce', year: y, villageCodes: [], implementer: `${cname}商务局`, description: '村级电商服务站点建设和农畜产品网上销售' }, [500_000, 1_500_000]);
      continue;
    }
    project(`ranger:${y}`, 'ranger', { name: `${cname}${y}年生态护林员项目`, channel: 'ecology', year: y, villageCodes: [], implementer: `${cname}林业和草原局`, description: '从脱贫人口中选聘生态护林员，管护森林草原资源' }, [1_000_000, 3_000_000]);
    project(`jobs:${y}`, 'jobs', { name: `${cname}${y}年乡村公益性岗位开发项目`, channel: 'employment', year: y, villageCodes: [], implementer: `${cname}人力资源和社会保障局`, description: '开发保洁、护路、看护等乡村公益性岗位，优先安置弱劳力和半劳力' }, [1_000_000, 2_000_000]);
    project(`ecommerce:${y}`, 'ecommerce', { name: `${cname}${y}年电子商务进农村项目`, channel: 'ecommerce', year: y, villageCodes: [], implementer: `${cname}商务局`, description: '村级电商服务站点建设和农畜产品网上销售' }, [500_000, 1_500_000]);
    if (MEDICINE_COUNTIES.has(county.code)) {
      project(`medicine:${y}`, 'medicine', { name: `${cname}${y}年蒙中药材种植基地项目`, channel: 'mongolian_medicine', year: y, villageCodes: [], implementer: `${cname}蒙医药产业发展有限公司`, description: '订单种植蒙中药材，基地务工和分红带动农户增收' }, [500_000, 1_000_000]);
    }
    if (withHouseholds.length) {
      for (let i = rng.int(1, 2); i > 0; i--) {
        const v = rng.pick(withHouseholds);
        if (slots.has(`barn:${v.code}:${y}`)) continue;
        const name = villageName.get(v.code) ?? v.code;
        project(`barn:${v.code}:${y}`, 'barn', { name: `${name}${y}年标准化牛舍建设项目`, channel: 'cattle', year: y, villageCodes: [v.code], implementer: `${name}股份经济合作社`, description: '建设标准化牛舍，村集体所有，托养农户肉牛并分红' }, [800_000, 2_000_000]);
      }
      if (rng.chance(0.6)) {
        const v = rng.pick(poorVillages.length ? poorVillages : withHouseholds);
        const name = villageName.get(v.code) ?? v.code;
        // A scenic spot brings along its village and up to four others of the township (景区带村).
        const near = rng.shuffle(withHouseholds.filter((x) => x.code !== v.code && x.code.startsWith(v.code.slice(0, 9))).map((x) => x.code)).slice(0, rng.int(1, 4)).sort();
        const villageCodes = [v.code, ...near];
        project(`tourism:${v.code}:${y}`, 'tourism', { name: `${name}${y}年乡村旅游基础设施项目`, channel: 'tourism', year: y, villageCodes, implementer: `${name}村民委员会`, description: '景区带村：游客服务设施和农家乐改造，吸纳周边村民就业、销售特色产品' }, [1_000_000, 3_000_000], y === 2023 && rng.chance(0.2) ? 'cancelled' : undefined);
        for (const code of villageCodes) tourismOf.set(`${code}:${y}`, slots.get(`tourism:${v.code}:${y}`)!);
      }
    }
  }

  // Solar income, quarter by quarter.
  const solarIncome = new Map<string, { total: number; last: number }>();
  for (const [code, a] of stationOf) {
    const asset = assets[a]!;
    for (let y = 2023; y <= SNAPSHOT_YEAR; y++) {
      for (let q = 1; q <= 4; q++) {
        if (y === SNAPSHOT_YEAR && q === 4) break;
        const amount = r2(asset.capacity * (QUARTER_HOURS[q - 1] as number) * SOLAR_PRICE * rng.uniform(0.85, 1.1));
        const end = q === 4 ? `${y}-12-31` : `${y}-${String(q * 3).padStart(2, '0')}-${q === 1 ? '31' : '30'}`;
        assetIncomes.push({ asset: a, year: y, quarter: q, amount, decidedOn: addDays(end, rng.int(10, 25)), decisionNote: SOLAR_DECISION });
        const k = `${code}:${y}`;
        const s = solarIncome.get(k) ?? { total: 0, last: 0 };
        s.total += fen(amount);
        s.last = assetIncomes.length - 1;
        solarIncome.set(k, s);
      }
    }
  }
  const solarBudget = new Map<string, number>();
  for (const [k, s] of solarIncome) solarBudget.set(k, Math.floor(s.total * 0.7));

  // ---------------------------------------------------------------- the measures ledger
  const measures: SynthMeasure[] = [];
  const lastYearMeasures = new Map<number, readonly SynthMeasure[]>();
  const linked = new Map<number, Map<number, { amount: number; kind: LinkKind }>>();
  const link = (slot: Slot | undefined, householdId: number, amount: number, kind: LinkKind) => {
    if (!slot) return null;
    let m = linked.get(slot.index);
    if (!m) linked.set(slot.index, (m = new Map()));
    const cur = m.get(householdId);
    m.set(householdId, { amount: (cur?.amount ?? 0) + amount, kind: cur?.kind ?? kind });
    return slot.index;
  };
  const cattleShare = profile.pastoral >= 0.2 ? 0.75 : 0.65;

  for (const v of input.villages) {
    const station = stationOf.has(v.code);
    for (const h of v.households) {
      if (!REGISTERED_STATUSES.has(h.status) && h.status !== '4') continue;
      const cattle = hash32(input.seed, 'cattle', h.key) / 4294967296 < cattleShare;
      const coop = hash32(input.seed, 'coop', h.key) % 100 < 20;
      const leader = hash32(input.seed, 'leader', h.key) % 100 < 8;
      for (const yr of h.years) {
        const hr = new Rng([input.seed, 'measures', h.key, yr.year]);
        const out = householdMeasures(hr, h, yr, { station, cattle: cattle && h.status !== '4', coop, leader, county: county.code, village: v.code, slots, tourismOf, solarBudget, solarIncome, link });
        measures.push(...out);
        if (yr.year === SNAPSHOT_YEAR) lastYearMeasures.set(h.id, out);
      }
    }
  }

  // ---------------------------------------------------------------- budgets, payments, beneficiaries
  const villageOf = new Map(input.households.map((h) => [h.id, h.villageCode]));
  let voucher = 0;
  for (const slot of slots.values()) {
    const p = projects[slot.index]!;
    const links = linked.get(slot.index);
    let total: number;
    if (slot.key === 'solar') total = assets.filter((a) => a.kind === 'solar_station').reduce((s, a) => s + a.value, 0);
    else {
      // At least what the linked measures were paid (barn and tourism links are income of the asset, not budget).
      const paid = links?.size && slot.split !== 'barn' ? Math.ceil((yuan([...links.values()].reduce((s, l) => s + l.amount, 0)) * rng.uniform(1.02, 1.15)) / 1000) * 1000 : 0;
      total = Math.max(paid, Math.round(rng.uniform(slot.base[0], slot.base[1]) / 1000) * 1000);
    }
    const split = SPLITS[slot.split]!;
    let left = total;
    p.budgets = split.map(([source, pct], i) => {
      const amount = i === split.length - 1 ? left : Math.round((total * pct) / 100 / 100) * 100;
      left -= amount;
      return { fundSource: source, amount };
    }).filter((b) => b.amount > 0);
    const share = p.status === 'completed' ? (rng.chance(0.7) ? 1 : rng.uniform(0.9, 1)) : p.status === 'in_progress' ? rng.uniform(0.3, 0.8) : 0;
    for (const b of p.budgets) {
      const paid = Math.floor(fen(b.amount) * share);
      const n = paid ? rng.int(1, 3) : 0;
      let rest = paid;
      for (let i = 0; i < n; i++) {
        const part = i === n - 1 ? rest : Math.floor(rest * rng.uniform(0.3, 0.6));
        rest -= part;
        const last = p.endsOn < ASSISTANCE_TODAY ? addDays(p.endsOn, 30) : ASSISTANCE_TODAY;
        p.disbursements.push({
          fundSource: b.fundSource, paidOn: dayBetween(rng, p.startsOn, last), amount: yuan(part), payee: p.implementer,
          voucherNo: `${county.code}-${p.year}-${String(++voucher).padStart(4, '0')}`, note: i === 0 ? '首笔拨付' : i === n - 1 ? '验收后拨付' : '进度款',
        });
      }
    }
    p.disbursements.sort((a, b) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : 0));
    if (p.status === 'cancelled') continue;
    if (links?.size) {
      p.beneficiaries = [...links.entries()].map(([householdId, l]) => ({
        householdId, linkKind: l.kind, expectedBenefit: l.kind === 'grant' && slot.split === 'cattle' ? 3000 : yuan(l.amount), note: null,
      }));
      if (slot.split !== 'ecommerce' && slot.key !== 'solar' && !p.villageCodes.length) {
        const vs = new Set<string>();
        for (const b of p.beneficiaries) vs.add(villageOf.get(b.householdId) ?? '');
        vs.delete('');
        p.villageCodes = [...vs].sort();
      }
    } else if (!slot.withMeasures || slot.split === 'barn' || slot.split === 'tourism') {
      const pool = p.villageCodes.length ? withHouseholds.filter((v) => p.villageCodes.includes(v.code)) : withHouseholds;
      const hs = pool.flatMap((v) => v.households.filter((h) => REGISTERED_STATUSES.has(h.status)));
      const kind: LinkKind = slot.split === 'barn' ? 'custody' : slot.split === 'tourism' ? 'job' : slot.split === 'ecommerce' || slot.split === 'medicine' ? 'purchase' : slot.split === 'cattle' ? 'grant' : 'job';
      const chosen = rng.shuffle(hs.slice()).slice(0, Math.min(hs.length, rng.int(20, 150)));
      p.beneficiaries = chosen.map((h) => ({ householdId: h.id, linkKind: kind, expectedBenefit: Math.round(rng.uniform(500, 3000)), note: null }));
    }
    p.beneficiaries.sort((a, b) => a.householdId - b.householdId);
    // Completed barns and tourism facilities become village assets.
    if (p.status === 'completed' && (slot.split === 'barn' || slot.split === 'tourism') && p.villageCodes[0]) {
      const barn = slot.split === 'barn';
      const capacity = barn ? rng.int(10, 30) * 10 : rng.int(3, 12) * 100;
      assets.push({
        project: slot.index, villageCode: p.villageCodes[0], kind: barn ? 'cattle_barn' : 'tourism', name: p.name.replace(/\d{4}年/, '').replace(/建设项目|基础设施项目/, ''),
        capacity, value: Math.round(total * rng.uniform(0.85, 0.98)), completedOn: p.endsOn, owner: '村集体',
      });
      if (barn) {
        for (let y = p.year + 1; y <= SNAPSHOT_YEAR; y++) {
          assetIncomes.push({ asset: assets.length - 1, year: y, quarter: null, amount: capacity * 100, decidedOn: `${y}-12-${rng.int(10, 28)}`, decisionNote: '牛舍托养租金，按村民代表会议决议分配给托养户和村集体' });
        }
      }
    }
  }
  return { projects, assets, assetIncomes, measures, lastYearMeasures };
}

interface Ctx {
  station: boolean;
  cattle: boolean;
  coop: boolean;
  leader: boolean;
  county: string;
  village: string;
  slots: Map<string, Slot>;
  tourismOf: Map<string, Slot>;
  solarBudget: Map<string, number>;
  solarIncome: Map<string, { total: number; last: number }>;
  link: (slot: Slot | undefined, householdId: number, amount: number, kind: LinkKind) => number | null;
}

const COUNTED: ReadonlySet<IncomeComponent> = new Set(['wage', 'production', 'property', 'transfer', 'non_counting']);
const MIN_FEN = 10_000;

function householdMeasures(rng: Rng, h: AidHousehold, y: AidYear, c: Ctx): SynthMeasure[] {
  const out: SynthMeasure[] = [];
  const year = y.year;
  const rem: Record<string, number> = { wage: fen(y.wage), production: fen(y.production), property: fen(y.property), transfer: fen(y.transfer), non_counting: fen(y.nonCounting) };
  const ageOf = (m: AidMember) => year - m.birthYear;
  const present = h.members.filter((m) => m.birthYear <= year);
  const day = () => dayBetween(rng, `${year}-01-10`, `${year}-12-20`);
  const add = (
    typeCode: string, comp: IncomeComponent, amount: number, quantity: number | null,
    opts: { member?: AidMember | null; slot?: Slot | undefined; link?: LinkKind; fund?: FundSource; assetIncome?: number | null; givenOn?: string; note?: string; paidByProject?: boolean } = {},
  ): number => {
    let a = fen(amount);
    if (COUNTED.has(comp)) {
      a = Math.min(a, rem[comp] ?? 0);
      if (a < MIN_FEN) return 0;
      rem[comp] = (rem[comp] ?? 0) - a;
    }
    // Linked as a beneficiary of the project; the measure names the project when its budget paid it
    // (not for income of an asset the project built: solar jobs and rewards, barn dividends).
    const linkedTo = opts.slot && opts.link ? c.link(opts.slot, h.id, a, opts.link) : null;
    const project = opts.paidByProject === false ? null : linkedTo;
    out.push({
      householdId: h.id, memberIdNumber: opts.member?.idNumber ?? null, memberId: opts.member ? opts.member.id : null, typeCode, year, givenOn: opts.givenOn ?? day(), quantity,
      amount: yuan(a), project, fundSource: project !== null ? (opts.fund ?? 'central') : (opts.fund ?? null), incomeComponent: comp,
      assetIncome: opts.assetIncome ?? null, note: opts.note ?? null,
    });
    return a;
  };
  const yearEnd = `${year}-12-20`;

  // Social security first: the means-tested support, then the fixed allowances.
  if (h.attribute === '3' || h.attribute === '6') add('social_tekun', 'transfer', Math.round(y.transfer * rng.uniform(0.6, 0.85)), null, { givenOn: yearEnd, note: '全年合计' });
  else if (h.attribute === '2' || h.attribute === '5') add('social_dibao', 'transfer', Math.round(y.transfer * rng.uniform(0.45, 0.7)), null, { givenOn: yearEnd, note: '全年合计' });
  // Pensions as a measure only where social security is the household's safety net (兜底): 低保, 特困, poor or at risk.
  const safetyNet = h.attribute === '2' || h.attribute === '3' || h.attribute === '5' || h.attribute === '6' || h.status === '0' || h.status === '3' || atRisk(h);
  if (safetyNet) for (const m of present) if (ageOf(m) >= 60) add('social_pension', 'transfer', 2100, null, { member: m, givenOn: yearEnd, note: '全年合计' });
  for (const m of present) if (m.health === '4') add('social_disability', 'transfer', m.disabilityGrade === '1' || m.disabilityGrade === '2' ? 2400 : 1200, null, { member: m, givenOn: yearEnd });
  if (y.forestMu > 0) add('ecology_forest_comp', 'transfer', r2(y.forestMu * 16), y.forestMu, { givenOn: `${year}-11-${rng.int(10, 28)}` });
  if (y.returnedMu > 0) add('ecology_returned_farmland', 'transfer', r2(y.returnedMu * 90), y.returnedMu, { givenOn: `${year}-11-${rng.int(10, 28)}` });
  if (y.pastureMu > 0) add('ecology_grassland', 'transfer', r2(y.pastureMu * (hash32('grazing-ban', h.key) % 10 < 4 ? 7.5 : 2.5)), y.pastureMu, { givenOn: `${year}-10-${rng.int(10, 28)}` });
  if (h.status === '4') return out;

  // Education and health (not counted as income): exactly what the record's non-counting income holds.
  for (const m of present) {
    const a = ageOf(m);
    if (a >= 6 && a <= 15) add('education_boarding', 'non_counting', 1000, 1, { member: m, givenOn: `${year}-09-${rng.int(10, 30)}` });
    else if (year >= 2021 && a > 15 && m.studentStatus !== '0' && m.studentStatus !== '1') add('education_grant', 'non_counting', 2000, 1, { member: m, givenOn: `${year}-10-${rng.int(10, 30)}` });
  }
  const ill = present.filter((m) => m.health === '2' || m.health === '3');
  if (ill.length && rem.non_counting! >= MIN_FEN) {
    const m = ill.find((x) => x.health === '3') ?? ill[0]!;
    add('health_settlement', 'non_counting', yuan(rem.non_counting!), null, { member: m, note: '基本医保、大病保险、医疗救助一站式结算' });
  }
  for (const m of ill) if (m.health === '2' && rng.chance(0.4)) add('health_chronic_service', 'none', 0, 1, { member: m, givenOn: `${year}-03-${rng.int(1, 31)}` });

  // Jobs (wage income).
  const able = present.filter((m) => ageOf(m) >= 18 && ageOf(m) <= 64 && (m.labourAbility === '1' || m.labourAbility === '2'));
  const worker = able.find((m) => m.workMonths > 0) ?? able[0] ?? null;
  const prime = able.filter((m) => ageOf(m) >= 25 && ageOf(m) <= 60);
  if (prime.length && rng.chance(0.06)) add('ecology_ranger', 'wage', 10_000, 12, { member: rng.pick(prime), slot: c.slots.get(`ranger:${year}`), link: 'job', givenOn: yearEnd });
  const solarKey = `${c.village}:${year}`;
  const solar = c.station ? c.solarIncome.get(solarKey) : undefined;
  const older = present.filter((m) => ageOf(m) >= 30 && ageOf(m) <= 64 && m.labourAbility !== '4');
  if (solar && older.length && rng.chance(0.12)) {
    const months = rng.int(6, 12);
    const budget = c.solarBudget.get(solarKey) ?? 0;
    const want = Math.min(months * 500, yuan(budget));
    const a = add('solar_job', 'wage', want, months, { member: rng.pick(older), slot: c.slots.get('solar'), link: 'job', assetIncome: solar.last, givenOn: yearEnd, paidByProject: false });
    c.solarBudget.set(solarKey, budget - a);
  }
  if (older.length && rng.chance(0.08)) add('employment_public_job', 'wage', rng.int(6, 12) * 600, null, { member: rng.pick(older), slot: c.slots.get(`jobs:${year}`), link: 'job', givenOn: yearEnd });
  const tourism = c.tourismOf.get(`${c.village}:${year}`);
  if (tourism && able.length && rng.chance(0.15)) {
    const months = rng.int(3, 8);
    add('tourism_job', 'wage', months * 2500, months, { member: rng.pick(able), slot: tourism, link: 'job', fund: 'east_west' });
  }
  if (MEDICINE_COUNTIES.has(c.county) && able.length && rng.chance(0.04)) {
    const months = rng.int(2, 6);
    add('medicine_job', 'wage', months * 2000, months, { member: rng.pick(able), slot: c.slots.get(`medicine:${year}`), link: 'job', fund: 'enterprise' });
  }
  if (worker && worker.workMonths > 0 && rng.chance(0.2)) add('employment_job', 'wage', Math.round(yuan(rem.wage!) * rng.uniform(0.4, 0.8)), worker.workMonths, { member: worker });
  if (able.length && rng.chance(0.06)) add('employment_training', 'none', 0, 1, { member: rng.pick(able) });

  // Cattle, herbs, tourism and online sales (production), dividends (property).
  // Cattle are kept into old age: anyone 18–72 who is not without labour or seriously ill.
  if (c.cattle && present.some((m) => ageOf(m) >= 18 && ageOf(m) <= 72 && m.labourAbility !== '4' && m.health !== '3')) {
    if (rng.chance(0.5)) add('cattle_insemination', 'none', 0, rng.int(1, 3));
    if (rng.chance(0.06)) {
      const heads = rng.chance(0.8) ? 1 : 2;
      add('cattle_cow_granted', 'none', heads * 10_000, heads, { slot: c.slots.get(`cattle:${year}`), link: 'grant', note: '基础母牛，价值按采购价计' });
    }
    if (rng.chance(0.6)) {
      const heads = rng.int(1, 2);
      add('cattle_sales_income', 'production', Math.round(heads * rng.uniform(6000, 9000)), heads);
    }
    if (c.coop) {
      add('cattle_coop_member', 'none', 0, 1, { givenOn: `${year}-01-${rng.int(10, 31)}` });
      const barn = [...c.slots.values()].find((s) => s.key.startsWith(`barn:${c.village}:`) && Number(s.key.slice(-4)) < year);
      if (rng.chance(0.7)) add('cattle_coop_dividend', 'property', Math.round(rng.uniform(300, 1500)), null, { slot: barn, link: 'custody', givenOn: yearEnd, paidByProject: false });
    }
  }
  if (able.length && rng.chance(MEDICINE_COUNTIES.has(c.county) ? 0.05 : 0.02)) {
    const mu = rng.int(2, 10);
    add('medicine_planting', 'production', Math.round(mu * rng.uniform(600, 1200)), mu, { slot: c.slots.get(`medicine:${year}`), link: 'purchase', fund: 'enterprise' });
  }
  if (tourism && rng.chance(0.08)) add('tourism_sales', 'production', Math.round(rng.uniform(1000, 5000)), null, { slot: tourism, link: 'purchase', fund: 'east_west' });
  if (rng.chance(0.06)) add('ecommerce_sales', 'production', Math.round(rng.uniform(500, 3000)), null, { slot: c.slots.get(`ecommerce:${year}`), link: 'purchase' });
  if (c.leader) {
    add('leadership_coop_link', 'none', 0, 1, { givenOn: `${year}-02-${rng.int(1, 28)}` });
    if (rng.chance(0.6)) add('leadership_dividend', 'property', Math.round(rng.uniform(300, 1200)), null, { givenOn: yearEnd });
  }
  if (WIND_COUNTIES.has(c.county) && rng.chance(0.1)) add('wind_dividend', 'property', Math.round(rng.uniform(200, 800)), null, { givenOn: yearEnd });

  // A solar reward for households without labour, from what the village's station has left.
  if (solar && !able.length && rng.chance(0.5)) {
    const budget = c.solarBudget.get(solarKey) ?? 0;
    const a = add('solar_reward', 'transfer', Math.min(Math.round(rng.uniform(300, 1000)), yuan(budget)), null, { slot: c.slots.get('solar'), link: 'grant', assetIncome: solar.last, givenOn: yearEnd, paidByProject: false });
    c.solarBudget.set(solarKey, budget - a);
  }
  return out;
}
