import type { CustomField, TicketCounts, TicketListItem, TicketPage } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';

/** GET /tickets and /tickets/counts filtered by custom fields, and sorted by one, page by page. */
describe(`tickets filtered and sorted by custom fields on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Desk;
  const ids: string[] = [];
  const cause: Record<string, string | undefined> = {};
  const amount: Record<string, number | undefined> = {};

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
    const define = (body: object) =>
      as(t, desk.admin)
        .post('/custom-fields', body)
        .then((r) => r.json<CustomField>());
    await define({
      entity: 'ticket',
      key: 'root_cause',
      name: 'Root cause',
      type: 'select',
      options: ['Billing', 'Bug', 'Howto'],
    });
    await define({ entity: 'ticket', key: 'amount', name: 'Amount', type: 'number' });
    await define({ entity: 'ticket', key: 'areas', name: 'Areas', type: 'multi_select', options: ['App', 'Web'] });
    await define({ entity: 'ticket', key: 'vip', name: 'VIP', type: 'checkbox' });
    await define({ entity: 'ticket', key: 'note', name: 'Note', type: 'text' });
    const causes = [
      'Billing',
      'Bug',
      undefined,
      'Howto',
      'Bug',
      undefined,
      'Billing',
      'Bug',
      'Howto',
      'Billing',
      undefined,
    ];
    for (const [i, c] of causes.entries()) {
      const ticket = await openTicket(t, desk.carla, { subject: `Ticket ${i}` });
      ids.push(ticket.id);
      cause[ticket.id] = c;
      // Ties on purpose (i % 4), and a fraction, and one without a value.
      const a = i === 5 ? undefined : (i % 4) * 10 + (i === 2 ? 0.5 : 0);
      amount[ticket.id] = a;
      const fields = {
        ...(c && { root_cause: c }),
        ...(a !== undefined && { amount: a }),
        areas: i % 2 === 0 ? ['App'] : ['App', 'Web'],
        vip: i % 3 === 0,
        note: i === 4 ? 'Customer says Refund please' : 'nothing',
      };
      const r = await as(t, desk.admin).patch(`/tickets/${ticket.id}`, { fields });
      expect(r.statusCode, r.body).toBe(200);
    }
  }, 120_000); // eleven tickets and their fields, through the API
  afterAll(() => t.close());

  const list = async (query: string) => {
    const r = await as(t, desk.admin).get(`/tickets?${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json<TicketPage>();
  };
  const all = async (query: string, limit: number) => {
    const seen: TicketListItem[] = [];
    let cursor: string | null = null;
    do {
      const page: TicketPage = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return seen;
  };
  const idsWhere = (pred: (id: string, i: number) => boolean) => ids.filter((id, i) => pred(id, i)).sort();

  it('filters by each type: select, number, multi-select option, checkbox, text contains, any and none', async () => {
    const got = async (q: string) => (await all(q, 50)).map((i) => i.id).sort();
    expect(await got('fields=root_cause:Bug')).toEqual(idsWhere((id) => cause[id] === 'Bug'));
    expect(await got('fields=root_cause:')).toEqual(idsWhere((id) => cause[id] === undefined));
    expect(await got('fields=root_cause:*')).toEqual(idsWhere((id) => cause[id] !== undefined));
    expect(await got('fields=amount:20')).toEqual(idsWhere((id) => amount[id] === 20));
    expect(await got('fields=amount:20.5')).toEqual([ids[2]!]);
    expect(await got('fields=areas:Web')).toEqual(idsWhere((_, i) => i % 2 === 1));
    expect(await got('fields=vip:true')).toEqual(idsWhere((_, i) => i % 3 === 0));
    expect(await got('fields=note:refund')).toEqual([ids[4]!]);
    expect(await got('fields=root_cause:Billing&fields=vip:true')).toEqual(
      idsWhere((id, i) => cause[id] === 'Billing' && i % 3 === 0),
    );
    expect((await as(t, desk.admin).get('/tickets?fields=unknown:x')).statusCode).toBe(400);
  });

  it('counts apply the field filter too', async () => {
    const counts = (await as(t, desk.admin).get('/tickets/counts?fields=root_cause:Billing')).json<TicketCounts>();
    expect(counts.status.all).toBe(idsWhere((id) => cause[id] === 'Billing').length);
  });

  it('sorts by a select and by a number both ways, no value last, and pages without gaps or repeats', async () => {
    for (const [sortField, value, desc] of [
      ['root_cause', (id: string) => cause[id], false],
      ['-root_cause', (id: string) => cause[id], true],
      ['amount', (id: string) => amount[id], false],
      ['-amount', (id: string) => amount[id], true],
    ] as const) {
      for (const limit of [2, 3]) {
        const seen = await all(`sort=created&sortField=${sortField}`, limit);
        expect(seen.map((i) => i.id).sort()).toEqual([...ids].sort());
        const values = seen.map((i) => value(i.id));
        const present = values.filter((v) => v !== undefined);
        // Every ticket without a value comes after every one with a value.
        expect(values.slice(present.length).every((v) => v === undefined)).toBe(true);
        const sorted = [...present].sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0));
        expect(present).toEqual(desc ? sorted.reverse() : sorted);
        // Within one value, newest first (the `sort`).
        for (let i = 1; i < seen.length; i++) {
          if (values[i] === values[i - 1]) expect(seen[i - 1]!.createdAt >= seen[i]!.createdAt).toBe(true);
        }
      }
    }
  });
});
