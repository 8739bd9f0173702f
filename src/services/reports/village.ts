// 村级报表: every registered household of a village with a record for the year — head, size,
// 脱贫标志, main cause, per-capita net income against the year's poverty line, 两不愁三保障 — a
// totals row, the incidence against the village's rural population (area_populations) and the
// village exit verdict of the exit-panels service. It names heads of households, so it needs
// 'register.read': researchers (aggregates only) are refused and pointed to the public data.
import { Forbidden } from '../../domain/errors.js';
import { mayDo } from '../../domain/roles.js';
import type { ResolvedParam, Text } from '../../domain/policy-types.js';
import type { Status } from '../../domain/evaluate.js';
import { require, type Ctx } from '../context.js';
import { villageExitPanel } from '../exit-panels.js';
import { EXITED_STATUSES, POOR_STATUSES } from '../overview.js';
import { policyLookup } from '../policy.js';
import { xlsxBuffer } from '../imports/export.js';
import { codeIssue, fen, label, LEVELS, pathName, reportArea, reportDay, throwIfAny, yearIssue, yesNo, type ReportArea } from './common.js';
import { ratio, Sheet, type Cell, type Column } from './sheet.js';

export const SECURITY_FLAGS = ['foodSecure', 'clothingSecure', 'educationSecure', 'medicalSecure', 'housingSecure', 'waterSecure'] as const;
export type SecurityFlag = (typeof SECURITY_FLAGS)[number];
export const FLAG_LABELS: Record<SecurityFlag, Text> = {
  foodSecure: { zh: '不愁吃', en: 'Food' },
  clothingSecure: { zh: '不愁穿', en: 'Clothing' },
  educationSecure: { zh: '义务教育', en: 'Education' },
  medicalSecure: { zh: '基本医疗', en: 'Medical care' },
  housingSecure: { zh: '住房安全', en: 'Housing' },
  waterSecure: { zh: '饮水安全', en: 'Water' },
};

export interface VillageHouseholdRow extends Record<SecurityFlag, boolean | null> {
  no: number;
  id: number;
  householdNo: string;
  headName: string;
  groupName: string | null;
  size: number;
  attribute: Text | null;
  status: string;
  statusLabel: Text | null;
  mainCause: Text | null;
  perCapitaIncome: number;
  /** per-capita income < the line (strict, as the identification rule); null without a line. */
  belowLine: boolean | null;
}

export interface VillageTotals {
  households: number;
  people: number;
  poorHouseholds: number;
  poorPeople: number;
  exitedHouseholds: number;
  exitedPeople: number;
  relapsedHouseholds: number;
  belowLineHouseholds: number | null;
  /** Σ net income ÷ Σ people: the people-weighted mean per-capita net income; null without households. */
  meanPerCapitaIncome: number | null;
  /** Households whose flag is recorded as not met (否), and as not recorded (未知). */
  notMet: Record<SecurityFlag, number>;
  unknown: Record<SecurityFlag, number>;
}

export interface VillageReport {
  kind: 'village';
  generatedOn: string;
  area: ReportArea;
  year: number;
  povertyLine: ResolvedParam | null;
  households: VillageHouseholdRow[];
  totals: VillageTotals;
  population: { ruralPeople: number; ruralHouseholds: number; synthetic: boolean } | null;
  /** Remaining poor people (未脱贫 + 返贫) ÷ rural people, as a fraction; null without a population. */
  incidence: number | null;
  exit: {
    verdict: Status;
    reason: Text;
    missing: Text | null;
    numerator: number;
    denominator: number;
    limitPct: number | null;
    limitCount: number | null;
  };
}

const RESEARCHER_REFUSAL: Text = {
  zh: '村级报表列出户主姓名，需要“查看建档立卡”权限；您的角色只能查看汇总数据，请改用公开数据导出（GET /api/v1/public-data 或 `jingzhun export public`）',
  en: 'The village report names heads of households and needs the register.read permission; your role sees aggregates only — use the public-data export instead (GET /api/v1/public-data or `jingzhun export public`)',
};

