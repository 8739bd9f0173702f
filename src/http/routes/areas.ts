import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { childAreas, getArea, populations, rootAreas, searchAreas } from '../../services/areas.js';

const code = z.object({ code: z.string().regex(/^\d{2,12}$/) });

export default function areaRoutes(app: ZodApp) {
  app.get('/api/v1/areas', {
    schema: { tags: ['areas'], summary: '区划：根节点或搜索 Areas: your root, or search by name/code', querystring: z.object({ q: z.string().max(50).optional(), limit: z.coerce.number().int().min(1).max(100).optional() }) },
  }, async (req) => {
    const ctx = ctxOf(req, app.db);
    return { items: req.query.q ? await searchAreas(ctx, req.query.q, req.query.limit) : await rootAreas(ctx) };
  });
  app.get('/api/v1/areas/:code', { schema: { tags: ['areas'], summary: '区划详情及上级路径 One area with its path', params: code } }, async (req) =>
    getArea(ctxOf(req, app.db), req.params.code),
  );
  app.get('/api/v1/areas/:code/children', { schema: { tags: ['areas'], summary: '下级区划 Child areas', params: code } }, async (req) => ({
    items: await childAreas(ctxOf(req, app.db), req.params.code),
  }));
  app.get('/api/v1/areas/:code/populations', { schema: { tags: ['areas'], summary: '农村人口（按年）Rural population by year', params: code } }, async (req) => ({
    items: await populations(ctxOf(req, app.db), req.params.code),
  }));
}
