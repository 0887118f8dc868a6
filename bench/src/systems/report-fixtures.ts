import type { Insertable } from 'kysely';
import type { Db } from '../../../apps/server/src/db/connect';
import type { Database } from '../../../apps/server/src/db/schema';
import { newId } from '../../../apps/server/src/ids';
import { makeVocabulary } from './vocabulary';

const DAY = 86_400_000;
const MINUTE = 60_000;
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

type Row<T extends keyof Database> = Insertable<Database[T]>;
type Insert = <T extends keyof Database>(table: T, rows: Row<T>[]) => Promise<void>;

/**
 * The `reports` scenario's desk, written straight into the tables in batches: `ticketCount`
 * tickets over the last year (10 teams, the given agents, all four priorities), each with its
 * conversation and `messagesPerTicket` messages; 85 % closed within days, 90 % answered within
 * hours, SLA targets on every ticket, 0 to 2 of 8 labels on each (60 % labelled), and a CSAT
 * answer for a third of the closures. Subjects, descriptions and messages are text of a
 * Zipf vocabulary (./vocabulary.ts), for the `search` scenario. A small deterministic
 * generator keeps runs comparable.
 */
export async function seedReportDesk(
  db: Db,
  opts: {
    workspaceId: string;
    requesterId: string;
    agentIds: string[];
    ticketCount: number;
    messagesPerTicket: number;
    /** Runs `write` in one transaction; `insert` writes rows of a table in bulk. */
    inTransaction: (write: (insert: Insert) => Promise<void>) => Promise<void>;
  },
): Promise<void> {
  const { workspaceId, requesterId, agentIds, ticketCount, messagesPerTicket, inTransaction } = opts;
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const text = makeVocabulary(random);
  const words = (min: number, max: number) => text.sentence(min + Math.floor(random() * (max - min + 1)));
  const now = Date.now();
  const teams: Row<'teams'>[] = Array.from({ length: 10 }, (_, i) => {
    const id = newId();
    return {
      id,
      workspaceId,
      name: `Reports team ${i + 1}`,
      nameKey: `${workspaceId}/reports-team-${i + 1}-${id.toLowerCase()}`,
      description: null,
      category: null,
      createdAt: now,
      updatedAt: now,
    };
  });
  const labels: Row<'labels'>[] = Array.from({ length: 8 }, (_, i) => ({
    id: newId(),
    workspaceId,
    name: `Reports label ${i + 1}`,
    nameKey: `reports label ${i + 1}`,
    colour: '#3366aa',
    description: null,
    createdAt: now,
    updatedAt: now,
  }));
  await inTransaction(async (insert) => {
    await insert('teams', teams);
    await insert('labels', labels);
  });
  const batch = 10_000;
  for (let start = 0; start < ticketCount; start += batch) {
    const conversations: Row<'conversations'>[] = [];
    const tickets: Row<'tickets'>[] = [];
    const messages: Row<'messages'>[] = [];
    const surveys: Row<'csatSurveys'>[] = [];
    const labelled: Row<'conversationLabels'>[] = [];
    for (let i = start; i < Math.min(ticketCount, start + batch); i++) {
      const createdAt = now - Math.floor(random() * 365 * DAY);
      const conversationId = newId();
      const ticketId = newId();
      const priority = PRIORITIES[Math.floor(random() * 4)]!;
      const teamId = teams[i % teams.length]!.id;
      const assigneeId = random() < 0.9 ? agentIds[Math.floor(random() * agentIds.length)]! : null;
      const respondedAt = random() < 0.9 ? createdAt + Math.floor(random() * 8 * 60) * MINUTE : null;
      const closedAt = random() < 0.85 ? Math.min(now - 1, createdAt + Math.floor(random() * 5 * DAY)) : null;
      const firstDue = createdAt + 4 * 60 * MINUTE;
      const resolutionDue = createdAt + 3 * DAY;
      conversations.push({
        id: conversationId,
        workspaceId,
        kind: 'ticket',
        title: null,
        directKey: null,
        createdAt,
        updatedAt: createdAt,
        publicUpdatedAt: createdAt,
        lastSeq: messagesPerTicket,
        publicLastSeq: messagesPerTicket,
      });
      tickets.push({
        id: ticketId,
        workspaceId,
        subject: words(3, 7),
        description: words(10, 30),
        status: closedAt === null ? 'open' : 'closed',
        priority,
        priorityRank: PRIORITIES.indexOf(priority) + 1,
        requesterId,
        assigneeId,
        teamId,
        conversationId,
        createdAt,
        updatedAt: closedAt ?? createdAt,
        closedAt,
        snoozedUntil: null,
        followUpOf: null,
        slaFirstResponseDueAt: firstDue,
        slaFirstRespondedAt: respondedAt,
        slaFirstResponseState: respondedAt === null ? 'ok' : respondedAt <= firstDue ? 'met' : 'breached',
        slaResolutionDueAt: resolutionDue,
        slaResolutionState: closedAt === null ? 'ok' : closedAt <= resolutionDue ? 'met' : 'breached',
        slaPausedAt: null,
        slaPausedMs: 0,
      });
      const labelCount = random() < 0.4 ? 0 : random() < 0.7 ? 1 : 2;
      const firstLabel = Math.floor(random() * labels.length);
      const labelIds = Array.from({ length: labelCount }, (_, l) => labels[(firstLabel + l) % labels.length]!.id);
      for (const labelId of labelIds) labelled.push({ workspaceId, conversationId, labelId, createdAt });
      // The ticket's copy of its labels, as syncTicketLabelIds writes it.
      tickets[tickets.length - 1]!.labelIds = labelIds.length === 0 ? null : JSON.stringify(labelIds.sort());
      for (let m = 0; m < messagesPerTicket; m++) {
        messages.push({
          id: newId(),
          workspaceId,
          conversationId,
          seq: m + 1,
          senderId: m % 2 === 0 || !assigneeId ? requesterId : assigneeId,
          kind: 'text',
          body: words(6, 18),
          clientMsgId: null,
          createdAt: createdAt + m * MINUTE,
          editedAt: null,
          deletedAt: null,
        });
      }
      if (closedAt !== null && random() < 0.33) {
        const answeredAt = Math.min(now - 1, closedAt + Math.floor(random() * DAY));
        surveys.push({
          id: newId(),
          workspaceId,
          ticketId,
          requesterId,
          closedAt,
          teamId,
          assigneeId,
          priority,
          askedAt: closedAt,
          score: 1 + Math.floor(random() * 5),
          comment: null,
          answeredAt,
        });
      }
    }
    await inTransaction(async (insert) => {
      await insert('conversations', conversations);
      await insert('tickets', tickets);
      await insert('messages', messages);
      await insert('csatSurveys', surveys);
      await insert('conversationLabels', labelled);
    });
  }
}
