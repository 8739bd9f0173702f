// `jingzhun cases …` and `jingzhun evaluate household …`: the procedures' cases and the household
// evaluation from the console (as the local operator, who may take every step; audited as cli:<user>).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.js';
import type { Decision } from '../../domain/evaluate.js';
import { evaluateHousehold } from '../../services/evaluation.js';
import { actOnCase, addAttachment, getCase, listCases, openCase, type CaseView } from '../../services/cases/index.js';
import { print, table } from '../output.js';
import { run, withDb } from '../shared.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

function int(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new ValidationError([{ field: name, value: v, zh: `${name} 应为整数`, en: `${name} must be a whole number` }]);
  return n;
}

/** --field key=value … → input (every value is text: the step fields are text, dates and codes). */
function fieldsOf(pairs: string[] = []): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new ValidationError([{ field: 'field', value: p, zh: `--field 应写成 键=值（收到「${p}」）`, en: `--field must be key=value (got "${p}")` }]);
    input[p.slice(0, i)] = p.slice(i + 1);
  }
  return input;
}

const STATUS: Record<string, string> = { pass: '通过 pass', fail: '未通过 fail', unknown: '未知 unknown' };
const eligible = (e: boolean | null) => (e === true ? '符合 eligible' : e === false ? '不符合 not eligible' : '无法判断 cannot decide');

function showCase(v: CaseView): string {
  const lines = [
    `案件 case ${v.id}  ${v.workflowLabel.zh} / ${v.workflowLabel.en}`,
    `农户 household: ${v.household.householdNo} ${v.household.headName}（${v.household.townshipName} ${v.household.villageName}）  年度 year: ${v.year ?? '—'}`,
    `状态 state: ${v.stateLabel.zh} / ${v.stateLabel.en}（${v.state}）  seq ${v.seq}${v.closed ? '  已办结 closed' : ''}`,
  ];
  if (v.notice) lines.push(`公示 notice: ${v.notice.startedOn} 起，${v.notice.endsOn} 期满${v.notice.ended ? '（已期满 over）' : ''} / from ${v.notice.startedOn}, ends ${v.notice.endsOn}`);
  if (v.deadline && !v.deadline.met) lines.push(`期限 deadline: ${v.deadline.label.zh} ${v.deadline.dueOn} 前 / ${v.deadline.label.en} by ${v.deadline.dueOn}`);
  for (const f of v.overdue) lines.push(`逾期 overdue: ${f.zh} / ${f.en}`);
  lines.push('', '办理记录 timeline:');
  lines.push(v.events.length
    ? table(v.events.map((e) => ({ seq: e.seq, at: e.at.slice(0, 16).replace('T', ' '), who: e.actor.username, step: `${e.actionLabel.zh}`, to: e.toLabel.zh, comment: e.comment })), [
      { key: 'seq', title: '#' }, { key: 'at', title: '时间(UTC)' }, { key: 'who', title: '办理人' }, { key: 'step', title: '步骤' }, { key: 'to', title: '结果状态' }, { key: 'comment', title: '备注' },
    ])
    : '  （无 none）');
  lines.push('', '可办理 allowed now:');
  if (!v.allowedActions.length) lines.push('  （无 none）');
  for (const a of v.allowedActions) {
    const fields = a.fields.map((f) => `${f.key}${f.optional ? '?' : ''}${f.kind === 'evaluation' ? '(系统计算 computed)' : ''}`).join(', ');
    const atts = a.attachments.map((x) => x.kind).join(', ');
    lines.push(`  ${a.action}: ${a.label.zh} / ${a.label.en}${fields ? `  字段 fields: ${fields}` : ''}${atts ? `  附件 attachments: ${atts}` : ''}`);
  }
  return lines.join('\n');
}

function showDecision(title: string, d: Decision): string[] {
  return [`${title}: ${eligible(d.eligible)}`, ...d.reasons.map((r) => `  - ${r.zh}\n    ${r.en}`)];
}

