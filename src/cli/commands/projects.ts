// `jingzhun projects list|show|disburse` and `jingzhun funds`: the project library and its money
// (services/projects/). Tables for people, --json for scripts.
import type { Command } from 'commander';
import { ValidationError, type FieldIssue } from '../../domain/errors.js';
import { yuanText, toFen } from '../../domain/assistance/projects.js';
import { localDay } from '../../domain/workflows/dates.js';
import { disburse, fundsView, getProject, listProjects, type BudgetLine } from '../../services/projects/index.js';
import { print, table } from '../output.js';
import { run, withDb } from '../shared.js';

const money = (y: number | null): string => (y === null ? '—' : yuanText(toFen(y)));

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

function budgetTable(lines: BudgetLine[]): string {
  return table(
    lines.map((b) => ({ source: `${b.fundSourceLabel.zh} ${b.fundSource}`, allocated: money(b.allocated), disbursed: money(b.disbursed), balance: money(b.balance) })),
    [{ key: 'source', title: '资金来源 source' }, { key: 'allocated', title: '预算 allocated' }, { key: 'disbursed', title: '已拨付 disbursed' }, { key: 'balance', title: '余额 balance' }],
  );
}

export function registerProjectCommands(program: Command): void {
  const projects = program.command('projects').description('项目库：项目、预算、拨付 / project library, budgets and disbursements');

  projects
    .command('list')
    .description('项目列表 / list projects')
    .option('--area <code>', '区划 / area')
    .option('--year <year>', '项目年度 / project year')
    .option('--channel <channel>', '渠道 / channel (cattle, solar_wind, …)')
    .option('--status <status>', '状态 / status (planned, approved, in_progress, completed, cancelled)')
    .option('--page <n>', '页码 / page', '1')
    .option('--page-size <n>', '每页 / page size', '50')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; year?: string; channel?: string; status?: string; page: string; pageSize: string; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const r = await listProjects(ctx, { area: o.area, year: o.year ? Number(o.year) : undefined, channel: o.channel, status: o.status, page: Number(o.page), pageSize: Number(o.pageSize) });
        print(o, r, () => [
          table(r.items.map((p) => ({
            id: p.id, year: p.year, county: p.countyName ?? p.countyCode, name: p.name, channel: p.channelLabel.zh, status: p.statusLabel.zh,
            villages: p.villages.length ? p.villages.map((v) => v.name).join('、') : '全旗县 county-wide',
            allocated: money(p.allocated), disbursed: money(p.disbursed), balance: money(p.balance), households: p.beneficiaryCount,
          })), [
            { key: 'id', title: 'ID' }, { key: 'year', title: '年度 year' }, { key: 'county', title: '旗县 county' }, { key: 'name', title: '项目 project' },
            { key: 'channel', title: '渠道 channel' }, { key: 'status', title: '状态 status' }, { key: 'villages', title: '村 villages' },
            { key: 'allocated', title: '预算 allocated' }, { key: 'disbursed', title: '已拨付 disbursed' }, { key: 'balance', title: '余额 balance' },
            { key: 'households', title: '受益户 households' },
          ]),
          `共 ${r.total} 个项目 / ${r.total} projects (第 ${r.page} 页 page, 每页 ${r.pageSize})`,
        ].join('\n'));
      });
    }));

  projects
    .command('show <id>')
    .description('项目详情：预算、拨付、受益户、资产 / a project with budgets, disbursements, beneficiaries, assets')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const p = await getProject(ctx, Number(id));
        print(o, p, () => {
          const lines = [
            `${p.name}（${p.year}，${p.countyName ?? p.countyCode}）ID ${p.id}  版本 version ${p.version}`,
            `渠道 channel: ${p.channelLabel.zh} ${p.channelLabel.en}；状态 status: ${p.statusLabel.zh} ${p.statusLabel.en}；可改为 next: ${p.allowedMoves.join(', ') || '—'}`,
            `村 villages: ${p.villages.length ? p.villages.map((v) => `${v.name} ${v.code}`).join('、') : '全旗县 county-wide'}`,
            `实施主体 implementer: ${p.implementer ?? '—'}；计划 schedule: ${p.startsOn ?? '—'} ~ ${p.endsOn ?? '—'}；公示 disclosed: ${p.disclosedOn ?? '—'} ${p.disclosureNote ?? ''}`,
            '',
            '预算 budgets:',
            p.budgets.length ? budgetTable(p.budgets) : '  （无 none）',
            `合计 total: 预算 ${money(p.allocated)}，已拨付 ${money(p.disbursed)}，余额 ${money(p.balance)}`,
            '',
            '拨付 disbursements:',
            p.disbursements.length
              ? table(p.disbursements.map((d) => ({ ...d, payee: d.payee ?? '—', source: d.fundSourceLabel.zh, amountText: money(d.amount) })), [
                { key: 'id', title: 'ID' }, { key: 'paidOn', title: '日期 date' }, { key: 'source', title: '来源 source' }, { key: 'amountText', title: '金额 amount' },
                { key: 'payee', title: '收款方 payee' }, { key: 'voucherNo', title: '凭证 voucher' },
              ])
              : '  （无 none）',
            '',
            `受益户 beneficiaries: ${p.beneficiaryCount}`,
          ];
          if (p.beneficiaries?.length) {
            lines.push(table(p.beneficiaries.map((b) => ({ ...b, kind: b.linkKindLabel.zh, expected: money(b.expectedBenefit) })), [
              { key: 'householdNo', title: '户编号 household' }, { key: 'headName', title: '户主 head' }, { key: 'villageName', title: '村 village' },
              { key: 'kind', title: '联结方式 link' }, { key: 'expected', title: '预期年收益 expected' },
            ]));
          }
          if (p.assets.length) {
            lines.push('', '资产 assets:', table(p.assets.map((a) => ({ ...a, kindText: a.kindLabel.zh, valueText: money(a.value), income: money(a.incomeTotal) })), [
              { key: 'id', title: 'ID' }, { key: 'name', title: '资产 asset' }, { key: 'kindText', title: '类别 kind' }, { key: 'villageName', title: '村 village' },
              { key: 'capacity', title: '规模 capacity' }, { key: 'valueText', title: '价值 value' }, { key: 'income', title: '累计收益 income' },
            ]));
          }
          return lines.join('\n');
        });
      });
    }));

  projects
    .command('disburse <id>')
    .description('拨付资金（超出预算将被拒绝并给出数字）/ pay out of a fund source (refused with the numbers beyond budget)')
    .requiredOption('--source <source>', '资金来源 / fund source (central, province, city, county, …)')
    .requiredOption('--amount <yuan>', '金额（元）/ amount in yuan')
    .requiredOption('--payee <payee>', '收款单位或个人 / payee')
    .option('--paid-on <date>', '拨付日期 / date paid (YYYY-MM-DD, default today)')
    .option('--voucher <no>', '凭证号 / voucher number')
    .option('--note <text>', '备注 / note')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { source: string; amount: string; payee: string; paidOn?: string; voucher?: string; note?: string; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const r = await optionNames(disburse(ctx, Number(id), {
          fundSource: o.source, amount: num(o.amount), payee: o.payee, paidOn: o.paidOn ?? localDay(new Date()), voucherNo: o.voucher, note: o.note,
        }), { fundSource: '--source', amount: '--amount', payee: '--payee', paidOn: '--paid-on', voucherNo: '--voucher', note: '--note' });
        print(o, r, () => [`已拨付 paid: 拨付记录 disbursement ${r.id}`, budgetTable(r.budgets)].join('\n'));
      });
    }));

  program
    .command('funds')
    .description('资金：各来源及各项目的预算、已拨付、余额 / allocation, disbursed and balance per source and project')
    .option('--area <code>', '区划 / area (default all you may see)')
    .option('--year <year>', '项目年度 / project year')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; year?: string; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const f = await fundsView(ctx, { area: o.area, year: o.year ? Number(o.year) : undefined });
        print(o, f, () => [
          `资金 funds: ${f.area === '*' ? '全部 all' : f.area} ${f.year ?? '各年度 all years'}`,
          '',
          '按资金来源 by source:',
          f.sources.length ? budgetTable(f.sources) : '  （无 none）',
          '',
          '按项目 by project:',
          table(f.projects.map((p) => ({ ...p, statusText: p.statusLabel.zh, a: money(p.allocated), d: money(p.disbursed), b: money(p.balance) })), [
            { key: 'id', title: 'ID' }, { key: 'year', title: '年度 year' }, { key: 'name', title: '项目 project' }, { key: 'statusText', title: '状态 status' },
            { key: 'a', title: '预算 allocated' }, { key: 'd', title: '已拨付 disbursed' }, { key: 'b', title: '余额 balance' },
          ]),
          '',
          `合计 totals: ${f.totals.projects} 个项目 projects；预算 ${money(f.totals.allocated)}，已拨付 ${money(f.totals.disbursed)}，余额 ${money(f.totals.balance)}`,
        ].join('\n'));
      });
    }));
}
