// The `jingzhun` command: thin, like the HTTP routes. Runs as the local operator (full rights,
// audited as cli:<user>); read commands print tables, or JSON with --json.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Command, Option } from 'commander';
import { appDataDir, type Db } from '../db/client.js';
import { childAreas, loadAreasFile, loadPopulations, rootAreas, searchAreas } from '../services/areas.js';
import { getHousehold, listHouseholds } from '../services/households.js';
import { createUser, listUsers } from '../services/users.js';
import { errorWorkbook, importHouseholds } from '../services/imports/households.js';
import { exportHouseholds, templateWorkbook } from '../services/imports/export.js';
import { seedRegister } from '../services/seed.js';
import { ensureDemo } from '../services/demo.js';
import { decodeText } from '../services/imports/encoding.js';
import { listParameters, setParameter, showParameter, type PolicyParameterView } from '../services/policy.js';
import { labelOf } from '../domain/codes.js';
import { ROLES } from '../domain/roles.js';
import { ValidationError } from '../domain/errors.js';
import { print, printDemo, progress, table } from './output.js';

import { run, withDb } from './shared.js';
import { registerExitPanelCommands } from './commands/exit-panels.js';
import { registerIndicatorCommands } from './commands/indicators.js';
import { registerMonitoringCommands } from './commands/monitoring.js';
import { registerCaseCommands } from './commands/cases.js';
import { registerCalculatorCommands } from './commands/calculators.js';
import { registerPairingCommands } from './commands/pairing.js';
import { registerProjectCommands } from './commands/projects.js';
import { registerMeasureCommands } from './commands/measures.js';
import { registerLinkCommands } from './commands/links.js';
import { registerReportCommands } from './commands/reports.js';
import { registerPovertyMeasureCommands } from './commands/measure.js';

const program = new Command('jingzhun')
  .description('精准 Jingzhun — 精准扶贫与防返贫平台 / targeted poverty alleviation and relapse prevention')
  .showHelpAfterError();

program
  .command('serve')
  .description('启动服务（首次启动时迁移数据库并载入通辽演示数据）/ serve the app; the first start migrates and loads the Tongliao demo')
  .addOption(new Option('--port <port>', 'port').env('PORT').default('3000'))
  .addOption(new Option('--host <host>', 'host').env('HOST').default('0.0.0.0'))
  .option('--no-demo', '不载入演示数据 / do not load the demo on an empty database')
  .action(run(async (o: { port: string; host: string; demo: boolean }) => {
    const { serve } = await import('../http/server.js');
    await serve({ port: Number(o.port), host: o.host, demo: o.demo });
  }));

const db = program.command('db').description('数据库 / database');
db.command('migrate')
  .description('应用数据库迁移 / apply migrations')
  .action(run(async () => {
    await withDb(async (d) => {
      process.stdout.write(`migrated (${d.engine}${d.dataDir ? `: ${d.dataDir}` : ''})\n`);
    });
  }));

const areas = program.command('areas').description('行政区划 / administrative divisions');
areas
  .command('load')
  .description('导入区划 CSV（列：code,name,level,parent_code,is_western）/ load divisions from CSV')
  .requiredOption('--file <file>', 'CSV file (UTF-8 or GBK)')
  .action(run(async (o: { file: string }) => {
    await withDb(async (d, ctx) => {
      const r = await loadAreasFile(d, o.file, ctx.actor);
      process.stdout.write(`已导入 ${r.loaded} 个区划 / loaded ${r.loaded} areas\n`);
    });
  }));
areas
  .command('list')
  .description('列出下级区划 / list child areas')
  .option('--parent <code>', '上级区划代码 / parent code (default: top level)')
  .option('--json', 'JSON output')
  .action(run(async (o: { parent?: string; json?: boolean }) => {
    await withDb(async (_d, ctx) => {
      const items = o.parent ? await childAreas(ctx, o.parent) : await rootAreas(ctx);
      print(o, items, () => table(items, [{ key: 'code', title: '代码' }, { key: 'name', title: '名称' }, { key: 'level', title: '级别' }, { key: 'childCount', title: '下级数' }]));
    });
  }));