export function registerCaseCommands(program: Command): void {
  const cases = program.command('cases').description('识别、退出、防返贫监测、错退纠正案件 / cases of the identification, exit, monitoring and exit-correction procedures');

  cases
    .command('list')
    .description('列出案件 / list cases')
    .option('--area <code>', '区划代码 / area code')
    .option('--workflow <key>', 'identification | household_exit | monitoring | exit_correction')
    .option('--state <state>', '状态 / state')
    .option('--overdue', '只列逾期 / only overdue (ended notice not closed, or deadline passed)')
    .option('--open', '只列未办结 / only open cases')
    .option('--json', 'JSON')
    .action(run(async (o: { area?: string; workflow?: string; state?: string; overdue?: boolean; open?: boolean; json?: boolean }) => {
      await withDb(async (_db, ctx) => {
        const r = await listCases(ctx, { area: o.area, workflow: o.workflow, state: o.state, overdue: o.overdue ? true : undefined, closed: o.open ? false : undefined, pageSize: 500 });
        print(o, r, () => `${table(r.items.map((c) => ({ ...c, wf: c.workflowLabel.zh, st: c.stateLabel.zh, od: c.overdue ? '逾期' : '', notice: c.noticeEndsOn ?? '' })), [
          { key: 'id', title: '案件' }, { key: 'wf', title: '程序' }, { key: 'householdNo', title: '户编号' }, { key: 'headName', title: '户主' }, { key: 'villageName', title: '村' },
          { key: 'st', title: '状态' }, { key: 'seq', title: 'seq' }, { key: 'notice', title: '公示期满' }, { key: 'od', title: '逾期' },
        ])}\n共 ${r.total} 件 / ${r.total} cases${r.total > r.items.length ? `（显示前 ${r.items.length} / first ${r.items.length} shown）` : ''}`);
      });
    }));

  cases
    .command('show <id>')
    .description('案件详情 / one case with its timeline and next steps')
    .option('--json', 'JSON')
    .action(run(async (id: string, o: { json?: boolean }) => {
      await withDb(async (_db, ctx) => {
        const v = await getCase(ctx, int(id, 'id'));
        print(o, v, () => showCase(v));
      });
    }));

  cases
    .command('open')
    .description('发起案件 / open a case for a household')
    .requiredOption('--workflow <key>', 'identification | household_exit | monitoring (exit_correction is opened only by a closed evaluation)')
    .requiredOption('--household <id>', '农户 id / household id')
    .option('--year <year>', '年度 / the yearly record the case is about')
    .option('--json', 'JSON')
    .action(run(async (o: { workflow: string; household: string; year?: string; json?: boolean }) => {
      await withDb(async (_db, ctx) => {
        const v = await openCase(ctx, { workflow: o.workflow, householdId: int(o.household, 'household'), ...(o.year ? { year: int(o.year, 'year') } : {}) });
        print(o, v, () => showCase(v));
      });
    }));

  cases
    .command('attach <id> <file>')
    .description('上传附件，得到附件 id / upload an attachment; prints its id for `cases act --attachment`')
    .requiredOption('--kind <kind>', 'application | meeting_minutes | notice_photo | announcement | verification_record | household_signature')
    .option('--mime <type>', 'MIME type', 'application/octet-stream')
    .option('--json', 'JSON')
    .action(run(async (id: string, file: string, o: { kind: string; mime: string; json?: boolean }) => {
      const bytes = readFileSync(file);
      await withDb(async (_db, ctx) => {
        const a = await addAttachment(ctx, { caseId: int(id, 'id'), kind: o.kind, filename: basename(file), mime: o.mime, bytes });
        print(o, a, () => `附件 attachment ${a.id}: ${a.kindLabel.zh} ${a.filename} ${a.size} B sha256 ${a.sha256}`);
      });
    }));

  cases
    .command('act <id>')
    .description('办理一步 / take a step (see `cases show` for the allowed steps and their fields)')
    .requiredOption('--action <action>', '步骤 / action id')
    .requiredOption('--seq <n>', '案件当前 seq / the seq you saw')
    .option('--comment <text>', '备注 / comment')
    .option('--field <key=value>', '字段，可重复 / a field, repeatable', collect)
    .option('--attachment <id>', '附件 id，可重复 / an uploaded attachment id, repeatable', collect)
    .option('--months-above-threshold <n>', '风险消除：收入稳定超过监测线的月数 / risk elimination: verified months above the threshold')
    .option('--rigid-expenses-resolved <yes|no>', '风险消除：大额刚性支出已解决 / risk elimination: rigid expenses resolved')
    .option('--json', 'JSON')
    .action(run(async (id: string, o: { action: string; seq: string; comment?: string; field?: string[]; attachment?: string[]; monthsAboveThreshold?: string; rigidExpensesResolved?: string; json?: boolean }) => {
      const facts = {
        ...(o.monthsAboveThreshold !== undefined ? { monthsAboveThreshold: int(o.monthsAboveThreshold, 'months-above-threshold') } : {}),
        ...(o.rigidExpensesResolved !== undefined ? { rigidExpensesResolved: /^(y|yes|true|1|是)$/i.test(o.rigidExpensesResolved) } : {}),
      };
      await withDb(async (_db, ctx) => {
        const v = await actOnCase(ctx, {
          caseId: int(id, 'id'), action: o.action, seq: int(o.seq, 'seq'), comment: o.comment, input: fieldsOf(o.field),
          attachmentIds: (o.attachment ?? []).map((a) => int(a, 'attachment')), facts,
        });
        print(o, v, () => showCase(v));
      });
    }));

  const evaluate = program.command('evaluate').description('评估（含理由）/ evaluation with reasons');
  evaluate
    .command('household <id>')
    .description('评估一户某年度：七项检查、识别、退出、风险消除 / a household for a year: the checks and each decision')
    .requiredOption('--year <year>', '年度 / year')
    .option('--as-of <date>', '评估日 YYYY-MM-DD（默认今天）/ evaluation day (default today, China time)')
    .option('--json', 'JSON')
    .action(run(async (id: string, o: { year: string; asOf?: string; json?: boolean }) => {
      await withDb(async (_db, ctx) => {
        const e = await evaluateHousehold(ctx, { householdId: int(id, 'id'), year: int(o.year, 'year'), ...(o.asOf ? { asOf: o.asOf } : {}) });
        print(o, e, () => [
          `户编号 household ${e.householdNo}  ${e.year} 年 year  评估日 as of ${e.asOf}  人均纯收入 per-capita net income: ${e.perCapitaNetIncome ?? '—'}`,
          '',
          '检查 checks:',
          ...e.checks.map((c) => `  [${STATUS[c.status]}] ${c.label.zh} / ${c.label.en}\n      ${c.reason.zh}\n      ${c.reason.en}`),
          '',
          ...showDecision('识别 identification', e.identification),
          ...showDecision('脱贫退出 exit', e.exit),
          ...(e.riskElimination ? showDecision('风险消除 risk elimination', e.riskElimination) : []),
          '',
          `所用参数 parameters used: ${e.params.map((p) => `${p.key}=${p.value ?? '未知 unknown'}（${p.year}${p.region ? `, ${p.region}` : ''}）`).join('; ')}`,
        ].join('\n'));
      });
    }));
}
