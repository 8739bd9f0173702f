// `jingzhun report household|village|county-exit|mpi … --out FILE.xlsx` and `jingzhun export public`
// (services/reports/). Thin: parse, call the service, write the file, print where it went.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ValidationError, type FieldIssue } from '../../domain/errors.js';
import { ASSESSMENT_FIELDS, type AssessmentField } from '../../services/exit-panels.js';
import {
  countyExitReport, countyExitWorkbook, householdReport, householdWorkbook, mpiReport, mpiWorkbook, publicData, publicDataCsv, publicDataWorkbook, villageReport, villageWorkbook,
} from '../../services/reports/index.js';
import type { Ctx } from '../../services/context.js';
import { progress } from '../output.js';
import { run, withDb } from '../shared.js';

/** A number from the command line, or the text as given so the service names the field. */
function num(v: string | undefined): number | string | undefined {
  if (v === undefined) return undefined;
  return v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
}

/** Bad input names the command-line option beside the API field. */
async function optionNames<T>(p: Promise<T>, names: Record<string, string>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError(e.issues.map((i): FieldIssue => (names[i.field] ? { ...i, field: `${names[i.field]} (${i.field})` } : i)), e.msg);
  }
}

interface OutOptions {
  out?: string;
  json?: boolean;
}

/** --out must name an .xlsx file, unless --json prints the data instead. Checked before anything is read. */
function checkOut(o: OutOptions): void {
  if (o.json && !o.out) return;
  if (!o.out) {
    throw new ValidationError([{ field: '--out', zh: '请用 --out 文件名.xlsx 指定输出文件（或用 --json 输出数据）', en: 'Name the output file with --out FILE.xlsx (or print the data with --json)' }]);
  }
  if (!o.out.toLowerCase().endsWith('.xlsx')) {
    throw new ValidationError([{ field: '--out', value: o.out, zh: `报表为 Excel 工作簿，--out 应以 .xlsx 结尾，收到 ${o.out}`, en: `Reports are Excel workbooks; --out must end in .xlsx, got ${o.out}` }]);
  }
}

/** Builds the report, then writes the workbook (or prints JSON), with a bar on a terminal. */
async function produce<T>(o: OutOptions, build: (ctx: Ctx) => Promise<T>, book: (d: T) => Promise<Buffer>, summary: (d: T) => string): Promise<void> {
  checkOut(o);
  await withDb(async (_d, ctx) => {
    const bar = progress();
    try {
      bar.update('读取数据 reading', 0, 2);
      const data = await build(ctx);
      if (o.json && !o.out) {
        process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
        return;
      }
      bar.update('写出工作簿 writing', 1, 2);
      const buf = await book(data);
      writeFileSync(o.out!, buf);
      bar.update('写出工作簿 writing', 2, 2);
      bar.stop();
      process.stdout.write(`${o.out}\n${summary(data)}\n`);
    } finally {
      bar.stop();
    }
  });
}

