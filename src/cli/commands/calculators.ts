// `jingzhun calc medical|education|ecology|solar`: the policy calculators (services/calculators.ts)
// with the parameters in force for --year and --area; a table of lines with their arithmetic and the
// parameters cited for people, --json for scripts. --input FILE reads the whole API body from JSON
// (the options given beside it override its fields).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CalcResult, CalculatorKind, LineStatus } from '../../domain/calculators/index.js';
import { ValidationError, type FieldIssue } from '../../domain/errors.js';
import { calculate } from '../../services/calculators.js';
import { print, table } from '../output.js';
import { run, withDb } from '../shared.js';

const STATUS: Record<LineStatus, string> = { ok: '', missing: '缺参数 missing', not_applicable: '不适用 n/a', warning: '注意 warning' };

/** A number from the command line, or the text as given so the check names the field. */
function num(v: string | undefined): number | string | undefined {
  if (v === undefined) return undefined;
  return v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
}

const amount = (a: number | null): string => (a === null ? '—' : a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

function regionText(region: string): string {
  return region === '' ? '全国 national' : region.length === 2 ? `省 province ${region}` : `县 county ${region}`;
}

/** The result for a person: lines, totals, what is missing, and every parameter with its source. */
export function resultText(title: string, r: CalcResult): string {
  const out = [`${title}  ${r.year}  参数地区 parameters of: ${r.area === '' ? '全国 national' : r.area}`, ''];
  out.push(table(r.lines.map((l) => ({ item: `${l.label.zh} ${l.label.en}`, amount: amount(l.amount), status: STATUS[l.status], formula: l.formula.zh })), [
    { key: 'item', title: '项目 item' }, { key: 'amount', title: '金额 yuan' }, { key: 'status', title: '状态 status' }, { key: 'formula', title: '算式 arithmetic' },
  ]));
  out.push('', '算式（英文）arithmetic in English:');
  for (const l of r.lines) out.push(`  - ${l.label.en}: ${l.formula.en}`);
  out.push('', table(r.totals.map((t) => ({ item: `${t.label.zh} ${t.label.en}`, amount: amount(t.amount), formula: t.formula.zh })), [
    { key: 'item', title: '合计 total' }, { key: 'amount', title: '金额 yuan' }, { key: 'formula', title: '算式 arithmetic' },
  ]));
  if (r.missing.length) {
    out.push('', `缺少参数，结果不完整 / missing parameters, the result is incomplete:`);
    for (const m of r.missing) out.push(`  - ${m.reason.zh}`, `    ${m.reason.en}`);
  }
  if (r.params.length) {
    out.push('', '所用参数 parameters used:');
    for (const p of r.params) out.push(`  - ${p.key} = ${p.value === null ? '未知 unknown' : p.value}（${p.year} 年起 from ${p.year}，${regionText(p.region)}）`, `    来源 source: ${p.source}`);
  }
  if (r.notes.length) {
    out.push('', '说明 notes:');
    for (const n of r.notes) out.push(`  - ${n.zh}`, `    ${n.en}`);
  }
  return out.join('\n');
}

function readInput(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new ValidationError([{ field: '--input', zh: `${file} 应为 JSON 对象（与 API 请求体相同）`, en: `${file} must hold a JSON object (the API request body)` }]);
  }
  return v as Record<string, unknown>;
}

/** Drops undefined fields, so an option not given leaves the --input value alone. */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Bad input names the command-line option beside the API field. */
async function optionNames<T>(p: Promise<T>, names: Record<string, string>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const nameOf = (f: string) => names[f] ?? names[f.replace(/\.\d+(\..*)?$/, '')];
    throw new ValidationError(e.issues.map((i): FieldIssue => (nameOf(i.field) ? { ...i, field: `${nameOf(i.field)} (${i.field})` } : i)), e.msg);
  }
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

interface Common {
  year?: string;
  area?: string;
  input?: string;
  json?: boolean;
}

function common(cmd: Command): Command {
  return cmd
    .option('--year <year>', '年度（按该年度的政策参数计算）/ year whose parameters apply')
    .option('--area <code>', '按此区划的参数（空为全国，如 150524 库伦旗）/ area whose parameters apply (default national)')
    .option('--input <file>', 'JSON 请求体（与 API 相同）/ the request body as JSON (as the API)')
    .option('--json', 'JSON output');
}

async function runCalc(kind: CalculatorKind, title: string, o: Common, body: Record<string, unknown>, names: Record<string, string>): Promise<void> {
  const input = { ...readInput(o.input), ...defined({ year: num(o.year), area: o.area, ...body }) };
  await withDb(async (_d, ctx) => {
    const r = await optionNames(calculate(ctx, kind, input), { year: '--year', area: '--area', ...names });
    print(o, r, () => resultText(title, r));
  });
}

/** "primary:boarding:大宝" → { stage, boarding, name }; "day" marks a non-boarder. */
function student(spec: string): Record<string, unknown> {
  const [stage, ...rest] = spec.split(':');
  const out: Record<string, unknown> = { stage };
  for (const p of rest) {
    if (p === 'boarding') out.boarding = true;
    else if (p === 'day') out.boarding = false;
    else if (p) out.name = p;
  }
  return out;
}

/** "jobs=50,works=20" → { jobs: 50, works: 20 } */
function shares(spec: string | undefined): Record<string, unknown> | undefined {
  if (spec === undefined) return undefined;
  return Object.fromEntries(spec.split(',').filter(Boolean).map((kv) => {
    const [k = '', v] = kv.split('=');
    return [k.trim(), num(v)];
  }));
}

/** "保洁员 A:jobs:1.5:nolabour" → { name, purpose, weight, noLabour } */
function recipient(spec: string): Record<string, unknown> {
  const [name, purpose, weight, flag] = spec.split(':');
  return defined({ name, purpose, weight: num(weight === '' ? undefined : weight), noLabour: flag === undefined ? undefined : flag === 'nolabour' });
}