areas
  .command('search <query>')
  .description('按名称或代码搜索区划 / search areas by name or code')
  .option('--json', 'JSON output')
  .action(run(async (q: string, o: { json?: boolean }) => {
    await withDb(async (_d, ctx) => {
      const items = await searchAreas(ctx, q, 50);
      print(o, items, () => table(items, [{ key: 'code', title: '代码' }, { key: 'name', title: '名称' }, { key: 'parentName', title: '上级' }, { key: 'level', title: '级别' }]));
    });
  }));

program
  .command('populations')
  .description('导入农村人口 CSV（列：area_code,year,rural_people,rural_households）/ load rural population by area and year')
  .requiredOption('--file <file>', 'CSV file')
  .action(run(async (o: { file: string }) => {
    await withDb(async (_d, ctx) => {
      const r = await loadPopulations(ctx, decodeText(readFileSync(o.file)).text);
      process.stdout.write(`已导入 ${r.loaded} 行 / loaded ${r.loaded} rows\n`);
    });
  }));

program
  .command('seed')
  .description('生成确定性的合成建档立卡数据 / generate a deterministic synthetic register')
  .requiredOption('--people <n>', '人数 / number of people')
  .option('--seed <s>', '随机种子 / seed', '2014')
  .option('--county <code>', '只生成某旗县 / one county only')
  .option('--replace', '先删除该范围已有农户 / delete existing households in the target first')
  .option('--no-assistance', '不生成帮扶数据 / skip the assistance data (cadres, pairings, visits, measures, projects)')
  .option('--json', 'JSON output')
  .action(run(async (o: { people: string; seed: string; county?: string; replace?: boolean; assistance: boolean; json?: boolean }) => {
    await withDb(async (d) => {
      const [n] = await d.query<{ n: number }>('SELECT count(*)::int AS n FROM areas');
      if (!n?.n) await ensureDemoAreas(d);
      const bar = progress();
      const r = await seedRegister(d, { people: Number(o.people), seed: Number(o.seed), countyCode: o.county, replace: o.replace, assistance: o.assistance, onProgress: bar.update });
      bar.stop();
      const a = r.assistance;
      const aid = a.cadres ? `；帮扶干部 ${a.cadres}、结对 ${a.pairings}、走访 ${a.visits}、帮扶措施 ${a.measures}、项目 ${a.projects} / cadres ${a.cadres}, pairings ${a.pairings}, visits ${a.visits}, measures ${a.measures}, projects ${a.projects}` : '';
      print(o, r, () => `生成 ${r.households} 户 ${r.members} 人，${r.years} 条年度记录，用时 ${r.seconds.toFixed(1)} 秒 / seeded ${r.households} households, ${r.members} people, ${r.years} yearly records in ${r.seconds.toFixed(1)} s${aid}`);
    });
  }));

async function ensureDemoAreas(d: Db) {
  const { TONGLIAO_AREAS } = await import('../services/demo.js');
  await loadAreasFile(d, TONGLIAO_AREAS);
}

program
  .command('demo')
  .description('载入通辽演示数据和演示账号（空库时）/ load the Tongliao demo and demo accounts into an empty database')
  .option('--people <n>', '人数 / people', '225000')
  .action(run(async (o: { people: string }) => {
    await withDb(async (d) => {
      const bar = progress();
      const r = await ensureDemo(d, { people: Number(o.people), onProgress: bar.update });
      bar.stop();
      printDemo(r.accounts);
    });
  }));

