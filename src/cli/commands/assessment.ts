// `jingzhun assess …`: the third-party exit evaluation (issue 8) from the command line — plans, the
// frozen draw, route sheets and the questionnaire template, the questionnaire import (all or
// nothing, every bad cell named by row and column), results with intervals and verdicts, closing
// with its correction cases, discrepancies and findings (services/assessment/). Chinese first,
// English second; --json for scripts.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { ValidationError, type FieldIssue } from '../../domain/errors.js';
import { HOUSEHOLD_STRATUM_LABELS, VILLAGE_KIND_LABELS, type PlanSizes } from '../../domain/assessment/plan.js';
import type { Ctx } from '../../services/context.js';
import {
  closePlan, createPlan, drawPlan, exportFrame, getResults, getSample, importSurveys, listDiscrepancies, listFindings, listPlans, redrawPlan, surveyTemplate, verifyDraw,
  type PlanResults, type PlanView, type RateOutcome,
} from '../../services/assessment/index.js';
import { print, table } from '../output.js';
import { run, withDb } from '../shared.js';

/** A number from the command line, or the text as given so the service names the field. */
function num(v: string | undefined): number | string | undefined {
  if (v === undefined) return undefined;
  return v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
}

function planId(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ValidationError([{ field: 'PLAN_ID', value: v, zh: `计划编号应为正整数，收到“${v}”`, en: `The plan id must be a positive whole number, got "${v}"` }]);
  return n;
}

/** Bad input names the command-line option beside the service's field. */
async function optionNames<T>(p: Promise<T>, names: Record<string, string>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationError(e.issues.map((i): FieldIssue => (names[i.field] ? { ...i, field: `${names[i.field]} (${i.field})` } : i)), e.msg);
  }
}

/** --poor-villages: a file of village codes (any separators) or the codes themselves, comma-separated. */
function poorVillageCodes(v: string): string[] {
  const text = existsSync(v) && statSync(v).isFile() ? readFileSync(v, 'utf8') : v;
  return text.replace(/^\uFEFF/, '').split(/[\s,，;；、]+/).map((s) => s.trim()).filter(Boolean);
}