export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('报表（Excel 工作簿）/ reports offices hand in, as Excel workbooks');

  report
    .command('household <id>')
    .description('一户一档：农户、成员（身份证号脱敏）、年度收入与贫困线、两不愁三保障、帮扶 / household file card')
    .option('--out <file>', '输出文件 .xlsx / output workbook')
    .option('--year <year>', '帮扶措施的年度（默认最近年度）/ year of the measures listed (default the latest record)')
    .option('--reveal', '显示完整身份证号和电话（记入审计日志）/ full ID numbers and phones (audited)')
    .option('--json', '输出 JSON 而不写文件 / print JSON instead of writing a file')
    .action(run(async (id: string, o: OutOptions & { year?: string; reveal?: boolean }) => {
      await produce(o,
        (ctx) => optionNames(householdReport(ctx, { id: num(id), year: num(o.year), reveal: Boolean(o.reveal) }), { id: 'ID', year: '--year' }),
        householdWorkbook,
        (r) => `一户一档 household file: ${r.household.headName}（${r.household.householdNo}），成员 ${r.members.length} 人 members，年度记录 ${r.years.length} 个 yearly records${r.revealed ? '；含完整身份证号（已记入审计日志）/ full ID numbers shown (audited)' : ''}`);
    }));

  report
    .command('village <code>')
    .description('村级报表：各户户主、人口、脱贫标志、致贫原因、人均纯收入与贫困线、两不愁三保障，合计、贫困发生率、出列结论 / village report')
    .requiredOption('--year <year>', '年度 / year')
    .option('--out <file>', '输出文件 .xlsx / output workbook')
    .option('--json', '输出 JSON 而不写文件 / print JSON instead of writing a file')
    .action(run(async (code: string, o: OutOptions & { year: string }) => {
      await produce(o,
        (ctx) => optionNames(villageReport(ctx, { area: code, year: num(o.year) }), { area: 'CODE', year: '--year' }),
        villageWorkbook,
        (r) => `村级报表 village report: ${r.area.name} ${r.year}：${r.totals.households} 户 households，${r.totals.people} 人 people，贫困 poor ${r.totals.poorPeople} 人`);
    }));

  const countyExit = report
    .command('county-exit <code>')
    .description('县级退出报告：贫困发生率、专项评估（给出六项调查数时）、苏木乡镇、各村（最差在前）/ county exit report')
    .requiredOption('--year <year>', '年度 / year')
    .option('--out <file>', '输出文件 .xlsx / output workbook')
    .option('--json', '输出 JSON 而不写文件 / print JSON instead of writing a file');
  const flags: Record<AssessmentField, string> = {
    sampledExited: '--sampled-exited', wronglyExited: '--wrongly-exited', sampledNonRegistered: '--sampled-non-registered',
    omitted: '--omitted', surveyedHouseholds: '--surveyed', approving: '--approving',
  };
  for (const [field, flag] of Object.entries(flags) as [AssessmentField, string][]) {
    countyExit.option(`${flag} <n>`, `${ASSESSMENT_FIELDS[field].zh} / ${ASSESSMENT_FIELDS[field].en}`);
  }
  countyExit.action(run(async (code: string, o: OutOptions & { year: string } & Record<string, string | undefined>) => {
    const key: Record<AssessmentField, string> = {
      sampledExited: 'sampledExited', wronglyExited: 'wronglyExited', sampledNonRegistered: 'sampledNonRegistered',
      omitted: 'omitted', surveyedHouseholds: 'surveyed', approving: 'approving',
    };
    const survey = Object.fromEntries((Object.keys(flags) as AssessmentField[]).map((f) => [f, num(o[key[f]])]));
    await produce(o,
      (ctx) => optionNames(countyExitReport(ctx, { area: code, year: num(o.year), survey }), { area: 'CODE', county: 'CODE', year: '--year', ...flags }),
      countyExitWorkbook,
      (r) => `县级退出报告 county exit report: ${r.area.name} ${r.year}：${r.verdict === 'pass' ? '达标 pass' : r.verdict === 'fail' ? '不达标 fail' : '无法判断 unknown'}；村 villages ${r.villageSummary.villages}（不达标 fail ${r.villageSummary.fail}）`);
  }));

  report
    .command('mpi <code>')
    .description('年度多维贫困报告：H、A、M0，各指标删减前后发生率与贡献，按下级区划、民族、户主性别、致贫原因分组 / yearly multidimensional poverty report')
    .requiredOption('--year <year>', '年度 / year')
    .option('--out <file>', '输出文件 .xlsx / output workbook')
    .option('--json', '输出 JSON 而不写文件 / print JSON instead of writing a file')
    .action(run(async (code: string, o: OutOptions & { year: string }) => {
      await produce(o,
        (ctx) => optionNames(mpiReport(ctx, { area: code, year: num(o.year) }), { area: 'CODE', year: '--year' }),
        mpiWorkbook,
        (r) => r.mpi
          ? `多维贫困 MPI: ${r.area.name} ${r.year}：H = ${(r.mpi.H * 100).toFixed(2)}%，A = ${(r.mpi.A * 100).toFixed(2)}%，M0 = ${r.mpi.M0.toFixed(4)}`
          : `多维贫困 MPI: ${r.area.name} ${r.year}：无法计算 cannot be computed — ${r.missing.map((m) => `${m.zh} / ${m.en}`).join('；') || '没有完整的年度记录 no complete yearly records'}`);
    }));

  // `export public` joins the `export` group that main.ts defines (template, households).
  const exp = program.commands.find((c) => c.name() === 'export') ?? program.command('export').description('导出 / export');
  exp
    .command('public')
    .description('公开数据（研究用）：汇总（小单元隐藏）、匿名微观数据、数据字典；--out 目录写 CSV，--out 文件.xlsx 写工作簿 / public data for researchers')
    .requiredOption('--area <code>', '区划代码（苏木乡镇或更大）/ area code (township or larger)')
    .requiredOption('--year <year>', '年度 / year')
    .requiredOption('--out <dir>', '输出目录（CSV）或 .xlsx 文件 / output directory (CSV files) or an .xlsx file')
    .action(run(async (o: { area: string; year: string; out: string }) => {
      await withDb(async (_d, ctx) => {
        const bar = progress();
        try {
          bar.update('读取数据 reading', 0, 2);
          const d = await optionNames(publicData(ctx, { area: o.area, year: num(o.year) }), { area: '--area', year: '--year' });
          bar.update('写出 writing', 1, 2);
          const written: string[] = [];
          if (o.out.toLowerCase().endsWith('.xlsx')) {
            writeFileSync(o.out, await publicDataWorkbook(d));
            written.push(o.out);
          } else {
            mkdirSync(o.out, { recursive: true });
            for (const [name, text] of Object.entries(publicDataCsv(d))) {
              const path = join(o.out, name);
              writeFileSync(path, text);
              written.push(path);
            }
          }
          bar.update('写出 writing', 2, 2);
          bar.stop();
          const n = d.notes;
          process.stdout.write(`${written.join('\n')}\n公开数据 public data: ${d.area.name} ${d.year}：汇总 ${d.aggregates.length} 行 aggregate rows（隐藏 suppressed ${n.primarySuppressed} + ${n.secondarySuppressed}），微观数据 ${d.microdata.length} 行 microdata rows（未提供 left out ${n.droppedRecords + n.kDroppedRecords}）${n.areaSuppressed ? `；本区划在整体计算中被隐藏 this area is withheld (${n.areaSuppressed})` : ''}\n`);
        } finally {
          bar.stop();
        }
      });
    }));
}
