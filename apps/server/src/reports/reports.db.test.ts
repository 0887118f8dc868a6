import type { CsatSurveyList, Report, SlaPolicy, Ticket } from '@parley/protocol';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../db/migrations';
import { manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';

const MINUTE = 60_000;
const ENV = { JOB_POLL_INTERVAL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' };
const TARGETS = { firstResponseMinutes: 60, resolutionMinutes: 240 };
const POLICY: SlaPolicy = {
  targets: { low: TARGETS, medium: TARGETS, high: TARGETS, urgent: TARGETS },
  atRiskPercent: 75,
  businessHours: null,
  escalation: [],
};

/**
 * Known data, exact figures. In October, across Berlin's change from summer time (Sunday
 * 2026-10-25, 03:00 CEST -> 02:00 CET): X at 2026-10-24 22:30 UTC (00:30 on the 25th in Berlin)
 * and Y at 2026-10-25 22:30 UTC (23:30 on the 25th in Berlin, where a fixed +2 h would say the
 * 26th). On 2026-11-25 five tickets opened at 12:00 UTC get their first replies after 1, 2, 3, 4
 * and 100 minutes; two are closed after two hours and rated 4 and 2.
 */
describe(`reports on ${TEST_DIALECT}`, () => {
  const clock = manualClock(Date.parse('2026-10-24T22:30:00Z'));
  let t: TestApp;
  let desk: Desk;
  const tickets: Ticket[] = [];
  let x: Ticket;

  const settle = async () => {
    for (let i = 0; i < 3; i++) await t.app.jobs.runDueJobs();
  };
  let sent = 0;
  const reply = (ticket: Ticket) =>
    as(t, desk.admin).post(`/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: `r-${++sent}`,
      body: 'On it',
    });
  const report = async (path: string, who = desk.admin) => {
    const answer = await as(t, who).get(`/reports/${path}`);
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<Report>();
  };
  const byKey = (r: Report) => Object.fromEntries(r.rows.map((row) => [row.key, row.values]));

  beforeAll(async () => {
    t = await startTestApp({ clock, env: ENV });
    desk = await setUpDesk(t);
    x = await openTicket(t, desk.carla, { subject: 'X' });
    clock.advance(Date.parse('2026-10-25T22:30:00Z') - clock.now());
    await openTicket(t, desk.carla, { subject: 'Y' });
    await settle();

    clock.advance(Date.parse('2026-11-25T12:00:00Z') - clock.now());
    expect((await as(t, desk.admin).put('/sla-policy', POLICY)).statusCode).toBe(200);
    for (const team of [desk.support, desk.support, desk.support, desk.billing, desk.billing]) {
      tickets.push(await openTicket(t, desk.carla, { teamId: team }));
    }
    await settle();
    for (const [i, minute] of [1, 2, 3, 4, 100].entries()) {
      clock.advance(Date.parse('2026-11-25T12:00:00Z') + minute * MINUTE - clock.now());
      expect((await reply(tickets[i]!)).statusCode).toBe(201);
      await settle();
    }
    clock.advance(Date.parse('2026-11-25T14:00:00Z') - clock.now());
    await as(t, desk.admin).patch(`/tickets/${tickets[0]!.id}`, { assigneeId: desk.sam.user.id });
    for (const ticket of tickets.slice(0, 2)) {
      expect((await as(t, desk.admin).patch(`/tickets/${ticket.id}`, { status: 'closed' })).statusCode).toBe(200);
    }
    await settle();
    for (const [ticket, score] of [
      [tickets[0]!, 4],
      [tickets[1]!, 2],
    ] as const) {
      const [survey] = (await as(t, desk.carla).get(`/tickets/${ticket.id}/csat`)).json<CsatSurveyList>().items;
      expect(survey).toBeDefined();
      expect((await as(t, desk.carla).post(`/tickets/${ticket.id}/csat`, { score })).statusCode).toBe(201);
    }
  }, 90_000);
  afterAll(() => t.close());

  const NOV = 'from=2026-11-25&to=2026-11-26';

  it('[first response] median and p90 of 1, 2, 3, 4, 100 minutes are 3 and 61.6', async () => {
    const r = await report(`first-response-time?${NOV}`);
    expect(r.columns).toEqual(['count', 'medianMinutes', 'p90Minutes']);
    expect(r.rows).toEqual([
      { key: '2026-11-25', label: '2026-11-25', values: { count: 5, medianMinutes: 3, p90Minutes: 61.6 } },
      { key: '2026-11-26', label: '2026-11-26', values: { count: 0, medianMinutes: null, p90Minutes: null } },
    ]);
    expect(r.total).toEqual({ count: 5, medianMinutes: 3, p90Minutes: 61.6 });
  });

  it('[first response] by team: Support 1, 2, 3; Billing 4, 100', async () => {
    const r = await report(`first-response-time?${NOV}&groupBy=team`);
    expect(r.rows).toEqual([
      { key: desk.billing, label: 'Billing', values: { count: 2, medianMinutes: 52, p90Minutes: 90.4 } },
      { key: desk.support, label: 'Support', values: { count: 3, medianMinutes: 2, p90Minutes: 2.8 } },
    ]);
  });

  it('[resolution, volume, backlog] two closed after two hours, three left open', async () => {
    expect((await report(`resolution-time?${NOV}`)).total).toEqual({ count: 2, medianMinutes: 120, p90Minutes: 120 });
    const volume = await report(`volume?${NOV}`);
    expect(byKey(volume)).toEqual({ '2026-11-25': { created: 5, closed: 2 }, '2026-11-26': { created: 0, closed: 0 } });
    // X and Y from October are still open too.
    const backlog = await report(`backlog?${NOV}`);
    expect(byKey(backlog)).toEqual({ '2026-11-25': { open: 5 }, '2026-11-26': { open: 5 } });
    const before = await report('backlog?from=2026-11-24&to=2026-11-24');
    expect(before.total).toEqual({ open: 2 });
    const byPriority = await report(`backlog?${NOV}&groupBy=priority`);
    expect(byPriority.rows).toEqual([{ key: 'medium', label: 'medium', values: { open: 5 } }]);
  });

  it('[sla] 4 of 5 first responses and 2 of 2 resolutions met', async () => {
    const r = await report(`sla?${NOV}`);
    expect(r.total).toEqual({
      firstResponseMet: 4,
      firstResponseTargets: 5,
      resolutionMet: 2,
      resolutionTargets: 2,
      attainment: 0.8571,
    });
  });

  it('[csat] average 3 of two answers, half satisfied; by agent as the ticket was when it closed', async () => {
    const r = await report(`csat?${NOV}`);
    expect(r.total).toEqual({ count: 2, average: 3, satisfiedShare: 0.5 });
    const byAgent = await report(`csat?${NOV}&groupBy=agent`);
    expect(byAgent.rows).toEqual([
      { key: desk.sam.user.id, label: 'Sam Agent', values: { count: 1, average: 4, satisfiedShare: 1 } },
      { key: 'none', label: '', values: { count: 1, average: 2, satisfiedShare: 0 } },
    ]);
  });

  it('[by label] a ticket counts under each of its labels, or under none; the total counts it once', async () => {
    const newLabel = async (name: string) =>
      (await as(t, desk.admin).post('/labels', { name, colour: '#aa3300' })).json<{ id: string }>().id;
    const [vip, bug] = [await newLabel('VIP'), await newLabel('Bug')];
    const label = async (ticket: Ticket, labelIds: string[]) =>
      expect((await as(t, desk.admin).put(`/tickets/${ticket.id}/labels`, { labelIds })).statusCode).toBe(200);
    await label(tickets[0]!, [vip, bug]); // answered after 1 minute, closed, rated 4
    await label(tickets[3]!, [vip]); // answered after 4 minutes, open
    const frt = await report(`first-response-time?${NOV}&groupBy=label`);
    expect(frt.rows).toEqual([
      { key: bug, label: 'Bug', values: { count: 1, medianMinutes: 1, p90Minutes: 1 } },
      { key: vip, label: 'VIP', values: { count: 2, medianMinutes: 2.5, p90Minutes: 3.7 } },
      { key: 'none', label: '', values: { count: 3, medianMinutes: 3, p90Minutes: 80.6 } },
    ]);
    expect(frt.total).toEqual({ count: 5, medianMinutes: 3, p90Minutes: 61.6 });
    const volume = await report(`volume?${NOV}&groupBy=label`);
    expect(byKey(volume)).toEqual({
      [bug]: { created: 1, closed: 1 },
      [vip]: { created: 2, closed: 1 },
      none: { created: 3, closed: 1 },
    });
    expect(volume.total).toEqual({ created: 5, closed: 2 });
    // Open at the end of the range: the VIP ticket, and the other two with X and Y.
    const backlog = await report(`backlog?${NOV}&groupBy=label`);
    expect(byKey(backlog)).toEqual({ [vip]: { open: 1 }, none: { open: 4 } });
    expect(backlog.total).toEqual({ open: 5 });
    const csat = await report(`csat?${NOV}&groupBy=label`);
    expect(byKey(csat)).toEqual({
      [bug]: { count: 1, average: 4, satisfiedShare: 1 },
      [vip]: { count: 1, average: 4, satisfiedShare: 1 },
      none: { count: 1, average: 2, satisfiedShare: 0 },
    });
    expect(csat.total).toEqual({ count: 2, average: 3, satisfiedShare: 0.5 });
    const sla = await report(`sla?${NOV}&groupBy=label`);
    expect(sla.total.firstResponseTargets).toBe(5);
    expect(byKey(sla)[vip]).toMatchObject({ firstResponseMet: 2, firstResponseTargets: 2 });
    // A range of one labelled ticket among others.
    await label(x, [vip]);
    const oneDay = await report('volume?from=2026-10-24&to=2026-10-24&groupBy=label');
    expect(oneDay.rows).toEqual([{ key: vip, label: 'VIP', values: { created: 1, closed: 0 } }]);
    expect(oneDay.total).toEqual({ created: 1, closed: 0 });
    // Deleting a label takes it off the reports too; its tickets keep their other labels.
    expect((await as(t, desk.admin).delete(`/labels/${bug}`)).statusCode).toBe(204);
    const afterDelete = await report(`volume?${NOV}&groupBy=label`);
    expect(byKey(afterDelete)).toEqual({ [vip]: { created: 2, closed: 1 }, none: { created: 3, closed: 1 } });

    // An installation upgrading to the reports' copy of the labels (label_ids) reports the same.
    const migrator = new Migrator({ db: t.database.db, provider: { getMigrations: async () => migrations } });
    const names = Object.keys(migrations).sort();
    const before = names[names.indexOf('2026-12-07T0900-tickets-carry-label-ids') - 1]!;
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await report(`volume?${NOV}&groupBy=label`)).toEqual(afterDelete);
    for (const ticket of [tickets[0]!, tickets[3]!, x]) await label(ticket, []);
  });

  it("[time zone] counts the zone's days, across the change from summer time", async () => {
    const utc = await report('volume?from=2026-10-24&to=2026-10-26&timeZone=UTC');
    expect(utc.rows.map((row) => row.values.created)).toEqual([1, 1, 0]);
    const berlin = await report('volume?from=2026-10-24&to=2026-10-26&timeZone=Europe/Berlin');
    expect(berlin.rows.map((row) => [row.key, row.values.created])).toEqual([
      ['2026-10-24', 0],
      ['2026-10-25', 2],
      ['2026-10-26', 0],
    ]);
    const tokyo = await report('volume?from=2026-10-25&to=2026-10-26&timeZone=Asia/Tokyo');
    expect(tokyo.rows.map((row) => row.values.created)).toEqual([1, 1]);
  });

  it('[one-row and empty groups, a 25-hour day] percentiles of one value; running backlog across the change', async () => {
    const byAgent = await report(`resolution-time?${NOV}&groupBy=agent`);
    expect(byAgent.rows).toEqual([
      { key: desk.sam.user.id, label: 'Sam Agent', values: { count: 1, medianMinutes: 120, p90Minutes: 120 } },
      { key: 'none', label: '', values: { count: 1, medianMinutes: 120, p90Minutes: 120 } },
    ]);
    expect(byAgent.total).toEqual({ count: 2, medianMinutes: 120, p90Minutes: 120 });
    const october = 'from=2026-10-24&to=2026-10-26&timeZone=Europe/Berlin';
    // X and Y got no reply: no group at all, and a total of nothing.
    const unanswered = await report(`first-response-time?${october}&groupBy=team`);
    expect(unanswered.rows).toEqual([]);
    expect(unanswered.total).toEqual({ count: 0, medianMinutes: null, p90Minutes: null });
    const backlog = await report(`backlog?${october}`);
    expect(backlog.rows.map((row) => [row.key, row.values.open])).toEqual([
      ['2026-10-24', 0],
      ['2026-10-25', 2],
      ['2026-10-26', 2],
    ]);
    // Y (23:30 in Berlin on the 25th) falls on the 26th in a zone that is UTC+3 all year.
    const moscow = await report('volume?from=2026-10-25&to=2026-10-26&timeZone=Europe/Moscow');
    expect(moscow.rows.map((row) => row.values.created)).toEqual([1, 1]);
  });

  it('[permissions] reports.view only: agents and customers get 403', async () => {
    expect((await as(t, desk.sam).get(`/reports/volume?${NOV}`)).statusCode).toBe(403);
    expect((await as(t, desk.carla).get(`/reports/csat?${NOV}`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/reports/csat?${NOV}` })).statusCode).toBe(401);
  });

  it('[validation] refuses unknown zones, reversed and overlong ranges, unknown reports', async () => {
    const status = async (url: string) => (await as(t, desk.admin).get(url)).statusCode;
    expect(await status(`/reports/volume?${NOV}&timeZone=Mars/Olympus`)).toBe(400);
    expect(await status('/reports/volume?from=2026-11-26&to=2026-11-25')).toBe(400);
    expect(await status('/reports/volume?from=2025-01-01&to=2026-11-25')).toBe(400);
    expect(await status(`/reports/happiness?${NOV}`)).toBe(400);
    expect(await status('/reports/volume')).toBe(400);
  });

  it('[csv] ?format=csv and Accept: text/csv answer a CSV file with a header row and a total', async () => {
    const answer = await as(t, desk.admin).get(`/reports/first-response-time?${NOV}&format=csv`);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/csv/);
    expect(answer.headers['content-disposition']).toContain('first-response-time-2026-11-25-2026-11-26.csv');
    expect(answer.body).toBe(
      'key,label,count,medianMinutes,p90Minutes\r\n' +
        '2026-11-25,2026-11-25,5,3,61.6\r\n' +
        '2026-11-26,2026-11-26,0,,\r\n' +
        'total,,5,3,61.6\r\n',
    );
    const accepted = await t.app.inject({
      method: 'GET',
      url: `/reports/volume?${NOV}&groupBy=team`,
      headers: { authorization: `Bearer ${desk.admin.accessToken}`, accept: 'text/csv' },
    });
    expect(accepted.headers['content-type']).toMatch(/^text\/csv/);
    expect(accepted.body.split('\r\n')[0]).toBe('key,label,created,closed');
    expect(accepted.body).toContain(`${desk.support},Support,3,2`);
  });
});
