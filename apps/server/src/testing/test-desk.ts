import type { Session, Ticket } from '@parley/protocol';
import { newId } from '../ids';
import { findDefaultWorkspace } from '../workspaces/workspace-repository';
import { bearer, createWorkspace, signUp, type TestApp } from './test-app';

/**
 * A small support desk: an admin; agents Sam and Kim in team Support; agent Otto in team
 * Billing; customers Carla and Dan. Teams are written straight to the database so ticket and
 * message tests do not depend on the teams API; both are offered to customers under a category.
 */
export async function setUpDesk(t: TestApp, { workspace }: { workspace?: string } = {}) {
  const inWorkspace = workspace ? { workspace } : {};
  const admin = await signUp(t, 'admin', inWorkspace);
  const sam = await signUp(t, 'agent', { displayName: 'Sam Agent', ...inWorkspace });
  const kim = await signUp(t, 'agent', { displayName: 'Kim Agent', ...inWorkspace });
  const otto = await signUp(t, 'agent', { displayName: 'Otto Billing', ...inWorkspace });
  const carla = await signUp(t, 'customer', { displayName: 'Carla', ...inWorkspace });
  const dan = await signUp(t, 'customer', { displayName: 'Dan', ...inWorkspace });
  const support = await createTeam(t, 'Support', [sam, kim], { category: 'Sign-in and account' });
  const billing = await createTeam(t, 'Billing', [otto], { category: 'Invoices and payments' });
  return { admin, sam, kim, otto, carla, dan, support, billing };
}

export type Desk = Awaited<ReturnType<typeof setUpDesk>>;

/** Two desks of one installation: `a` in the default workspace, `b` in a second one, `acme`. */
export async function setUpTwoDesks(t: TestApp): Promise<{ a: Desk; b: Desk }> {
  const a = await setUpDesk(t);
  await createWorkspace(t, 'acme');
  return { a, b: await setUpDesk(t, { workspace: 'acme' }) };
}

/**
 * A team of the members' workspace (the default one when there are none); with a `category`,
 * customers can pick it (under that label) when they open a ticket.
 */
export async function createTeam(
  t: TestApp,
  name: string,
  members: Session[],
  { category = null, workspaceId }: { category?: string | null; workspaceId?: string } = {},
): Promise<string> {
  const id = newId();
  const now = Date.now();
  const ws = workspaceId ?? members[0]?.user.workspace.id ?? (await findDefaultWorkspace(t.database.db))!.id;
  await t.database.db
    .insertInto('teams')
    .values({
      id,
      workspaceId: ws,
      name,
      nameKey: `${ws}/${name.toLowerCase()}`,
      description: null,
      category,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  for (const member of members) {
    await t.database.db
      .insertInto('teamMembers')
      .values({ workspaceId: ws, teamId: id, userId: member.user.id, createdAt: now })
      .execute();
  }
  return id;
}

/** Opens a ticket through the API as `who`. */
export async function openTicket(t: TestApp, who: Session, body: Record<string, unknown> = {}): Promise<Ticket> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/tickets',
    headers: bearer(who),
    payload: { subject: 'Printer on fire', description: 'It is really on fire.', ...body },
  });
  if (response.statusCode !== 201) throw new Error(`open ticket failed: ${response.statusCode} ${response.body}`);
  return response.json<Ticket>();
}

/** A caller bound to one user: `as(carla).get('/tickets')`. */
export function as(t: TestApp, who: Session) {
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(who), ...(payload && { payload }) });
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload: object = {}) => call('POST', url, payload),
    patch: (url: string, payload: object) => call('PATCH', url, payload),
    put: (url: string, payload?: object) => call('PUT', url, payload),
    delete: (url: string) => call('DELETE', url),
  };
}
