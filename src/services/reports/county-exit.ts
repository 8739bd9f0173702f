// 县级退出报告: the county exit panel of the exit-panels service (incidence bar with numerator,
// denominator and verdict), the assessment bars (错退率, 漏评率, 群众认可度) when the survey counts
// are given (evaluated by the same service, not stored), and one sheet per level — county summary,
// townships, villages worst first. Aggregates only (area names, counts): every role that reads
// aggregates may have it inside its area.
import type { AreaEvaluation, Status } from '../../domain/evaluate.js';
import type { ResolvedParam, Text } from '../../domain/policy-types.js';
import { require, type Ctx } from '../context.js';
import {
  ASSESSMENT_FIELDS, assessCounty, countyExitPanel, type AssessmentField, type CountyAssessmentResult, type CountyExitPanel, type VillageExitRow,
} from '../exit-panels.js';
import { xlsxBuffer } from '../imports/export.js';
import { codeIssue, LEVELS, pathName, reportArea, reportDay, throwIfAny, yearIssue, type ReportArea } from './common.js';
import { ratio, Sheet, type Cell, type Column } from './sheet.js';

export type SurveyCounts = Partial<Record<AssessmentField, unknown>>;

export interface TownshipExitRow {
  code: string;
  name: string;
  villages: number;
  pass: number;
  fail: number;
  unknown: number;
  households: number;
  people: number;
  poorHouseholds: number;
  poorPeople: number;
  /** The township's own rural population (area_populations), null when not loaded. */
  ruralPeople: number | null;
  /** poorPeople ÷ ruralPeople as a fraction. */
  incidence: number | null;
}

export interface CountyExitReport {
  kind: 'county-exit';
  generatedOn: string;
  area: ReportArea;
  year: number;
  verdict: Status;
  reason: Text;
  missing: Text | null;
  counts: CountyExitPanel['counts'];
  /** The incidence bar, and the three assessment bars when survey counts were given. */
  bars: AreaEvaluation['bars'];
  threshold: ResolvedParam | null;
  /** The assessment of the survey counts given; null without them (then `assessmentNote` says how to give them). */
  assessment: { verdict: Status; reason: Text; counts: CountyAssessmentResult['counts'] } | null;
  assessmentNote: Text | null;
  townships: TownshipExitRow[];
  townshipTotals: Omit<TownshipExitRow, 'code' | 'name'>;
  villages: (VillageExitRow & { incidence: number | null })[];
  villageSummary: CountyExitPanel['villages']['summary'];
}

const NO_SURVEY: Text = {
  zh: '未提供专项评估调查数，错退率、漏评率、群众认可度未评估；如需评估，请同时提供六项调查数（sampledExited、wronglyExited、sampledNonRegistered、omitted、surveyedHouseholds、approving，命令行为 --sampled-exited 等）',
  en: 'No assessment survey counts were given, so the wrong-exit rate, omission rate and approval were not evaluated; to evaluate them give all six counts (sampledExited, wronglyExited, sampledNonRegistered, omitted, surveyedHouseholds, approving; on the command line --sampled-exited etc.)',
};

