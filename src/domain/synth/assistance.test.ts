// The synthetic assistance data against its contract, on Kulun's real villages: deterministic,
// 98–99% of registered households paired, about one cadre per 4–5 households, valid adult IDs
// that meet a member's only for the handful chosen on purpose, measures within the yearly
// record's components, payments within budget, solar measures within the station's income.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { parseIdNumber } from '../idnumber.js';
import { CountyExpander, planRegister, SNAPSHOT_YEAR, type SynthCounty } from './index.js';
import {
  aidHousehold, ASSISTANCE_TODAY, addDays, generateAssistance, MEASURE_YEARS, REGISTERED_STATUSES, type AidHousehold, type SynthAssistance,
} from './assistance.js';

const rows = parse(readFileSync(new URL('../../../data/areas-tongliao.csv', import.meta.url)), { columns: true }) as Record<string, string>[];
const countyOf = (code: string): SynthCounty => ({
  code,
  name: rows.find((r) => r.code === code)!.name!,
  villages: rows.filter((r) => r.level === '5' && r.code!.startsWith(code)).map((v) => ({ code: v.code!, name: v.name! })),
});
const townships = new Map(rows.filter((r) => r.level === '4').map((r) => [r.code!, r.name!]));

/** Plans, expands and synthesises a county; `poor` households are turned to status 0 (the 2025 register has none). */
function run(seed: number, people: number, code = '150524', poor = 0): { households: AidHousehold[]; g: SynthAssistance } {
  const county = countyOf(code);
  const [plan] = planRegister(seed, people, [county]);
  const x = new CountyExpander(seed, county);
  const households = plan!.households.map((h, i) => aidHousehold(1000 + i, x.expand(h)));
  for (let i = 0; i < poor; i++) households[i * 7]!.status = '0';
  const g = generateAssistance({ seed, plan: plan!, townships, households, ids: x.ids, villageStaff: (v) => x.villageStaff(v) });
  return { households, g };
}

let households: AidHousehold[];
let g: SynthAssistance;
beforeAll(() => {
  ({ households, g } = run(2014, 12_000, '150524', 40));
});

const fen = (v: number) => Math.round(v * 100);

