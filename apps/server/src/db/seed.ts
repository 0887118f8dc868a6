import sharp from 'sharp';
import type { Role, TicketPriority, TicketStatus } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { hashPassword } from '../auth/password-hasher';
import type { Clock } from '../clock';
import type { ServiceDeps } from '../deps';
import { openDirectConversation } from '../conversations/conversation-service';
import { sendMessage, toggleReaction } from '../conversations/message-service';
import { addEveryReaction } from '../events/every-reaction';
import { createLocalPresenceStore } from '../realtime/presence-store';
import { createLocalBus } from '../events/local-bus';
import { createReactions } from '../events/reactions';
import { createJobRunner } from '../jobs/job-runner';
import { startNotifier } from '../notifications/notification-subscriber';
import { createLocalViewingStore } from '../realtime/viewing-store';
import { answerFriendRequest, sendFriendRequest } from '../contacts/friend-request-service';
import { addTeamMember, createTeam } from '../teams/team-service';
import { createFileStore } from '../uploads/file-store';
import { setAvatar } from '../uploads/avatar-service';
import { newId } from '../ids';
import { createTicket, updateTicket } from '../tickets/ticket-service';
import { findUserByEmail, insertUser } from '../users/user-repository';
import { builtInRoleId, loadActor } from '../workspaces/member-repository';
import {
  findDefaultWorkspace,
  findWorkspaceBySlug,
  insertMember,
  insertWorkspace,
} from '../workspaces/workspace-repository';
import { setWorkspaceLogo } from '../workspaces/workspace-settings-service';
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
    // Customers cannot choose Urgent on a desk with the default settings: Kim raises it.
    priority: 'high',
    steps: [
      ['set', 'kim', { priority: 'urgent' }],
      ['note', 'kim', "Same root cause as Carla's ticket? Sam is on it."],
    ],
  },
];

const AVATAR_COLOURS = ['#6d28d9', '#0f766e', '#b45309', '#be123c', '#1d4ed8'];

