import type { Message, SystemEvent } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { systemLineText } from './system-line';

const en = i18n.getFixedT('en');
const de = i18n.getFixedT('de');
const sam = { id: '01JSAM00000000000000000000', name: 'Sam' };
const kim = { id: '01JKIM00000000000000000000', name: 'Kim' };
const line = (system: SystemEvent | null, body = 'English body'): Pick<Message, 'body' | 'system'> => ({
  body,
  system,
});

describe('system lines', () => {
  it("are said from their data in the reader's language", () => {
    const took = line({ event: 'ticket.assignee_changed', actor: sam, params: { assignee: sam } });
    expect(systemLineText(took, en)).toBe('Sam took the ticket');
    expect(systemLineText(took, de)).toBe('Sam hat das Ticket übernommen');
    const status = line({ event: 'ticket.status_changed', actor: sam, params: { from: 'open', to: 'in_progress' } });
    expect(systemLineText(status, en)).toBe('Sam changed the status to In progress');
    expect(systemLineText(status, de)).toBe('Sam hat den Status auf In Bearbeitung gesetzt');
    const priority = line({ event: 'ticket.priority_changed', actor: sam, params: { from: 'high', to: 'urgent' } });
    expect(systemLineText(priority, de)).toBe('Sam hat die Priorität von Hoch auf Dringend geändert');
  });

  it('tell closing, reopening (by hand or by a reply), assigning, unassigning and team moves apart', () => {
    const say = (system: SystemEvent) => systemLineText(line(system), en);
    expect(say({ event: 'ticket.status_changed', actor: kim, params: { from: 'open', to: 'closed' } })).toBe(
      'Kim closed the ticket',
    );
    expect(say({ event: 'ticket.status_changed', actor: kim, params: { from: 'closed', to: 'open' } })).toBe(
      'Kim reopened the ticket',
    );
    expect(say({ event: 'ticket.assignee_changed', actor: kim, params: { assignee: sam } })).toBe(
      'Kim assigned the ticket to Sam',
    );
    expect(say({ event: 'ticket.assignee_changed', actor: kim, params: { assignee: null } })).toBe(
      'Kim unassigned the ticket',
    );
    expect(say({ event: 'ticket.team_changed', actor: kim, params: { team: { category: 'Invoices' } } })).toBe(
      'Kim moved the ticket to Invoices',
    );
    expect(say({ event: 'ticket.team_changed', actor: kim, params: { team: { category: null } } })).toBe(
      'Kim moved the ticket to another team',
    );
    expect(say({ event: 'ticket.reopened_by_reply', actor: kim, params: {} })).toBe(
      'Kim reopened the ticket by replying',
    );
    expect(systemLineText(line({ event: 'ticket.reopened_by_reply', actor: kim, params: {} }), de)).toBe(
      'Kim hat das Ticket mit einer Antwort wieder geöffnet',
    );
    expect(say({ event: 'ticket.team_changed', actor: kim, params: { team: null } })).toBe(
      'Kim removed the ticket from its team',
    );
  });

  it('say what happened to a group: its name, topic, members and admins, in English and German', () => {
    const both = (system: SystemEvent) => [systemLineText(line(system), en), systemLineText(line(system), de)];
    const ann = { id: '01JANN00000000000000000000', name: 'Ann' };
    expect(both({ event: 'group.created', actor: sam, params: { title: 'Launch' } })).toEqual([
      'Sam created the group "Launch"',
      'Sam hat die Gruppe „Launch“ erstellt',
    ]);
    expect(both({ event: 'group.renamed', actor: kim, params: { title: 'Launch day' } })).toEqual([
      'Kim renamed the group to "Launch day"',
      'Kim hat die Gruppe in „Launch day“ umbenannt',
    ]);
    expect(both({ event: 'group.topic_changed', actor: kim, params: { topic: 'Friday 9:00' } })).toEqual([
      'Kim set the topic to "Friday 9:00"',
      'Kim hat das Thema auf „Friday 9:00“ gesetzt',
    ]);
    expect(both({ event: 'group.topic_changed', actor: kim, params: { topic: null } })).toEqual([
      'Kim cleared the topic',
      'Kim hat das Thema entfernt',
    ]);
    expect(both({ event: 'group.members_added', actor: sam, params: { users: [kim, ann] } })).toEqual([
      'Sam added Kim, Ann',
      'Sam hat Kim, Ann hinzugefügt',
    ]);
    expect(both({ event: 'group.admin_changed', actor: sam, params: { user: kim, admin: true } })).toEqual([
      'Sam made Kim an admin',
      'Sam hat Kim zum Admin gemacht',
    ]);
    expect(both({ event: 'group.admin_changed', actor: sam, params: { user: kim, admin: false } })).toEqual([
      'Sam made Kim a member again',
      'Sam hat Kim wieder zum Mitglied gemacht',
    ]);
  });

  it('tell removing someone from leaving, and the admin Parley picks when the last one leaves', () => {
    const both = (system: SystemEvent) => [systemLineText(line(system), en), systemLineText(line(system), de)];
    expect(both({ event: 'group.member_removed', actor: sam, params: { user: kim } })).toEqual([
      'Sam removed Kim',
      'Sam hat Kim entfernt',
    ]);
    expect(both({ event: 'group.member_removed', actor: kim, params: { user: kim } })).toEqual([
      'Kim left the group',
      'Kim hat die Gruppe verlassen',
    ]);
    const parley = { id: null, name: 'Parley' };
    expect(both({ event: 'group.admin_changed', actor: parley, params: { user: kim, admin: true } })).toEqual([
      'Kim is an admin now, as the last admin left',
      'Kim ist jetzt Admin, da der letzte Admin gegangen ist',
    ]);
  });

  it('keep the English body when they carry no data, or an event this build does not know', () => {
    expect(systemLineText(line(null, 'Sam Agent took the ticket'), de)).toBe('Sam Agent took the ticket');
    const unknown = { event: 'ticket.merged', actor: sam, params: {} } as unknown as SystemEvent;
    expect(systemLineText(line(unknown, 'Sam merged the ticket'), de)).toBe('Sam merged the ticket');
  });
});
