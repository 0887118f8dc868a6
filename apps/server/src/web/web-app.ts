import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Paths that belong to the API or the docs even when a browser navigates to them. */
const SERVER_PATHS = [
  '/docs',
  '/openapi.json',
  '/ws',
  '/avatars/',
  '/workspace-logos/',
  '/widget-frame/',
  '/widget/',
  '/attachments/',
  '/healthz',
  '/readyz',
  '/metrics',
];

/**
 * A browser opening a page (`/tickets/01J…` typed in the address bar, a reload, a deep link)
 * gets the app, which then routes itself; the same URL fetched by the app or `curl` is the API.
 * Navigations say so in `Sec-Fetch-Mode`/`Accept`; API clients do not ask for HTML.
 */
function isPageNavigation(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const pathname = request.url.split('?')[0]!;
  if (SERVER_PATHS.some((p) => pathname === p || pathname.startsWith(p.endsWith('/') ? p : `${p}/`))) return false;
  if (path.extname(pathname) !== '') return false; // a file: the bundle, the favicon
  if (request.headers['sec-fetch-mode'] === 'navigate') return true;
  return (request.headers.accept ?? '').includes('text/html');
}

/**
 * Serves the web build of `apps/app` at `/`: hashed bundles cached for a year, `index.html`
 * never cached, so a deploy reaches everyone on their next load. Without a build, the server
 * runs API-only and says how to build it.
 */
export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  if (!fs.existsSync(path.join(webDir, 'index.html'))) {
    app.log.info({ webDir }, 'no web app build found: serving the API only (`npm run build:web` builds it)');
    return;
  }
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: false, // a route per file of the build: nothing else under / reaches the disk
    index: false,
    setHeaders: (res, filePath) => {
      const hashed = filePath.includes(`${path.sep}_expo${path.sep}`);
      res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!isPageNavigation(request)) return;
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
