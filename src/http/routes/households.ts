import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { householdFields, householdPatchFields, idParam, memberFields, memberParam, version, yearFields, yearParam } from '../schemas.js';
import {
  addMember, createHousehold, getHousehold, householdHistory, listHouseholds, removeMember, revealMember, updateHousehold, updateMember,
} from '../../services/households.js';
import { putHouseholdYear } from '../../services/household-years.js';

const listQuery = z.object({
  area: z.string().regex(/^\d{2,12}$/).optional().describe('area code: households in that subtree'),
  status: z.string().max(2).optional().describe('脱贫标志 code'),
  attribute: z.string().max(2).optional(),
  cause: z.string().max(2).optional(),
  year: z.coerce.number().int().min(2010).max(2100).optional().describe('status/income of that year'),
  q: z.string().max(50).optional().describe('name (prefix), household number or full ID number (matched by its keyed hash)'),
  sort: z.enum(['householdNo', 'headName', 'size', 'perCapitaIncome', 'identifiedOn', 'exitYear']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int().min(1).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).optional(),
});

export default function householdRoutes(app: ZodApp) {
  const tags = ['households'];
  app.get('/api/v1/households', { schema: { tags, summary: '农户列表 List households', querystring: listQuery } }, async (req) =>
    listHouseholds(ctxOf(req, app.db), req.query),
  );
  app.post('/api/v1/households', {
    schema: { tags, summary: '新增农户 Create a household with its members', body: z.object({ household: householdFields, members: z.array(memberFields).max(30) }) },
  }, async (req, reply) => {
    reply.code(201);
    return createHousehold(ctxOf(req, app.db), req.body);
  });
  app.get('/api/v1/households/:id', { schema: { tags, summary: '一户一档 One household', params: idParam } }, async (req) =>
    getHousehold(ctxOf(req, app.db), req.params.id),
  );
  app.patch('/api/v1/households/:id', {
    schema: {
      tags,
      summary: '修改农户 Update (optimistic concurrency)',
      description: '脱贫标志、首次识别时间、脱贫年度只读：由识别、退出和监测程序决定，提交不同的值返回 400 并说明应发起的程序。 exitStatus, identifiedOn and exitYear are read-only here: only procedures change them; a different value gets 400 naming the procedure to use.',
      params: idParam,
      body: householdPatchFields.extend({ version }),
    },
  }, async (req) => updateHousehold(ctxOf(req, app.db), req.params.id, req.body));
  app.get('/api/v1/households/:id/history', { schema: { tags, summary: '变更记录 Change history', params: idParam } }, async (req) => ({
    items: await householdHistory(ctxOf(req, app.db), req.params.id),
  }));
  app.post('/api/v1/households/:id/members', {
    schema: { tags, summary: '新增成员 Add a member', params: idParam, body: memberFields.extend({ version }) },
  }, async (req, reply) => {
    reply.code(201);
    return addMember(ctxOf(req, app.db), req.params.id, req.body);
  });
  app.patch('/api/v1/households/:id/members/:memberId', {
    schema: { tags, summary: '修改成员 Update a member', params: memberParam, body: memberFields.partial().extend({ version }) },
  }, async (req) => updateMember(ctxOf(req, app.db), req.params.id, req.params.memberId, req.body));
  app.delete('/api/v1/households/:id/members/:memberId', {
    schema: { tags, summary: '移除成员 Remove a member', params: memberParam, querystring: z.object({ version: z.coerce.number().int() }) },
  }, async (req) => removeMember(ctxOf(req, app.db), req.params.id, req.params.memberId, req.query.version));
  app.post('/api/v1/households/:id/members/:memberId/reveal', {
    schema: { tags, summary: '查看完整身份证号和电话（留痕）Reveal ID number and phone (audited)', params: memberParam },
  }, async (req) => revealMember(ctxOf(req, app.db), req.params.id, req.params.memberId));
  app.put('/api/v1/households/:id/years/:year', {
    schema: { tags, summary: '年度信息（新增或修改）Create or replace a yearly record', params: yearParam, body: yearFields.extend({ version: version.optional() }) },
  }, async (req) => putHouseholdYear(ctxOf(req, app.db), req.params.id, req.params.year, req.body));
}
