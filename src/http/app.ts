// The Fastify app: cookies, multipart, Zod validation, OpenAPI at /api/openapi.json, docs at /api/docs.
import Fastify, { LogController, type FastifyInstance, type FastifyBaseLogger, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/client.js';
import { errorHandler } from './errors.js';
import { registerAuth } from './auth.js';
import authRoutes from './routes/auth.js';
import areaRoutes from './routes/areas.js';
import householdRoutes from './routes/households.js';
import importRoutes from './routes/imports.js';
import miscRoutes from './routes/misc.js';
import overviewRoutes from './routes/overview.js';
import policyRoutes from './routes/policy.js';
import caseRoutes from './routes/cases.js';
import workflowRoutes from './routes/workflows.js';
import exitPanelRoutes from './routes/exit-panels.js';
import indicatorRoutes from './routes/indicators.js';
import indicatorDistributionRoutes from './routes/indicators-distribution.js';
import monitoringRoutes from './routes/monitoring.js';
import calculatorRoutes from './routes/calculators.js';
import pairingRoutes from './routes/pairing.js';
import projectRoutes from './routes/projects.js';
import measureRoutes from './routes/measures.js';
import linkRoutes from './routes/links.js';
import reportRoutes from './routes/reports.js';
import assessmentRoutes from './routes/assessment.js';
import healthRoutes from './routes/health.js';
import { DEFAULT_WEB_DIR, registerWeb } from './web.js';
import { loggerOptions, registerRequestLog } from './logging.js';
import {
  DEFAULT_BODY_LIMIT, DEFAULT_MAX_UPLOAD, envSize, registerCsrf, registerHeaders, registerRateLimits, resolveLimits, type RateLimits,
} from './security.js';

export type ZodApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    /** The size limits in force, for the 413 messages. */
    sizeLimits: { body: number; upload: number };
  }
}

export interface AppOptions {
  db: Db;
  /** true: the server's pino logger (logging.ts); false (default): silent, as in tests. */
  logger?: boolean | ReturnType<typeof loggerOptions>;
  /** Largest upload accepted (bytes; default 200 MB or JINGZHUN_MAX_UPLOAD). */
  maxUpload?: number;
  /** Largest JSON body accepted (bytes; default 1 MB or JINGZHUN_MAX_BODY). */
  bodyLimit?: number;
  /** Rate limits per minute (0 turns one off); unset ones come from JINGZHUN_RATE_* or the defaults (security.ts). */
  rateLimits?: Partial<RateLimits>;
  /** Served over https (behind a TLS proxy): HSTS and upgrade-insecure-requests. Default JINGZHUN_HTTPS=1. */
  https?: boolean;
  /** Fastify's trustProxy (true, or the proxies' addresses/CIDRs comma-separated) so req.ip / protocol / host come from X-Forwarded-*. Default JINGZHUN_TRUST_PROXY. */
  trustProxy?: boolean | string;
  /** The built web app to serve (default web/dist); false serves the API only. */
  webDir?: string | false;
}

function envTrustProxy(v: string | undefined): boolean | string | undefined {
  const t = v?.trim();
  if (!t || t === '0' || t.toLowerCase() === 'false') return undefined;
  if (t === '1' || t.toLowerCase() === 'true') return true;
  return t; // addresses or CIDRs, comma-separated
}

export async function buildApp(opts: AppOptions): Promise<ZodApp> {
  const sizeLimits = {
    body: opts.bodyLimit ?? envSize('JINGZHUN_MAX_BODY') ?? DEFAULT_BODY_LIMIT,
    upload: opts.maxUpload ?? envSize('JINGZHUN_MAX_UPLOAD') ?? DEFAULT_MAX_UPLOAD,
  };
  const https = opts.https ?? process.env.JINGZHUN_HTTPS === '1';
  const app = Fastify({
    logger: opts.logger === true ? loggerOptions() : (opts.logger ?? false),
    // One line per request from logging.ts instead of Fastify's two (which carry the full URL).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: sizeLimits.body,
    trustProxy: opts.trustProxy ?? envTrustProxy(process.env.JINGZHUN_TRUST_PROXY) ?? false,
  }).withTypeProvider<ZodTypeProvider>();
  app.decorate('db', opts.db);
  app.decorate('sizeLimits', sizeLimits);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // Order matters: headers on every answer (refusals too), then the cross-origin refusal before any
  // work, then the session, then the limits (keyed by the session's user).
  await registerHeaders(app, https);
  registerCsrf(app);
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: sizeLimits.upload, files: 1, fields: 10, parts: 11 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Jingzhun 精准 API', version: '1', description: '精准扶贫与防返贫平台 — targeted poverty alleviation register. Log in at /api/v1/auth/login; the session is an httpOnly cookie.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'jz_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  registerAuth(app, opts.db);
  await registerRateLimits(app, resolveLimits(opts.rateLimits));
  registerRequestLog(app);
  healthRoutes(app);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  exitPanelRoutes(app);
  indicatorRoutes(app);
  indicatorDistributionRoutes(app);
  for (const routes of [miscRoutes, authRoutes, areaRoutes, householdRoutes, importRoutes, overviewRoutes, policyRoutes]) routes(app);
  caseRoutes(app);
  workflowRoutes(app);
  monitoringRoutes(app);
  calculatorRoutes(app);
  pairingRoutes(app);
  projectRoutes(app);
  measureRoutes(app);
  linkRoutes(app);
  reportRoutes(app);
  (await import('./routes/supervision.js')).default(app);
  assessmentRoutes(app);
  if (opts.webDir !== false) await registerWeb(app, opts.webDir ?? DEFAULT_WEB_DIR);
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]; // never the query string: it may carry names or ID numbers
    reply.code(404).send({ error: { code: 'not_found', zh: `没有这个地址：${req.method} ${path}`, en: `No such route: ${req.method} ${path}` } });
  });
  return app;
}
