import type { AuditEntry, DeskSettings } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { type Desk, as, setUpTwoDesks } from '../testing/test-desk';

/** Each workspace is a desk of its own: its settings are its own, and so is the trail of their changes. */
describe(`desk settings across workspaces on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let a: Desk;
  let b: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    ({ a, b } = await setUpTwoDesks(t));
  });
  afterAll(() => t.close());

  const settingsOf = async (who: typeof a.admin) => (await as(t, who).get('/settings')).json<DeskSettings>();
  const settingsTrail = async (who: typeof a.admin) =>
    (await as(t, who).get('/audit?entityType=desk')).json<{ items: AuditEntry[] }>().items;

  it("changes one workspace's settings only, and records it in that workspace's trail", async () => {
    const changed = await as(t, b.admin).patch('/settings', { customersMayChooseUrgent: true });
    expect(changed.json<DeskSettings>()).toEqual({
      customersMayChooseUrgent: true,
      defaultTeamId: null,
      messageEditWindowMinutes: null,
    });
    expect((await settingsOf(b.dan)).customersMayChooseUrgent).toBe(true);
    expect((await settingsOf(a.dan)).customersMayChooseUrgent).toBe(false);
    expect(await settingsTrail(a.admin)).toEqual([]);
    expect(await settingsTrail(b.admin)).toMatchObject([
      {
        action: 'desk.settings_changed',
        actorId: b.admin.user.id,
        // The desk is the workspace.
        entityId: b.admin.user.workspace.id,
        data: { from: { customersMayChooseUrgent: false }, to: { customersMayChooseUrgent: true } },
      },
    ]);
  });

  it('keeps both workspaces apart when both change the same setting (each has its own row)', async () => {
    expect((await as(t, a.admin).patch('/settings', { customersMayChooseUrgent: true })).statusCode).toBe(200);
    expect((await as(t, b.admin).patch('/settings', { customersMayChooseUrgent: false })).statusCode).toBe(200);
    expect((await settingsOf(a.carla)).customersMayChooseUrgent).toBe(true);
    expect((await settingsOf(b.carla)).customersMayChooseUrgent).toBe(false);
    expect((await settingsTrail(a.admin)).map((e) => e.entityId)).toEqual([a.admin.user.workspace.id]);
  });

  it('lets only holders of settings.manage change them', async () => {
    for (const who of [b.sam, b.carla]) {
      expect((await as(t, who).patch('/settings', { customersMayChooseUrgent: true })).statusCode).toBe(403);
    }
    expect((await settingsOf(b.carla)).customersMayChooseUrgent).toBe(false);
  });
});
