// Assistance links (issue 5): 能人带动 leaders (能人、合作社、龙头企业) and the households they bring
// along, 景区带村 scenic spots and their villages, 电商产品 e-commerce products. Thin: shapes here,
// every rule and the area scope in services/links.
import { z } from 'zod';
import type { ZodApp } from '../app.js';
import { ctxOf } from '../auth.js';
import { errorSchema, idParam } from '../schemas.js';
import {
  createLeader, createProduct, createSpot, getLeader, getProduct, getSpot, leaderHouseholds, linkHousehold, listLeaders, listProducts, listSpots,
  updateLeader, updateLink, updateProduct, updateSpot,
} from '../../services/links/index.js';

const tags = ['assistance-links'];
const text = z.object({ zh: z.string(), en: z.string() });
const area = z.string().regex(/^\d{2,12}$/).describe('area code: that subtree');
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const page = { page: z.coerce.number().int().min(1).optional(), pageSize: z.coerce.number().int().min(1).max(500).optional() };
const optText = (max: number) => z.string().max(max).nullable().optional();
const day = z.string().max(20).describe('YYYY-MM-DD');

const leader = z.object({
  id: z.number(), countyCode: z.string(), countyName: z.string(), name: z.string().nullable().describe('null without register.read'),
  kind: z.string(), kindLabel: text, villageCode: z.string(), villageName: z.string(),
  memberId: z.number().nullable(), memberName: z.string().nullable(), memberHouseholdId: z.number().nullable(),
  contactPhone: z.string().nullable().describe('masked'), channel: z.string(), channelLabel: text, note: z.string().nullable(),
  currentHouseholds: z.number().describe('households brought along today'), expectedBenefit: z.number().describe('expected yearly benefit of current links, yuan'),
  products: z.number(), createdAt: z.string(), updatedAt: z.string(),
});
const leaderCounts = z.object({
  leaders: z.number(), byKind: z.array(z.object({ kind: z.string(), label: text, n: z.number() })),
  households: z.number().describe('distinct households brought along today'), expectedBenefit: z.number(),
});
const leaderBody = z.object({
  name: z.string().max(200), kind: z.string().max(32).describe('person | cooperative | enterprise'), villageCode: z.string().max(20).describe('12-digit village code'),
  memberId: z.number().int().nullable().optional().describe('the registered person, when a capable person is in the register'),
  contactPhone: optText(40), channel: z.string().max(32).describe('CHANNELS, e.g. cattle, tourism, ecommerce'), note: optText(2000),
});
const link = z.object({
  householdId: z.number(), householdNo: z.string(), headName: z.string(), villageCode: z.string(), villageName: z.string(),
  exitStatus: z.string(), exitStatusLabel: text, latestYear: z.number().nullable(), latestPerCapitaIncome: z.number().nullable(),
  linkKind: z.string(), linkKindLabel: text, since: z.string(), until: z.string().nullable(), current: z.boolean(), expectedBenefit: z.number().nullable(), note: z.string().nullable(),
});
const leaderHouseholdsSchema = z.object({
  leaderId: z.number(), personal: z.boolean(),
  counts: z.object({
    current: z.number(), ended: z.number(), outsideArea: z.number().describe('links of households outside your area (not listed)'), expectedBenefit: z.number(),
    byLinkKind: z.array(z.object({ linkKind: z.string(), label: text, n: z.number() })),
  }),
  items: z.array(link).describe('empty without register.read'),
});
const linkBody = z.object({
  householdId: z.number().int(), linkKind: z.string().max(32).describe('LINK_KINDS: dividend | job | land_rent | purchase | grant | custody | other'),
  since: day, until: day.nullable().optional().describe('empty: still current'), expectedBenefit: z.number().nullable().optional().describe('yuan per year'), note: optText(2000),
});
const linkPatch = z.object({
  since: day.describe('identifies the link: its start day'), until: day.nullable().optional().describe('set to end the link; null reopens it'),
  linkKind: z.string().max(32).optional(), expectedBenefit: z.number().nullable().optional(), note: optText(2000),
});

const spot = z.object({
  id: z.number(), countyCode: z.string(), countyName: z.string(), name: z.string(), grade: z.string().nullable(), gradeLabel: text.nullable(),
  villageCode: z.string(), villageName: z.string(),
  linkedVillages: z.array(z.object({ code: z.string(), name: z.string(), households: z.number().describe('registered households') })),
  note: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
});
const spotBody = z.object({
  name: z.string().max(200), grade: z.string().max(4).nullable().optional().describe('A | 2A | 3A | 4A | 5A, empty when not graded'),
  villageCode: z.string().max(20).describe('the village it is in'), linkedVillageCodes: z.array(z.string().max(20)).max(200).optional().describe('villages of the same county it brings along'),
  note: optText(2000),
});

const product = z.object({
  id: z.number(), countyCode: z.string(), countyName: z.string(), name: z.string(), category: z.string(), villageCode: z.string(), villageName: z.string(),
  leaderId: z.number().nullable(), leaderName: z.string().nullable().describe('null without register.read'), shop: z.string().nullable(), note: z.string().nullable(),
  createdAt: z.string(), updatedAt: z.string(),
});
const productBody = z.object({
  name: z.string().max(200), category: z.string().max(100), villageCode: z.string().max(20),
  leaderId: z.number().int().nullable().optional().describe('the cooperative or enterprise that sells it'), shop: optText(200).describe('shop and/or platform'), note: optText(2000),
});

const pagedOf = <T extends z.ZodType>(item: T) => ({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });
const householdParam = idParam.extend({ householdId: z.coerce.number().int().positive() });

