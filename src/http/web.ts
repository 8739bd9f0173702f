// Serves the built web app (web/dist): hashed assets under /assets/ with long caching, and
// index.html for every other non-API path so the app's own routes (/register, /households/1, …)
// survive a reload. When the app has not been built, those paths get a short page saying how.
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

const notBuilt = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>精准 Jingzhun</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.6">
<h1>精准 Jingzhun</h1>
<p>网页界面尚未构建。请在项目目录运行 <code>npm run build:web</code>，然后刷新本页。</p>
<p>The web app has not been built. Run <code>npm run build:web</code> in the project folder, then reload this page.</p>
<p>API: <a href="/api/docs">/api/docs</a></p>
</body></html>`;

export async function registerWeb(app: FastifyInstance, webDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: join(webDir, 'assets'),
    prefix: '/assets/',
    // File names carry a content hash: cache them for a year.
    maxAge: 365 * 24 * 3600 * 1000,
    immutable: true,
    decorateReply: false,
    // Missing until `npm run build:web`; the fallback below explains.
    logLevel: 'warn',
  });
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    if (req.url === '/api' || req.url.startsWith('/api/')) return reply.callNotFound();
    const index = join(webDir, 'index.html');
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
    if (!existsSync(index)) return reply.send(notBuilt);
    return reply.send(createReadStream(index));
  });
}