const imp = program.command('import').description('导入 / import');
imp
  .command('households <file>')
  .description('导入农户 .xlsx/.csv（先全部校验，有错则不写入）/ import households; all rows validated first, nothing written on error')
  .option('--dry-run', '只校验不写入 / validate only')
  .option('--report <file>', '错误报告 .xlsx 的路径 / where to write the error workbook (default: <file>-错误报告.xlsx)')
  .option('--json', 'JSON output')
  .action(run(async (file: string, o: { dryRun?: boolean; report?: string; json?: boolean }) => {
    await withDb(async (_d, ctx) => {
      const data = readFileSync(file);
      const bar = progress();
      const result = await importHouseholds(ctx, { fileName: basename(file), data, dryRun: o.dryRun, onProgress: bar.update });
      bar.stop();
      if (result.status === 'rejected') {
        const out = o.report ?? `${file.slice(0, -extname(file).length)}-错误报告.xlsx`;
        writeFileSync(out, await errorWorkbook(result, { fileName: basename(file), data }));
        print(o, result, () => {
          const lines = result.issues.slice(0, 200).map((i) => `  第 ${i.row ?? '?'} 行 row ${i.row ?? '?'}，列「${i.column ?? i.field}」: ${i.zh} / ${i.en}`);
          const more = result.issues.length > 200 ? [`  … 另有 ${result.issues.length - 200} 条 / ${result.issues.length - 200} more`] : [];
          return [`文件有 ${result.issues.length} 处错误，未写入任何数据 / ${result.issues.length} errors; nothing was written`, ...lines, ...more, `错误报告 / error workbook: ${out}`].join('\n');
        });
        process.exitCode = 1;
        return;
      }
      print(o, result, () =>
        result.status === 'validated'
          ? `校验通过（未写入）/ valid (dry run, nothing written): ${result.rows} 行 rows`
          : `导入完成 / imported: 新增 ${result.households.created} 户、更新 ${result.households.updated} 户、未变 ${result.households.unchanged} 户；成员 新增 ${result.members.created}、更新 ${result.members.updated}、移除 ${result.members.deleted}；年度记录 ${result.years.upserted}`,
      );
    });
  }));

const exp = program.command('export').description('导出 / export');
exp
  .command('template')
  .description('写出导入模板 .xlsx / write the import template')
  .option('--out <file>', 'output file', '农户导入模板.xlsx')
  .action(run(async (o: { out: string }) => {
    writeFileSync(o.out, await templateWorkbook());
    process.stdout.write(`${o.out}\n`);
  }));
exp
  .command('households')
  .description('按导入模板导出农户 / export households in the import template')
  .requiredOption('--area <code>', '区划代码 / area code')
  .requiredOption('--out <file>', '.xlsx or .csv')
  .option('--year <year>', '只导出某年度 / one year only')
  .action(run(async (o: { area: string; out: string; year?: string }) => {
    const format = o.out.toLowerCase().endsWith('.csv') ? 'csv' : 'xlsx';
    await withDb(async (_d, ctx) => {
      const bar = progress();
      const buf = await exportHouseholds(ctx, { areaCode: o.area, year: o.year ? Number(o.year) : undefined, format });
      bar.stop();
      writeFileSync(o.out, buf);
      process.stdout.write(`${o.out}\n`);
    });
  }));

const hh = program.command('households').description('农户 / households');
hh.command('list')
  .description('列出农户 / list households')
  .option('--area <code>')
  .option('--status <code>', '脱贫标志 / exit status code')
  .option('--attribute <code>')
  .option('--cause <code>')
  .option('--year <year>')
  .option('--q <text>', '姓名、户编号或身份证号 / name, household number or ID')
  .option('--page <n>', 'page', '1')
  .option('--page-size <n>', 'page size', '20')
  .option('--json', 'JSON output')
  .action(run(async (o: Record<string, string | boolean | undefined>) => {
    await withDb(async (_d, ctx) => {
      const r = await listHouseholds(ctx, {
        area: o.area as string | undefined, status: o.status as string | undefined, attribute: o.attribute as string | undefined,
        cause: o.cause as string | undefined, year: o.year ? Number(o.year) : undefined, q: o.q as string | undefined,
        page: Number(o.page), pageSize: Number(o.pageSize),
      });
      print({ json: Boolean(o.json) }, r, () => {
        const rows = r.items.map((i) => ({ ...i, attribute: labelOf('attribute', i.attribute), exitStatus: labelOf('exitStatus', i.exitStatus), mainCause: i.mainCause ? labelOf('cause', i.mainCause) : '' }));
        return `${table(rows, [
          { key: 'id', title: 'ID' }, { key: 'householdNo', title: '户编号' }, { key: 'headName', title: '户主' }, { key: 'headIdNumber', title: '身份证号' },
          { key: 'size', title: '人数' }, { key: 'villageName', title: '村' }, { key: 'attribute', title: '属性' }, { key: 'exitStatus', title: '脱贫标志' },
          { key: 'mainCause', title: '主要致贫原因' }, { key: 'perCapitaIncome', title: '人均纯收入' },
        ])}\n共 ${r.total} 户，第 ${r.page} 页 / ${r.total} households, page ${r.page}`;
      });
    });
  }));
