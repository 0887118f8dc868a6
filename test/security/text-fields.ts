import type {
  ChatWidget,
  ChatWidgetList,
  Conversation,
  EmailChannel,
  EmailChannelList,
  Me,
  Message,
  Session,
  Team,
  Ticket,
  TicketCategoryList,
  WorkspaceRole,
  WorkspaceRoleList,
} from '@parley/protocol';
import type { LightMyRequestResponse } from 'fastify';
import { listen, startTestApp, type TestApp } from '../../apps/server/src/testing/test-app';
import { as, openTicket, setUpDesk } from '../../apps/server/src/testing/test-desk';

/** The desk of setUpDesk, a ticket of Carla's in team Support, and a message of hers in it. */
export interface Stage {
  t: TestApp;
  /** Where the app listens, for sockets. */
  base: string;
  desk: Awaited<ReturnType<typeof setUpDesk>>;
  ticket: Ticket;
  /** Carla's first message on the ticket: the one the edit cases rewrite. */
  editable: Message;
}

export async function setStage(): Promise<Stage> {
  const t = await startTestApp();
  const base = await listen(t);
  const desk = await setUpDesk(t);
  const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
  const editable = (
    await as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: 'editable',
      body: 'to be edited',
    })
  ).json<Message>();
  return { t, base, desk, ticket, editable };
}

/** One field a person types into, written and read back through the API. */
export interface TextField {
  label: string;
  /** The body field, as `details.fields` names it. */
  field: string;
  /** Names refuse line breaks and bidi controls (NameTextSchema); content keeps them. */
  kind: 'content' | 'name';
  /** The tables a successful write may change; every other table must stay as it was. */
  touches: string[];
  write(value: string): Promise<LightMyRequestResponse>;
  /** The value as the write answered it, as a later read returns it, and as its row holds it. */
  stored(response: LightMyRequestResponse): Promise<{
    answered: string | null;
    read: string | null;
    row: string | null | undefined;
  }>;
}

/** A new ticket also tells its team's agents (or the admins) of it. */
const TICKET_TABLES = ['tickets', 'conversations', 'conversation_members', 'audit_log', 'notifications'];
const MESSAGE_TABLES = ['messages', 'conversations', 'conversation_members', 'tickets', 'notifications'];

