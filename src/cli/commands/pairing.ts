// `jingzhun pairing …` and `jingzhun visits …`: who helps whom — units, cadres, pairings, flags
// (unpaired households, cadres who are registered poor), visit frequency, and the visit log.
import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.js';
import { TEAM_ROLES, TEAM_ROLE_LABELS, isOneOf } from '../../domain/assistance/catalogue.js';
import { assistanceFlags, listCadres, listPairings, listUnits, listVisits, visitFrequency } from '../../services/pairing/index.js';
import { print, table } from '../output.js';
import { run, withDb } from '../shared.js';

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new ValidationError([{ field: name, value: v, zh: `--${name} 应为正整数`, en: `--${name} must be a whole number` }]);
  return Number(v);
}

function state(v: string | undefined): 'open' | 'ended' | undefined {
  if (v === undefined) return undefined;
  if (v !== 'open' && v !== 'ended') throw new ValidationError([{ field: 'state', value: v, zh: '--state 应为 open（在结对）或 ended（已结束）', en: '--state must be open or ended' }]);
  return v;
}

const pageOf = (r: { total: number; page: number }) => `共 ${r.total} 条，第 ${r.page} 页 / ${r.total} in all, page ${r.page}`;

export function registerPairingCommands(program: Command): void {
  const pairing = program.command('pairing').description('结对帮扶：帮扶单位、帮扶干部、结对、标记、走访频次 / who helps whom: units, cadres, pairings, flags, visit frequency');

  pairing
    .command('units')
    .description('帮扶单位列表 / assistance units')
    .option('--area <code>', '区划代码 / area code')
    .option('--page <n>', 'page', '1')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; page: string; json?: boolean }) => {
      const page = int('page', o.page);
      await withDb(async (_d, ctx) => {
        const r = await listUnits(ctx, { area: o.area, page, pageSize: 100 });
        print(o, r, () => `${table(r.items.map((u) => ({ ...u, kind: u.kindLabel.zh, level: u.levelLabel.zh })), [
          { key: 'id', title: 'ID' }, { key: 'countyName', title: '旗县' }, { key: 'name', title: '单位' }, { key: 'kind', title: '类型' }, { key: 'level', title: '层级' },
          { key: 'cadres', title: '在岗干部' }, { key: 'openPairings', title: '在结对户' },
        ])}\n${pageOf(r)}`);
      });
    }));

  pairing
    .command('cadres')
    .description('帮扶干部列表（身份证号已脱敏）/ cadres (ID numbers masked)')
    .option('--area <code>', '区划代码 / area code')
    .option('--unit <id>', '帮扶单位 ID / unit id')
    .option('--page <n>', 'page', '1')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; unit?: string; page: string; json?: boolean }) => {
      const f = { area: o.area, unit: int('unit', o.unit), page: int('page', o.page), pageSize: 100 };
      await withDb(async (_d, ctx) => {
        const r = await listCadres(ctx, f);
        print(o, r, () => `${table(r.items.map((c) => ({ ...c, active: c.active ? '在岗' : '停用', teams: c.teams.map((t) => `${t.villageName} ${isOneOf(TEAM_ROLES, t.role) ? TEAM_ROLE_LABELS[t.role].zh : t.role}`).join('，') })), [
          { key: 'id', title: 'ID' }, { key: 'name', title: '姓名' }, { key: 'idNumber', title: '身份证号' }, { key: 'unitName', title: '单位' }, { key: 'position', title: '职务' },
          { key: 'active', title: '状态' }, { key: 'openPairings', title: '结对户' }, { key: 'teams', title: '工作队' },
        ])}\n${pageOf(r)}`);
      });
    }));

  pairing
    .command('list')
    .description('结对列表 / pairings')
    .option('--area <code>', '区划代码 / area code')
    .option('--unit <id>', '帮扶单位 ID / unit id')
    .option('--cadre <id>', '干部 ID / cadre id')
    .option('--state <state>', 'open | ended')
    .option('--page <n>', 'page', '1')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; unit?: string; cadre?: string; state?: string; page: string; json?: boolean }) => {
      const f = { area: o.area, unit: int('unit', o.unit), cadre: int('cadre', o.cadre), state: state(o.state), page: int('page', o.page), pageSize: 100 };
      await withDb(async (_d, ctx) => {
        const r = await listPairings(ctx, f);
        print(o, r, () => `${table(r.items.map((p) => ({ ...p, status: p.statusLabel.zh, period: `${p.startedOn} – ${p.endedOn ?? ''}` })), [
          { key: 'id', title: 'ID' }, { key: 'householdNo', title: '户编号' }, { key: 'headName', title: '户主' }, { key: 'villageName', title: '嘎查村' }, { key: 'status', title: '脱贫标志' },
          { key: 'cadreName', title: '帮扶责任人' }, { key: 'unitName', title: '单位' }, { key: 'period', title: '结对期' }, { key: 'endReason', title: '结束原因' },
        ])}\n${pageOf(r)}`);
      });
    }));

  pairing
    .command('flags')
    .description('无帮扶责任人的农户（脱贫标志 0、1、3）和是建档立卡人员的干部 / unpaired households and cadres who are registered poor')
    .option('--area <code>', '区划代码 / area code')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const r = await assistanceFlags(ctx, { area: o.area });
        print(o, r, () => [
          `无帮扶责任人 / no responsible cadre: ${r.unpairedTotal} 户${r.unpairedTotal > r.unpaired.length ? `（列出前 ${r.unpaired.length} 户）` : ''}`,
          table(r.unpaired.map((u) => ({ ...u, status: u.statusLabel.zh })), [
            { key: 'householdId', title: 'ID' }, { key: 'householdNo', title: '户编号' }, { key: 'headName', title: '户主' }, { key: 'villageName', title: '嘎查村' },
            { key: 'status', title: '脱贫标志' }, { key: 'lastEndedOn', title: '上次结对结束' },
          ]),
          '',
          `帮扶干部是建档立卡人员 / cadres who are registered poor: ${r.cadresRegisteredPoor.length}`,
          table(r.cadresRegisteredPoor.map((c) => ({ ...c, status: c.statusLabel.zh })), [
            { key: 'cadreId', title: '干部 ID' }, { key: 'cadreName', title: '干部' }, { key: 'idNumber', title: '身份证号' }, { key: 'unitName', title: '单位' },
            { key: 'householdNo', title: '所在户编号' }, { key: 'villageName', title: '嘎查村' }, { key: 'registeredCountyName', title: '登记旗县' }, { key: 'status', title: '脱贫标志' },
          ]),
        ].join('\n'));
      });
    }));

  pairing
    .command('frequency')
    .description('帮扶干部走访频次 / visit frequency per cadre')
    .option('--area <code>', '区划代码 / area code')
    .option('--from <day>', '开始日期 YYYY-MM-DD（默认当年 1 月 1 日；本年无走访记录时为最近一次走访所在年的 1 月 1 日）/ start (default 1 January of this year, or of the year of the latest visit when none this year)')
    .option('--to <day>', '结束日期 YYYY-MM-DD（默认今天；本年无走访记录时为最近一次走访所在年的 12 月 31 日）/ end (default today, or 31 December of the year of the latest visit)')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; from?: string; to?: string; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const r = await visitFrequency(ctx, { area: o.area, from: o.from, to: o.to });
        print(o, r, () => `${r.from} – ${r.to}（${r.months} 个月 / months）${r.basis === 'latest_visit_year' ? `\n本年尚无走访记录，默认显示最近一次走访（${r.latestVisit}）所在年份；用 --from/--to 另选期间 / no visit recorded this year: showing the year of the latest visit (${r.latestVisit}); choose a period with --from/--to` : ''}\n${table(r.items.map((x) => ({ ...x, rate: x.visitsPerHouseholdMonth ?? '' })), [
          { key: 'cadreName', title: '干部' }, { key: 'unitName', title: '单位' }, { key: 'householdsPaired', title: '结对户' }, { key: 'visits', title: '走访次数' },
          { key: 'rate', title: '户均月走访' }, { key: 'lastVisit', title: '最近走访' }, { key: 'notVisited', title: '期内未走访户' },
        ])}`);
      });
    }));

  const visits = program.command('visits').description('走访记录 / visit log');
  visits
    .command('list')
    .description('走访记录列表 / visits')
    .option('--area <code>', '区划代码 / area code')
    .option('--cadre <id>', '干部 ID / cadre id')
    .option('--from <day>', '开始日期 YYYY-MM-DD / from')
    .option('--to <day>', '结束日期 YYYY-MM-DD / to')
    .option('--open-follow-ups', '只看后续事项未办结的 / only visits with open follow-ups')
    .option('--page <n>', 'page', '1')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; cadre?: string; from?: string; to?: string; openFollowUps?: boolean; page: string; json?: boolean }) => {
      const f = { area: o.area, cadre: int('cadre', o.cadre), from: o.from, to: o.to, openFollowUps: o.openFollowUps, page: int('page', o.page), pageSize: 100 };
      await withDb(async (_d, ctx) => {
        const r = await listVisits(ctx, f);
        print(o, r, () => `${table(r.items.map((v) => ({
          ...v, kind: v.kindLabel.zh, findings: v.findings.length > 40 ? `${v.findings.slice(0, 40)}…` : v.findings,
          followUp: v.followUps ? `${v.followUps.slice(0, 30)}${v.followUpDue ? `（${v.followUpDue}）` : ''}${v.followUpDoneOn ? ' 已办结' : v.followUpOverdue ? ' 逾期' : ''}` : '',
        })), [
          { key: 'visitedOn', title: '日期' }, { key: 'householdNo', title: '户编号' }, { key: 'headName', title: '户主' }, { key: 'villageName', title: '嘎查村' },
          { key: 'cadreName', title: '干部' }, { key: 'kind', title: '方式' }, { key: 'findings', title: '发现' }, { key: 'followUp', title: '后续事项' },
        ])}\n${pageOf(r)}`);
      });
    }));
}
