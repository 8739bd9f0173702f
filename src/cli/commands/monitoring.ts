// `jingzhun monitor …`: the relapse-monitoring scan, department data for the cross-checks, alerts.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { MONITORING_RULES, DEPARTMENT_KINDS } from '../../domain/monitoring-rules.js';
import { ValidationError } from '../../domain/errors.js';
import { dismissAlert, listAlerts, loadDepartmentRecords, runMonitoringScan, type ScanResult } from '../../services/monitoring/index.js';
import { print, progress, table } from '../output.js';
import { run, withDb } from '../shared.js';

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new ValidationError([{ field: name, value: v, zh: `--${name} 应为整数`, en: `--${name} must be a whole number` }]);
  return Number(v);
}

function scanSummary(r: ScanResult): string {
  const rows: { rule: string; label: string; found: number; new: number; known: number }[] = r.rules.map((x) => ({ rule: x.rule, label: x.label.zh, found: x.found, new: x.new, known: x.known }));
  rows.push({ rule: '合计 total', label: '', found: r.totals.found, new: r.totals.new, known: r.totals.known });
  const lines = [
    `防返贫监测扫描 monitoring scan: 区划 area ${r.area}，${r.year} 年，${r.counties} 个旗县 counties，检查 ${r.candidates} 户 households examined，用时 ${r.elapsedMs} ms`,
    '',
    table(rows, [
      { key: 'rule', title: '规则 rule' }, { key: 'label', title: '名称' }, { key: 'found', title: '命中 found' },
      { key: 'new', title: '新增 new' }, { key: 'known', title: '已有 known' },
    ]),
  ];
  if (r.missing.length) {
    lines.push('', '缺少参数，相关规则未运行 / missing parameters (those rules raised nothing):');
    for (const m of r.missing) {
      const where = m.counties.length > 5 ? `${m.counties.slice(0, 5).join(', ')} … (${m.counties.length})` : m.counties.join(', ');
      lines.push(`  - ${m.reason.zh} / ${m.reason.en}`, `    规则 rules: ${m.rules.join(', ')}；旗县 counties: ${where}`);
    }
  }
  return lines.join('\n');
}

export function registerMonitoringCommands(program: Command): void {
  const monitor = program.command('monitor').description('防返贫动态监测：扫描、部门数据比对、预警 / relapse monitoring: scan, department cross-checks, alerts');

  monitor
    .command('scan')
    .description('运行全部监测规则，新命中生成预警（不重复、不重开已排除的）/ run every rule; new hits become alerts (no duplicates, dismissed ones stay dismissed)')
    .option('--area <code>', '区划代码（默认全部）/ area code (default: everything)')
    .option('--year <year>', '年度（默认最近有年度记录的一年）/ year (default: the latest with yearly records)')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; year?: string; json?: boolean }) => {
      const year = int('year', o.year);
      await withDb(async (_d, ctx) => {
        const bar = progress();
        const r = await runMonitoringScan(ctx, { area: o.area, year, onProgress: bar.update });
        bar.stop();
        print(o, r, () => scanSummary(r));
      });
    }));

  monitor
    .command('load <file>')
    .description('导入部门比对数据 .xlsx/.csv（列：身份证号、姓名、类别、详情、金额、日期；先全部校验，有错则不写入）/ load department records; all rows validated first, nothing loaded on error')
    .requiredOption('--department <name>', '数据来源部门，如 市公安局交警支队 / the department the records come from')
    .option('--kind <kind>', `整个文件的类别 / the kind of every row: ${DEPARTMENT_KINDS.join(', ')}`)
    .option('--json', 'JSON output')
    .action(run(async (file: string, o: { department: string; kind?: string; json?: boolean }) => {
      const bytes = readFileSync(file);
      await withDb(async (_d, ctx) => {
        const r = await loadDepartmentRecords(ctx, { bytes, filename: basename(file), department: o.department, kind: o.kind });
        print(o, r, () => {
          const kinds = Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`).join('，');
          return `已导入 ${r.rows} 条部门记录（批次 ${r.batch}，${r.department}；${kinds}），其中 ${r.matchedPeople} 条与在册人员身份证号相符；运行 jingzhun monitor scan 生成预警\n` +
            `loaded ${r.rows} records (batch ${r.batch}); ${r.matchedPeople} match a registered person's ID number; run \`jingzhun monitor scan\` to raise alerts`;
        });
      });
    }));

  monitor
    .command('alerts')
    .description('监测预警列表 / list alerts')
    .option('--area <code>', '区划代码 / area code')
    .option('--status <status>', 'open | case_opened | dismissed | resolved')
    .option('--rule <rule>', `规则 / rule: ${MONITORING_RULES.map((r) => r.key).join(', ')}`)
    .option('--year <year>', '年度 / year')
    .option('--page <n>', 'page', '1')
    .option('--page-size <n>', 'page size', '20')
    .option('--json', 'JSON output')
    .action(run(async (o: { area?: string; status?: string; rule?: string; year?: string; page: string; pageSize: string; json?: boolean }) => {
      const filters = { area: o.area, status: o.status, rule: o.rule, year: int('year', o.year), page: int('page', o.page), pageSize: int('page-size', o.pageSize) };
      await withDb(async (_d, ctx) => {
        const r = await listAlerts(ctx, filters);
        print(o, r, () => {
          const rows = r.items.map((a) => ({
            id: a.id, householdNo: a.householdNo, headName: a.headName, village: a.villageName ?? a.villageCode, year: a.year,
            rule: a.ruleLabel.zh, status: a.statusLabel.zh, reason: a.reason.zh.length > 80 ? `${a.reason.zh.slice(0, 80)}…` : a.reason.zh,
          }));
          return `${table(rows, [
            { key: 'id', title: 'ID' }, { key: 'householdNo', title: '户编号' }, { key: 'headName', title: '户主' }, { key: 'village', title: '嘎查村' },
            { key: 'year', title: '年度' }, { key: 'rule', title: '规则' }, { key: 'status', title: '状态' }, { key: 'reason', title: '理由' },
          ])}\n共 ${r.total} 条，第 ${r.page} 页 / ${r.total} alerts, page ${r.page}`;
        });
      });
    }));

  monitor
    .command('dismiss <id>')
    .description('排除一条预警（须填理由，留痕）/ dismiss an alert with a reason (audited)')
    .requiredOption('--reason <text>', '排除理由 / why it needs no case')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { reason: string; json?: boolean }) => {
      const n = int('id', id)!;
      await withDb(async (_d, ctx) => {
        const a = await dismissAlert(ctx, { id: n, reason: o.reason });
        print(o, a, () => `已排除预警 ${a.id}（${a.householdNo} ${a.headName}，${a.ruleLabel.zh}）/ alert ${a.id} dismissed`);
      });
    }));

  monitor
    .command('rules')
    .description('列出监测规则 / list the monitoring rules')
    .option('--json', 'JSON output')
    .action(run(async (o: { json?: boolean }) => {
      print(o, MONITORING_RULES, () => table(MONITORING_RULES.map((r) => ({ key: r.key, label: r.label.zh, params: r.params.join(', '), description: r.description.zh })), [
        { key: 'key', title: '规则 rule' }, { key: 'label', title: '名称' }, { key: 'params', title: '参数 parameters' }, { key: 'description', title: '说明' },
      ]));
    }));
}
