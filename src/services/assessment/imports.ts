// Questionnaires from a spreadsheet (issue 8): the template is the plan's sample with empty answer
// columns (one row per sampled household); evaluators fill it in Excel or WPS and upload it (.xlsx
// or .csv in UTF-8 or GBK). The upload is all or nothing: every bad cell is named by row and column
// and nothing is saved until the whole file is right.
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { NotFound, ValidationError, type FieldIssue, type Msg } from '../../domain/errors.js';
import { SURVEY_LABELS, type SurveyAnswers } from '../../domain/assessment/survey.js';
import { HOUSEHOLD_STRATUM_LABELS } from '../../domain/assessment/plan.js';
import { require, type Ctx } from '../context.js';
import { decodeText } from '../imports/encoding.js';
import { neutralise, xlsxBuffer } from '../imports/export.js';
import { planFor } from './access.js';
import { sampleOf } from './sample.js';
import { requireDrawn, sampleRow, saveSurveyTx } from './surveys.js';

type Kind = 'info' | 'id' | 'choice' | 'date' | 'int' | 'money' | 'bool' | 'text';
interface Column { key: string; label: Msg; kind: Kind }

const info = (key: string, zh: string, en: string): Column => ({ key, label: { zh, en }, kind: 'info' });
const ans = (key: keyof SurveyAnswers, kind: Kind): Column => ({ key, label: SURVEY_LABELS[key], kind });

const col = (key: string): Column => SURVEY_COLUMNS.find((c) => c.key === key)!;

export const SURVEY_COLUMNS: Column[] = [
  { key: 'sampleId', label: { zh: '样本编号', en: 'sample id' }, kind: 'id' },
  { key: 'version', label: { zh: '问卷版本（勿改）', en: 'questionnaire version (do not change)' }, kind: 'int' },
  info('village', '村', 'village'),
  info('stratum', '类别', 'stratum'),
  info('householdNo', '户编号', 'household no'),
  info('registerHead', '登记户主', 'registered head'),
  info('groupName', '村民小组', 'group'),
  info('rosterNo', '花名册第几户（非建档立卡）', 'roster position (non-registered)'),
  ans('outcome', 'choice'),
  ans('surveyedOn', 'date'),
  ans('headName', 'text'),
  ans('householdSize', 'int'),
  ans('perCapitaIncome', 'money'),
  ans('foodSecure', 'bool'),
  ans('clothingSecure', 'bool'),
  ans('educationSecure', 'bool'),
  ans('medicalSecure', 'bool'),
  ans('housingSecure', 'bool'),
  ans('waterSecure', 'bool'),
  ans('exitCorrect', 'bool'),
  ans('stillPoor', 'bool'),
  ans('omitted', 'bool'),
  ans('approves', 'bool'),
  ans('note', 'text'),
];

const header = (c: Column) => `${c.label.zh}（${c.key}）`;

/** A saved answer as the evaluator would type it. */
function templateCell(c: Column, v: unknown): string | number {
  if (v === null || v === undefined) return '';
  if (c.kind === 'bool') return v ? '是' : '否';
  if (c.kind === 'int' || c.kind === 'money') return Number(v);
  return neutralise(String(v));
}

