// Synthetic assistance data (issue 5) for a seeded county: who helps whom. Pure and deterministic
// in (seed, county, households): every draw comes from a stream keyed by the seed and the county
// (and the village or household where that keeps results independent of order).
// Measures, projects and assets are in assistance-funds.ts; visits and plans in assistance-visits.ts.
//
// Assumed distributions (demo assumptions, not published figures unless said):
// - "Today" is ASSISTANCE_TODAY (the last day of SNAPSHOT_YEAR, the year of the last yearly record),
//   so the output does not depend on the clock.
// - Units: the county bureaus the register already names as households' 帮扶单位, the county's
//   townships, the county's power company, telecom operator and agricultural bank branch (SOEs),
//   its rural credit union, a charity and a private cattle company, two city bureaus, and one
//   Beijing district as east–west cooperation partner (Beijing–Inner Mongolia cooperation is real;
//   which district pairs with which county here is invented, one per county so IDs never meet).
// - Responsible cadres: in each village, one per U(4, 5) registered households (status 0, 1, 3),
//   at least one. The first of them carry the names the register gives as 帮扶责任人; 60% come from
//   the village's unit, 25% from the township, 15% from the other units. Ages 25–58, 60% men.
//   ID numbers continue the county's member sequence (IdSequencer), so they never equal a member's,
//   except for REGISTERED_CADRES chosen on purpose: 1 per 2,000 cadres (at least 1 in a county with
//   ≥ 200 cadres) carry a registered member's ID and name, for the "cadre is registered poor" flag.
// - Pairings: 1.4% of registered households (exactly, rounded) have no open pairing (half of them a
//   pairing that ended when the cadre retired in the last months, half never paired); 15% of the
//   paired have an earlier pairing ended by a cadre rotation in 2021–2024 (the rotated-out cadre,
//   now inactive, had about five households). First pairings start
//   20–90 days after identification. Households with status 4 keep an ended pairing half the time.
// - Work teams: in each poor village with ≥ 5 registered households and each village with ≥ 15, a team of the
//   village's unit for 2021-05-20 – 2023-05-19 and one from 2023-05-20 on: a first secretary, 30% a
//   separate leader, 1–3 members, taken from the village unit's responsible cadres (current team
//   from the first half, previous team from the second) and new cadres when there are too few.
// - Visits in the 365 days up to today: 11–13 for poor (0) and relapsed (3) households and for
//   exited households at risk (per-capita income below 1.5 × the line), 1–2 (half-yearly) for
//   other exited households, 0–1 for status 4; 80% home, 15% phone, 5% meeting;
//   findings from a phrase list that follows the household (illness, students, cattle, labour);
//   15% with a follow-up due in 14–45 days, done in 80% of those already due.
// - Plans (一户一策): every household with status 0 or 3, exited households at risk, and 25% of the
//   other exited households; needs = its causes; agreed measures = its measures of the last year.
import type { HouseholdBundle } from '../register.js';
import { cadreName, personName } from './names.js';
import { Rng, hash32 } from './prng.js';
import { countyProfile, povertyLine, SNAPSHOT_YEAR } from './params.js';
import { IdSequencer } from './household.js';
import type { CountyPlan } from './plan.js';
import type { UnitKind, UnitLevel, TeamRole, VisitKind } from '../assistance/catalogue.js';
import { generateFunds, type SynthFunds } from './assistance-funds.js';
import { findingPools, householdPlan, visit } from './assistance-visits.js';

export const ASSISTANCE_TODAY = `${SNAPSHOT_YEAR}-12-31`;
/** Years with a measures ledger: the year of the last yearly record. */
export const MEASURE_YEARS = [SNAPSHOT_YEAR] as const;
export const UNPAIRED_SHARE = 0.014;
export const ROTATED_SHARE = 0.15;
export const HOUSEHOLDS_PER_CADRE = [4, 5] as const;
export const CADRES_PER_REGISTERED_CADRE = 2_000;
export const RISK_INCOME_FACTOR = 1.5;
export const REGISTERED_STATUSES: ReadonlySet<string> = new Set(['0', '1', '3']);

// ---------------------------------------------------------------- input: what the register holds

export interface AidMember {
  /** members.id when known (the seed reserves them), else 0. */
  id: number;
  idNumber: string;
  name: string;
  male: boolean;
  birthYear: number;
  studentStatus: string;
  health: string;
  disabilityGrade: string | null;
  labourAbility: string;
  workMonths: number;
}