/** Register readers only; an aggregates-only role gets a refusal that says where to go instead. */
export function requireRegister(ctx: Ctx, msg: Text = RESEARCHER_REFUSAL): void {
  if (!mayDo(ctx.actor.role, 'register.read')) throw new Forbidden(msg);
}

interface Row {
  id: number;
  householdNo: string;
  headName: string;
  groupName: string | null;
  size: number;
  attribute: string;
  status: string;
  mainCause: string | null;
  perCapitaIncome: number;
  foodSecure: boolean | null;
  clothingSecure: boolean | null;
  educationSecure: boolean | null;
  medicalSecure: boolean | null;
  housingSecure: boolean | null;
  waterSecure: boolean | null;
}

export async function villageReport(ctx: Ctx, input: { area: unknown; year: unknown }): Promise<VillageReport> {
  require(ctx, 'aggregates.read');
  requireRegister(ctx);
  const village = LEVELS[5]!.name;
  throwIfAny([codeIssue(input.area, [5], village), yearIssue(input.year)]);
  const code = input.area as string;
  const year = input.year as number;
  const area = await reportArea(ctx, code, [5], village);
  const county = code.slice(0, 6);
  const rows = await ctx.db.query<Row>(
    `SELECT h.id, h.household_no AS "householdNo", h.head_name AS "headName", h.group_name AS "groupName", y.household_size AS size,
            h.attribute, y.status, h.main_cause AS "mainCause", y.per_capita_income AS "perCapitaIncome",
            y.food_secure AS "foodSecure", y.clothing_secure AS "clothingSecure", y.education_secure AS "educationSecure",
            y.medical_secure AS "medicalSecure", y.housing_secure AS "housingSecure", y.water_secure AS "waterSecure"
       FROM household_years y JOIN households h ON h.county_code = y.county_code AND h.id = y.household_id
      WHERE y.county_code = $1 AND y.year = $2 AND h.village_code = $3
      ORDER BY h.household_no`,
    [county, year, code],
  );
  const lookup = await policyLookup(ctx.db, year, code);
  const lineParam = lookup('poverty_line');
  const line = lineParam && typeof lineParam.value === 'number' ? lineParam.value : null;
  const households: VillageHouseholdRow[] = rows.map((r, i) => ({
    no: i + 1,
    id: Number(r.id),
    householdNo: r.householdNo,
    headName: r.headName,
    groupName: r.groupName,
    size: Number(r.size),
    attribute: label('attribute', r.attribute),
    status: r.status,
    statusLabel: label('exitStatus', r.status),
    mainCause: label('cause', r.mainCause),
    perCapitaIncome: Number(r.perCapitaIncome),
    belowLine: line === null ? null : Number(r.perCapitaIncome) < line,
    foodSecure: r.foodSecure,
    clothingSecure: r.clothingSecure,
    educationSecure: r.educationSecure,
    medicalSecure: r.medicalSecure,
    housingSecure: r.housingSecure,
    waterSecure: r.waterSecure,
  }));

  const poor = (s: string) => (POOR_STATUSES as readonly string[]).includes(s);
  const exited = (s: string) => (EXITED_STATUSES as readonly string[]).includes(s);
  const count = (f: (h: VillageHouseholdRow) => boolean) => households.filter(f).length;
  const people = (f: (h: VillageHouseholdRow) => boolean) => households.filter(f).reduce((n, h) => n + h.size, 0);
  const totalPeople = people(() => true);
  // Σ (per-capita × size) in fen, so the mean is Σ net income ÷ Σ people to the fen.
  const incomeFen = households.reduce((s, h) => s + Math.round(h.perCapitaIncome * 100) * h.size, 0);
  const totals: VillageTotals = {
    households: households.length,
    people: totalPeople,
    poorHouseholds: count((h) => poor(h.status)),
    poorPeople: people((h) => poor(h.status)),
    exitedHouseholds: count((h) => exited(h.status)),
    exitedPeople: people((h) => exited(h.status)),
    relapsedHouseholds: count((h) => h.status === '3'),
    belowLineHouseholds: line === null ? null : count((h) => h.belowLine === true),
    meanPerCapitaIncome: totalPeople ? fen(incomeFen / totalPeople / 100) : null,
    notMet: Object.fromEntries(SECURITY_FLAGS.map((f) => [f, count((h) => h[f] === false)])) as Record<SecurityFlag, number>,
    unknown: Object.fromEntries(SECURITY_FLAGS.map((f) => [f, count((h) => h[f] === null)])) as Record<SecurityFlag, number>,
  };

  const [pop] = await ctx.db.query<{ ruralPeople: number; ruralHouseholds: number; synthetic: boolean }>(
    'SELECT rural_people AS "ruralPeople", rural_households AS "ruralHouseholds", synthetic FROM area_populations WHERE area_code = $1 AND year = $2',
    [code, year],
  );
  const population = pop ? { ruralPeople: Number(pop.ruralPeople), ruralHouseholds: Number(pop.ruralHouseholds), synthetic: pop.synthetic } : null;
  const panel = await villageExitPanel(ctx, { area: code, year });
  const bar = panel.evaluation.bars[0];
  return {
    kind: 'village',
    generatedOn: reportDay(),
    area,
    year,
    povertyLine: lineParam ? { ...lineParam } : null,
    households,
    totals,
    population,
    incidence: population && population.ruralPeople > 0 ? totals.poorPeople / population.ruralPeople : null,
    exit: {
      verdict: panel.verdict,
      reason: panel.reason,
      missing: panel.missing,
      numerator: bar?.numerator ?? totals.poorPeople,
      denominator: bar?.denominator ?? 0,
      limitPct: bar?.bar?.value ?? null,
      limitCount: bar?.limitCount ?? null,
    },
  };
}

