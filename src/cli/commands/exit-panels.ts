// `jingzhun exit village|county|assess`: the exit panels and the county assessment (services/exit-panels.ts).
import type { Command } from 'commander';
import type { AreaEvaluation, Status } from '../../domain/evaluate.js';
import { ValidationError, type FieldIssue } from '../../domain/errors.js';
import type { Text } from '../../domain/policy-types.js';
import { assessCounty, countyExitPanel, villageExitPanel, type AssessmentField, type ExitPanel, type VillageExitRow } from '../../services/exit-panels.js';
import { print, table } from '../output.js';
import { run, withDb } from '../shared.js';

const VERDICT: Record<Status, string> = { pass: '达标 pass', fail: '不达标 fail', unknown: '无法判断 unknown' };

/** A whole number from the command line, or the text as given so the service names the field. */
function num(v: string | undefined): number | string | undefined {
  if (v === undefined) return undefined;
  return v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
}

function fmt(n: number | null): string {
  return n === null ? '—' : n.toLocaleString('en-US');
}

function pct(p: number | null): string {
  return p === null ? '—' : `${p.toFixed(2)}%`;
}

/** Bars as a table (bar, numerator, denominator, value, limit, verdict), then each reason in zh and en. */
function barsText(e: AreaEvaluation, denominatorMissing = false): string {
  const rows = e.bars.map((b) => ({
    bar: `${b.label.zh} ${b.label.en}`,
    numerator: fmt(b.numerator),
    denominator: denominatorMissing && b.key === 'incidence' ? '— (缺 missing)' : fmt(b.denominator),
    value: pct(b.percent),
    limit: b.bar?.value == null ? '—' : `${b.comparison === 'at_most' ? '≤' : '≥'} ${b.bar.value}%${b.limitCount === null ? '' : ` (${b.comparison === 'at_most' ? '至多 max' : '至少 min'} ${fmt(b.limitCount)})`}`,
    verdict: VERDICT[b.verdict],
  }));
  const columns = [
    { key: 'bar', title: '指标 bar' }, { key: 'numerator', title: '分子 numerator' }, { key: 'denominator', title: '分母 denominator' },
    { key: 'value', title: '数值 value' }, { key: 'limit', title: '标准 limit' }, { key: 'verdict', title: '结论 verdict' },
  ];
  const reasons = e.bars.flatMap((b) => [`  - ${b.reason.zh}`, `    ${b.reason.en}`]);
  return [table(rows, columns), '', '理由 reasons:', ...reasons].join('\n');
}

function head(title: Text, p: { area: { code: string; name: string }; year: number; verdict: Status; reason: Text }): string[] {
  return [`${title.zh} / ${title.en}: ${p.area.name} (${p.area.code}) ${p.year}`, `结论 verdict: ${VERDICT[p.verdict]}`, p.reason.zh, p.reason.en, ''];
}

function panelText(title: Text, p: ExitPanel): string {
  const c = p.counts;
  const lines = [
    ...head(title, p),
    `登记 registered: ${fmt(c.households)} 户 households, ${fmt(c.people)} 人 people; 贫困 remaining poor: ${fmt(c.poorHouseholds)} 户, ${fmt(c.poorPeople)} 人; 农村人口 rural population: ${fmt(c.ruralPeople)}${c.populationSynthetic ? '（演示数据 synthetic）' : ''}`,
    '',
    barsText(p.evaluation, c.ruralPeople === null),
  ];
  if (p.missing) lines.push('', `缺少数据 missing: ${p.missing.zh}`, `  ${p.missing.en}`);
  return lines.join('\n');
}

function villagesText(items: VillageExitRow[]): string {
  return table(
    items.map((v) => ({ ...v, poor: fmt(v.poorPeople), rural: fmt(v.ruralPeople), value: pct(v.percent), limit: fmt(v.limitCount), verdictText: VERDICT[v.verdict] })),
    [
      { key: 'code', title: '代码 code' }, { key: 'name', title: '村 village' }, { key: 'townshipName', title: '苏木乡镇 township' },
      { key: 'poor', title: '贫困人口 poor' }, { key: 'rural', title: '农村人口 rural' }, { key: 'value', title: '发生率 incidence' },
      { key: 'limit', title: '至多 max' }, { key: 'verdictText', title: '结论 verdict' },
    ],
  );
}

