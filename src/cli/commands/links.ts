// `jingzhun leaders …`, `jingzhun scenic-spots list`, `jingzhun products list`: 能人带动 leaders and the
// households they bring along, 景区带村 scenic spots with their villages, 电商产品 e-commerce products.
import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.js';
import { getLeader, leaderHouseholds, listLeaders, listProducts, listSpots } from '../../services/links/index.js';
import { print, table } from '../output.js';
import { run, withDb } from '../shared.js';

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) <= 0) throw new ValidationError([{ field: name, value: v, zh: `${name} 应为正整数`, en: `${name} must be a positive whole number` }]);
  return Number(v);
}

const pageOf = (r: { total: number; page: number }) => `共 ${r.total} 条，第 ${r.page} 页 / ${r.total} in all, page ${r.page}`;
const yuan = (n: number | null) => (n == null ? '' : n.toFixed(2));

export function registerLinkCommands(program: Command): void {
  const leaders = program.command('leaders').description('能人带动：带头人、合作社、龙头企业及其带动的农户 / leaders and the households they bring along');

  leaders
    .command('list')
    .description('带头人列表 / leaders')
    .option('--area <code>', '区划代码 / area code')
    .option('--kind <kind>', 'person | cooperative | enterprise')
    .option('--channel <channel>', '产业渠道 / channel, e.g. cattle')
    .option('--page <n>', 'page', '1')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; kind?: string; channel?: string; page: string; json?: boolean }) => {
      const f = { area: o.area, kind: o.kind, channel: o.channel, page: int('--page', o.page), pageSize: 100 };
      await withDb(async (_d, ctx) => {
        const r = await listLeaders(ctx, f);
        print(o, r, () => `${table(r.items.map((l) => ({ ...l, kind: l.kindLabel.zh, channel: l.channelLabel.zh, expectedBenefit: yuan(l.expectedBenefit) })), [
          { key: 'id', title: 'ID' }, { key: 'name', title: '名称' }, { key: 'kind', title: '类型' }, { key: 'channel', title: '产业' }, { key: 'villageName', title: '所在村' },
          { key: 'currentHouseholds', title: '带动户' }, { key: 'expectedBenefit', title: '预期年收益(元)' }, { key: 'products', title: '电商产品' },
        ])}\n${pageOf(r)}；当前带动 ${r.counts.households} 户 / ${r.counts.households} households brought along today`);
      });
    }));

  leaders
    .command('show <id>')
    .description('带头人及其带动的农户（现状、最近人均纯收入）/ one leader with its households (status, latest per-capita income)')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { json?: boolean }) => {
      const n = int('id', id)!;
      await withDb(async (_d, ctx) => {
        const leader = await getLeader(ctx, n);
        const hh = await leaderHouseholds(ctx, n);
        print(o, { leader, households: hh }, () => [
          `${leader.name ?? `#${leader.id}`}（${leader.kindLabel.zh}，${leader.channelLabel.zh}）  ${leader.countyName} ${leader.villageName}`,
          leader.memberName ? `登记人员 registered person: ${leader.memberName}（户 ${leader.memberHouseholdId}）` : '',
          `当前带动 ${hh.counts.current} 户，已结束 ${hh.counts.ended} 条，预期年收益 ${yuan(hh.counts.expectedBenefit)} 元 / ${hh.counts.current} current, ${hh.counts.ended} ended`,
          hh.personal
            ? table(hh.items.map((i) => ({ ...i, status: i.exitStatusLabel.zh, kind: i.linkKindLabel.zh, period: `${i.since} – ${i.until ?? '至今'}`, income: i.latestYear ? `${yuan(i.latestPerCapitaIncome)}（${i.latestYear}）` : '', expectedBenefit: yuan(i.expectedBenefit) })), [
                { key: 'householdNo', title: '户编号' }, { key: 'headName', title: '户主' }, { key: 'villageName', title: '村' }, { key: 'status', title: '脱贫标志' },
                { key: 'income', title: '最近人均纯收入' }, { key: 'kind', title: '带动方式' }, { key: 'period', title: '期间' }, { key: 'expectedBenefit', title: '预期年收益' },
              ])
            : '（仅汇总数据 / aggregates only）',
        ].filter(Boolean).join('\n'));
      });
    }));

  program
    .command('scenic-spots')
    .description('景区带村 / scenic spots and the villages they bring along')
    .command('list')
    .description('景区列表 / scenic spots')
    .option('--area <code>', '区划代码 / area code')
    .option('--page <n>', 'page', '1')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; page: string; json?: boolean }) => {
      const f = { area: o.area, page: int('--page', o.page), pageSize: 100 };
      await withDb(async (_d, ctx) => {
        const r = await listSpots(ctx, f);
        print(o, r, () => `${table(r.items.map((s) => ({ ...s, grade: s.grade ?? '未评级', villages: s.linkedVillages.map((v) => v.name).join('，') })), [
          { key: 'id', title: 'ID' }, { key: 'name', title: '景区' }, { key: 'grade', title: '等级' }, { key: 'countyName', title: '旗县' }, { key: 'villageName', title: '所在村' },
          { key: 'villages', title: '带动村' },
        ])}\n${pageOf(r)}；带动 ${r.linkedVillages} 个村 / ${r.linkedVillages} villages brought along`);
      });
    }));

  program
    .command('products')
    .description('电商产品 / e-commerce products')
    .command('list')
    .description('电商产品列表 / products')
    .option('--area <code>', '区划代码 / area code')
    .option('--category <c>', '类别 / category')
    .option('--leader <id>', '销售主体（带头人）ID / leader id')
    .option('--page <n>', 'page', '1')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; category?: string; leader?: string; page: string; json?: boolean }) => {
      const f = { area: o.area, category: o.category, leader: int('--leader', o.leader), page: int('--page', o.page), pageSize: 100 };
      await withDb(async (_d, ctx) => {
        const r = await listProducts(ctx, f);
        print(o, r, () => `${table(r.items, [
          { key: 'id', title: 'ID' }, { key: 'name', title: '产品' }, { key: 'category', title: '类别' }, { key: 'villageName', title: '村' }, { key: 'leaderName', title: '销售主体' },
          { key: 'shop', title: '店铺/平台' },
        ])}\n${pageOf(r)}`);
      });
    }));
}