export default function linkRoutes(app: ZodApp) {
  const L = '/api/v1/leaders';
  app.get(L, {
    schema: {
      tags, summary: '能人带动：带头人、合作社、龙头企业 Leaders (capable persons, cooperatives, enterprises)',
      description: 'With register.read: the leaders of your area (a leader is also visible where it brings along a household). With aggregates.read only: counts, no names (items empty).',
      querystring: z.object({ area: area.optional(), kind: z.string().max(32).optional(), channel: z.string().max(32).optional(), q: z.string().max(50).optional().describe('name contains'), ...page }),
      response: { 200: z.object({ ...pagedOf(leader), personal: z.boolean(), counts: leaderCounts }), ...errors },
    },
  }, async (req) => listLeaders(ctxOf(req, app.db), req.query));
  app.post(L, { schema: { tags, summary: '新增带头人/合作社（旗县及以上，留痕）Add a leader (county level, audited)', body: leaderBody, response: { 201: leader, ...errors } } },
    async (req, reply) => { reply.code(201); return createLeader(ctxOf(req, app.db), req.body); });
  app.get(`${L}/:id`, { schema: { tags, summary: '带头人 One leader', params: idParam, response: { 200: leader, ...errors } } },
    async (req) => getLeader(ctxOf(req, app.db), req.params.id));
  app.patch(`${L}/:id`, { schema: { tags, summary: '修改带头人（留痕）Update a leader (audited)', params: idParam, body: leaderBody.partial(), response: { 200: leader, ...errors } } },
    async (req) => updateLeader(ctxOf(req, app.db), req.params.id, req.body));
  app.get(`${L}/:id/households`, {
    schema: {
      tags, summary: '带动农户（现状与最近人均纯收入）Households brought along, with status and latest per-capita income',
      description: 'register.read: the households of your area; aggregates.read only: counts.', params: idParam, response: { 200: leaderHouseholdsSchema, ...errors },
    },
  }, async (req) => leaderHouseholds(ctxOf(req, app.db), req.params.id));
  app.post(`${L}/:id/households`, {
    schema: {
      tags, summary: '建立带动关系（同一户同一带头人期间不得重叠，留痕）Link a household (no overlapping period, audited)',
      params: idParam, body: linkBody, response: { 201: leaderHouseholdsSchema, ...errors },
    },
  }, async (req, reply) => { reply.code(201); return linkHousehold(ctxOf(req, app.db), req.params.id, req.body); });
  app.patch(`${L}/:id/households/:householdId`, {
    schema: { tags, summary: '修改或结束带动关系（留痕）Change or end a link (audited)', params: householdParam, body: linkPatch, response: { 200: leaderHouseholdsSchema, ...errors } },
  }, async (req) => updateLink(ctxOf(req, app.db), req.params.id, req.params.householdId, req.body));

  const S = '/api/v1/scenic-spots';
  app.get(S, {
    schema: {
      tags, summary: '景区带村 Scenic spots and the villages they bring along',
      querystring: z.object({ area: area.optional(), grade: z.string().max(4).optional(), q: z.string().max(50).optional(), ...page }),
      response: { 200: z.object({ ...pagedOf(spot), linkedVillages: z.number().describe('distinct villages brought along') }), ...errors },
    },
  }, async (req) => listSpots(ctxOf(req, app.db), req.query));
  app.post(S, { schema: { tags, summary: '新增景区（旗县及以上，留痕）Add a scenic spot (county level, audited)', body: spotBody, response: { 201: spot, ...errors } } },
    async (req, reply) => { reply.code(201); return createSpot(ctxOf(req, app.db), req.body); });
  app.get(`${S}/:id`, { schema: { tags, summary: '景区 One scenic spot', params: idParam, response: { 200: spot, ...errors } } },
    async (req) => getSpot(ctxOf(req, app.db), req.params.id));
  app.patch(`${S}/:id`, { schema: { tags, summary: '修改景区（留痕）Update a scenic spot (audited)', params: idParam, body: spotBody.partial(), response: { 200: spot, ...errors } } },
    async (req) => updateSpot(ctxOf(req, app.db), req.params.id, req.body));

  const P = '/api/v1/ecommerce-products';
  app.get(P, {
    schema: {
      tags, summary: '电商产品 E-commerce products',
      querystring: z.object({ area: area.optional(), category: z.string().max(50).optional(), leader: z.coerce.number().int().positive().optional(), q: z.string().max(50).optional(), ...page }),
      response: { 200: z.object({ ...pagedOf(product), personal: z.boolean(), byCategory: z.array(z.object({ category: z.string(), n: z.number() })) }), ...errors },
    },
  }, async (req) => listProducts(ctxOf(req, app.db), req.query));
  app.post(P, { schema: { tags, summary: '新增电商产品（旗县及以上，留痕）Add a product (county level, audited)', body: productBody, response: { 201: product, ...errors } } },
    async (req, reply) => { reply.code(201); return createProduct(ctxOf(req, app.db), req.body); });
  app.get(`${P}/:id`, { schema: { tags, summary: '电商产品 One product', params: idParam, response: { 200: product, ...errors } } },
    async (req) => getProduct(ctxOf(req, app.db), req.params.id));
  app.patch(`${P}/:id`, { schema: { tags, summary: '修改电商产品（留痕）Update a product (audited)', params: idParam, body: productBody.partial(), response: { 200: product, ...errors } } },
    async (req) => updateProduct(ctxOf(req, app.db), req.params.id, req.body));
}