// --- workbook ---------------------------------------------------------------------------------

const VERDICT: Record<Status, string> = { pass: '达标', fail: '不达标', unknown: '无法判断' };
const zh = (t: Text | null | undefined): string => t?.zh ?? '';

function columns(): Column<VillageHouseholdRow>[] {
  return [
    { zh: '序号', en: 'No.', width: 5, value: (h) => h.no },
    { zh: '户编号', en: 'Household no.', width: 16, fmt: 'text', value: (h) => h.householdNo },
    { zh: '户主姓名', en: 'Head', width: 10, value: (h) => h.headName },
    { zh: '村民小组', en: 'Group', width: 9, value: (h) => h.groupName },
    { zh: '家庭人口', en: 'Size', width: 7, fmt: 'int', value: (h) => h.size },
    { zh: '贫困户属性', en: 'Attribute', width: 13, value: (h) => zh(h.attribute) },
    { zh: '脱贫标志', en: 'Status', width: 15, value: (h) => zh(h.statusLabel) },
    { zh: '主要致贫原因', en: 'Main cause', width: 11, value: (h) => zh(h.mainCause) },
    { zh: '人均纯收入（元）', en: 'Per-capita income', width: 12, fmt: 'money', value: (h) => h.perCapitaIncome },
    { zh: '低于贫困线', en: 'Below line', width: 8, value: (h) => (h.belowLine === null ? '未知' : h.belowLine ? '是' : '否') },
    ...SECURITY_FLAGS.map((f): Column<VillageHouseholdRow> => ({ zh: FLAG_LABELS[f].zh, en: FLAG_LABELS[f].en, width: 8, value: (h) => yesNo(h[f]) })),
  ];
}