export function registerCalculatorCommands(program: Command): void {
  const calc = program.command('calc').description('政策计算器：医疗、教育、生态、光伏（逐行算式并注明所用参数）/ policy calculators, each line with its arithmetic and parameters');

  common(calc.command('medical'))
    .description('医疗一站式结算：基本医保 → 大病保险 → 医疗救助，个人自付 / medical one-stop settlement and the out-of-pocket remainder')
    .option('--person <category>', 'poor 建档立卡贫困人口 | general 普通参保人')
    .option('--total <yuan>', '总费用 / the whole bill')
    .option('--eligible <yuan>', '政策范围内费用（默认等于总费用）/ the eligible part (default the total)')
    .option('--basic-paid <yuan>', '基本医保本年已支付 / basic insurance paid earlier this year')
    .option('--basic-deductible-met <yuan>', '基本医保本年已达起付线 / basic deductible met earlier this year')
    .option('--critical-paid <yuan>', '大病保险本年已支付 / critical-illness insurance paid earlier this year')
    .option('--critical-deductible-met <yuan>', '大病保险本年已达起付线 / critical-illness deductible met earlier this year')
    .option('--assistance-paid <yuan>', '医疗救助本年已支付 / medical assistance paid earlier this year')
    .option('--assistance-deductible-met <yuan>', '医疗救助本年已达起付线 / assistance deductible met earlier this year')
    .action(run(async (o: Common & Record<string, string | undefined>) => {
      const file = readInput(o.input);
      const fileBill = (file.bill ?? {}) as Record<string, unknown>;
      const fileUsed = (file.used ?? {}) as Record<string, Record<string, unknown>>;
      const used = Object.fromEntries((['basic', 'critical', 'assistance'] as const).map((l) => [l, {
        ...(fileUsed[l] ?? {}),
        ...defined({ paid: num(o[`${l}Paid`]), deductibleMet: num(o[`${l}DeductibleMet`]) }),
      }]));
      await runCalc('medical', '医疗一站式结算 Medical one-stop settlement', o, {
        person: o.person,
        bill: { ...fileBill, ...defined({ total: num(o.total), eligible: num(o.eligible) }) },
        used,
      }, {
        person: '--person', 'bill.total': '--total', 'bill.eligible': '--eligible',
        'used.basic.paid': '--basic-paid', 'used.basic.deductibleMet': '--basic-deductible-met',
        'used.critical.paid': '--critical-paid', 'used.critical.deductibleMet': '--critical-deductible-met',
        'used.assistance.paid': '--assistance-paid', 'used.assistance.deductibleMet': '--assistance-deductible-met',
      });
    }));

  common(calc.command('education'))
    .description('教育资助：按学段、是否寄宿 / education aid by stage and boarding status')
    .option('--student <stage[:boarding|:day][:name]>', '学生（可重复）：primary|lower_secondary|upper_secondary|vocational|yulu，如 primary:boarding:大宝 / a student (repeatable)', collect)
    .action(run(async (o: Common & { student?: string[] }) => {
      await runCalc('education', '教育资助 Education aid', o, { students: o.student?.map(student) }, { students: '--student' });
    }));

  common(calc.command('ecology'))
    .description('生态补偿：退耕还林/还草（按面积、实施年度）、公益林、生态护林员 / ecological payments')
    .option('--programme <p>', 'forest 退耕还林 | grass 退耕还草 | public_forest 公益林 | ranger 生态护林员')
    .option('--mu <mu>', '面积（亩）/ area in mu')
    .option('--start-year <year>', '退耕年度（第 1 年）/ the year the plot entered the programme')
    .option('--rangers <n>', '护林员人数 / number of rangers')
    .option('--months <n>', '在岗月数 1–12 / months served')
    .action(run(async (o: Common & Record<string, string | undefined>) => {
      await runCalc('ecology', '生态补偿 Ecological payments', o, {
        programme: o.programme, mu: num(o.mu), startYear: num(o.startYear), rangers: num(o.rangers), months: num(o.months),
      }, { programme: '--programme', mu: '--mu', startYear: '--start-year', rangers: '--rangers', months: '--months' });
    }));

  common(calc.command('solar'))
    .description('光伏收益分配（村、季度）：按用途比例与权重分到分，合计等于收益 / solar income distribution for a village and quarter')
    .option('--quarter <q>', '季度 1–4 / quarter')
    .option('--village <name>', '村名 / village')
    .option('--revenue <yuan>', '本季度电站收益 / the quarter\'s revenue')
    .option('--capacity <kw>', '电站规模（千瓦）/ station size in kW')
    .option('--shares <list>', '用途比例 %，如 jobs=50,works=20,rewards=10,subsidies=20 / shares by purpose')
    .option('--nolabour-factor <x>', '无劳动能力户权重倍数（默认 1）/ weight multiplier for households without labour')
    .option('--recipient <name:purpose[:weight][:nolabour]>', '受益对象（可重复）/ a job, work or household (repeatable)', collect)
    .action(run(async (o: Common & Record<string, string | undefined> & { recipient?: string[] }) => {
      await runCalc('solar', '光伏收益分配 Solar income distribution', o, {
        quarter: num(o.quarter), village: o.village, revenue: num(o.revenue), capacityKw: num(o.capacity),
        shares: shares(o.shares), noLabourFactor: num(o.nolabourFactor), recipients: o.recipient?.map(recipient),
      }, { quarter: '--quarter', village: '--village', revenue: '--revenue', capacityKw: '--capacity', shares: '--shares', noLabourFactor: '--nolabour-factor', recipients: '--recipient' });
    }));
}