/** Every text field of the write API, for the stage `stage()` returns once it is set. */
export function textFields(stage: () => Stage): TextField[] {
  let n = 0;
  const unique = () => `field${++n}`;
  const db = () => stage().t.database.db;
  /** A row as the database holds it, read behind the API's back. */
  const row = async (
    table: 'tickets' | 'users' | 'teams' | 'messages' | 'roles' | 'conversations' | 'email_channels' | 'chat_widgets',
    id: string,
  ) =>
    (await db()
      .selectFrom(table as 'users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()) as unknown as Record<string, string | null>;
  const as$ = (who: Session) => as(stage().t, who);
  /** One message as another reader of the thread gets it from the history. */
  const readMessage = async (seq: number) => {
    const { desk, ticket } = stage();
    const page = await as$(desk.sam).get(
      `/conversations/${ticket.conversationId}/messages?afterSeq=${seq - 1}&limit=1`,
    );
    return page.json<{ items: Message[] }>().items[0]!.body;
  };
  const readUser = async (id: string) => (await as$(stage().desk.sam).get(`/users/${id}`)).json<Me>();

  return [
    {
      label: 'ticket subject',
      field: 'subject',
      kind: 'content',
      touches: TICKET_TABLES,
      write: (value) => as$(stage().desk.carla).post('/tickets', { subject: value, description: 'x' }),
      stored: async (r) => {
        const { id, subject } = r.json<Ticket>();
        const read = (await as$(stage().desk.carla).get(`/tickets/${id}`)).json<Ticket>().subject;
        return { answered: subject, read, row: (await row('tickets', id)).subject };
      },
    },
    {
      label: 'ticket description',
      field: 'description',
      kind: 'content',
      touches: TICKET_TABLES,
      write: (value) => as$(stage().desk.carla).post('/tickets', { subject: 'x', description: value }),
      stored: async (r) => {
        const { id, description } = r.json<Ticket>();
        const read = (await as$(stage().desk.carla).get(`/tickets/${id}`)).json<Ticket>().description;
        return { answered: description, read, row: (await row('tickets', id)).description };
      },
    },
    {
      label: 'message body',
      field: 'body',
      kind: 'content',
      touches: MESSAGE_TABLES,
      write: (value) =>
        as$(stage().desk.carla).post(`/conversations/${stage().ticket.conversationId}/messages`, {
          clientMsgId: unique(),
          body: value,
        }),
      stored: async (r) => {
        const { id, seq, body } = r.json<Message>();
        return { answered: body, read: await readMessage(seq), row: (await row('messages', id)).body };
      },
    },
    {
      label: 'edited message body',
      field: 'body',
      kind: 'content',
      // The edit keeps the text it replaced in the message's history.
      touches: ['messages', 'message_edits'],
      write: (value) => {
        const { desk, ticket, editable } = stage();
        return as$(desk.carla).patch(`/conversations/${ticket.conversationId}/messages/${editable.id}`, {
          body: value,
        });
      },
      stored: async (r) => {
        const { editable } = stage();
        const row$ = await row('messages', editable.id);
        return { answered: r.json<Message>().body, read: await readMessage(editable.seq), row: row$.body };
      },
    },
    {
      label: 'display name at sign-up',
      field: 'displayName',
      kind: 'name',
      touches: ['users', 'workspace_members', 'refresh_tokens', 'sessions'],
      write: (value) => {
        const username = unique();
        return stage().t.app.inject({
          method: 'POST',
          url: '/auth/register',
          payload: {
            email: `${username}@example.com`,
            username,
            password: 'correct horse battery',
            displayName: value,
          },
        });
      },
      stored: async (r) => {
        const { user } = r.json<Session>();
        const read = (await readUser(user.id)).displayName;
        return { answered: user.displayName, read, row: (await row('users', user.id)).displayName };
      },
    },
    {
      label: 'display name',
      field: 'displayName',
      kind: 'name',
      touches: ['users'],
      write: (value) => as$(stage().desk.dan).patch('/me', { displayName: value }),
      stored: async (r) => {
        const id = stage().desk.dan.user.id;
        const read = (await readUser(id)).displayName;
        return { answered: r.json<Me>().displayName, read, row: (await row('users', id)).displayName };
      },
    },
    {
      label: 'status text',
      field: 'statusText',
      kind: 'name',
      touches: ['users'],
      write: (value) => as$(stage().desk.dan).patch('/me', { statusText: value }),
      stored: async (r) => {
        const id = stage().desk.dan.user.id;
        const read = (await readUser(id)).statusText;
        return { answered: r.json<Me>().statusText, read, row: (await row('users', id)).statusText };
      },
    },
    {
      label: 'team name',
      field: 'name',
      kind: 'name',
      touches: ['teams', 'audit_log'],
      write: (value) => as$(stage().desk.admin).post('/teams', { name: value }),
      stored: async (r) => {
        const { id, name } = r.json<Team>();
        const read = (await as$(stage().desk.sam).get(`/teams/${id}`)).json<Team>().name;
        return { answered: name, read, row: (await row('teams', id)).name };
      },
    },
    {
      label: 'group name',
      field: 'title',
      kind: 'name',
      touches: ['conversations', 'conversation_members', 'messages', 'audit_log'],
      write: (value) =>
        as$(stage().desk.sam).post('/conversations/groups', { title: value, memberIds: [stage().desk.kim.user.id] }),
      stored: async (r) => {
        const { id, title } = r.json<Conversation>();
        const read = (await as$(stage().desk.kim).get(`/conversations/${id}`)).json<Conversation>().title;
        return { answered: title, read, row: (await row('conversations', id)).title };
      },
    },
    {
      label: 'group topic',
      field: 'topic',
      kind: 'name',
      touches: ['conversations', 'conversation_members', 'messages', 'audit_log'],
      write: (value) =>
        as$(stage().desk.sam).post('/conversations/groups', {
          title: 'Topical',
          topic: value,
          memberIds: [stage().desk.kim.user.id],
        }),
      stored: async (r) => {
        const { id, topic } = r.json<Conversation>();
        const read = (await as$(stage().desk.kim).get(`/conversations/${id}`)).json<Conversation>().topic;
        return { answered: topic, read, row: (await row('conversations', id)).topic };
      },
    },
    {
      label: 'role name',
      field: 'name',
      kind: 'name',
      touches: ['roles', 'audit_log'],
      write: (value) => as$(stage().desk.admin).post('/roles', { name: value, permissions: [] }),
      stored: async (r) => {
        const { id, name } = r.json<WorkspaceRole>();
        const roles = (await as$(stage().desk.admin).get('/roles')).json<WorkspaceRoleList>();
        const read = roles.items.find((role) => role.id === id)?.name ?? null;
        return { answered: name, read, row: (await row('roles', id)).name };
      },
    },
    {
      label: 'team category',
      field: 'category',
      kind: 'name',
      touches: ['teams', 'audit_log'],
      write: (value) => as$(stage().desk.admin).post('/teams', { name: unique(), category: value }),
      stored: async (r) => {
        const { id, category } = r.json<Team>();
        const offered = (await as$(stage().desk.carla).get('/ticket-categories')).json<TicketCategoryList>();
        const read = offered.items.find((c) => c.id === id)?.label ?? null;
        return { answered: category, read, row: (await row('teams', id)).category };
      },
    },
    {
      label: 'team description',
      field: 'description',
      kind: 'content',
      touches: ['teams', 'audit_log'],
      write: (value) => as$(stage().desk.admin).post('/teams', { name: unique(), description: value }),
      stored: async (r) => {
        const { id, description } = r.json<Team>();
        const read = (await as$(stage().desk.sam).get(`/teams/${id}`)).json<Team>().description;
        return { answered: description, read, row: (await row('teams', id)).description };
      },
    },
    {
      label: 'email channel name',
      field: 'name',
      kind: 'name',
      touches: ['email_channels', 'audit_log'],
      write: (value) =>
        as$(stage().desk.admin).post('/email-channels', {
          address: `${unique().toLowerCase()}@help.test`,
          name: value,
        }),
      stored: async (r) => {
        const { id, name } = r.json<EmailChannel>();
        const list = (await as$(stage().desk.admin).get('/email-channels')).json<EmailChannelList>();
        const read = list.items.find((c) => c.id === id)?.name ?? null;
        return { answered: name, read, row: (await row('email_channels', id)).name };
      },
    },
    {
      label: 'chat widget name',
      field: 'name',
      kind: 'name',
      touches: ['chat_widgets', 'audit_log'],
      write: (value) =>
        as$(stage().desk.admin).post('/widgets', { name: value, allowedOrigins: ['https://shop.example'] }),
      stored: async (r) => {
        const { id, name } = r.json<ChatWidget>();
        const list = (await as$(stage().desk.admin).get('/widgets')).json<ChatWidgetList>();
        const read = list.items.find((w) => w.id === id)?.name ?? null;
        return { answered: name, read, row: (await row('chat_widgets', id)).name };
      },
    },
    {
      label: 'chat widget greeting',
      field: 'greeting',
      kind: 'content',
      touches: ['chat_widgets', 'audit_log'],
      write: (value) =>
        as$(stage().desk.admin).post('/widgets', {
          name: unique(),
          greeting: value,
          allowedOrigins: ['https://shop.example'],
        }),
      stored: async (r) => {
        const { id, greeting } = r.json<ChatWidget>();
        const list = (await as$(stage().desk.admin).get('/widgets')).json<ChatWidgetList>();
        const read = list.items.find((w) => w.id === id)?.greeting ?? null;
        return { answered: greeting, read, row: (await row('chat_widgets', id)).greeting };
      },
    },
  ];
}
