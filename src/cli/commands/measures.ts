// `jingzhun measures …` (the type catalogue, the ledger, recording a measure, filling a yearly income
// record from the ledger) and `jingzhun channels` (the channel view). Thin: parse, call a service, show.
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CHANNELS, FUND_SOURCES, INCOME_COMPONENTS } from '../../domain/assistance/catalogue.js';
import { FILLABLE_COMPONENTS } from '../../domain/assistance/measures.js';
import { ValidationError } from '../../domain/errors.js';
import { listMeasureTypes } from '../../services/measure-types.js';
import { listHouseholdMeasures, listMeasures, recordMeasure, type MeasureView } from '../../services/measures.js';
import { exportMeasures } from '../../services/measures-export.js';
import { fillIncomeFromMeasures, incomeFromMeasures, type IncomeFromMeasures } from '../../services/measures-income.js';
import { channelView, type ChannelView } from '../../services/channels.js';
import { print, table } from '../output.js';
import { run, withDb } from '../shared.js';

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new ValidationError([{ field: name, value: v, zh: `--${name} 应为整数`, en: `--${name} must be a whole number` }]);
  return Number(v);
}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(v.trim())) throw new ValidationError([{ field: name, value: v, zh: `--${name} 应为数字`, en: `--${name} must be a number` }]);
  return Number(v);
}

