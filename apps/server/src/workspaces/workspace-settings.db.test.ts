import type { WorkspaceSettings } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, listen, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, setUpDesk } from '../testing/test-desk';
import { pngImage, uploadImage } from '../testing/upload-image';
import { connectSocket } from '../testing/ws-client';

/** A workspace's name, accent colour, logo and sign-up policy, as its admin sets them and its people see them. */
describe(`workspace settings and branding on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());

  it('shows every member the workspace and whether it is open to sign-up', async () => {
    const seen = await as(t, desk.carla).get('/workspace');
    expect(seen.statusCode).toBe(200);
    expect(seen.json<WorkspaceSettings>()).toEqual({
      id: desk.carla.user.workspace.id,
      slug: 'default',
      name: 'Parley',
      accentColor: null,
      logoUrl: null,
      openSignup: true,
    });
  });

  it('lets only settings.manage change it', async () => {
    for (const who of [desk.sam, desk.carla]) {
      expect((await as(t, who).patch('/workspace', { name: 'Mine now' })).statusCode).toBe(403);
      expect((await uploadImage(t, who, 'PUT', '/workspace/logo', await pngImage())).statusCode).toBe(403);
      expect((await as(t, who).delete('/workspace/logo')).statusCode).toBe(403);
    }
    expect((await as(t, desk.carla).get('/workspace')).json()).toMatchObject({ name: 'Parley' });
  });

  it('renames it and sets its accent: every open app of the workspace hears it, no other workspace does', async () => {
    await createWorkspace(t, 'elsewhere');
    const stranger = await signUp(t, 'admin', { workspace: 'elsewhere' });
    const member = await connectSocket(base, desk.carla.accessToken);
    const outsider = await connectSocket(base, stranger.accessToken);
    await Promise.all([member.next('ready'), outsider.next('ready')]);

    const changed = await as(t, desk.admin).patch('/workspace', { name: 'Acme Help', accentColor: '#FF6600' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: 'Acme Help', accentColor: '#ff6600' });
    const frame = await member.next('workspace.updated');
    expect(frame.workspace).toMatchObject({
      id: desk.carla.user.workspace.id,
      name: 'Acme Help',
      accentColor: '#ff6600',
    });
    const audit = (await as(t, desk.admin).get('/audit?action=workspace.settings_changed')).json();
    expect(audit.items[0]).toMatchObject({
      actorId: desk.admin.user.id,
      data: { from: { name: 'Parley', accentColor: null }, to: { name: 'Acme Help', accentColor: '#ff6600' } },
    });
    // New sessions carry it too.
    expect((await as(t, desk.carla).get('/me')).json()).toMatchObject({ workspace: { name: 'Acme Help' } });

    // A settled round trip on the outsider's socket, then nothing of it there.
    outsider.send({ type: 'ping', ref: 'fence' });
    await outsider.next('pong');
    expect(outsider.all('workspace.updated')).toEqual([]);
    await Promise.all([member.close(), outsider.close()]);
  });

  it('refuses a colour that is not #rrggbb, an empty change and a name with line breaks', async () => {
    for (const body of [{ accentColor: 'red' }, { accentColor: '#12345' }, {}, { name: 'Two\nlines' }, { name: '' }]) {
      expect((await as(t, desk.admin).patch('/workspace', body)).statusCode, JSON.stringify(body)).toBe(400);
    }
  });

  it('clears the accent and closes sign-up', async () => {
    const changed = await as(t, desk.admin).patch('/workspace', { accentColor: null, openSignup: false });
    expect(changed.json()).toMatchObject({ accentColor: null, openSignup: false });
    const walkIn = await t.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: {
        email: 'walkin@example.com',
        username: 'walkin',
        password: 'correct horse battery',
        workspace: 'default',
      },
    });
    expect(walkIn.statusCode).toBe(404);
    await as(t, desk.admin).patch('/workspace', { openSignup: true });
  });

  it('takes a logo, fits it without cropping, serves it publicly, and replaces and removes it', async () => {
    const socket = await connectSocket(base, desk.sam.accessToken);
    await socket.next('ready');
    const uploaded = await uploadImage(t, desk.admin, 'PUT', '/workspace/logo', await pngImage(400, 100));
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    const { logoUrl } = uploaded.json<{ logoUrl: string }>();
    expect(logoUrl).toMatch(/^\/workspace-logos\/[0-9a-f]{32}$/);
    expect((await socket.next('workspace.updated')).workspace.logoUrl).toBe(logoUrl);
    expect((await as(t, desk.carla).get('/workspace')).json()).toMatchObject({ logoUrl });

    const big = await t.app.inject({ method: 'GET', url: logoUrl });
    expect(big.statusCode).toBe(200);
    expect(big.headers['content-type']).toBe('image/webp');
    expect(await sharp(big.rawPayload).metadata()).toMatchObject({ format: 'webp', width: 256, height: 64 });
    const small = await t.app.inject({ method: 'GET', url: `${logoUrl}?size=64` });
    expect(await sharp(small.rawPayload).metadata()).toMatchObject({ width: 64, height: 16 });

    const replaced = await uploadImage(t, desk.admin, 'PUT', '/workspace/logo', await pngImage());
    const next = replaced.json<{ logoUrl: string }>().logoUrl;
    expect(next).not.toBe(logoUrl);
    expect((await t.app.inject({ method: 'GET', url: logoUrl })).statusCode).toBe(404);

    expect((await as(t, desk.admin).delete('/workspace/logo')).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: next })).statusCode).toBe(404);
    expect((await as(t, desk.carla).get('/workspace')).json()).toMatchObject({ logoUrl: null });
    expect((await as(t, desk.admin).delete('/workspace/logo')).statusCode).toBe(204);
    await socket.close();
  });

  it('refuses what is not an image by its bytes, whatever it is called', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const response = await uploadImage(t, desk.admin, 'PUT', '/workspace/logo', html);
    expect(response.statusCode).toBe(415);
    expect((await as(t, desk.carla).get('/workspace')).json()).toMatchObject({ logoUrl: null });
  });
});