const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)}%`;
const weighted = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const VERDICT = { pass: '达标 pass', fail: '不达标 FAIL', unknown: '无法判断 unknown' } as const;

function sizesText(s: PlanSizes): string {
  const o = Object.entries(s.villageOverrides);
  return `每个苏木乡镇 per township: ${VILLAGE_KIND_LABELS.poor.zh} ${s.villages.poor}、${VILLAGE_KIND_LABELS.nonPoor.zh} ${s.villages.nonPoor}`
    + (o.length ? `（另定 overrides: ${o.map(([k, n]) => `${k}=${n}`).join(', ')}）` : '')
    + `；每村 per village: ${HOUSEHOLD_STRATUM_LABELS.exited.zh} ${s.households.exited}、${HOUSEHOLD_STRATUM_LABELS.remaining.zh} ${s.households.remaining}、${HOUSEHOLD_STRATUM_LABELS.nonRegistered.zh} ${s.households.nonRegistered}`;
}

function planText(p: PlanView): string {
  return [
    `评估计划 plan ${p.id}：${p.name}（${p.countyName} ${p.countyCode}，${p.year} 年）`,
    `状态 status: ${p.statusLabel.zh} / ${p.statusLabel.en}${p.replacesPlanId !== null ? `；重抽自计划 re-draw of plan ${p.replacesPlanId}` : ''}`,
    `随机种子 seed: ${p.seed}`,
    `抽样算法 algorithm: ${p.algorithm}`,
    `样本量 sizes: ${sizesText(p.sizes)}`,
    ...(p.poorVillages ? [`贫困村名单 poor villages (${p.poorVillages.length}): ${p.poorVillages.join(', ')}`] : []),
  ].join('\n');
}

function barText(r: RateOutcome): string {
  if (r.barPct === null) return '—';
  const atLeast = r.result ? r.result.verdict.comparison === 'at_least' : r.key === 'approval';
  return `${atLeast ? '≥' : '≤'} ${r.barPct}%`;
}

/** The four rates, the counts per stratum and the overall verdict, for people. */
function resultsText(r: PlanResults): string {
  const rates = r.rates.map((x) => {
    const e = x.result?.estimate;
    const d = e?.design;
    return {
      rate: `${x.label.zh} ${x.label.en}`,
      estimate: e ? pct(e.estimate) : '—',
      ci: e ? `[${pct(e.lower)}, ${pct(e.upper)}]` : '—',
      weighted: e ? `${weighted(e.numerator)} / ${weighted(e.denominator)}` : '—',
      sample: d ? `${d.sampleNumerator} / ${d.sampleDenominator}（${d.units} 户 units，${d.psus} 村 PSUs）` : e ? `${e.numerator} / ${e.denominator}` : '—',
      bar: barText(x),
      verdict: VERDICT[x.verdict],
    };
  });
  const counts = r.counts.map((c) => ({ ...c, label: `${HOUSEHOLD_STRATUM_LABELS[c.stratum].zh} ${c.stratum}` }));
  const total = r.counts.reduce((a, c) => ({ sampled: a.sampled + c.sampled, completed: a.completed + c.completed, notReached: a.notReached + c.notReached, pending: a.pending + c.pending }), { sampled: 0, completed: 0, notReached: 0, pending: 0 });
  const lonely = [...new Set(r.rates.flatMap((x) => x.result?.estimate.design?.singlePsuStrata ?? []))];
  return [
    `评估结果 results: 计划 plan ${r.planId}（${r.countyCode}，${r.year} 年）${r.frozen ? '已冻结 frozen at close' : '实时计算 computed live from the questionnaires so far'}，${r.computedAt}`,
    '',
    table(rates, [
      { key: 'rate', title: '指标 rate' }, { key: 'estimate', title: '估计 estimate' }, { key: 'ci', title: '95% 置信区间 CI' },
      { key: 'weighted', title: '加权分子/分母 weighted num/den' }, { key: 'sample', title: '样本 sample num/den' },
      { key: 'bar', title: '标准 bar' }, { key: 'verdict', title: '判定 verdict' },
    ]),
    '',
    ...r.rates.map((x) => `  ${x.reason.zh} / ${x.reason.en}`),
    '',
    '各层样本户 households by stratum:',
    table([...counts, { label: '合计 total', ...total }], [
      { key: 'label', title: '层 stratum' }, { key: 'sampled', title: '抽中 sampled' }, { key: 'completed', title: '已完成 completed' },
      { key: 'notReached', title: '未入户 not reached' }, { key: 'pending', title: '未录入 pending' },
    ]),
    '',
    `总体判定 verdict: ${VERDICT[r.verdict]} — ${r.reason.zh} / ${r.reason.en}`,
    ...(lonely.length ? [`只有一个村的层 strata with one village (adjust): ${lonely.join(', ')}`] : []),
    `方法 method: ${r.method.zh}`,
    `  ${r.method.en}`,
  ].join('\n');
}

/** Every issue of a rejected import, each with its row and column (the service's text already says them). */
function importIssues(e: ValidationError): string {
  const lines = e.issues.map((i) => {
    const where = i.row && !i.zh.includes(`第 ${i.row} 行`) ? `第 ${i.row} 行 row ${i.row}${i.column ? `，列「${i.column}」` : ''}：` : '';
    return `  - ${where}${i.zh} / ${i.en}`;
  });
  return [`错误：${e.msg.zh}`, `Error: ${e.msg.en}`, ...lines].join('\n');
}

export function registerAssessmentCommands(program: Command): void {
  const assess = program.command('assess').description('第三方评估：评估计划、抽样、问卷导入、结果 / third-party exit evaluation: plans, draw, questionnaires, results');

  assess
    .command('plan')
    .description('新建评估计划（草稿）/ create an evaluation plan (draft)')
    .requiredOption('--county <code>', '旗县代码 / county code (6 digits)')
    .requiredOption('--year <year>', '评估年度 / year evaluated')
    .requiredOption('--name <text>', '计划名称 / plan name')
    .option('--seed <text>', '公布的随机种子（默认：旗县-年度-随机数）/ published seed (default: county-year-random)')
    .option('--villages-poor <n>', '每个苏木乡镇抽贫困村数 / poor villages per township')
    .option('--villages-nonpoor <n>', '每个苏木乡镇抽非贫困村数 / non-poor villages per township')
    .option('--exited <n>', '每村抽已脱贫户数 / exited households per village')
    .option('--remaining <n>', '每村抽未脱贫户数 / remaining poor households per village')
    .option('--non-registered <n>', '每村抽非建档立卡户数 / non-registered households per village')
    .option('--poor-villages <file|codes>', '贫困村名单：文件或逗号分隔的村代码 / poor villages: a file or comma-separated village codes')
    .option('--json', 'JSON output')
    .action(run(async (o: {
      county: string; year: string; name: string; seed?: string; villagesPoor?: string; villagesNonpoor?: string;
      exited?: string; remaining?: string; nonRegistered?: string; poorVillages?: string; json?: boolean;
    }) => {
      const villages: Record<string, unknown> = {};
      const households: Record<string, unknown> = {};
      if (o.villagesPoor !== undefined) villages.poor = num(o.villagesPoor);
      if (o.villagesNonpoor !== undefined) villages.nonPoor = num(o.villagesNonpoor);
      if (o.exited !== undefined) households.exited = num(o.exited);
      if (o.remaining !== undefined) households.remaining = num(o.remaining);
      if (o.nonRegistered !== undefined) households.nonRegistered = num(o.nonRegistered);
      const body: Record<string, unknown> = { county: o.county, year: num(o.year), name: o.name, sizes: { villages, households } };
      if (o.seed !== undefined) body.seed = o.seed;
      if (o.poorVillages !== undefined) body.poorVillages = poorVillageCodes(o.poorVillages);
      await withDb(async (_d, ctx) => {
        const p = await optionNames(createPlan(ctx, body), {
          county: '--county', year: '--year', name: '--name', seed: '--seed', poorVillages: '--poor-villages',
          'sizes.villages.poor': '--villages-poor', 'sizes.villages.nonPoor': '--villages-nonpoor', 'sizes.households.exited': '--exited',
          'sizes.households.remaining': '--remaining', 'sizes.households.nonRegistered': '--non-registered',
        });
        print(o, p, () => [`已新建评估计划 created plan: ID ${p.id}`, planText(p), `下一步 next: jingzhun assess draw ${p.id}`].join('\n'));
      });
    }));

  assess
    .command('plans')
    .description('评估计划列表 / list evaluation plans')
    .option('--county <code>', '旗县代码 / county code')
    .option('--year <year>', '年度 / year')
    .option('--status <status>', '状态 / status (draft, drawn, closed, superseded)')
    .option('--json', 'JSON output')
    .action(run(async (o: { county?: string; year?: string; status?: string; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const items = await listPlans(ctx, { county: o.county, year: o.year === undefined ? undefined : Number(o.year), status: o.status });
        print(o, items, () => [
          table(items.map((p) => ({
            id: p.id, county: `${p.countyName} ${p.countyCode}`, year: p.year, name: p.name, status: `${p.statusLabel.zh} ${p.status}`,
            seed: p.seed, villages: p.villages, samples: p.samples, surveys: p.surveys, replaces: p.replacesPlanId ?? '', digest: p.frameDigest ? p.frameDigest.slice(0, 12) : '',
          })), [
            { key: 'id', title: 'ID' }, { key: 'county', title: '旗县 county' }, { key: 'year', title: '年度 year' }, { key: 'name', title: '名称 name' },
            { key: 'status', title: '状态 status' }, { key: 'seed', title: '种子 seed' }, { key: 'villages', title: '村 villages' },
            { key: 'samples', title: '样本户 households' }, { key: 'surveys', title: '问卷 surveys' }, { key: 'replaces', title: '重抽自 replaces' },
            { key: 'digest', title: '抽样框摘要 digest' },
          ]),
          `共 ${items.length} 个计划 / ${items.length} plans`,
        ].join('\n'));
      });
    }));

  assess
    .command('draw <planId>')
    .description('抽样并冻结样本（每个计划只抽一次）/ draw the sample and freeze it (once per plan)')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const p = await drawPlan(ctx, planId(id));
        const f = p.frameSummary;
        print(o, p, () => [
          `已抽样并冻结 drawn and frozen: 计划 plan ${p.id}（${p.countyName} ${p.countyCode}，${p.year} 年）`,
          `随机种子 seed: ${p.seed}`,
          `抽样算法 algorithm: ${p.algorithm}`,
          `抽样框摘要 frame digest (sha256): ${f.digest}`,
          `抽样框 frame: ${f.villages} 个村 villages，${f.registerHouseholds} 户建档立卡 registered households`,
          `贫困村 poor villages: ${f.poorRule.zh} / ${f.poorRule.en}`,
          ...(f.missingPopulation.length ? [`缺少 ${p.year} 年农村户数的村（非建档立卡层为空）/ villages without rural households for the year (no non-registered stratum): ${f.missingPopulation.join(', ')}`] : []),
          '',
          '第一阶段（村）strata, stage 1 (villages):',
          table(f.villageStrata.map((s) => ({ ...s, n: s.capped ? `${s.sampleSize}（要求 asked ${s.requestedSize}，全取 all taken）` : String(s.sampleSize) })), [
            { key: 'stratum', title: '层 stratum' }, { key: 'populationSize', title: 'N' }, { key: 'n', title: 'n' },
          ]),
          ...(f.cappedHouseholdStrata.length
            ? ['', '户数不足、全部抽取的层 household strata smaller than asked (all taken):', table(f.cappedHouseholdStrata, [
              { key: 'village', title: '村 village' }, { key: 'stratum', title: '层 stratum' }, { key: 'populationSize', title: 'M' }, { key: 'requestedSize', title: '要求 asked' },
            ])]
            : []),
          '',
          `样本 sample: ${p.villages} 个村 villages，${p.samples} 户 households`,
        ].join('\n'));
      });
    }));

  assess
    .command('redraw <planId>')
    .description('重新抽样：新建取代原计划的草稿计划（理由记入审计）/ re-draw: a new draft plan replacing this one (reason audited)')
    .requiredOption('--reason <text>', '理由 / reason')
    .option('--seed <text>', '新的随机种子 / new seed')
    .option('--name <text>', '新计划名称 / name of the new plan')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { reason: string; seed?: string; name?: string; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const p = await optionNames(redrawPlan(ctx, planId(id), { reason: o.reason, seed: o.seed, name: o.name }), { reason: '--reason', seed: '--seed', name: '--name' });
        print(o, p, () => [`已新建重抽计划 created re-draw plan: ID ${p.id}（取代 replaces ${id}，抽样后生效 / takes effect when drawn）`, planText(p), `下一步 next: jingzhun assess draw ${p.id}`].join('\n'));
      });
    }));

  assess
    .command('sample <planId>')
    .description('样本路线单（按村），或用 --out 写出问卷导入模板 / route sheets by village, or the questionnaire template with --out')
    .option('--village <code>', '只看一个村 / one village')
    .option('--out <file>', '写出问卷模板 .xlsx（整个计划）/ write the questionnaire template .xlsx (whole plan)')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { village?: string; out?: string; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        if (o.out) {
          const buf = await surveyTemplate(ctx, planId(id));
          writeFileSync(o.out, buf);
          process.stdout.write(`已写出问卷模板 wrote the questionnaire template: ${o.out}\n`);
          return;
        }
        const s = await getSample(ctx, planId(id), o.village);
        print(o, s, () => [
          `样本 sample: 计划 plan ${s.planId}（${s.countyCode}，${s.year} 年）`,
          ...s.villages.flatMap((v) => [
            '',
            `${v.townshipName} ${v.name}（${v.code}）${v.kindLabel.zh} ${v.kind}，层 stratum ${v.stratum}：N ${v.populationSize}，n ${v.sampleSize}，抽样顺序 draw order ${v.drawOrder}`,
            v.households.length
              ? table(v.households.map((h) => ({
                ...h, stratumText: `${h.stratumLabel.zh} ${h.stratum}`,
                who: h.householdNo ? `${h.householdNo} ${h.headName ?? ''}` : `花名册第 ${h.rosterNo} 户 roster #${h.rosterNo}`,
                group: h.groupName ?? '', size: h.registerSize ?? '',
                w: `${h.weight.value.toFixed(3)}`, status: h.outcome === 'completed' ? '已完成 completed' : h.outcome === 'not_reached' ? '未入户 not reached' : '待调查 pending',
              })), [
                { key: 'sampleId', title: '样本编号 sample id' }, { key: 'stratumText', title: '类别 stratum' }, { key: 'who', title: '户 household' },
                { key: 'group', title: '村民小组 group' }, { key: 'w', title: '权重 weight' }, { key: 'status', title: '问卷 survey' },
                { key: 'discrepancies', title: '差异 discrepancies' },
              ])
              : '  （无样本户 no households）',
          ]),
          '',
          `合计 totals: ${s.totals.villages} 个村 villages，${s.totals.households} 户 households；已完成 completed ${s.totals.surveyed}，未入户 not reached ${s.totals.notReached}，待调查 pending ${s.totals.pending}`,
        ].join('\n'));
      });
    }));

  assess
    .command('import <planId>')
    .description('导入问卷 .xlsx/.csv（先全部校验，有错则不保存）/ import questionnaires; all rows checked first, nothing saved on error')
    .requiredOption('--file <file>', '填好的问卷模板 / the filled template (.xlsx or .csv, UTF-8 or GBK)')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { file: string; json?: boolean }) => {
      const data = readFileSync(o.file);
      await withDb(async (_d, ctx) => {
        try {
          const r = await importSurveys(ctx, planId(id), { fileName: basename(o.file), data });
          print(o, r, () => `已导入问卷 imported: ${r.saved} 份 questionnaires（新增 created ${r.created}，更新 updated ${r.updated}；有答案的行 rows with answers ${r.rows}）`);
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          if (o.json) process.stdout.write(`${JSON.stringify({ status: 'rejected', message: e.msg, issues: e.issues }, null, 2)}\n`);
          process.stderr.write(`${importIssues(e)}\n`);
          process.exitCode = 1;
        }
      });
    }));

  assess
    .command('results <planId>')
    .description('评估结果：四项指标的估计、95% 置信区间、判定 / results: the four rates with estimates, 95% intervals and verdicts')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const r = await getResults(ctx, planId(id));
        print(o, r, () => resultsText(r));
      });
    }));

  assess
    .command('close <planId>')
    .description('结束评估：冻结结果，错退户自动发起纠正案件 / close: freeze the results and open a correction case per wrong exit')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const r = await closePlan(ctx, planId(id));
        print(o, r, () => [
          `已结束评估 closed: 计划 plan ${r.plan.id}（${r.plan.statusLabel.zh} / ${r.plan.statusLabel.en}）`,
          '',
          resultsText(r.results),
          '',
          `已发起错退纠正案件 ${r.casesOpened} 件 / ${r.casesOpened} exit-correction case(s) opened`,
        ].join('\n'));
      });
    }));

  assess
    .command('discrepancies <planId>')
    .description('问卷与登记信息的差异 / differences between questionnaires and the register')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const items = await listDiscrepancies(ctx, planId(id));
        print(o, items, () => [
          table(items.map((d) => ({
            ...d, village: `${d.villageName} ${d.villageCode}`, stratumText: `${HOUSEHOLD_STRATUM_LABELS[d.stratum].zh} ${d.stratum}`,
            who: `${d.householdNo ?? ''} ${d.headName ?? ''}`.trim(), reg: d.registerValue ?? '—', sur: d.surveyValue ?? '—',
          })), [
            { key: 'sampleId', title: '样本编号 sample id' }, { key: 'village', title: '村 village' }, { key: 'stratumText', title: '类别 stratum' },
            { key: 'who', title: '户 household' }, { key: 'field', title: '项目 field' }, { key: 'reg', title: '登记 register' }, { key: 'sur', title: '调查 survey' },
          ]),
          `共 ${items.length} 处差异 / ${items.length} discrepancies`,
        ].join('\n'));
      });
    }));

  assess
    .command('findings <planId>')
    .description('错退、漏评线索及其案件 / wrong exits and omissions found, with their cases')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const items = await listFindings(ctx, planId(id));
        print(o, items, () => [
          table(items.map((f) => ({
            ...f, kindText: `${f.kindLabel.zh} ${f.kind}`, village: `${f.villageName} ${f.villageCode}`,
            who: f.householdNo ? `${f.householdNo} ${f.headName ?? ''}` : `${f.headName ?? ''}（花名册第 ${f.rosterNo} 户 roster #${f.rosterNo}）`,
            caseText: f.caseId ?? '—', statusText: f.status === 'case_opened' ? '已发起案件 case opened' : '待处理 open',
          })), [
            { key: 'sampleId', title: '样本编号 sample id' }, { key: 'kindText', title: '类别 kind' }, { key: 'village', title: '村 village' },
            { key: 'who', title: '户 household' }, { key: 'caseText', title: '案件 case' }, { key: 'statusText', title: '状态 status' },
          ]),
          `共 ${items.length} 条 / ${items.length} findings`,
        ].join('\n'));
      });
    }));

  assess
    .command('verify <planId>')
    .description('用保存的抽样框和公布的种子重新抽样并核对 / re-run the draw from the stored frame and the published seed and compare')
    .option('--frame-out <file>', '同时导出抽样框（JSON）/ also write the frame (JSON) to this file')
    .option('--json', 'JSON output')
    .action(run(async (id: string, o: { frameOut?: string; json?: boolean }) => {
      await withDb(async (_d, ctx) => {
        const r = await verifyDraw(ctx, planId(id));
        if (o.frameOut) writeFileSync(o.frameOut, JSON.stringify(await exportFrame(ctx, planId(id)), null, 1));
        print(o, r, () => [
          `种子 seed: ${r.seed}`,
          `算法 algorithm: ${r.algorithm}`,
          `抽样框摘要 frame sha256: ${r.frameDigest}（重算 recomputed ${r.recomputedDigest === r.frameDigest ? '一致 same' : `不一致 DIFFERENT ${r.recomputedDigest}`}）`,
          r.matches
            ? `核对一致：重新抽样得到同样的 ${r.households} 户 / verified: the re-draw gives the same ${r.households} households`
            : `核对不一致 / MISMATCH:\n${r.differences.join('\n')}`,
          ...(o.frameOut ? [`抽样框已写入 frame written to ${o.frameOut}`] : []),
        ].join('\n'));
        if (!r.matches) process.exitCode = 1;
      });
    }));
}