export interface AidYear {
  year: number;
  size: number;
  status: string;
  wage: number;
  production: number;
  property: number;
  transfer: number;
  costs: number;
  nonCounting: number;
  forestMu: number;
  returnedMu: number;
  pastureMu: number;
}

/** What the assistance synthesis needs of one written household. */
export interface AidHousehold {
  id: number;
  /** household_no: keys the household's own random streams (ids differ from run to run). */
  key: string;
  villageCode: string;
  status: string;
  attribute: string;
  causes: string[];
  identifiedOn: string | null;
  responsibleCadre: string | null;
  members: AidMember[];
  /** Records of MEASURE_YEARS only. */
  years: AidYear[];
}

export function aidHousehold(id: number, b: HouseholdBundle, memberIds: readonly number[] = []): AidHousehold {
  const h = b.household;
  return {
    id,
    key: h.householdNo,
    villageCode: h.villageCode,
    status: h.exitStatus,
    attribute: h.attribute,
    causes: [h.mainCause, ...h.otherCauses].filter((c): c is string => !!c),
    identifiedOn: h.identifiedOn,
    responsibleCadre: h.responsibleCadre,
    members: b.members.map((m, i) => ({
      id: memberIds[i] ?? 0,
      idNumber: m.idNumber,
      name: m.name,
      male: m.sex === '1',
      birthYear: Number(m.birthDate.slice(0, 4)),
      studentStatus: m.studentStatus ?? '0',
      health: m.health ?? '1',
      disabilityGrade: m.disabilityGrade,
      labourAbility: m.labourAbility ?? '4',
      workMonths: m.workMonths ?? 0,
    })),
    years: b.years
      .filter((y) => (MEASURE_YEARS as readonly number[]).includes(y.year))
      .map((y) => ({
        year: y.year, size: y.householdSize, status: y.status, wage: y.wageIncome, production: y.productionIncome,
        property: y.propertyIncome, transfer: y.transferIncome, costs: y.productionCosts, nonCounting: y.nonCountingIncome,
        forestMu: y.forestMu ?? 0, returnedMu: y.returnedFarmlandMu ?? 0, pastureMu: y.pastureMu ?? 0,
      })),
  };
}

export interface AidInput {
  seed: number;
  plan: CountyPlan;
  /** Township code → name (level 4 areas of the county). */
  townships: ReadonlyMap<string, string>;
  households: readonly AidHousehold[];
  /** The county's member ID sequence, after its members were generated. */
  ids: IdSequencer;
  /** The unit and cadre names the register gives a village (CountyExpander.villageStaff). */
  villageStaff: (villageCode: string) => { unit: string; cadres: string[] };
}

// ---------------------------------------------------------------- output: rows with local indexes

export interface SynthUnit { name: string; kind: UnitKind; level: UnitLevel; contactName: string; contactPhone: string }
export interface SynthCadre { unit: number; name: string; idNumber: string; phone: string; position: string; active: boolean; registeredMember: boolean }
export interface SynthTeamMember { cadre: number; role: TeamRole; startedOn: string; endedOn: string | null }
export interface SynthTeam { villageCode: string; unit: number; startedOn: string; endedOn: string | null; members: SynthTeamMember[] }
export interface SynthPairing { cadre: number; householdId: number; startedOn: string; endedOn: string | null; endReason: string | null }
export interface SynthVisit {
  householdId: number; cadre: number | null; visitedOn: string; kind: VisitKind; findings: string;
  followUps: string; followUpDue: string | null; followUpDoneOn: string | null;
}
export interface SynthPlan {
  householdId: number; needs: string[]; needsNote: string;
  agreedMeasures: { typeCode: string; quantity: number | null; amount: number; dueOn: string; note: string }[];
  targetIncome: number; targetYear: number; targetsNote: string; cadre: number | null; agreedOn: string;
  reviewEveryMonths: number; lastReviewedOn: string | null; nextReviewOn: string;
}

export interface SynthAssistance extends SynthFunds {
  units: SynthUnit[];
  cadres: SynthCadre[];
  teams: SynthTeam[];
  pairings: SynthPairing[];
  visits: SynthVisit[];
  plans: SynthPlan[];
}

// ---------------------------------------------------------------- dates (UTC day arithmetic)