/** Bad input names the command-line option (`--year`, `CODE`) beside the API field. */
async function optionNames<T>(p: Promise<T>, names: Record<string, string>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError(e.issues.map((i): FieldIssue => (names[i.field] ? { ...i, field: `${names[i.field]} (${i.field})` } : i)), e.msg);
  }
}

export function registerExitPanelCommands(program: Command): void {
  const exit = program.command('exit').description('贫困村出列、贫困县摘帽评估（按登记数据）/ village and county exit evaluation from the register');

  exit
    .command('village <code>')
    .description('贫困村出列：贫困发生率（分子、分母、上限、结论）/ village exit: incidence with numerator, denominator, bar and verdict')
    .requiredOption('--year <year>', '年度 / year')
    .option('--json', 'JSON output')
    .action(run(async (code: string, o: { year: string; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const p = await optionNames(villageExitPanel(ctx, { area: code, year: num(o.year) as number }), { year: '--year', area: 'CODE' });
        print(o, p, () => panelText({ zh: '贫困村出列', en: 'Village exit' }, p));
      });
    }));

  exit
    .command('county <code>')
    .description('贫困县摘帽：贫困发生率及各村结论（最差在前）/ county exit: incidence and its villages, worst first')
    .requiredOption('--year <year>', '年度 / year')
    .option('--json', 'JSON output')
    .action(run(async (code: string, o: { year: string; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const p = await optionNames(countyExitPanel(ctx, { area: code, year: num(o.year) as number }), { year: '--year', area: 'CODE' });
        const s = p.villages.summary;
        print(o, p, () => [
          panelText({ zh: '贫困县摘帽', en: 'County exit' }, p),
          '',
          `各村 villages: ${s.villages}；达标 pass ${s.pass}，不达标 fail ${s.fail}，无法判断 unknown ${s.unknown}`,
          p.villages.items.length ? villagesText(p.villages.items) : '（该年度没有村级记录 / no villages with records this year）',
        ].join('\n'));
      });
    }));

  exit
    .command('assess <county>')
    .description('贫困县退出专项评估：错退率、漏评率、群众认可度（按给出的调查数评估，不保存）/ county assessment of the survey counts given (not stored)')
    .requiredOption('--year <year>', '年度 / year')
    .requiredOption('--sampled-exited <n>', '抽查已脱贫人数 / sampled exited people')
    .requiredOption('--wrongly-exited <n>', '错退人数 / wrongly exited people')
    .requiredOption('--sampled-non-registered <n>', '抽查未建档立卡农村人口 / sampled non-registered rural people')
    .requiredOption('--omitted <n>', '漏评人数 / omitted people')
    .requiredOption('--surveyed <n>', '受访户数 / surveyed households')
    .requiredOption('--approving <n>', '认可户数 / approving households')
    .option('--json', 'JSON output')
    .action(run(async (county: string, o: Record<string, string | boolean | undefined>) => {
      const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
      const input: Record<AssessmentField, number | string | undefined> = {
        sampledExited: num(s('sampledExited')),
        wronglyExited: num(s('wronglyExited')),
        sampledNonRegistered: num(s('sampledNonRegistered')),
        omitted: num(s('omitted')),
        surveyedHouseholds: num(s('surveyed')),
        approving: num(s('approving')),
      };
      const option: Record<AssessmentField, string> = {
        sampledExited: '--sampled-exited', wronglyExited: '--wrongly-exited', sampledNonRegistered: '--sampled-non-registered',
        omitted: '--omitted', surveyedHouseholds: '--surveyed', approving: '--approving',
      };
      await withDb(async (_d, ctx) => {
        const res = await optionNames(assessCounty(ctx, { county, year: num(s('year')), ...input }), { ...option, year: '--year', county: 'COUNTY', area: 'COUNTY' });
        print({ json: Boolean(o.json) }, res, () => {
          const lines = [...head({ zh: '贫困县退出专项评估', en: 'County exit assessment' }, res), barsText(res.evaluation, res.register.ruralPeople === null)];
          if (res.missing) lines.push('', `缺少数据 missing: ${res.missing.zh}`, `  ${res.missing.en}`);
          lines.push('', '（按给出的调查数评估，未保存 / evaluated from the counts given; nothing stored）');
          return lines.join('\n');
        });
      });
    }));
}
