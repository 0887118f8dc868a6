import type { CustomerContext, CustomerContextQuery, CustomerNote, CustomerNoteList } from '@parley/protocol';
import { can, isStaff, type Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { newId } from '../ids';
import { teamIdsOf } from '../teams/team-service';
import { ticketReach } from '../tickets/ticket-policy';
import { findGuest } from '../widget/widget-repository';
import {
  deleteNoteRow,
  findCustomer,
  findNote,
  insertNote,
  listNotes,
  listTicketsOfRequester,
  updateNoteBody,
  type NoteWithAuthor,
} from './customer-context-repository';

/** How many of the customer's other tickets the context lists. */
const CONTEXT_TICKETS = 20;

/** Who the customer is to staff: a staff-only view. Customers are refused outright (403). */
function requireStaff(actor: Actor): void {
  if (!isStaff(actor)) throw new AppError('forbidden', 'Customer context is for staff');
}

async function customerOf(db: Db, actor: Actor, customerId: string) {
  requireStaff(actor);
  const customer = await findCustomer(db, actor, customerId);
  if (!customer) throw notFound('Customer');
  return customer;
}

const presentNote = (note: NoteWithAuthor): CustomerNote => ({
  id: note.id,
  customerId: note.customerId,
  body: note.body,
  author: note.authorId && note.authorName !== null ? { id: note.authorId, name: note.authorName } : null,
  createdAt: toIso(note.createdAt),
  updatedAt: toIso(note.updatedAt),
});

/**
 * The requester beside a ticket: who they are, their other tickets (only those the actor may
 * open) and staff notes about them, in three queries. Custom fields of the customer are added
 * by the custom-fields feature.
 */
export async function getCustomerContext(
  deps: ServiceDeps,
  actor: Actor,
  customerId: string,
  query: CustomerContextQuery,
): Promise<CustomerContext> {
  const customer = await customerOf(deps.db, actor, customerId);
  const teamIds = ticketReach(actor) === 'teams' ? await teamIdsOf(deps.db, actor) : [];
  const [tickets, notes, guest] = await Promise.all([
    listTicketsOfRequester(deps.db, actor, teamIds, customerId, query.excludeTicketId, CONTEXT_TICKETS),
    listNotes(deps.db, actor, customerId),
    findGuest(deps.db, actor, customerId),
  ]);
  return {
    customer: {
      id: customer.id,
      displayName: customer.displayName,
      email: can(actor, 'people.manage') ? customer.email : null,
      since: toIso(customer.since),
      // The address a website visitor gave to be answered at: theirs to give to the desk.
      guest: guest ? { contactEmail: guest.contactEmail } : null,
    },
    tickets: tickets.map((t) => ({ ...t, createdAt: toIso(t.createdAt), updatedAt: toIso(t.updatedAt) })),
    notes: notes.map(presentNote),
  };
}

export async function listCustomerNotes(
  deps: ServiceDeps,
  actor: Actor,
  customerId: string,
): Promise<CustomerNoteList> {
  await customerOf(deps.db, actor, customerId);
  return { items: (await listNotes(deps.db, actor, customerId)).map(presentNote) };
}

function requireNotesWrite(actor: Actor): void {
  if (!can(actor, 'notes.write')) throw new AppError('forbidden', 'Your role may not write notes');
}

export async function addCustomerNote(
  deps: ServiceDeps,
  actor: Actor,
  customerId: string,
  body: string,
): Promise<CustomerNote> {
  await customerOf(deps.db, actor, customerId);
  requireNotesWrite(actor);
  const at = deps.clock.now();
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    await insertNote(trx, {
      id,
      workspaceId: actor.workspaceId,
      customerId,
      authorId: actor.id,
      body,
      createdAt: at,
      updatedAt: at,
    });
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'customer_note.created',
      entityType: 'user',
      entityId: customerId,
      data: { noteId: id },
    });
  });
  await publishNotes(deps, actor, customerId);
  return presentNote((await findNote(deps.db, actor, customerId, id))!);
}

/** Every staff socket of the workspace hears the customer's notes as they are now. */
async function publishNotes(deps: ServiceDeps, actor: Actor, customerId: string): Promise<void> {
  const notes = (await listNotes(deps.db, actor, customerId)).map(presentNote);
  deps.events.publish({ workspaceId: actor.workspaceId, type: 'customer.notes_changed', customerId, notes });
}

/** Notes are edited and deleted by their author only; anyone else's is 403, a missing one 404. */
async function ownNote(deps: ServiceDeps, actor: Actor, customerId: string, noteId: string) {
  await customerOf(deps.db, actor, customerId);
  requireNotesWrite(actor);
  const note = await findNote(deps.db, actor, customerId, noteId);
  if (!note) throw notFound('Note');
  if (note.authorId !== actor.id) throw new AppError('forbidden', 'Only its author changes a note');
  return note;
}

export async function editCustomerNote(
  deps: ServiceDeps,
  actor: Actor,
  customerId: string,
  noteId: string,
  body: string,
): Promise<CustomerNote> {
  await ownNote(deps, actor, customerId, noteId);
  await updateNoteBody(deps.db, actor, noteId, body, deps.clock.now());
  await publishNotes(deps, actor, customerId);
  return presentNote((await findNote(deps.db, actor, customerId, noteId))!);
}

export async function deleteCustomerNote(
  deps: ServiceDeps,
  actor: Actor,
  customerId: string,
  noteId: string,
): Promise<void> {
  await ownNote(deps, actor, customerId, noteId);
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await deleteNoteRow(trx, actor, noteId);
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'customer_note.deleted',
      entityType: 'user',
      entityId: customerId,
      data: { noteId },
    });
  });
  await publishNotes(deps, actor, customerId);
}
