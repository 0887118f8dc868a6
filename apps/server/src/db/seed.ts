import type { Role, TicketPriority, TicketStatus } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { hashPassword } from '../auth/password-hasher';
import type { Clock } from '../clock';
import { openDirectConversation } from '../conversations/conversation-service';
import { sendMessage, toggleReaction } from '../conversations/message-service';
import { createLocalBus } from '../events/local-bus';
import { newId } from '../ids';
import { createTicket, updateTicket } from '../tickets/ticket-service';
import { findUserByEmail, insertUser } from '../users/user-repository';
import type { Db } from './connect';

export const DEMO_PASSWORD = 'parley-demo';

const PEOPLE = [
  { key: 'ada', displayName: 'Ada Admin', role: 'admin' },
  { key: 'sam', displayName: 'Sam Agent', role: 'agent' },
  { key: 'kim', displayName: 'Kim Agent', role: 'agent' },
  { key: 'carla', displayName: 'Carla Customer', role: 'customer' },
  { key: 'dan', displayName: 'Dan Customer', role: 'customer' },
] as const satisfies ReadonlyArray<{ key: string; displayName: string; role: Role }>;

type Person = (typeof PEOPLE)[number]['key'];

/** What happens on a ticket after it is opened: a message, an internal note, or a change. */
type Step =
  | ['say' | 'note', Person, string]
  | ['set', Person, { status?: TicketStatus; priority?: TicketPriority; assignee?: Person }];

interface DemoTicket {
  subject: string;
  description: string;
  requester: Person;
  priority: TicketPriority;
  steps: Step[];
}

const TICKETS: DemoTicket[] = [
  {
    subject: 'Cannot sign in on Android',
    description: 'Since this morning the app says "session expired" right after I sign in.',
    requester: 'carla',
    priority: 'high',
    steps: [
      ['set', 'sam', { assignee: 'sam', status: 'in_progress' }],
      ['say', 'sam', 'Sorry about that! Which app version do you have (Settings → About)?'],
      ['note', 'sam', 'Probably the clock-skew bug from the last release; checking the logs.'],
      ['say', 'carla', 'It says 1.4.2.'],
    ],
  },
  {
    subject: 'Invoice shows the wrong VAT rate',
    description: 'Invoice 2026-118 charges 21% VAT but we are VAT-exempt.',
    requester: 'carla',
    priority: 'medium',
    steps: [],
  },
  {
    subject: 'Feature request: dark mode',
    description: 'Any plans for a dark theme? My eyes would thank you.',
    requester: 'dan',
    priority: 'low',
    steps: [
      ['set', 'kim', { assignee: 'kim' }],
      ['say', 'kim', 'It shipped today: Profile → Theme → Dark. Enjoy!'],
      ['say', 'dan', 'Wonderful, thank you!'],
      ['set', 'dan', { status: 'closed' }],
    ],
  },
  {
    subject: 'Our whole team is locked out',
    description: 'Nobody at Dan & Co can sign in since 9:00. Please help!',
    requester: 'dan',
    priority: 'urgent',
    steps: [['note', 'kim', "Same root cause as Carla's ticket? Sam is on it."]],
  },
];

export interface DemoLogin {
  login: string;
  email: string;
  role: Role;
}

/**
 * A small, lived-in demo organisation, made through the same services the API uses: an admin,
 * agents Sam and Kim in the Support team, customers Carla and Dan, four tickets in different
 * states with threads and internal notes, a direct chat between the agents. Does nothing if it
 * is already there.
 */
export async function seedDemoOrg(db: Db, clock: Clock): Promise<{ created: boolean; logins: DemoLogin[] }> {
  const logins = PEOPLE.map((p) => ({ login: p.key, email: `${p.key}@parley.demo`, role: p.role }));
  if (await findUserByEmail(db, logins[0]!.email)) return { created: false, logins };

  // The history is spread over the last three days, a few minutes per step.
  let now = clock.now() - 3 * 24 * 3600_000;
  // Nobody is listening while seeding: the events go nowhere.
  const deps = { db, clock: { now: () => (now += 7 * 60_000) }, events: createLocalBus() };

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const actors = {} as Record<Person, Actor>;
  for (const p of PEOPLE) {
    const at = deps.clock.now();
    const user = await insertUser(db, {
      id: newId(),
      email: `${p.key}@parley.demo`,
      username: p.key,
      usernameKey: p.key,
      displayName: p.displayName,
      passwordHash,
      role: p.role,
      createdAt: at,
      updatedAt: at,
    });
    actors[p.key] = { id: user.id, role: user.role };
  }

  const supportTeamId = newId();
  const at = deps.clock.now();
  await db
    .insertInto('teams')
    .values({
      id: supportTeamId,
      name: 'Support',
      nameKey: 'support',
      description: 'First-line support',
      createdAt: at,
      updatedAt: at,
    })
    .execute();
  await db
    .insertInto('teamMembers')
    .values([actors.sam, actors.kim].map((a) => ({ teamId: supportTeamId, userId: a.id, createdAt: at })))
    .execute();

  let sent = 0;
  const say = (who: Person, conversationId: string, body: string, internal = false) =>
    sendMessage(deps, actors[who], conversationId, {
      clientMsgId: `seed-${++sent}`,
      body,
      internal,
      attachmentIds: [],
    });

  for (const demo of TICKETS) {
    const ticket = await createTicket(deps, actors[demo.requester], {
      subject: demo.subject,
      description: demo.description,
      priority: demo.priority,
      teamId: supportTeamId,
    });
    for (const [kind, who, what] of demo.steps) {
      if (kind === 'set') {
        const { assignee, ...rest } = what;
        await updateTicket(deps, actors[who], ticket.id, {
          ...rest,
          ...(assignee && { assigneeId: actors[assignee].id }),
        });
      } else {
        const { message } = await say(who, ticket.conversationId, what, kind === 'note');
        if (who === 'kim' && kind === 'say')
          await toggleReaction(deps, actors.dan, ticket.conversationId, message.id, '🎉');
      }
    }
  }

  const befriendedAt = deps.clock.now();
  await db
    .insertInto('contacts')
    .values([
      { userId: actors.sam.id, contactId: actors.kim.id, createdAt: befriendedAt },
      { userId: actors.kim.id, contactId: actors.sam.id, createdAt: befriendedAt },
    ])
    .execute();
  const { conversation } = await openDirectConversation(deps, actors.sam, actors.kim.id);
  await say('sam', conversation.id, 'Can you take the VAT ticket? Billing is your thing.');
  await say('kim', conversation.id, 'Sure, after lunch.');
  return { created: true, logins };
}
