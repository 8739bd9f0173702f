// The Fastify app: cookies, multipart, Zod validation, OpenAPI at /api/openapi.json, docs at /api/docs.
import Fastify, { type FastifyInstance, type FastifyBaseLogger, type RawServerDefault } from 'fastify';
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
import { DEFAULT_WEB_DIR, registerWeb } from './web.js';

export type ZodApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

export interface AppOptions {
  db: Db;
  logger?: boolean;
  /** Largest upload accepted (bytes). */
  maxUpload?: number;
  /** The built web app to serve (default web/dist); false serves the API only. */
  webDir?: string | false;
}

export async function buildApp(opts: AppOptions): Promise<ZodApp> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 1_048_576 }).withTypeProvider<ZodTypeProvider>();
  app.decorate('db', opts.db);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: opts.maxUpload ?? 200 * 1024 * 1024, files: 1 } });
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
    reply.code(404).send({ error: { code: 'not_found', zh: `没有这个地址：${req.method} ${req.url}`, en: `No such route: ${req.method} ${req.url}` } });
  });
  return app;
}