hh.command('show <id>')
  .description('一户一档 / one household')
  .option('--json', 'JSON output')
  .action(run(async (id: string, o: { json?: boolean }) => {
    await withDb(async (_d, ctx) => {
      const h = await getHousehold(ctx, Number(id));
      print(o, h, () => [
        `户编号 ${h.householdNo}  户主 ${h.headName}  ${h.area.county} ${h.area.township} ${h.area.village}`,
        `属性 ${labelOf('attribute', h.attribute)}  脱贫标志 ${labelOf('exitStatus', h.exitStatus)}  主要致贫原因 ${h.mainCause ? labelOf('cause', h.mainCause) : ''}  版本 ${h.version}`,
        '',
        table(h.members.map((m) => ({ ...m, relation: labelOf('relation', m.relation), sex: labelOf('sex', m.sex), ethnicity: labelOf('ethnicity', m.ethnicity) })), [
          { key: 'name', title: '姓名' }, { key: 'idNumber', title: '身份证号' }, { key: 'relation', title: '关系' }, { key: 'sex', title: '性别' },
          { key: 'birthDate', title: '出生日期' }, { key: 'ethnicity', title: '民族' },
        ]),
        '',
        table(h.years.map((y) => ({ ...y, status: labelOf('exitStatus', y.status) })), [
          { key: 'year', title: '年度' }, { key: 'householdSize', title: '人数' }, { key: 'status', title: '脱贫标志' }, { key: 'perCapitaIncome', title: '人均纯收入' },
        ]),
      ].join('\n'));
    });
  }));

const policy = program.command('policy').description('政策参数（按年度、地区，注明来源）/ policy parameters by year and region, with sources');
const policyColumns = [
  { key: 'key', title: '参数 key' }, { key: 'nameZh', title: '名称' }, { key: 'year', title: '起始年度' }, { key: 'regionText', title: '地区' },
  { key: 'valueText', title: '取值' }, { key: 'unit', title: '单位' }, { key: 'source', title: '来源 source' },
];
function policyRows(items: PolicyParameterView[], fullSource = false) {
  return items.map((p) => ({
    ...p,
    nameZh: p.name.zh,
    regionText: p.region ? `${p.region} ${p.regionName.zh}` : p.regionName.zh,
    valueText: p.value === null ? '未知 unknown' : String(p.value),
    unit: p.unitLabel.zh,
    source: fullSource || p.source.length <= 60 ? p.source : `${p.source.slice(0, 60)}…`,
  }));
}
policy
  .command('list')
  .description('列出政策参数 / list policy parameters')
  .option('--key <key>', '只看一个参数 / one parameter')
  .option('--region <code>', "只看一个地区（'' 全国、2 位省、6 位县）/ one region ('' national, 2 or 6 digits)")
  .option('--json', 'JSON output')
  .action(run(async (o: { key?: string; region?: string; json?: boolean }) => {
    await withDb(async (_d, ctx) => {
      const items = await listParameters(ctx, { key: o.key, region: o.region });
      print(o, items, () => `${table(policyRows(items), policyColumns)}\n共 ${items.length} 行 / ${items.length} rows`);
    });
  }));
policy
  .command('show <key>')
  .description('一个参数的说明和各地区、各年度取值 / one parameter with its description and every row')
  .option('--json', 'JSON output')
  .action(run(async (key: string, o: { json?: boolean }) => {
    await withDb(async (_d, ctx) => {
      const p = await showParameter(ctx, key);
      print(o, p, () => [
        `${p.key}  ${p.name.zh} / ${p.name.en}  （单位 unit: ${p.unitLabel.zh} / ${p.unitLabel.en}）`,
        p.description.zh,
        p.description.en,
        `可设置的地区级别 levels: ${p.levels.join(', ')}${p.projectDefault ? '；项目默认值，非公开政策 / project default, not published policy' : ''}`,
        '',
        table(policyRows(p.rows, true), [
          ...policyColumns.filter((c) => !['key', 'nameZh', 'unit'].includes(c.key)),
          { key: 'updatedBy', title: '修改人' },
        ]),
      ].join('\n'));
    });
  }));
