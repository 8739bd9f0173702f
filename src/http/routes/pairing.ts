// Who helps whom (issue 5): assistance units, cadres, work teams, pairings, flags, visit log and
// frequency under /api/v1/assistance, and a household's plan and visits under /api/v1/households/:id.
import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { errorSchema, idParam } from '../schemas.js';
import {
  addTeamMember, assistanceFlags, completeFollowUp, createCadre, createPairing, createUnit, createVisit, createWorkTeam, endPairing, endTeamMember, endWorkTeam,
  getCadre, getPairing, getPlan, getUnit, getWorkTeam, listCadres, listHouseholdVisits, listPairings, listUnits, listVisits, listWorkTeams, putPlan,
  updateCadre, updateUnit, visitFrequency,
} from '../../services/pairing/index.js';
import * as s from './pairing-schemas.js';

const tags = ['assistance'];
const base = '/api/v1/assistance';
const conflict = { 409: errorSchema };

export default function pairingRoutes(app: ZodApp) {
  app.get(`${base}/units`, { schema: { tags, summary: '帮扶单位列表 Assistance units', querystring: s.unitQuery, response: { 200: s.paged(s.unit), ...s.errors } } },
    async (req) => listUnits(ctxOf(req, app.db), req.query));
  app.post(`${base}/units`, { schema: { tags, summary: '新增帮扶单位（留痕）Add a unit (audited)', body: s.unitBody, response: { 201: s.unit, ...s.errors, ...conflict } } },
    async (req, reply) => { reply.code(201); return createUnit(ctxOf(req, app.db), req.body); });
  app.get(`${base}/units/:id`, { schema: { tags, summary: '帮扶单位 One unit', params: idParam, response: { 200: s.unit, ...s.errors } } },
    async (req) => getUnit(ctxOf(req, app.db), req.params.id));
  app.patch(`${base}/units/:id`, { schema: { tags, summary: '修改帮扶单位（留痕）Update a unit (audited)', params: idParam, body: s.unitBody.partial().omit({ countyCode: true }), response: { 200: s.unit, ...s.errors, ...conflict } } },
    async (req) => updateUnit(ctxOf(req, app.db), req.params.id, req.body));

  app.get(`${base}/cadres`, { schema: { tags, summary: '帮扶干部列表 Cadres', querystring: s.cadreQuery, response: { 200: s.paged(s.cadre), ...s.errors } } },
    async (req) => listCadres(ctxOf(req, app.db), req.query));
  app.post(`${base}/cadres`, {
    schema: { tags, summary: '新增帮扶干部（身份证号按 GB 11643 校验，留痕）Add a cadre (ID checked, audited)', body: s.cadreBody, response: { 201: s.cadre, ...s.errors, ...conflict } },
  }, async (req, reply) => { reply.code(201); return createCadre(ctxOf(req, app.db), req.body); });
  app.get(`${base}/cadres/:id`, { schema: { tags, summary: '帮扶干部 One cadre', params: idParam, response: { 200: s.cadre, ...s.errors } } },
    async (req) => getCadre(ctxOf(req, app.db), req.params.id));
  app.patch(`${base}/cadres/:id`, { schema: { tags, summary: '修改帮扶干部（留痕）Update a cadre (audited)', params: idParam, body: s.cadreBody.partial(), response: { 200: s.cadre, ...s.errors, ...conflict } } },
    async (req) => updateCadre(ctxOf(req, app.db), req.params.id, req.body));

  app.get(`${base}/work-teams`, { schema: { tags, summary: '驻村工作队列表 Work teams', querystring: s.teamQuery, response: { 200: s.paged(s.team), ...s.errors } } },
    async (req) => listWorkTeams(ctxOf(req, app.db), req.query));
  app.post(`${base}/work-teams`, { schema: { tags, summary: '派驻工作队（留痕）Station a work team (audited)', body: s.teamBody, response: { 201: s.team, ...s.errors } } },
    async (req, reply) => { reply.code(201); return createWorkTeam(ctxOf(req, app.db), req.body); });
  app.get(`${base}/work-teams/:id`, { schema: { tags, summary: '驻村工作队 One work team', params: idParam, response: { 200: s.team, ...s.errors } } },
    async (req) => getWorkTeam(ctxOf(req, app.db), req.params.id));
  app.post(`${base}/work-teams/:id/end`, { schema: { tags, summary: '工作队撤离（在任队员一并离岗）End a work team', params: idParam, body: s.endBody, response: { 200: s.team, ...s.errors, ...conflict } } },
    async (req) => endWorkTeam(ctxOf(req, app.db), req.params.id, req.body));
  app.post(`${base}/work-teams/:id/members`, {
    schema: { tags, summary: '增加队员（第一书记同时只能一名）Add a member (one first secretary at a time)', params: idParam, body: s.teamMemberBody, response: { 201: s.team, ...s.errors, ...conflict } },
  }, async (req, reply) => { reply.code(201); return addTeamMember(ctxOf(req, app.db), req.params.id, req.body); });
  app.post(`${base}/work-teams/:id/members/end`, {
    schema: { tags, summary: '队员离岗 End a membership', params: idParam, body: s.endBody.extend({ cadreId: z.number().int() }), response: { 200: s.team, ...s.errors } },
  }, async (req) => endTeamMember(ctxOf(req, app.db), req.params.id, req.body));

  app.get(`${base}/pairings`, { schema: { tags, summary: '结对帮扶列表 Pairings', querystring: s.pairingQuery, response: { 200: s.paged(s.pairing), ...s.errors } } },
    async (req) => listPairings(ctxOf(req, app.db), req.query));
  app.post(`${base}/pairings`, {
    schema: {
      tags, summary: '结对（一户同时只能一名帮扶责任人，留痕）Pair a cadre with a household (audited)',
      description: 'A household with an open pairing gets 409 naming the current cadre; cadre and household must be in the same county.',
      body: s.pairingBody, response: { 201: s.pairing, ...s.errors, ...conflict },
    },
  }, async (req, reply) => { reply.code(201); return createPairing(ctxOf(req, app.db), req.body); });
  app.get(`${base}/pairings/:id`, { schema: { tags, summary: '结对记录 One pairing', params: idParam, response: { 200: s.pairing, ...s.errors } } },
    async (req) => getPairing(ctxOf(req, app.db), req.params.id));
  app.post(`${base}/pairings/:id/end`, { schema: { tags, summary: '结束结对（须填日期和原因，留痕）End a pairing (date and reason, audited)', params: idParam, body: s.pairingEndBody, response: { 200: s.pairing, ...s.errors, ...conflict } } },
    async (req) => endPairing(ctxOf(req, app.db), req.params.id, req.body));

  app.get(`${base}/flags`, {
    schema: { tags, summary: '无帮扶责任人的农户、是建档立卡人员的干部 Unpaired households and cadres who are registered poor', querystring: z.object({ area: area() }), response: { 200: s.flags, ...s.errors } },
  }, async (req) => assistanceFlags(ctxOf(req, app.db), req.query));

  app.get(`${base}/visits`, { schema: { tags, summary: '走访记录 Visit log', querystring: s.visitQuery, response: { 200: s.paged(s.visit), ...s.errors } } },
    async (req) => listVisits(ctxOf(req, app.db), req.query));
  app.get(`${base}/visit-frequency`, {
    schema: {
      tags, summary: '帮扶干部走访频次 Visit frequency per cadre',
      description: 'Without from and to: 1 January of this year to today, or, when the area has no visit recorded this year, the whole calendar year of its latest visit (see basis).',
      querystring: z.object({ area: area(), from: z.string().max(20).optional().describe('default 1 January of the end year'), to: z.string().max(20).optional().describe('default today (when from is given)') }),
      response: { 200: s.frequency, ...s.errors },
    },
  }, async (req) => visitFrequency(ctxOf(req, app.db), req.query));

  const htags = ['households', 'assistance'];
  app.get('/api/v1/households/:id/plan', { schema: { tags: htags, summary: '一户一策 The household plan', params: idParam, response: { 200: s.plan, ...s.errors } } },
    async (req) => getPlan(ctxOf(req, app.db), req.params.id));
  app.put('/api/v1/households/:id/plan', {
    schema: { tags: htags, summary: '保存一户一策（版本号并发控制，留痕）Save the plan (optimistic concurrency, audited)', params: idParam, body: s.planBody, response: { 200: s.plan, ...s.errors, ...conflict } },
  }, async (req) => putPlan(ctxOf(req, app.db), req.params.id, req.body));
  app.get('/api/v1/households/:id/visits', { schema: { tags: htags, summary: '农户走访记录 Visits to a household', params: idParam, response: { 200: z.object({ items: z.array(s.visit) }), ...s.errors } } },
    async (req) => listHouseholdVisits(ctxOf(req, app.db), req.params.id));
  app.post('/api/v1/households/:id/visits', { schema: { tags: htags, summary: '记录走访（留痕）Record a visit (audited)', params: idParam, body: s.visitBody, response: { 201: s.visit, ...s.errors } } },
    async (req, reply) => { reply.code(201); return createVisit(ctxOf(req, app.db), req.params.id, req.body); });
  app.post('/api/v1/households/:id/visits/:visitId/follow-up-done', {
    schema: {
      tags: htags, summary: '后续事项办结（留痕）Mark the follow-ups done (audited)',
      params: idParam.extend({ visitId: z.coerce.number().int().positive() }), body: z.object({ doneOn: z.string().max(20) }), response: { 200: s.visit, ...s.errors, ...conflict },
    },
  }, async (req) => completeFollowUp(ctxOf(req, app.db), req.params.id, req.params.visitId, req.body));
}

function area() {
  return s.area.optional();
}
