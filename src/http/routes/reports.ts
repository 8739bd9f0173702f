// Reports (报表) and the public-data export (公开数据): each report as an Excel workbook
// (format=xlsx, the default) or as JSON for its printable web page (format=json). Thin: parse,
// call the service (which checks role, scope and input), present.
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import {
  countyExitReport, countyExitWorkbook, householdReport, householdWorkbook, mpiReport, mpiWorkbook, publicData, publicDataWorkbook, villageReport, villageWorkbook,
} from '../../services/reports/index.js';

const tags = ['reports'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const format = z.enum(['xlsx', 'json']).default('xlsx').describe('xlsx: the workbook (default); json: the same data, for the printable page');
const year = z.coerce.number().int().min(2000).max(2100).describe('年度 year');
const area = (what: string) => z.string().max(12).describe(what);
const count = (what: string) => z.coerce.number().int().min(0).optional().describe(`${what}; give all six or none`);

function attachment(name: string) {
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
}

async function send<T>(reply: FastifyReply, fmt: 'xlsx' | 'json', data: T, book: (d: T) => Promise<Buffer>, name: string) {
  if (fmt === 'json') return data;
  return reply.header('content-type', XLSX).header('content-disposition', attachment(name)).send(await book(data));
}

export default function reportRoutes(app: ZodApp) {
  app.get('/api/v1/reports/household', {
    schema: {
      tags,
      summary: '一户一档（.xlsx 或 JSON）Household file card',
      description: 'The household, members (ID numbers and phones masked unless reveal=true, which is audited per member), yearly income against the poverty line, 两不愁三保障, pairing, plan and the measures of `year` (default the latest record). Needs register.read.',
      querystring: z.object({
        id: z.coerce.number().int().positive().describe('household id'),
        year: year.optional().describe('the year of the measures listed; default the latest record'),
        reveal: z.enum(['true', 'false']).optional().describe('true: full ID numbers and phones (audited)'),
        format,
      }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const r = await householdReport(ctxOf(req, app.db), { id: q.id, year: q.year, reveal: q.reveal === 'true' });
    return send(reply, q.format, r, householdWorkbook, `一户一档-${r.household.householdNo}.xlsx`);
  });

  app.get('/api/v1/reports/village', {
    schema: {
      tags,
      summary: '村级报表（.xlsx 或 JSON）Village report',
      description: 'Every household of the village with a record for the year, a totals row, incidence against the rural population and the village exit verdict. Names heads of households: needs register.read (researchers: use /public-data).',
      querystring: z.object({ area: area('12-digit village code'), year, format }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const r = await villageReport(ctxOf(req, app.db), { area: q.area, year: q.year });
    return send(reply, q.format, r, villageWorkbook, `村级报表-${r.area.name}-${r.year}.xlsx`);
  });

  app.get('/api/v1/reports/county-exit', {
    schema: {
      tags,
      summary: '县级退出报告（.xlsx 或 JSON）County exit report',
      description: 'The county incidence bar, the assessment bars when all six survey counts are given (evaluated, not stored), and the townships and villages (worst first). Aggregates only.',
      querystring: z.object({
        area: area('6-digit county code'),
        year,
        format,
        sampledExited: count('抽查已脱贫人数 sampled exited people'),
        wronglyExited: count('错退人数 wrongly exited people'),
        sampledNonRegistered: count('抽查未建档立卡农村人口 sampled non-registered rural people'),
        omitted: count('漏评人数 omitted people'),
        surveyedHouseholds: count('受访户数 surveyed households'),
        approving: count('认可户数 approving households'),
      }),
    },
  }, async (req, reply) => {
    const { area: code, year: y, format: fmt, ...survey } = req.query;
    const r = await countyExitReport(ctxOf(req, app.db), { area: code, year: y, survey });
    return send(reply, fmt, r, countyExitWorkbook, `县级退出报告-${r.area.name}-${r.year}.xlsx`);
  });

  app.get('/api/v1/reports/mpi', {
    schema: {
      tags,
      summary: '年度多维贫困报告（.xlsx 或 JSON）Yearly multidimensional poverty report',
      description: 'H, A and M0 with the default dimension set, each indicator’s uncensored and censored headcount ratios and contributions, by dimension, and breakdowns by child area, ethnicity and sex of the head, and main cause. Aggregates only. The workbook gives the contributions as a table (exceljs cannot draw charts).',
      querystring: z.object({ area: area('2- to 12-digit area code'), year, format }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const r = await mpiReport(ctxOf(req, app.db), { area: q.area, year: q.year });
    return send(reply, q.format, r, mpiWorkbook, `多维贫困报告-${r.area.name}-${r.year}.xlsx`);
  });

  app.get('/api/v1/public-data', {
    schema: {
      tags,
      summary: '公开数据（.xlsx）Public data for researchers',
      description: 'One workbook: 说明 (about, suppression rules, data dictionary), aggregates (by area down to villages, cells under 5 households withheld, with secondary suppression) and anonymised microdata (one row per household-year, township code only, random per-export pseudonyms). For a township or larger area. Needs aggregates.read.',
      querystring: z.object({ area: area('2-, 4-, 6- or 9-digit area code (township or larger)'), year }),
    },
  }, async (req, reply) => {
    const d = await publicData(ctxOf(req, app.db), { area: req.query.area, year: req.query.year });
    return send(reply, 'xlsx', d, publicDataWorkbook, `公开数据-${d.area.code}-${d.year}.xlsx`);
  });
}