export async function countyExitReport(ctx: Ctx, input: { area: unknown; year: unknown; survey?: SurveyCounts }): Promise<CountyExitReport> {
  require(ctx, 'aggregates.read');
  const county = LEVELS[3]!.name;
  throwIfAny([codeIssue(input.area, [3], county), yearIssue(input.year)]);
  const code = input.area as string;
  const year = input.year as number;
  const area = await reportArea(ctx, code, [3], county);
  const survey = input.survey ?? {};
  const given = (Object.keys(ASSESSMENT_FIELDS) as AssessmentField[]).some((k) => survey[k] !== undefined && survey[k] !== null && survey[k] !== '');
  // The assessment checks every count (all six required) before anything is computed.
  const assessment = given ? await assessCounty(ctx, { county: code, year, ...survey }) : null;
  const panel = await countyExitPanel(ctx, { area: code, year });

  const townshipAreas = await ctx.db.query<{ code: string; name: string }>('SELECT code, name FROM areas WHERE parent_code = $1 AND level = 4 ORDER BY code', [code]);
  const pops = await ctx.db.query<{ code: string; ruralPeople: number }>(
    'SELECT area_code AS code, rural_people AS "ruralPeople" FROM area_populations WHERE year = $1 AND area_code = ANY($2::text[])',
    [year, townshipAreas.map((t) => t.code)],
  );
  const popOf = new Map(pops.map((p) => [p.code, Number(p.ruralPeople)]));
  const townships: TownshipExitRow[] = townshipAreas.map((t) => {
    const vs = panel.villages.items.filter((v) => v.code.startsWith(t.code));
    const sum = (k: 'households' | 'people' | 'poorHouseholds' | 'poorPeople') => vs.reduce((n, v) => n + v[k], 0);
    const rural = popOf.get(t.code) ?? null;
    const poorPeople = sum('poorPeople');
    return {
      code: t.code,
      name: t.name,
      villages: vs.length,
      pass: vs.filter((v) => v.verdict === 'pass').length,
      fail: vs.filter((v) => v.verdict === 'fail').length,
      unknown: vs.filter((v) => v.verdict === 'unknown').length,
      households: sum('households'),
      people: sum('people'),
      poorHouseholds: sum('poorHouseholds'),
      poorPeople,
      ruralPeople: rural,
      incidence: ratio(poorPeople, rural),
    };
  });
  const add = (k: 'villages' | 'pass' | 'fail' | 'unknown' | 'households' | 'people' | 'poorHouseholds' | 'poorPeople') => townships.reduce((n, t) => n + t[k], 0);
  const allRural = townships.length > 0 && townships.every((t) => t.ruralPeople !== null);
  const ruralSum = allRural ? townships.reduce((n, t) => n + (t.ruralPeople ?? 0), 0) : null;
  const townshipTotals = {
    villages: add('villages'), pass: add('pass'), fail: add('fail'), unknown: add('unknown'),
    households: add('households'), people: add('people'), poorHouseholds: add('poorHouseholds'), poorPeople: add('poorPeople'),
    ruralPeople: ruralSum,
    incidence: ratio(add('poorPeople'), ruralSum),
  };
  const incidenceBar = panel.evaluation.bars.filter((b) => b.key === 'incidence');
  const surveyBars = assessment ? assessment.evaluation.bars.filter((b) => b.key !== 'incidence') : [];
  const verdict: Status = assessment ? assessment.verdict : panel.verdict;
  return {
    kind: 'county-exit',
    generatedOn: reportDay(),
    area,
    year,
    verdict,
    reason: assessment ? assessment.reason : panel.reason,
    missing: panel.missing,
    counts: panel.counts,
    bars: [...incidenceBar, ...surveyBars],
    threshold: panel.threshold,
    assessment: assessment ? { verdict: assessment.verdict, reason: assessment.reason, counts: assessment.counts } : null,
    assessmentNote: assessment ? null : NO_SURVEY,
    townships,
    townshipTotals,
    villages: panel.villages.items.map((v) => ({ ...v, incidence: v.ruralPeople !== null && v.ruralPeople >= v.poorPeople ? ratio(v.poorPeople, v.ruralPeople) : null })),
    villageSummary: panel.villages.summary,
  };
}

// --- workbook ---------------------------------------------------------------------------------

const VERDICT: Record<Status, string> = { pass: '达标', fail: '不达标', unknown: '无法判断' };

type Bar = AreaEvaluation['bars'][number];

const BAR_COLS: Column<Bar>[] = [
  { zh: '指标', en: 'Bar', width: 16, value: (b) => b.label.zh },
  { zh: '分子', en: 'Numerator', width: 10, fmt: 'int', value: (b) => b.numerator },
  { zh: '分母', en: 'Denominator', width: 10, fmt: 'int', value: (b) => (b.verdict === 'unknown' && b.denominator === 0 ? null : b.denominator) },
  { zh: '比率', en: 'Rate', width: 9, fmt: 'pct', value: (b) => (b.percent === null ? null : ratio(b.numerator, b.denominator)) },
  { zh: '标准', en: 'Bar value', width: 12, value: (b) => (b.bar?.value == null ? '未知' : `${b.comparison === 'at_most' ? '≤' : '≥'} ${b.bar.value}%`) },
  { zh: '允许/需达人数', en: 'Max / min count', width: 12, fmt: 'int', value: (b) => b.limitCount },
  { zh: '结论', en: 'Verdict', width: 9, value: (b) => VERDICT[b.verdict] },
  { zh: '理由', en: 'Reason', width: 70, value: (b) => b.reason.zh },
];