const yuan = (v: number | null | undefined) => (v == null ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

function measureTable(items: MeasureView[]): string {
  return table(items.map((m) => ({
    id: m.id, householdNo: m.householdNo, headName: m.headName, member: m.memberName ?? '', year: m.year, channel: m.channelLabel.zh,
    type: m.typeName.zh, quantity: m.quantity == null ? '' : `${m.quantity} ${m.unit.zh}`, amount: yuan(m.amount), component: m.incomeComponentLabel.zh,
    project: m.projectName ?? '', fund: m.fundSourceLabel?.zh ?? '',
  })), [
    { key: 'id', title: 'ID' }, { key: 'householdNo', title: '户编号' }, { key: 'headName', title: '户主' }, { key: 'member', title: '成员' },
    { key: 'year', title: '年度' }, { key: 'channel', title: '渠道' }, { key: 'type', title: '措施类型' }, { key: 'quantity', title: '数量' },
    { key: 'amount', title: '金额(元)' }, { key: 'component', title: '收入构成' }, { key: 'project', title: '项目' }, { key: 'fund', title: '资金来源' },
  ]);
}

function incomeText(p: IncomeFromMeasures): string {
  const rows = p.components.map((c) => ({
    component: `${c.label.zh} ${c.component}`, recorded: yuan(c.recorded), ledger: yuan(c.ledger), lines: c.lines.length, chosen: p.chosen.includes(c.component) ? '✓' : '',
  }));
  const lines = [
    `户 ${p.householdId}，${p.year} 年：按措施台账填入收入 / household ${p.householdId}, ${p.year}: fill income from the ledger`,
    '',
    table(rows, [
      { key: 'component', title: '收入构成 component' }, { key: 'recorded', title: '年度记录 recorded' }, { key: 'ledger', title: '台账合计 ledger' },
      { key: 'lines', title: '条数 lines' }, { key: 'chosen', title: '替换 replace' },
    ]),
    '',
  ];
  if (!p.record) lines.push(`该户没有 ${p.year} 年度记录，须先新增 / no ${p.year} record yet: add it first`);
  else {
    lines.push(`人均纯收入 per-capita net income: ${yuan(p.perCapitaBefore)} → ${yuan(p.perCapitaAfter)}（年度记录版本 version ${p.record.version}）`);
  }
  return lines.join('\n');
}

function channelText(v: ChannelView): string {
  const row = (label: string, f: ChannelView['total']) => ({
    channel: label, households: f.households, people: f.people, measures: f.measures, amount: yuan(f.amount), disbursed: yuan(f.disbursed),
    incomeN: f.income.households, before: yuan(f.income.before), after: yuan(f.income.after), change: f.income.change == null ? '—' : `${f.income.change >= 0 ? '+' : ''}${yuan(f.income.change)}`,
  });
  return [
    `帮扶渠道 channels: ${v.areaName}（${v.area}），${v.year} 年`,
    '',
    table([...v.channels.map((c) => row(c.label.zh, c)), row('合计（户不重复）total', v.total)], [
      { key: 'channel', title: '渠道 channel' }, { key: 'households', title: '户 hh' }, { key: 'people', title: '人 people' },
      { key: 'measures', title: '措施 measures' }, { key: 'amount', title: '金额 amount' }, { key: 'disbursed', title: '项目拨付 disbursed' },
      { key: 'incomeN', title: '两年有记录户' }, { key: 'before', title: `${v.year - 1} 人均` }, { key: 'after', title: `${v.year} 人均` }, { key: 'change', title: '变化 change' },
    ]),
  ].join('\n');
}

export function registerMeasureCommands(program: Command): void {
  const measures = program.command('measures').description('帮扶措施：类型目录、台账、登记、按台账填入收入 / measures: types, ledger, record, fill income');

  measures
    .command('types')
    .description('措施类型目录（按渠道）/ measure types by channel')
    .option('--county <code>', '旗县代码：含该旗县自定义类型 / include this county’s own types')
    .option('--all', '含已停用 / include deactivated types')
    .option('--json', 'JSON output')
    .action(run(async (o: { county?: string; all?: boolean; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const r = await listMeasureTypes(ctx, { county: o.county, includeInactive: o.all });
        print(o, r, () => table(r.channels.flatMap((c) => c.types.map((t) => ({
          channel: c.label.zh, code: t.code, name: t.name.zh, unit: t.unit.zh, target: t.target === 'member' ? '成员' : '户', component: t.incomeComponent,
          county: t.countyCode ?? '内置', active: t.active ? '' : '已停用',
        }))), [
          { key: 'channel', title: '渠道' }, { key: 'code', title: '代码' }, { key: 'name', title: '名称' }, { key: 'unit', title: '单位' },
          { key: 'target', title: '对象' }, { key: 'component', title: '收入构成' }, { key: 'county', title: '旗县' }, { key: 'active', title: '状态' },
        ]));
      });
    }));

  measures
    .command('list')
    .description('帮扶措施台账 / the measures ledger')
    .option('--area <code>', '区划代码 / area code')
    .option('--year <year>', '年度 / year')
    .addOption(new Option('--channel <channel>', '渠道 / channel').choices([...CHANNELS]))
    .option('--type <code>', '措施类型代码 / type code')
    .option('--project <id>', '项目编号 / project id')
    .option('--household <id>', '只看一户 / one household')
    .option('--page <n>', 'page', '1')
    .option('--page-size <n>', 'page size', '20')
    .option('--export <file>', '导出为 .xlsx / write the filtered ledger to an .xlsx file')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; year?: string; channel?: string; type?: string; project?: string; household?: string; page: string; pageSize: string; export?: string; json?: boolean }) => {
      const f = { area: o.area, year: int('year', o.year), channel: o.channel, type: o.type, project: int('project', o.project) };
      await withDb(async (_d, ctx) => {
        if (o.export) {
          const buf = await exportMeasures(ctx, f);
          writeFileSync(o.export, buf);
          process.stdout.write(`已导出 / written: ${o.export} (${buf.length} bytes)\n`);
          return;
        }
        if (o.household) {
          const r = await listHouseholdMeasures(ctx, int('household', o.household)!, { year: f.year });
          print(o, r, () => `${measureTable(r.items)}\n共 ${r.items.length} 条 / ${r.items.length} measures`);
          return;
        }
        const r = await listMeasures(ctx, { ...f, page: int('page', o.page), pageSize: int('page-size', o.pageSize) });
        print(o, r, () => `${measureTable(r.items)}\n共 ${r.total} 条，合计 ${yuan(r.totalAmount)} 元，第 ${r.page} 页 / ${r.total} measures, total ${yuan(r.totalAmount)} yuan, page ${r.page}`);
      });
    }));

  measures
    .command('add <householdId>')
    .description('登记一项帮扶措施（留痕）/ record a measure given to a household (audited)')
    .requiredOption('--type <code>', '措施类型代码（见 measures types）/ type code')
    .requiredOption('--year <year>', '年度 / year')
    .option('--member <id>', '成员编号（发放给个人的类型必填）/ member id (required for member types)')
    .option('--date <YYYY-MM-DD>', '发放日期 / date given')
    .option('--quantity <n>', '数量 / quantity')
    .option('--amount <yuan>', '金额（元）/ money value in yuan', '0')
    .option('--project <id>', '项目编号 / project id')
    .option('--fund <source>', `资金来源 / fund source: ${FUND_SOURCES.join(', ')}`)
    .option('--component <c>', `收入构成（默认取类型的）/ income component (default: the type’s): ${INCOME_COMPONENTS.join(', ')}`)
    .option('--note <text>', '备注 / note')
    .option('--json', 'JSON output')
    .action(run(async (householdId: string, o: { type: string; year: string; member?: string; date?: string; quantity?: string; amount: string; project?: string; fund?: string; component?: string; note?: string; json?: boolean }) => {
      const body = {
        typeCode: o.type, year: int('year', o.year), memberId: int('member', o.member) ?? null, givenOn: o.date ?? null, quantity: num('quantity', o.quantity) ?? null,
        amount: num('amount', o.amount), projectId: int('project', o.project) ?? null, fundSource: o.fund ?? null, incomeComponent: o.component ?? null, note: o.note ?? null,
      };
      await withDb(async (_d, ctx) => {
        const m = await recordMeasure(ctx, int('householdId', householdId)!, body);
        print(o, m, () => `已登记措施 ${m.id}：${m.householdNo} ${m.headName}${m.memberName ? `（${m.memberName}）` : ''}，${m.year} 年 ${m.typeName.zh} ${yuan(m.amount)} 元（${m.incomeComponentLabel.zh}）/ recorded measure ${m.id}`);
      });
    }));

  measures
    .command('fill-income <householdId> <year>')
    .description('按措施台账填入年度收入：先预览，加 --yes 确认写入（所选构成以台账合计替换）/ fill the yearly income from the ledger: preview, then --yes to write (the chosen components are replaced by the ledger sums)')
    .option('--components <list>', `逗号分隔 / comma-separated: ${FILLABLE_COMPONENTS.join(',')}（默认：台账中有记录的构成 / default: those with ledger lines）`)
    .option('--version <n>', '年度记录版本（默认：本次读取的版本）/ the yearly record’s version (default: the one read now)')
    .option('--yes', '确认写入 / write it')
    .option('--json', 'JSON output')
    .action(run(async (householdId: string, year: string, o: { components?: string; version?: string; yes?: boolean; json?: boolean }) => {
      const id = int('householdId', householdId)!;
      const y = int('year', year)!;
      const components = o.components?.split(',').map((s) => s.trim()).filter(Boolean);
      await withDb(async (_d, ctx) => {
        const p = await incomeFromMeasures(ctx, id, y, components);
        if (!o.yes) {
          print(o, p, () => `${incomeText(p)}\n\n预览，未写入；确认请加 --yes / preview only; add --yes to write`);
          return;
        }
        const done = await fillIncomeFromMeasures(ctx, id, y, { version: int('version', o.version) ?? p.record?.version, components: p.chosen });
        print(o, done, () => `${incomeText(done)}\n\n已写入 ${y} 年度记录 / the ${y} record is updated`);
      });
    }));

  program
    .command('channels')
    .description('帮扶渠道视图：各渠道覆盖户数人数、措施金额、项目拨付、受益户收入变化 / channel view: reach, money, disbursements and income change per channel')
    .option('--area <code>', '区划代码（默认全部）/ area code (default: everything)')
    .requiredOption('--year <year>', '年度 / year')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; year: string; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const v = await channelView(ctx, { area: o.area, year: int('year', o.year)! });
        print(o, v, () => channelText(v));
      });
    }));
}