policy
  .command('set <key>')
  .description('设置某参数自某年度起在某地区的取值（留痕）/ set a parameter from a year for a region (audited)')
  .requiredOption('--year <year>', '自该年度起适用 / the year the value takes effect')
  .option('--region <code>', "'' 或省略为全国，2 位省级代码，6 位县级代码 / empty: national; 2-digit province; 6-digit county", '')
  .option('--value <number>', '数值 / the value')
  .option('--unknown', '数值未知（不猜测）/ the value is unknown (never guessed)')
  .requiredOption('--source <text>', '依据的文件（名称、文号或网址、日期）/ the document the value comes from')
  .option('--note <text>', '备注 / note')
  .option('--json', 'JSON output')
  .action(run(async (key: string, o: { year: string; region: string; value?: string; unknown?: boolean; source: string; note?: string; json?: boolean }) => {
    if ((o.value === undefined) === !o.unknown) {
      throw new ValidationError([{ field: 'value', zh: '请给出 --value <数值> 或 --unknown 之一（只能选一个）', en: 'Give exactly one of --value <number> or --unknown' }]);
    }
    const num = (s: string) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
    await withDb(async (_d, ctx) => {
      const r = await setParameter(ctx, { key, year: num(o.year), region: o.region, value: o.unknown ? null : num(o.value!), source: o.source, note: o.note });
      const p = r.parameter;
      print(o, r, () =>
        `${r.created ? '已新增 / created' : '已修改 / updated'}: ${p.key} ${p.year} 年起 ${p.region ? `${p.region} ${p.regionName.zh}` : '全国 national'} = ${p.value === null ? '未知 unknown' : `${p.value} ${p.unitLabel.zh}`}`,
      );
    });
  }));

const user = program.command('user').description('账号 / accounts');
user
  .command('add <username>')
  .description('新建账号 / add an account')
  .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
  .requiredOption('--area <code>', '管辖区划代码 / area code of the account')
  .addOption(new Option('--password <password>', 'password (or env JINGZHUN_PASSWORD)').env('JINGZHUN_PASSWORD'))
  .option('--name <name>', '显示名 / display name')
  .option('--json', 'JSON output')
  .action(run(async (username: string, o: { role: string; area: string; password?: string; name?: string; json?: boolean }) => {
    if (!o.password) throw new Error('--password or JINGZHUN_PASSWORD is required');
    await withDb(async (_d, ctx) => {
      // The administrator chose this password: the account changes it at first login (issue 7).
      const u = await createUser(ctx, { username, role: o.role, areaCode: o.area, password: o.password!, displayName: o.name }, { mustChangePassword: true });
      print(o, u, () => `已创建账号 / created: ${u.username} (${u.roleLabel.zh}, ${u.areaName ?? u.areaCode})`);
    });
  }));
user
  .command('list')
  .description('账号列表 / list accounts')
  .option('--json', 'JSON output')
  .action(run(async (o: { json?: boolean }) => {
    await withDb(async (_d, ctx) => {
      const items = await listUsers(ctx);
      print(o, items, () => table(items.map((u) => ({ ...u, role: u.roleLabel.zh })), [
        { key: 'username', title: '用户名' }, { key: 'displayName', title: '名称' }, { key: 'role', title: '角色' }, { key: 'areaCode', title: '区划' }, { key: 'areaName', title: '区划名称' },
      ]));
    });
  }));

// Feature commands live in cli/commands/, one file per feature, each exporting a register function.
registerExitPanelCommands(program);
registerIndicatorCommands(program);
registerMonitoringCommands(program);
registerCaseCommands(program);
registerCalculatorCommands(program);
registerPairingCommands(program);
registerProjectCommands(program);
registerMeasureCommands(program);
registerLinkCommands(program);
registerReportCommands(program);
registerPovertyMeasureCommands(program);
(await import('./commands/assessment.js')).registerAssessmentCommands(program);
(await import('./commands/audit.js')).registerAuditCommands(program);
(await import('./commands/supervision.js')).registerSupervisionCommands(program);
(await import('./commands/backup.js')).registerBackupCommands(program);
(await import('./commands/keys.js')).registerKeysCommands(program);

program.addHelpText('after', `\n数据目录 data dir: ${appDataDir()} (JINGZHUN_DATA_DIR); DATABASE_URL=postgres://… uses PostgreSQL instead.`);

await program.parseAsync(process.argv);