const TOWNSHIP_COLS: Column<TownshipExitRow>[] = [
  { zh: '代码', en: 'Code', width: 11, fmt: 'text', value: (t) => t.code },
  { zh: '苏木乡镇', en: 'Township', width: 14, value: (t) => t.name },
  { zh: '有记录村数', en: 'Villages', width: 8, fmt: 'int', value: (t) => t.villages },
  { zh: '达标村', en: 'Pass', width: 7, fmt: 'int', value: (t) => t.pass },
  { zh: '不达标村', en: 'Fail', width: 7, fmt: 'int', value: (t) => t.fail },
  { zh: '无法判断村', en: 'Unknown', width: 7, fmt: 'int', value: (t) => t.unknown },
  { zh: '登记户数', en: 'Households', width: 9, fmt: 'int', value: (t) => t.households },
  { zh: '登记人数', en: 'People', width: 9, fmt: 'int', value: (t) => t.people },
  { zh: '贫困户数', en: 'Poor households', width: 9, fmt: 'int', value: (t) => t.poorHouseholds },
  { zh: '贫困人数', en: 'Poor people', width: 9, fmt: 'int', value: (t) => t.poorPeople },
  { zh: '农村人口', en: 'Rural people', width: 10, fmt: 'int', value: (t) => t.ruralPeople },
  { zh: '贫困发生率', en: 'Incidence', width: 9, fmt: 'pct', value: (t) => t.incidence },
];

type VillageRow = CountyExitReport['villages'][number];
const VILLAGE_COLS: Column<VillageRow & { no: number }>[] = [
  { zh: '序号', en: 'No.', width: 5, value: (v) => v.no },
  { zh: '代码', en: 'Code', width: 14, fmt: 'text', value: (v) => v.code },
  { zh: '嘎查村', en: 'Village', width: 14, value: (v) => v.name },
  { zh: '苏木乡镇', en: 'Township', width: 12, value: (v) => v.townshipName },
  { zh: '登记户数', en: 'Households', width: 9, fmt: 'int', value: (v) => v.households },
  { zh: '登记人数', en: 'People', width: 9, fmt: 'int', value: (v) => v.people },
  { zh: '贫困户数', en: 'Poor households', width: 9, fmt: 'int', value: (v) => v.poorHouseholds },
  { zh: '贫困人数', en: 'Poor people', width: 9, fmt: 'int', value: (v) => v.poorPeople },
  { zh: '农村人口', en: 'Rural people', width: 10, fmt: 'int', value: (v) => v.ruralPeople },
  { zh: '贫困发生率', en: 'Incidence', width: 9, fmt: 'pct', value: (v) => v.incidence },
  { zh: '最多允许贫困人数', en: 'Max poor allowed', width: 10, fmt: 'int', value: (v) => v.limitCount },
  { zh: '结论', en: 'Verdict', width: 9, value: (v) => VERDICT[v.verdict] },
  { zh: '理由', en: 'Reason', width: 60, value: (v) => v.reason.zh },
];

