import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { readUpload } from '../upload.js';
import { errorWorkbook, importHouseholds } from '../../services/imports/households.js';
import { exportHouseholds, templateWorkbook } from '../../services/imports/export.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The import services take { fileName, data }. */
async function uploaded(req: FastifyRequest): Promise<{ fileName: string; data: Buffer }> {
  const file = await readUpload(req);
  return { fileName: file.filename, data: file.bytes };
}

function attachment(name: string) {
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export default function importRoutes(app: ZodApp) {
  app.post('/api/v1/imports', {
    schema: {
      tags: ['imports'],
      summary: '导入农户（xlsx/csv，multipart 字段 file）Import households',
      description: 'All rows are validated first; any error rejects the whole file and nothing is written. dryRun=true validates only.',
      querystring: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
      consumes: ['multipart/form-data'],
    },
  }, async (req, reply) => {
    const ctx = ctxOf(req, app.db);
    const file = await uploaded(req);
    const result = await importHouseholds(ctx, { ...file, dryRun: req.query.dryRun === 'true' });
    if (result.status === 'rejected') reply.code(422);
    return result;
  });

  app.post('/api/v1/imports/error-report', {
    schema: { tags: ['imports'], summary: '错误报告工作簿 The error workbook for a file (fix it and re-import)', consumes: ['multipart/form-data'] },
  }, async (req, reply) => {
    const ctx = ctxOf(req, app.db);
    const file = await uploaded(req);
    const result = await importHouseholds(ctx, { ...file, dryRun: true });
    const buf = await errorWorkbook(result, file);
    const base = file.fileName.replace(/\.[^.]+$/, '');
    return reply.header('content-type', XLSX).header('content-disposition', attachment(`${base}-错误报告.xlsx`)).send(buf);
  });

  app.get('/api/v1/imports/template', { schema: { tags: ['imports'], summary: '导入模板 The import template (.xlsx)' } }, async (req, reply) => {
    ctxOf(req, app.db);
    return reply.header('content-type', XLSX).header('content-disposition', attachment('农户导入模板.xlsx')).send(await templateWorkbook());
  });

  app.get('/api/v1/exports/households', {
    schema: {
      tags: ['imports'],
      summary: '导出农户（与导入模板相同）Export households in the import template',
      querystring: z.object({
        area: z.string().regex(/^\d{2,12}$/),
        year: z.coerce.number().int().min(2010).max(2100).optional(),
        format: z.enum(['xlsx', 'csv']).default('xlsx'),
        status: z.string().max(2).optional(),
        attribute: z.string().max(2).optional(),
        cause: z.string().max(2).optional(),
      }),
    },
  }, async (req, reply) => {
    const ctx = ctxOf(req, app.db);
    const { area, year, format, ...filters } = req.query;
    const buf = await exportHouseholds(ctx, { areaCode: area, year, format, filters });
    const type = format === 'csv' ? 'text/csv; charset=utf-8' : XLSX;
    return reply.header('content-type', type).header('content-disposition', attachment(`农户-${area}${year ? `-${year}` : ''}.${format}`)).send(buf);
  });
}