const DAY = 86_400_000;
// Cached both ways: the synthesis converts a few hundred thousand dates and Date is slow.
const dayCache = new Map<string, number>();
const isoCache = new Map<number, string>();
export function toDay(iso: string): number {
  let d = dayCache.get(iso);
  if (d === undefined) dayCache.set(iso, (d = Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY)));
  return d;
}
export function isoDay(d: number): string {
  let s = isoCache.get(d);
  if (s === undefined) isoCache.set(d, (s = new Date(d * DAY).toISOString().slice(0, 10)));
  return s;
}
export const addDays = (iso: string, n: number) => isoDay(toDay(iso) + n);
export function addMonths(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  return isoDay(Math.floor(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), Math.min(d, last)) / DAY));
}
/** A uniform day between two ISO days, both inclusive. */
export const dayBetween = (rng: Rng, from: string, to: string) => isoDay(rng.int(toDay(from), toDay(to)));

// ---------------------------------------------------------------- helpers

export const perCapita = (y: AidYear) => (y.wage + y.production + y.property + y.transfer - y.costs) / Math.max(1, y.size);

/** An exited household that a county would watch closely: income under RISK_INCOME_FACTOR × the line. */
export function atRisk(h: AidHousehold): boolean {
  const y = h.years.find((r) => r.year === SNAPSHOT_YEAR);
  if (!y) return false;
  return perCapita(y) < RISK_INCOME_FACTOR * povertyLine(SNAPSHOT_YEAR);
}