/** The import template: the plan's sample, one row per household, answers empty (or as saved). */
export async function surveyTemplate(ctx: Ctx, planId: number): Promise<Buffer> {
  const p = await planFor(ctx.db, ctx, planId, 'read');
  const sample = await sampleOf(ctx.db, p);
  // The template carries the questionnaires saved so far, with their versions, to be corrected in place.
  const saved = await ctx.db.query<Record<string, unknown>>(
    `SELECT sample_id AS "sampleId", version, outcome, to_char(surveyed_on, 'YYYY-MM-DD') AS "surveyedOn", head_name AS "headName", household_size AS "householdSize",
            per_capita_income AS "perCapitaIncome", food_secure AS "foodSecure", clothing_secure AS "clothingSecure", education_secure AS "educationSecure",
            medical_secure AS "medicalSecure", housing_secure AS "housingSecure", water_secure AS "waterSecure", exit_correct AS "exitCorrect",
            still_poor AS "stillPoor", omitted, approves, note
       FROM assessment_surveys WHERE county_code = $1 AND plan_id = $2`,
    [p.countyCode, p.id],
  );
  const answers = new Map(saved.map((r) => [Number(r.sampleId), r]));
  return xlsxBuffer((wb) => {
    const ws = wb.addWorksheet('问卷 surveys', { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
    ws.columns = SURVEY_COLUMNS.map((c) => ({ width: c.kind === 'info' ? 16 : 12, style: c.kind === 'text' || c.kind === 'info' ? { numFmt: '@' } : {} }));
    ws.addRow(SURVEY_COLUMNS.map(header)).commit();
    for (const v of sample.villages) {
      for (const h of v.households) {
        const saved = answers.get(h.sampleId);
        const info = [h.sampleId, saved ? Number(saved.version) : '', `${v.name}（${v.code}）`, `${h.stratumLabel.zh}（${h.stratum}）`, h.householdNo ?? '', neutralise(h.headName ?? ''), neutralise(h.groupName ?? ''), h.rosterNo ?? ''];
        const rest = SURVEY_COLUMNS.slice(info.length).map((c) => (saved ? templateCell(c, saved[c.key]) : ''));
        ws.addRow([...info, ...rest]).commit();
      }
    }
    const help = wb.addWorksheet('说明 help');
    help.addRow(['列 column', '填写 how to fill']).commit();
    help.addRow([header(col('version')), '已录入问卷的版本号，导入时用来防止覆盖他人的修改；请勿改动 / the saved questionnaire\'s version, which stops an import overwriting someone else\'s change; do not edit']).commit();
    help.addRow([header(col('outcome')), 'completed（已完成）或 not_reached（未入户，备注写明原因）/ completed or not_reached (give the reason in the note)']).commit();
    help.addRow(['是/否 yes/no', '是 / 否（也可填 Y/N、true/false、1/0）；不适用的留空 / leave empty when it does not apply']).commit();
    help.addRow([header(col('exitCorrect')), `只填${HOUSEHOLD_STRATUM_LABELS.exited.zh} / exited households only`]).commit();
    help.addRow([header(col('stillPoor')), `只填${HOUSEHOLD_STRATUM_LABELS.remaining.zh} / remaining households only`]).commit();
    help.addRow([header(col('omitted')), `只填${HOUSEHOLD_STRATUM_LABELS.nonRegistered.zh}，并填户主姓名 / non-registered households only, with the head's name`]).commit();
    help.commit();
    ws.commit();
  });
}

function columnOf(h: string): Column | undefined {
  const t = h.trim().replace(/^\uFEFF/, '');
  return SURVEY_COLUMNS.find((c) => t === header(c) || t === c.key || t === c.label.zh || t.toLowerCase() === c.label.en.toLowerCase());
}

async function readRows(fileName: string, data: Buffer): Promise<string[][]> {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xlsx')) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(data as unknown as ArrayBuffer);
    } catch {
      throw new ValidationError([{ field: 'file', zh: `${fileName} 不是有效的 .xlsx 文件；请用 Excel/WPS 另存为 .xlsx 或 .csv`, en: `${fileName} is not a valid .xlsx file; save it as .xlsx or .csv from Excel/WPS` }]);
    }
    const ws = wb.worksheets[0];
    const rows: string[][] = [];
    ws?.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        const v = cell.value;
        cells[col - 1] = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'object' && 'text' in v ? String(v.text) : typeof v === 'object' && 'result' in v ? String(v.result ?? '') : String(v);
      });
      rows[n - 1] = Array.from(cells, (c) => c ?? '');
    });
    return Array.from(rows, (r) => r ?? []);
  }
  if (lower.endsWith('.csv')) {
    const { text } = decodeText(data);
    return parseCsv(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  }
  throw new ValidationError([{ field: 'file', zh: `不支持的文件类型：${fileName}；请上传 .xlsx 或 .csv`, en: `Unsupported file type: ${fileName}; upload .xlsx or .csv` }]);
}

const YES = new Set(['是', 'y', 'yes', 'true', '1', '有']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '无']);