/** A plain generated picture (a ring on a colour), so the demo needs no image files. */
const demoAvatar = (colour: string) =>
  sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><rect width="256" height="256" fill="${colour}"/>` +
        '<circle cx="128" cy="128" r="72" fill="none" stroke="#fff" stroke-width="24"/></svg>',
    ),
  )
    .png()
    .toBuffer();

export interface DemoLogin {
  login: string;
  email: string;
  /** Their role in the default workspace. */
  role: Role;
}

/**
 * A second, nearly empty workspace, so the workspace switcher has something to show; branded in
 * a bright yellow that is unreadable on white as it is, so the app's contrast correction shows.
 */
export const DEMO_SECOND_WORKSPACE = { slug: 'acme', name: 'Acme', accentColor: '#facc15' } as const;

/** Acme's logo: a mountain peak on a yellow tile, drawn here so the demo needs no image files. */
const demoLogo = () =>
  sharp(
    Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256">' +
        '<rect width="256" height="256" rx="56" fill="#facc15"/>' +
        '<path d="M40 200 L112 72 L152 140 L172 108 L216 200 Z" fill="#1c1917"/>' +
        '<path d="M112 72 L132 108 L112 100 L96 112 Z" fill="#ffffff"/></svg>',
    ),
  )
    .png()
    .toBuffer();

/**
 * A small, lived-in demo organisation in the default workspace, made through the same services
 * the API uses: an admin, agents Sam and Kim in the Support team (and an empty Billing team),
 * customers Carla and Dan, four tickets in different states with threads, reactions and
 * internal notes, contacts made through friend requests (one left pending), direct chats,
 * avatars. Ada is also the admin of a second workspace, Acme, with nothing else in it yet.
 * Does nothing if it is already there.
 */
export async function seedDemoOrg(
  db: Db,
  clock: Clock,
  dataDir: string,
): Promise<{ created: boolean; logins: DemoLogin[] }> {
  const logins = PEOPLE.map((p) => ({ login: p.key, email: `${p.key}@parley.demo`, role: p.role }));
  if (await findUserByEmail(db, logins[0]!.email)) return { created: false, logins };

  // The history is spread over the last three days, a few minutes per step.
  let now = clock.now() - 3 * 24 * 3600_000;
  // No sockets listen while seeding; only the notifications are derived from the events, as live.
  const failures: unknown[] = [];
  const seedClock = { now: () => (now += 7 * 60_000) };
  const events = createLocalBus();
  // Triage follows the seeded changes as it follows live ones: their jobs run before the end.
  const jobs = createJobRunner({
    db,
    clock: seedClock,
    log: { warn: () => {}, error: (details) => failures.push(details) },
    pollMs: 60_000,
  });
  const deps: ServiceDeps = { db, clock: seedClock, events, reactions: createReactions(jobs, events) };
  addEveryReaction(deps.reactions, deps, { jobs, presence: createLocalPresenceStore() });
  const notifier = startNotifier({ ...deps, viewing: createLocalViewingStore(), onError: (e) => failures.push(e) });

  // The migrations made the default workspace; the demo desk lives there.
  const desk = await findDefaultWorkspace(db);
  if (!desk) throw new Error('No default workspace: run the migrations first');
  const ws = { workspaceId: desk.id };

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
      createdAt: at,
      updatedAt: at,
    });
    await insertMember(db, ws, user.id, await builtInRoleId(db, ws, p.role), at);
    actors[p.key] = await actorIn(db, ws, user.id);
  }
  // Made after the default workspace (the demo's history is back-dated): the installation's
  // first workspace is where registrations without a named workspace go.
  await seedSecondWorkspace(deps, actors.ada, Math.max(deps.clock.now(), desk.createdAt + 1), dataDir);

  const admin = actors.ada;
  const support = await createTeam(deps, admin, {
    name: 'Support',
    description: 'First-line support',
    category: 'Sign-in, app and account',
  });
  await createTeam(deps, admin, {
    name: 'Billing',
    description: 'Invoices, refunds and plans',
    category: 'Invoices and payments',
  });
  for (const agent of [actors.sam, actors.kim]) await addTeamMember(deps, admin, support.id, agent.id);
  const supportTeamId = support.id;

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

  // Friendships go through requests, as in the app: two accepted, one still waiting for Dan.
  const befriend = async (from: Person, to: Person, answer: 'accept' | null) => {
    const request = await sendFriendRequest(deps, actors[from], actors[to].id);
    if (answer) await answerFriendRequest(deps, actors[to], request.id, answer);
  };
  await befriend('sam', 'kim', 'accept');
  await befriend('carla', 'dan', 'accept');
  await befriend('kim', 'dan', null);
  const customers = await openDirectConversation(deps, actors.carla, actors.dan.id);
  await say('carla', customers.conversation.id, 'Did support get back to you about the lock-out?');
  const { conversation } = await openDirectConversation(deps, actors.sam, actors.kim.id);
  await say('sam', conversation.id, 'Can you take the VAT ticket? Billing is your thing.');
  await say('kim', conversation.id, 'Sure, after lunch.');

  await jobs.runDueJobs();
  await notifier.settled();
  notifier.stop();
  if (failures.length > 0) throw failures[0];

  const files = createFileStore(dataDir);
  for (const [i, p] of PEOPLE.entries()) {
    // Demo people have no attachments yet: the quota cannot bite, whatever it is set to.
    await setAvatar(
      { db, clock: deps.clock, files, quotaBytes: Number.MAX_SAFE_INTEGER },
      actors[p.key],
      await demoAvatar(AVATAR_COLOURS[i]!),
    );
  }
  return { created: true, logins };
}

/**
 * Acme: Ada as its admin and nobody else, with its accent colour and logo; skipped if an `acme`
 * workspace exists already.
 */
async function seedSecondWorkspace(deps: ServiceDeps, ada: Actor, at: number, dataDir: string): Promise<void> {
  const { db } = deps;
  if (await findWorkspaceBySlug(db, DEMO_SECOND_WORKSPACE.slug)) return;
  const { slug, name, accentColor } = DEMO_SECOND_WORKSPACE;
  const acme = await insertWorkspace(db, { slug, name, openSignup: false }, at);
  const ws = { workspaceId: acme.id };
  await insertMember(db, ws, ada.id, await builtInRoleId(db, ws, 'admin'), at);
  await db.updateTable('workspaces').set({ accentColor }).where('id', '=', acme.id).execute();
  const admin = await actorIn(db, ws, ada.id);
  await setWorkspaceLogo({ ...deps, files: createFileStore(dataDir) }, admin, await demoLogo());
}

async function actorIn(db: Db, ws: { workspaceId: string }, userId: string): Promise<Actor> {
  const actor = await loadActor(db, ws, userId);
  if (!actor) throw new Error(`Seeded user ${userId} is not an active member`);
  return actor;
}