const phone = (rng: Rng) => `1${rng.pick(['3', '5', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;

/** Beijing districts (codes of 2015 and later). */
const BEIJING = [
  ['110101', '东城区'], ['110102', '西城区'], ['110105', '朝阳区'], ['110106', '丰台区'], ['110107', '石景山区'], ['110108', '海淀区'],
  ['110109', '门头沟区'], ['110111', '房山区'], ['110112', '通州区'], ['110113', '顺义区'], ['110114', '昌平区'], ['110115', '大兴区'],
  ['110116', '怀柔区'], ['110117', '平谷区'], ['110118', '密云区'], ['110119', '延庆区'],
] as const;
/** Tongliao's counties get distinct districts (in code order); another county one by hash. */
const TONGLIAO_ORDER = ['150502', '150521', '150522', '150523', '150524', '150525', '150526', '150571', '150581'];
export function eastWestPartner(countyCode: string): { code: string; name: string } {
  const i = TONGLIAO_ORDER.indexOf(countyCode);
  const d = BEIJING[(i >= 0 ? i * 3 + 1 : hash32('east-west', countyCode)) % BEIJING.length]!;
  return { code: d[0], name: `北京市${d[1]}` };
}

const POSITIONS = ['科员', '一级科员', '四级主任科员', '三级主任科员', '二级主任科员', '副科长', '科长', '副局长', '办公室主任', '站长', '干事'];
const TEAM_POSITIONS = ['驻村干部', '科员', '四级主任科员', '副科长'];
const SOE_POSITIONS = ['职员', '客户经理', '部门经理', '副经理', '党支部书记'];
const TOWNSHIP_POSITIONS = ['副镇长', '副苏木达', '党委委员', '包村干部', '综合办干事', '农牧业服务中心主任'];

// ---------------------------------------------------------------- the synthesis

class Builder {
  readonly units: SynthUnit[] = [];
  readonly cadres: SynthCadre[] = [];
  private readonly unitIndex = new Map<string, number>();
  private readonly usedIds = new Set<string>();

  constructor(
    readonly rng: Rng,
    readonly ids: IdSequencer,
    readonly mongolian: number,
  ) {}

  unit(name: string, kind: UnitKind, level: UnitLevel): number {
    const known = this.unitIndex.get(name);
    if (known !== undefined) return known;
    const group = this.rng.chance(this.mongolian) ? 'mongolian' : 'han';
    this.units.push({ name, kind, level, contactName: cadreName(this.rng, group), contactPhone: phone(this.rng) });
    this.unitIndex.set(name, this.units.length - 1);
    return this.units.length - 1;
  }

  /** A cadre with a new ID from `seq` (the county's member sequence, or the partner's). */
  cadre(unit: number, opts: { name?: string; active?: boolean; seq?: IdSequencer; positions?: readonly string[] } = {}): number {
    const rng = this.rng;
    const male = rng.chance(0.6);
    const birthYear = SNAPSHOT_YEAR - rng.int(25, 58);
    const group = rng.chance(this.mongolian) ? 'mongolian' : 'han';
    const name = opts.name ?? personName(rng, { group, male, birthYear }).name;
    const date = birthYear * 10000 + rng.int(1, 12) * 100 + rng.int(1, 28);
    const idNumber = (opts.seq ?? this.ids).next(date, male);
    this.usedIds.add(idNumber);
    this.cadres.push({
      unit, name, idNumber, phone: phone(rng), position: rng.pick(opts.positions ?? POSITIONS),
      active: opts.active ?? true, registeredMember: false,
    });
    return this.cadres.length - 1;
  }

  /** A cadre who is also a registered member (their ID and name), on purpose. */
  registeredCadre(unit: number, m: AidMember): number {
    this.cadres.push({ unit, name: m.name, idNumber: m.idNumber, phone: phone(this.rng), position: '村级协管员', active: true, registeredMember: true });
    return this.cadres.length - 1;
  }
}

interface VillageAid {
  code: string;
  households: AidHousehold[];
  /** Index in cadres of the village's active responsible cadres. */
  cadres: number[];
  unit: number;
  poor: boolean;
}

export function generateAssistance(input: AidInput): SynthAssistance {
  const { seed, plan } = input;
  const county = plan.county;
  const rng = new Rng([seed, 'assistance', county.code]);
  const profile = countyProfile(county.code);
  const b = new Builder(rng, input.ids, profile.mongolian);
  const name = county.name;

  // Units: the other kinds first, village units as the villages need them.
  const partner = eastWestPartner(county.code);
  const partnerUnit = b.unit(`${partner.name}人民政府`, 'east_west', 'county');
  const others = [
    b.unit(`国网${name}供电公司`, 'soe', 'county'),
    b.unit(`中国移动${name}分公司`, 'soe', 'county'),
    b.unit(`中国农业银行${name}支行`, 'soe', 'county'),
    b.unit(`${name}农村信用合作联社`, 'other', 'county'),
    b.unit(`${name}慈善总会`, 'social', 'county'),
    b.unit(`${name}兴牧黄牛养殖有限公司`, 'private', 'county'),
    b.unit(`通辽市农牧局`, 'party_gov', 'city'),
    b.unit(`通辽市乡村振兴局`, 'party_gov', 'city'),
  ];
  const partnerSeq = new IdSequencer(partner.code);

  const byVillage = new Map<string, AidHousehold[]>();
  for (const h of input.households) {
    const list = byVillage.get(h.villageCode);
    if (list) list.push(h);
    else byVillage.set(h.villageCode, [h]);
  }
  const poorVillages = new Set(plan.populations.filter((p) => p.poorVillage).map((p) => p.code));
  const villages: VillageAid[] = [];
  const cadreOfName = new Map<string, Map<string, number>>();
  for (const [code, households] of [...byVillage.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const vr = new Rng([seed, 'assistance-village', code]);
    const staff = input.villageStaff(code);
    const kind: UnitKind = staff.unit.includes('供电') ? 'soe' : staff.unit.includes('信用') ? 'other' : 'party_gov';
    const unit = b.unit(staff.unit, kind, staff.unit.startsWith('通辽市') ? 'city' : 'county');
    const tcode = code.slice(0, 9);
    const township = b.unit(`${input.townships.get(tcode) ?? tcode}人民政府`, 'party_gov', 'township');
    const registered = households.filter((h) => REGISTERED_STATUSES.has(h.status)).length;
    const n = registered ? Math.max(1, Math.ceil(registered / vr.uniform(HOUSEHOLDS_PER_CADRE[0], HOUSEHOLDS_PER_CADRE[1]))) : 0;
    const cadres: number[] = [];
    const named = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const x = vr.float();
      const u = i < staff.cadres.length || x < 0.6 ? unit : x < 0.85 ? township : vr.pick(others);
      const staffName = i < staff.cadres.length && !named.has(staff.cadres[i]!) ? staff.cadres[i] : undefined;
      const c = b.cadre(u, { ...(staffName ? { name: staffName } : {}), positions: u === township ? TOWNSHIP_POSITIONS : u === unit ? POSITIONS : SOE_POSITIONS });
      if (staffName) named.set(staffName, c);
      cadres.push(c);
    }
    cadreOfName.set(code, named);
    villages.push({ code, households, cadres, unit, poor: poorVillages.has(code) });
  }
  // The partner's cadres on temporary posts (挂职): one per 40 poor villages, at least one.
  const partnerCadres: number[] = [];
  for (let i = 0; i < Math.max(1, Math.round(poorVillages.size / 40)); i++) partnerCadres.push(b.cadre(partnerUnit, { seq: partnerSeq, positions: ['挂职副旗长', '挂职干部', '东西部协作工作队队员'] }));

  const pairings: SynthPairing[] = [];
  const teams: SynthTeam[] = [];
  const openCadre = new Map<number, { cadre: number; since: string; before: number | null }>();
  const endedCadre = new Map<number, { cadre: number; endedOn: string }>();

  // Exactly UNPAIRED_SHARE of the registered households have no open pairing.
  const eligible = input.households.filter((h) => REGISTERED_STATUSES.has(h.status)).map((h) => h.id);
  const unpaired = new Set(rng.shuffle(eligible.slice()).slice(0, Math.round(UNPAIRED_SHARE * eligible.length)));

  for (const v of villages) {
    const vr = new Rng([seed, 'pairing', v.code]);
    const load = new Map<number, number>(v.cadres.map((c) => [c, 0]));
    const regs = v.households.filter((h) => REGISTERED_STATUSES.has(h.status) && !unpaired.has(h.id));
    const cap = Math.ceil(regs.length / Math.max(1, v.cadres.length)) + 1;
    const named = cadreOfName.get(v.code)!;
    const assigned = new Map<number, number>();
    for (const h of regs) {
      const c = h.responsibleCadre ? named.get(h.responsibleCadre) : undefined;
      if (c !== undefined && (load.get(c) ?? 0) < cap) {
        assigned.set(h.id, c);
        load.set(c, (load.get(c) ?? 0) + 1);
      }
    }
    for (const h of regs) {
      if (assigned.has(h.id)) continue;
      let best = v.cadres[0]!;
      for (const c of v.cadres) if ((load.get(c) ?? 0) < (load.get(best) ?? 0)) best = c;
      assigned.set(h.id, best);
      load.set(best, (load.get(best) ?? 0) + 1);
    }
    // Cadres who rotated out (inactive), each had up to three households.
    const former: number[] = [];
    const formerFor = () => {
      if (!former.length || vr.chance(0.2)) former.push(b.cadre(v.unit, { active: false }));
      return former[former.length - 1]!;
    };
    for (const h of v.households) {
      const first = addDays(h.identifiedOn ?? '2014-10-01', vr.int(20, 90));
      const c = assigned.get(h.id);
      if (c !== undefined) {
        if (vr.chance(ROTATED_SHARE)) {
          const old = formerFor();
          const switched = dayBetween(vr, '2021-05-01', '2024-12-20');
          pairings.push({ cadre: old, householdId: h.id, startedOn: first, endedOn: switched, endReason: '帮扶干部工作调整，重新结对' });
          pairings.push({ cadre: c, householdId: h.id, startedOn: switched, endedOn: null, endReason: null });
          openCadre.set(h.id, { cadre: c, since: switched, before: old });
        } else {
          pairings.push({ cadre: c, householdId: h.id, startedOn: first, endedOn: null, endReason: null });
          openCadre.set(h.id, { cadre: c, since: first, before: null });
        }
      } else if (unpaired.has(h.id) ? vr.chance(0.5) : h.status === '4' && vr.chance(0.5)) {
        const old = formerFor();
        const endedOn = unpaired.has(h.id) ? dayBetween(vr, addDays(ASSISTANCE_TODAY, -100), addDays(ASSISTANCE_TODAY, -10)) : dayBetween(vr, '2021-01-10', '2023-12-20');
        pairings.push({ cadre: old, householdId: h.id, startedOn: first, endedOn, endReason: unpaired.has(h.id) ? '帮扶干部退休，待重新结对' : '稳定脱贫，不再结对帮扶' });
        endedCadre.set(h.id, { cadre: old, endedOn });
      }
    }

    // Work teams: previous and current period.
    const registered = v.households.filter((h) => REGISTERED_STATUSES.has(h.status)).length;
    if ((v.poor && registered >= 5) || registered >= 15) {
      const periods: [string, string | null][] = [['2021-05-20', '2023-05-19'], ['2023-05-20', null]];
      for (const [startedOn, endedOn] of periods) {
        const members: SynthTeamMember[] = [];
        // The current team from the front of the village unit's cadres, the previous one from the back
        // (they went back to their unit and stayed responsible cadres); new cadres when too few.
        const own = v.cadres.filter((c) => b.cadres[c]!.unit === v.unit && !b.cadres[c]!.registeredMember);
        const pool = endedOn ? own.slice(Math.ceil(own.length / 2)).reverse() : own.slice(0, Math.ceil(own.length / 2));
        const take = () => pool.shift() ?? b.cadre(v.unit, { active: !endedOn, positions: TEAM_POSITIONS });
        members.push({ cadre: take(), role: 'first_secretary', startedOn, endedOn });
        if (vr.chance(0.3)) members.push({ cadre: take(), role: 'leader', startedOn, endedOn });
        for (let i = vr.int(1, 3); i > 0; i--) members.push({ cadre: take(), role: 'member', startedOn, endedOn });
        if (!endedOn && v.poor && partnerCadres.length && vr.chance(0.05)) {
          members.push({ cadre: vr.pick(partnerCadres), role: 'member', startedOn: dayBetween(vr, startedOn, '2024-06-30'), endedOn: null });
        }
        teams.push({ villageCode: v.code, unit: v.unit, startedOn, endedOn, members });
      }
    }
  }

  // Registered members as cadres (the flag has something to find), counted on all cadres; each
  // joins a current work team (or stays a plain cadre of the township when there is none).
  const wanted = b.cadres.length >= 200 ? Math.max(1, Math.round(b.cadres.length / CADRES_PER_REGISTERED_CADRE)) : 0;
  const adults = input.households.flatMap((h) => h.members.filter((m) => {
    const a = SNAPSHOT_YEAR - m.birthYear;
    return a >= 25 && a <= 55 && (m.labourAbility === '1' || m.labourAbility === '2');
  }));
  const chosen = new Set<string>();
  const current = teams.filter((t) => t.endedOn === null);
  for (let tries = 0; chosen.size < wanted && tries < wanted * 10 && adults.length; tries++) {
    const m = adults[rng.int(0, adults.length - 1)]!;
    if (chosen.has(m.idNumber)) continue;
    chosen.add(m.idNumber);
    const team = current.length ? current[rng.int(0, current.length - 1)]! : null;
    const c = b.registeredCadre(team ? team.unit : others[0]!, m);
    if (team) team.members.push({ cadre: c, role: 'member', startedOn: dayBetween(rng, team.startedOn, addDays(ASSISTANCE_TODAY, -30)), endedOn: null });
  }

  const funds = generateFunds({ ...input, rng: new Rng([seed, 'funds', county.code]), villages: villages.map((v) => ({ code: v.code, poor: v.poor, households: v.households })), unitNames: b.units.map((u) => u.name) });

  // Visits and plans, one stream per household.
  const visits: SynthVisit[] = [];
  const plans: SynthPlan[] = [];
  const from = addDays(ASSISTANCE_TODAY, -364);
  for (const h of input.households) {
    const hr = new Rng([seed, 'visits', h.key]);
    const open = openCadre.get(h.id);
    const ended = endedCadre.get(h.id);
    const risky = h.status === '1' && atRisk(h);
    const n = h.status === '0' || h.status === '3' || risky ? hr.int(11, 13) : h.status === '1' ? hr.int(1, 2) : hr.chance(0.3) ? 1 : 0;
    const last = ended && !open ? ended.endedOn : ASSISTANCE_TODAY;
    const span = toDay(last) - toDay(from) + 1;
    if (span > 0 && n > 0 && (open || ended || h.status !== '4')) {
      const pools = findingPools(h);
      for (let i = 0; i < n; i++) {
        const d = toDay(from) + Math.floor((span * i) / n) + hr.int(0, Math.max(0, Math.floor(span / n) - 1));
        const visitedOn = isoDay(d);
        const cadre = open ? (visitedOn < open.since && open.before !== null ? open.before : open.cadre) : ended ? ended.cadre : null;
        visits.push(visit(hr, h, pools, cadre, visitedOn));
      }
    }
    if (h.status === '0' || h.status === '3' || risky || (h.status === '1' && hr.chance(0.25))) {
      plans.push(householdPlan(hr, h, open?.cadre ?? null, funds.lastYearMeasures.get(h.id) ?? []));
    }
  }

  return { units: b.units, cadres: b.cadres, teams, pairings, visits, plans, ...funds };
}