export async function villageWorkbook(r: VillageReport): Promise<Buffer> {
  const cols = columns();
  const t = r.totals;
  const place = pathName(r.area, 3);
  const sub = `区划：${place}（${r.area.code}）　年度：${r.year}　贫困线：${r.povertyLine?.value ?? '未知'} 元/人·年　制表日期：${r.generatedOn}`;
  return xlsxBuffer((wb) => {
    const s = new Sheet(wb, { name: '农户明细', span: cols.length, widths: cols.map((c) => c.width), freezeRows: 4, freezeCols: 3, printTitles: '3:4' });
    s.title(`${r.area.name} ${r.year} 年度建档立卡户村级报表`);
    s.subtitle(sub);
    // Totals: households in the name column, people, households below the line, and per flag the households not met.
    const totals: Cell[] = cols.map((c) => {
      if (c.zh === '序号') return '合计';
      if (c.zh === '户主姓名') return `${t.households} 户`;
      if (c.zh === '家庭人口') return t.people;
      if (c.zh === '人均纯收入（元）') return t.meanPerCapitaIncome;
      if (c.zh === '低于贫困线') return t.belowLineHouseholds;
      const flag = SECURITY_FLAGS.find((f) => FLAG_LABELS[f].zh === c.zh);
      return flag ? t.notMet[flag] : null;
    });
    const fmts = cols.map((c) => (c.zh === '低于贫困线' || SECURITY_FLAGS.some((f) => FLAG_LABELS[f].zh === c.zh) ? ('int' as const) : c.fmt));
    s.table(cols, r.households);
    s.row(totals, fmts, 'total');
    s.note('合计行：户主列为户数，家庭人口为人数，人均纯收入为按人口加权的平均数（Σ家庭纯收入 ÷ Σ人口），“低于贫困线”及两不愁三保障各列为“否”的户数。 Totals: households, people, the people-weighted mean per-capita income, and the households below the line or not meeting each standard.');
    s.done();

    const sum = new Sheet(wb, { name: '汇总与出列', span: 4, widths: [26, 16, 26, 16], freezeRows: 2, portrait: true });
    sum.title(`${r.area.name} ${r.year} 年度汇总及贫困村出列评估`);
    sum.subtitle(sub);
    sum.section('登记情况 Register');
    sum.pairs([
      ['登记户数（有年度记录）', t.households, 'int'], ['登记人数', t.people, 'int'],
      ['贫困户数（未脱贫+返贫）', t.poorHouseholds, 'int'], ['贫困人数', t.poorPeople, 'int'],
      ['已脱贫户数', t.exitedHouseholds, 'int'], ['已脱贫人数', t.exitedPeople, 'int'],
      ['返贫户数', t.relapsedHouseholds, 'int'], ['低于贫困线户数', t.belowLineHouseholds, 'int'],
      ['人均纯收入（加权平均，元）', t.meanPerCapitaIncome, 'money'], ['贫困线（元/人·年）', r.povertyLine?.value ?? null, 'money'],
    ]);
    sum.blank();
    sum.section('贫困发生率 Incidence');
    sum.pairs([
      ['农村人口', r.population?.ruralPeople ?? '未导入', 'int'], ['农村户数', r.population?.ruralHouseholds ?? null, 'int'],
      ['贫困发生率', r.incidence, 'pct'], ['人口数据来源', r.population ? (r.population.synthetic ? '演示数据（合成）' : '导入') : null],
    ]);
    sum.blank();
    sum.section('两不愁三保障未达标户数 Households not meeting each standard');
    sum.pairs(SECURITY_FLAGS.flatMap((f): [string, Cell, 'int'][] => [[`${FLAG_LABELS[f].zh}：否`, t.notMet[f], 'int'], [`${FLAG_LABELS[f].zh}：未知`, t.unknown[f], 'int']]));
    sum.blank();
    sum.section('贫困村出列 Village exit');
    sum.pairs([
      ['结论', VERDICT[r.exit.verdict]], ['贫困人口 / 农村人口', `${r.exit.numerator} / ${r.population ? r.exit.denominator : '—'}`],
      ['出列标准（贫困发生率不高于）', r.exit.limitPct === null ? '未知' : r.exit.limitPct / 100, 'pct'], ['最多允许贫困人口', r.exit.limitCount, 'int'],
      ['贫困发生率', ratio(r.exit.numerator, r.population ? r.exit.denominator : null), 'pct'],
    ]);
    sum.note(`理由：${r.exit.reason.zh}`);
    sum.note(`Reason: ${r.exit.reason.en}`);
    if (r.exit.missing) sum.note(`缺少数据 Missing: ${r.exit.missing.zh} / ${r.exit.missing.en}`);
    sum.done();
  });
}