export async function countyExitWorkbook(r: CountyExitReport): Promise<Buffer> {
  const place = pathName(r.area, 2);
  const sub = `区划：${place}（${r.area.code}）　年度：${r.year}　制表日期：${r.generatedOn}`;
  const c = r.counts;
  return xlsxBuffer((wb) => {
    const s = new Sheet(wb, { name: '县级汇总', span: BAR_COLS.length, widths: BAR_COLS.map((x) => x.width), freezeRows: 2 });
    s.title(`${r.area.name} ${r.year} 年度贫困县退出报告`);
    s.subtitle(sub);
    s.section(`结论 Verdict：${VERDICT[r.verdict]}`);
    s.note(`${r.reason.zh} / ${r.reason.en}`);
    s.blank();
    s.section('登记情况 Register');
    s.pairs([
      ['登记户数', c.households, 'int'], ['登记人数', c.people, 'int'],
      ['贫困户数（未脱贫+返贫）', c.poorHouseholds, 'int'], ['贫困人数', c.poorPeople, 'int'],
      ['农村人口', c.ruralPeople ?? '未导入', 'int'], ['贫困发生率', ratio(c.poorPeople, c.ruralPeople), 'pct'],
    ], 3);
    s.blank();
    s.section('退出指标 Bars');
    s.table(BAR_COLS, r.bars);
    if (r.missing) s.note(`缺少数据：${r.missing.zh} / Missing: ${r.missing.en}`);
    if (r.assessmentNote) s.note(`${r.assessmentNote.zh} / ${r.assessmentNote.en}`);
    if (r.assessment) {
      const a = r.assessment.counts;
      s.blank();
      s.section('专项评估调查数 Survey counts (evaluated, not stored)');
      s.pairs([
        ['抽查已脱贫人数', a.sampledExited, 'int'], ['错退人数', a.wronglyExited, 'int'],
        ['抽查未建档立卡农村人口', a.sampledNonRegistered, 'int'], ['漏评人数', a.omitted, 'int'],
        ['受访户数', a.surveyedHouseholds, 'int'], ['认可户数', a.approving, 'int'],
      ], 3);
    }
    s.blank();
    s.section(`各村出列 Villages：共 ${r.villageSummary.villages} 个，达标 ${r.villageSummary.pass}，不达标 ${r.villageSummary.fail}，无法判断 ${r.villageSummary.unknown}`);
    s.done();

    const t = new Sheet(wb, { name: '苏木乡镇', span: TOWNSHIP_COLS.length, widths: TOWNSHIP_COLS.map((x) => x.width), freezeRows: 4, freezeCols: 2, printTitles: '3:4' });
    t.title(`${r.area.name} ${r.year} 年度各苏木乡镇贫困村出列情况`);
    t.subtitle(sub);
    const tt = r.townshipTotals;
    t.table(TOWNSHIP_COLS, r.townships, [
      '合计', `${r.townships.length} 个苏木乡镇`, tt.villages, tt.pass, tt.fail, tt.unknown, tt.households, tt.people, tt.poorHouseholds, tt.poorPeople, tt.ruralPeople, tt.incidence,
    ]);
    t.note('农村人口为各苏木乡镇自身导入的人口数；合计的发生率仅在全部苏木乡镇都有人口数时计算。 Rural population is each township’s own loaded figure; the total incidence is computed only when every township has one.');
    t.done();

    const v = new Sheet(wb, { name: '嘎查村', span: VILLAGE_COLS.length, widths: VILLAGE_COLS.map((x) => x.width), freezeRows: 4, freezeCols: 3, printTitles: '3:4' });
    v.title(`${r.area.name} ${r.year} 年度各嘎查村出列评估（最差在前）`);
    v.subtitle(sub);
    const sum = (k: 'households' | 'people' | 'poorHouseholds' | 'poorPeople') => r.villages.reduce((n, x) => n + x[k], 0);
    const allRural = r.villages.length > 0 && r.villages.every((x) => x.ruralPeople !== null);
    const rural = allRural ? r.villages.reduce((n, x) => n + (x.ruralPeople ?? 0), 0) : null;
    const totals: Cell[] = ['合计', null, `${r.villages.length} 个村`, null, sum('households'), sum('people'), sum('poorHouseholds'), sum('poorPeople'), rural, ratio(sum('poorPeople'), rural), null, null, null];
    v.table(VILLAGE_COLS, r.villages.map((x, i) => ({ ...x, no: i + 1 })), totals);
    v.note('排序：不达标在前（发生率高者在前），其次无法判断，最后达标。 Order: failing first (highest incidence first), then unknown, then passing.');
    v.done();
  });
}

