import type { CustomerContext, CustomerNote } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpTwoDesks, type Desk } from '../testing/test-desk';
import { readySocket, settle } from '../testing/ws-client';

/** What an agent sees about a ticket's requester: other tickets, notes; customers see none of it. */
describe(`customer context on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Desk;
  let other: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    ({ a: desk, b: other } = await setUpTwoDesks(t));
  });
  afterAll(() => t.close());

  it("an agent sees the requester, their other tickets they may open (recent first), not another team's", async () => {
    const first = await openTicket(t, desk.carla, { subject: 'Cannot sign in', teamId: desk.support });
    const billing = await openTicket(t, desk.carla, { subject: 'Invoice wrong', teamId: desk.billing });
    const current = await openTicket(t, desk.carla, { subject: 'Password reset', teamId: desk.support });
    await openTicket(t, desk.dan, { subject: 'Dan asks', teamId: desk.support });

    const res = await as(t, desk.sam).get(`/customers/${desk.carla.user.id}/context?excludeTicketId=${current.id}`);
    expect(res.statusCode).toBe(200);
    const context = res.json<CustomerContext>();
    expect(context.customer).toMatchObject({ id: desk.carla.user.id, displayName: 'Carla' });
    // Nobody but people managers sees someone's email.
    expect(context.customer.email).toBeNull();
    expect(context.tickets.map((x) => x.subject)).toEqual(['Cannot sign in']);

    const admin = (await as(t, desk.admin).get(`/customers/${desk.carla.user.id}/context`)).json<CustomerContext>();
    expect(admin.customer.email).toBe(desk.carla.user.email);
    expect(admin.tickets.map((x) => x.id)).toEqual([current.id, billing.id, first.id]);
  });

  it('staff write notes; everyone staff reads them; only the author edits or deletes', async () => {
    const url = `/customers/${desk.carla.user.id}/notes`;
    const created = await as(t, desk.sam).post(url, { body: 'Prefers email, VIP since 2020' });
    expect(created.statusCode).toBe(201);
    const note = created.json<CustomerNote>();
    expect(note).toMatchObject({
      body: 'Prefers email, VIP since 2020',
      author: { id: desk.sam.user.id, name: 'Sam Agent' },
    });

    const byOtto = (await as(t, desk.otto).get(`/customers/${desk.carla.user.id}/context`)).json<CustomerContext>();
    expect(byOtto.notes.map((n) => n.body)).toEqual(['Prefers email, VIP since 2020']);

    expect((await as(t, desk.kim).patch(`${url}/${note.id}`, { body: 'mine now' })).statusCode).toBe(403);
    expect((await as(t, desk.kim).delete(`${url}/${note.id}`)).statusCode).toBe(403);
    const edited = await as(t, desk.sam).patch(`${url}/${note.id}`, { body: 'Prefers email' });
    expect(edited.json<CustomerNote>().body).toBe('Prefers email');
    expect((await as(t, desk.sam).delete(`${url}/${note.id}`)).statusCode).toBe(204);
    expect((await as(t, desk.sam).get(url)).json<{ items: CustomerNote[] }>().items).toEqual([]);
    expect((await as(t, desk.sam).delete(`${url}/${note.id}`)).statusCode).toBe(404);
  });

  it('notes added, edited and deleted reach the other staff at once, never the customer or another workspace', async () => {
    const base = await listen(t);
    const sockets = {
      otto: await readySocket(base, desk.otto),
      carla: await readySocket(base, desk.carla),
      elsewhere: await readySocket(base, other.sam),
    };
    try {
      const url = `/customers/${desk.carla.user.id}/notes`;
      const note = (await as(t, desk.sam).post(url, { body: 'Calls after 5' })).json<CustomerNote>();
      const added = await sockets.otto.next('customer.notes', (f) => f.customerId === desk.carla.user.id);
      expect(added.notes).toEqual([note]);
      await as(t, desk.sam).patch(`${url}/${note.id}`, { body: 'Calls after 6' });
      const edited = await sockets.otto.next('customer.notes');
      expect(edited.notes.map((n) => n.body)).toEqual(['Calls after 6']);
      await as(t, desk.sam).delete(`${url}/${note.id}`);
      expect((await sockets.otto.next('customer.notes')).notes).toEqual([]);
      for (const socket of [sockets.carla, sockets.elsewhere]) await settle(socket);
      expect([...sockets.carla.all('customer.notes'), ...sockets.elsewhere.all('customer.notes')]).toEqual([]);
    } finally {
      for (const socket of Object.values(sockets)) await socket.close();
    }
  });

  it('customers get 403, even about themselves; notes never reach them', async () => {
    await as(t, desk.sam).post(`/customers/${desk.carla.user.id}/notes`, { body: 'Shouts a lot' });
    for (const url of [`/customers/${desk.carla.user.id}/context`, `/customers/${desk.carla.user.id}/notes`]) {
      const res = await as(t, desk.carla).get(url);
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('Shouts');
    }
    expect((await as(t, desk.dan).post(`/customers/${desk.carla.user.id}/notes`, { body: 'x' })).statusCode).toBe(403);
  });

  it('a person of another workspace does not exist here (404)', async () => {
    expect((await as(t, desk.sam).get(`/customers/${other.carla.user.id}/context`)).statusCode).toBe(404);
    expect((await as(t, desk.sam).post(`/customers/${other.carla.user.id}/notes`, { body: 'x' })).statusCode).toBe(404);
  });
});
