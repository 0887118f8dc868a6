import type { CsatSurvey, CsatSurveyList, NotificationPage, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket } from '../testing/ws-client';

const MINUTE = 60_000;
const ENV = { JOB_POLL_INTERVAL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' };

describe(`CSAT on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;
  let ticket: Ticket;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: ENV });
    baseUrl = await listen(t);
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
  });
  afterAll(() => t.close());

  const settle = async () => {
    for (let i = 0; i < 3; i++) await t.app.jobs.runDueJobs();
  };
  const setStatus = async (who: Desk['sam'], status: string) => {
    clock.advance(MINUTE);
    const answer = await as(t, who).patch(`/tickets/${ticket.id}`, { status });
    expect(answer.statusCode, answer.body).toBe(200);
    await settle();
  };
  const surveys = async (who: Desk['sam']) => {
    const answer = await as(t, who).get(`/tickets/${ticket.id}/csat`);
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<CsatSurveyList>().items;
  };
  const answer = (who: Desk['sam'], body: object) => as(t, who).post(`/tickets/${ticket.id}/csat`, body);

  it('asks nothing while the ticket is open', async () => {
    await settle();
    expect(await surveys(desk.carla)).toEqual([]);
    expect((await answer(desk.carla, { score: 5 })).statusCode).toBe(409);
  });

  it('asks the requester "How did we do?" when the ticket closes, in the app and as a notification', async () => {
    await setStatus(desk.sam, 'closed');
    const [survey] = await surveys(desk.carla);
    expect(survey).toMatchObject({
      ticketId: ticket.id,
      score: null,
      comment: null,
      answeredAt: null,
      isCurrent: true,
    });
    const notes = (await as(t, desk.carla).get('/notifications')).json<NotificationPage>().items;
    expect(notes.find((n) => n.ticketId === ticket.id)).toMatchObject({ kind: 'ticket.csat', subject: ticket.subject });
  });

  it('takes an answer from the requester alone; others may not, and strangers do not see the ticket', async () => {
    expect((await answer(desk.sam, { score: 5 })).statusCode).toBe(403);
    expect((await answer(desk.dan, { score: 5 })).statusCode).toBe(404);
    expect((await as(t, desk.dan).get(`/tickets/${ticket.id}/csat`)).statusCode).toBe(404);
    expect((await answer(desk.carla, { score: 6 })).statusCode).toBe(400);
    expect((await answer(desk.carla, { score: 0 })).statusCode).toBe(400);
  });

  it('records one answer per closure and shows it to staff on the ticket, live to those who may see it', async () => {
    clock.advance(MINUTE);
    const sockets = {
      sam: await readySocket(baseUrl, desk.sam),
      otherDevice: await readySocket(baseUrl, desk.carla),
      otto: await readySocket(baseUrl, desk.otto),
      dan: await readySocket(baseUrl, desk.dan),
    };
    const first = await answer(desk.carla, { score: 4, comment: '  Quick and kind  ' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json<CsatSurvey>()).toMatchObject({
      score: 4,
      comment: 'Quick and kind',
      answeredAt: iso(clock.now()),
    });
    try {
      // Sam (Support) and Carla's other device see the rating at once; Otto (another team) and
      // Dan (another customer) hear nothing of it.
      for (const socket of [sockets.sam, sockets.otherDevice]) {
        const frame = await socket.next('ticket.csat', (f) => f.ticketId === ticket.id);
        expect(frame.survey).toEqual(first.json<CsatSurvey>());
      }
      await sockets.otto.next('pong', undefined, 100).catch(() => undefined);
      expect([...sockets.otto.all('ticket.csat'), ...sockets.dan.all('ticket.csat')]).toEqual([]);
    } finally {
      for (const socket of Object.values(sockets)) await socket.close();
    }
    const again = await answer(desk.carla, { score: 1 });
    expect(again.statusCode).toBe(409);
    const [seen] = await surveys(desk.sam);
    expect(seen).toMatchObject({ score: 4, comment: 'Quick and kind', answeredAt: iso(clock.now()) });
  });

  it('asks again after a reopen and a new closure, and refuses the older survey', async () => {
    const [old] = await surveys(desk.carla);
    await setStatus(desk.carla, 'open');
    expect((await surveys(desk.carla))[0]!.isCurrent).toBe(false);
    expect((await answer(desk.carla, { score: 2 })).statusCode).toBe(409);
    await setStatus(desk.sam, 'closed');
    const [now, before] = await surveys(desk.carla);
    expect(before!.id).toBe(old!.id);
    expect(now).toMatchObject({ isCurrent: true, score: null });
    const stale = await answer(desk.carla, { score: 2, surveyId: old!.id });
    expect(stale.statusCode).toBe(409);
    expect((await answer(desk.carla, { score: 5, surveyId: now!.id })).statusCode).toBe(201);
    expect((await surveys(desk.admin)).map((s) => s.score)).toEqual([5, 4]);
  });

  it('refuses answers about a closure the ticket has since left', async () => {
    const other = await openTicket(t, desk.dan, { teamId: desk.support });
    await settle();
    clock.advance(MINUTE);
    await as(t, desk.sam).patch(`/tickets/${other.id}`, { status: 'closed' });
    clock.advance(MINUTE);
    await as(t, desk.dan).patch(`/tickets/${other.id}`, { status: 'open' });
    await settle();
    const items = (await as(t, desk.dan).get(`/tickets/${other.id}/csat`)).json<CsatSurveyList>().items;
    expect(items.every((s) => !s.isCurrent)).toBe(true);
    expect((await as(t, desk.dan).post(`/tickets/${other.id}/csat`, { score: 3 })).statusCode).toBe(409);
  });
});

const iso = (ms: number) => new Date(ms).toISOString();