function cellValue(c: Column, text: string, row: number, issues: FieldIssue[]): unknown {
  const t = text.trim().replace(/^'(?=[=+\-@])/, '');
  if (t === '') return undefined;
  const bad = (zh: string, en: string) => {
    issues.push({ field: c.key, row, column: header(c), value: t, zh: `第 ${row} 行「${header(c)}」：${zh}`, en: `Row ${row}, column "${header(c)}": ${en}` });
    return null;
  };
  switch (c.kind) {
    case 'bool': {
      const l = t.toLowerCase();
      if (YES.has(l)) return true;
      if (NO.has(l)) return false;
      return bad(`应填“是”或“否”，收到“${t}”`, `fill in yes (是) or no (否), got "${t}"`);
    }
    case 'int':
    case 'money':
    case 'id': {
      const n = Number(t.replace(/,/g, ''));
      return Number.isFinite(n) && /^-?[\d,]+(\.\d+)?$/.test(t) ? n : bad(`应为数字，收到“${t}”`, `must be a number, got "${t}"`);
    }
    case 'choice': {
      if (t === '已完成') return 'completed';
      if (t === '未入户') return 'not_reached';
      return t;
    }
    case 'date': {
      const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
      return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : t;
    }
    default:
      return t;
  }
}

export interface SurveyImportResult {
  rows: number;
  saved: number;
  created: number;
  updated: number;
  /** Rows repeating a saved questionnaire exactly (a re-exported template): left alone. */
  unchanged: number;
}

/** Imports a filled template: all rows saved, or none and every problem listed with its row and column. */
export async function importSurveys(ctx: Ctx, planId: number, file: { fileName: string; data: Buffer }, now?: Date): Promise<SurveyImportResult> {
  require(ctx, 'assessment.survey');
  const table = await readRows(file.fileName, file.data);
  const [head = [], ...body] = table;
  const cols = head.map((h) => columnOf(String(h ?? '')));
  const issues: FieldIssue[] = [];
  head.forEach((h, i) => {
    if (String(h ?? '').trim() !== '' && !cols[i]) issues.push({ field: 'file', row: 1, column: String(h), zh: `第 1 行：不认识的列「${h}」；请使用导出的模板`, en: `Row 1: unknown column "${h}"; use the exported template` });
  });
  const idAt = cols.findIndex((c) => c?.key === 'sampleId');
  if (idAt < 0) issues.push({ field: 'file', row: 1, zh: '缺少「样本编号（sampleId）」列；请使用导出的模板', en: 'The "sample id (sampleId)" column is missing; use the exported template' });
  if (issues.length) throw new ValidationError(issues, { zh: '文件的表头不对，未导入任何问卷', en: 'The file header is wrong; no questionnaire was imported' });
  return ctx.db.transaction(async (tx) => {
    const p = await planFor(tx, ctx, planId, 'survey', true);
    requireDrawn(p);
    const seen = new Map<number, number>();
    let rows = 0;
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (const [i, cells] of body.entries()) {
      const row = i + 2;
      if (!cells || cells.every((c) => String(c ?? '').trim() === '')) continue;
      const raw: Record<string, unknown> = {};
      const refused = new Set<string>();
      cols.forEach((c, j) => {
        if (!c || c.kind === 'info') return;
        const v = cellValue(c, String(cells[j] ?? ''), row, issues);
        // A cell already refused (null) is left out, so it is not reported again as missing.
        if (v !== undefined && v !== null) raw[c.key] = v;
        else if (v === null) refused.add(c.key);
      });
      // Only rows with an answer count: the template lists every household, filled or not.
      const answered = refused.size > 0 || Object.keys(raw).some((k) => k !== 'sampleId' && k !== 'version');
      if (!answered) continue;
      rows += 1;
      const id = raw.sampleId;
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
        issues.push({ field: 'sampleId', row, column: header(SURVEY_COLUMNS[0]!), zh: `第 ${row} 行：缺少样本编号`, en: `Row ${row}: the sample id is missing` });
        continue;
      }
      const first = seen.get(id);
      if (first !== undefined) {
        issues.push({ field: 'sampleId', row, column: header(SURVEY_COLUMNS[0]!), value: String(id), zh: `第 ${row} 行：样本编号 ${id} 与第 ${first} 行重复`, en: `Row ${row}: sample id ${id} repeats row ${first}` });
        continue;
      }
      seen.set(id, row);
      let s;
      try {
        s = await sampleRow(tx, p, id);
      } catch (e) {
        if (!(e instanceof NotFound)) throw e;
        issues.push({ field: 'sampleId', row, column: header(SURVEY_COLUMNS[0]!), value: String(id), zh: `第 ${row} 行：样本编号 ${id} 不在计划 ${p.id} 的样本中`, en: `Row ${row}: sample id ${id} is not in plan ${p.id}'s sample` });
        continue;
      }
      const [had] = await tx.query('SELECT 1 FROM assessment_surveys WHERE county_code = $1 AND plan_id = $2 AND sample_id = $3', [p.countyCode, p.id, id]);
      const r = await saveSurveyTx(tx, ctx, p, s, raw, { source: 'import', row, ...(now ? { now } : {}) });
      for (const x of r.issues.filter((i) => !refused.has(i.field))) {
        const col = SURVEY_COLUMNS.find((c) => c.key === x.field);
        issues.push({ ...x, ...(col ? { column: header(col) } : {}), zh: `第 ${row} 行：${x.zh}`, en: `Row ${row}: ${x.en}` });
      }
      if (r.saved) had ? (updated += 1) : (created += 1);
      if (r.unchanged) unchanged += 1;
    }
    if (issues.length) throw new ValidationError(issues, { zh: `文件有 ${issues.length} 处错误，未导入任何问卷；请按行列修改后重新上传`, en: `The file has ${issues.length} problems; no questionnaire was imported — fix the rows and columns listed and upload it again` });
    return { rows, saved: created + updated, created, updated, unchanged };
  });
}