describe('synthetic assistance', () => {
  it('is deterministic in the seed', () => {
    const again = run(2014, 12_000, '150524', 40).g;
    expect(JSON.stringify({ ...again, lastYearMeasures: [...again.lastYearMeasures] })).toBe(JSON.stringify({ ...g, lastYearMeasures: [...g.lastYearMeasures] }));
    const other = run(2015, 12_000, '150524', 40).g;
    expect(JSON.stringify(other.pairings)).not.toBe(JSON.stringify(g.pairings));
  });

  it('pairs 98–99% of registered households, at most once open, with about one cadre per 4–5 households', () => {
    const registered = households.filter((h) => REGISTERED_STATUSES.has(h.status));
    const open = g.pairings.filter((p) => p.endedOn === null);
    const perHousehold = new Map<number, number>();
    for (const p of open) perHousehold.set(p.householdId, (perHousehold.get(p.householdId) ?? 0) + 1);
    expect(Math.max(...perHousehold.values())).toBe(1);
    const share = perHousehold.size / registered.length;
    expect(share).toBeGreaterThanOrEqual(0.98);
    expect(share).toBeLessThanOrEqual(0.99);
    const cadres = new Set(open.map((p) => p.cadre));
    const ratio = perHousehold.size / cadres.size;
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(5.5);
    for (const p of open) expect(g.cadres[p.cadre]!.active, `cadre ${p.cadre}`).toBe(true);
    // Rotations: an ended pairing before the open one, never overlapping.
    const ended = g.pairings.filter((p) => p.endedOn !== null);
    expect(ended.length / open.length).toBeGreaterThan(0.1);
    for (const p of ended) {
      const next = open.find((o) => o.householdId === p.householdId);
      if (next) expect(next.startedOn >= p.endedOn!).toBe(true);
      expect(p.startedOn < p.endedOn!).toBe(true);
    }
    // Every pairing's household is in this county's register.
    const ids = new Set(households.map((h) => h.id));
    expect(g.pairings.every((p) => ids.has(p.householdId))).toBe(true);
  });

  it('gives cadres valid adult IDs that meet a member only for the few chosen on purpose', () => {
    const members = new Map(households.flatMap((h) => h.members.map((m) => [m.idNumber, m.name] as const)));
    const seen = new Set<string>();
    for (const c of g.cadres) {
      const r = parseIdNumber(c.idNumber);
      expect(r.ok, c.idNumber).toBe(true);
      if (r.ok) expect(SNAPSHOT_YEAR - Number(r.id.birthDate.slice(0, 4))).toBeGreaterThanOrEqual(18);
      expect(seen.has(c.idNumber), `duplicate ${c.idNumber}`).toBe(false);
      seen.add(c.idNumber);
      expect(members.has(c.idNumber), `${c.name} ${c.idNumber}`).toBe(c.registeredMember);
      if (c.registeredMember) expect(members.get(c.idNumber)).toBe(c.name);
    }
    const registered = g.cadres.filter((c) => c.registeredMember).length;
    const others = g.cadres.length - registered;
    expect(others).toBeGreaterThanOrEqual(200);
    expect(registered).toBe(Math.max(1, Math.round(others / 2000)));
    // They serve in a current work team.
    const serving = new Set(g.teams.filter((t) => t.endedOn === null).flatMap((t) => t.members.map((m) => m.cadre)));
    for (const [i, c] of g.cadres.entries()) if (c.registeredMember) expect(serving.has(i)).toBe(true);
    // The east–west partner's cadres carry Beijing IDs.
    const partner = g.units.findIndex((u) => u.kind === 'east_west');
    expect(g.units[partner]!.name).toMatch(/^北京市/);
    expect(g.cadres.filter((c) => c.unit === partner).every((c) => c.idNumber.startsWith('11'))).toBe(true);
  });

  it('staffs work teams with a first secretary in every current team', () => {
    const current = g.teams.filter((t) => t.endedOn === null);
    expect(current.length).toBeGreaterThan(20);
    for (const t of current) expect(t.members.filter((m) => m.role === 'first_secretary')).toHaveLength(1);
    for (const t of g.teams) expect(new Set(t.members.map((m) => m.cadre)).size).toBe(t.members.length);
  });

  it('visits within the last 12 months by the cadre paired then; monthly for poor households', () => {
    const from = addDays(ASSISTANCE_TODAY, -364);
    for (const v of g.visits) {
      expect(v.visitedOn >= from && v.visitedOn <= ASSISTANCE_TODAY, v.visitedOn).toBe(true);
      if (v.cadre !== null) {
        const p = g.pairings.find((x) => x.householdId === v.householdId && x.cadre === v.cadre);
        expect(p, `visit of ${v.householdId} on ${v.visitedOn}`).toBeDefined();
        expect(v.visitedOn >= p!.startedOn && (p!.endedOn === null || v.visitedOn <= p!.endedOn)).toBe(true);
      }
      expect(v.findings).toMatch(/[\u4e00-\u9fff]/);
      if (v.followUpDoneOn) expect(v.followUpDoneOn <= ASSISTANCE_TODAY).toBe(true);
    }
    const count = new Map<number, number>();
    for (const v of g.visits) count.set(v.householdId, (count.get(v.householdId) ?? 0) + 1);
    const poor = households.filter((h) => h.status === '0');
    expect(poor).toHaveLength(40);
    for (const h of poor) expect(count.get(h.id) ?? 0).toBeGreaterThanOrEqual(11);
    const perHousehold = g.visits.length / households.length;
    expect(perHousehold).toBeGreaterThan(1.5);
    expect(perHousehold).toBeLessThan(4);
    // Every poor household has a plan.
    const planned = new Set(g.plans.map((p) => p.householdId));
    for (const h of poor) expect(planned.has(h.id)).toBe(true);
    expect(planned.size).toBeLessThan(households.length * 0.5);
  });

  it('keeps each household’s measures within the matching income component of its yearly record', () => {
    const byHousehold = new Map(households.map((h) => [h.id, h]));
    const sums = new Map<string, number>();
    for (const m of g.measures) {
      expect(MEASURE_YEARS as readonly number[]).toContain(m.year);
      if (m.incomeComponent === 'none') continue;
      const k = `${m.householdId}:${m.year}:${m.incomeComponent}`;
      sums.set(k, (sums.get(k) ?? 0) + fen(m.amount));
    }
    const field = { wage: 'wage', production: 'production', property: 'property', transfer: 'transfer', non_counting: 'nonCounting' } as const;
    for (const [k, total] of sums) {
      const [id, year, comp] = k.split(':') as [string, string, keyof typeof field];
      const y = byHousehold.get(Number(id))!.years.find((r) => r.year === Number(year))!;
      expect(total, k).toBeLessThanOrEqual(fen(y[field[comp]]));
    }
    // Cattle is the commonest production channel; students get grants; member measures name a member of the household.
    const types = new Map<string, number>();
    for (const m of g.measures) types.set(m.typeCode, (types.get(m.typeCode) ?? 0) + 1);
    const cattle = [...types].filter(([t]) => t.startsWith('cattle_')).reduce((s, [, n]) => s + n, 0);
    for (const t of ['ecommerce_sales', 'medicine_planting', 'tourism_job', 'employment_job']) expect(cattle).toBeGreaterThan(types.get(t) ?? 0);
    expect(types.get('education_boarding') ?? 0).toBeGreaterThan(0);
    for (const m of g.measures) {
      if (m.memberIdNumber) expect(byHousehold.get(m.householdId)!.members.some((x) => x.idNumber === m.memberIdNumber)).toBe(true);
    }
  });

  it('pays projects within budget, links beneficiaries once, and spends at most 70% of a station’s income on solar measures', () => {
    expect(g.projects.length).toBeGreaterThan(10);
    for (const p of g.projects) {
      for (const b of p.budgets) {
        const paid = p.disbursements.filter((d) => d.fundSource === b.fundSource).reduce((s, d) => s + fen(d.amount), 0);
        expect(paid, `${p.name} ${b.fundSource}`).toBeLessThanOrEqual(fen(b.amount));
      }
      for (const d of p.disbursements) expect(p.budgets.some((b) => b.fundSource === d.fundSource)).toBe(true);
      expect(new Set(p.beneficiaries.map((b) => b.householdId)).size).toBe(p.beneficiaries.length);
      if (p.status === 'planned') expect(p.disbursements).toHaveLength(0);
      const linked = g.measures.filter((m) => m.project === g.projects.indexOf(p)).reduce((s, m) => s + fen(m.amount), 0);
      expect(linked).toBeLessThanOrEqual(p.budgets.reduce((s, b) => s + fen(b.amount), 0));
    }
    expect(g.projects.some((p) => p.disclosedOn !== null)).toBe(true);
    const stations = g.assets.filter((a) => a.kind === 'solar_station');
    expect(stations.length).toBeGreaterThan(10);
    const income = new Map<number, number>();
    for (const [i, x] of g.assetIncomes.entries()) if (x.year === SNAPSHOT_YEAR) income.set(g.assetIncomes[i]!.asset, (income.get(x.asset) ?? 0) + fen(x.amount));
    const spent = new Map<number, number>();
    for (const m of g.measures) {
      if (m.assetIncome === null) continue;
      const a = g.assetIncomes[m.assetIncome]!.asset;
      spent.set(a, (spent.get(a) ?? 0) + fen(m.amount));
    }
    for (const [a, s] of spent) expect(s).toBeLessThanOrEqual(0.7 * (income.get(a) ?? 0));
    // Quarterly income of every station, without a quarter twice.
    const periods = new Set(g.assetIncomes.map((x) => `${x.asset}:${x.year}:${x.quarter}`));
    expect(periods.size).toBe(g.assetIncomes.length);
  });

  it('makes no registered-member cadre in a small county (fewer than 200 cadres)', () => {
    const small = run(7, 300, '150581').g;
    expect(small.cadres.length).toBeLessThan(200);
    expect(small.cadres.some((c) => c.registeredMember)).toBe(false);
  });
});
