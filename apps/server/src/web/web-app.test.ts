import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';

describe('the web app at /', () => {
  let t: TestApp;
  let webDir: string;
  const page = (url: string) =>
    t.app.inject({
      method: 'GET',
      url,
      headers: { accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate' },
    });

  beforeAll(async () => {
    webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
    fs.mkdirSync(path.join(webDir, '_expo/static/js/web'), { recursive: true });
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!DOCTYPE html><title>Parley</title>');
    fs.writeFileSync(path.join(webDir, '_expo/static/js/web/index-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(webDir, 'sw.js'), 'self.addEventListener("fetch", () => {})');
    fs.writeFileSync(path.join(webDir, 'manifest.webmanifest'), '{"name":"Parley"}');
    t = await startTestApp({ env: { WEB_DIR: webDir } });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('opens the app on any page a browser navigates to, deep links included', async () => {
    for (const url of ['/', '/tickets/01JZZZZZZZZZZZZZZZZZZZZZZZ', '/contacts?tab=incoming']) {
      const response = await page(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<title>Parley</title>');
    }
  });

  it('keeps the same URLs as the API for everyone else', async () => {
    const api = await t.app.inject({ method: 'GET', url: '/tickets/01JZZZZZZZZZZZZZZZZZZZZZZZ' });
    expect(api.statusCode).toBe(401);
    expect(api.json().error.code).toBe('unauthorized');
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/no-such-route',
      headers: { accept: 'application/json' },
    });
    expect(unknown.json().error.code).toBe('not_found');
  });

  it('leaves the API docs, health checks and files alone', async () => {
    expect((await page('/docs/')).body).toContain('swagger');
    expect((await page('/healthz')).json()).toEqual({ status: 'ok' });
    const bundle = await page('/_expo/static/js/web/index-abc123.js');
    expect(bundle.body).toBe('console.log(1)');
    expect(bundle.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await page('/_expo/static/js/web/missing.js')).statusCode).toBe(404);
  });

  it('serves the service worker fresh on every check and the manifest as a manifest, both allowed by the CSP', async () => {
    const worker = await t.app.inject({ method: 'GET', url: '/sw.js' });
    expect(worker.statusCode).toBe(200);
    expect(worker.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    // A cached worker would keep an old build's shell alive after a deploy.
    expect(worker.headers['cache-control']).toBe('no-cache');
    const manifest = await t.app.inject({ method: 'GET', url: '/manifest.webmanifest' });
    expect(manifest.statusCode).toBe(200);
    expect(manifest.headers['content-type']).toMatch(/^application\/manifest\+json/);
    expect(manifest.json()).toEqual({ name: 'Parley' });
    // worker-src and manifest-src fall back to default-src 'self': the page may use both.
    const csp = String((await page('/')).headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/worker-src|manifest-src/);
  });
});
