import {
  SavedViewFilterSchema,
  TicketSortSchema,
  type CreateSavedViewBody,
  type SavedView,
  type SavedViewFilter,
  type SavedViewList,
  type TicketListQuery,
  type UpdateSavedViewBody,
} from '@parley/protocol';
import { z } from 'zod';
import { can, isStaff, type Actor } from '../auth/actor';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { newId } from '../ids';
import { teamIdsOf } from '../teams/team-service';
import { checkLabelFilter, checkSlaFilter, checkView, ticketReach } from '../tickets/ticket-policy';
import { checkFieldQuery } from '../custom-fields/ticket-field-query';
import { countMatchingTickets } from './saved-view-counts';
import {
  deleteView,
  findViewOf,
  insertView,
  listViewsOf,
  nextViewPosition,
  updateView,
  type SavedViewRow,
} from './saved-view-repository';

/**
 * Saved views (docs/architecture.md "Saved views"): staff keep their own (`personal`); shared
 * ones are the workspace's and change only with `settings.manage`. A view someone may not see
 * (another's personal view) does not exist for them. The stored filter is parsed with the
 * ticket list's schema on every read: one that no longer parses, or that the list would refuse
 * (a deleted label, a queue the reader may not open), "needs attention" instead of failing.
 */

const teamIdsFor = (db: Db, actor: Actor) =>
  ticketReach(actor) === 'own' ? Promise.resolve([]) : teamIdsOf(db, actor);

type Parsed = { ok: true; filter: SavedViewFilter; sort: TicketListQuery['sort'] } | { ok: false; problem: string };

const StoredSchema = z.object({ filter: SavedViewFilterSchema, sort: TicketSortSchema });

function parseStored(row: SavedViewRow): Parsed {
  let json: unknown;
  try {
    json = { filter: JSON.parse(row.filter), sort: row.sort };
  } catch {
    return { ok: false, problem: 'The stored filter is not readable' };
  }
  const parsed = StoredSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  return { ok: true, filter: parsed.data.filter, sort: parsed.data.sort };
}

/** The filter as the list would apply it for this reader, or why it cannot. */
function checkFilter(actor: Actor, filter: SavedViewFilter): void {
  checkView(actor, filter.view);
  checkSlaFilter(actor, filter.sla);
  checkLabelFilter(actor, filter.labelIds);
}

/** A field to sort by is a live ticket field: else 400 naming the body's `sortField`. */
async function checkSortField(db: Db, actor: Actor, sortField: string | null | undefined): Promise<void> {
  try {
    await checkFieldQuery(db, actor, { sortField: sortField ?? undefined });
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'validation_failed')) throw error;
    throw new AppError('validation_failed', error.message, {
      fields: [{ in: 'body', path: 'sortField', message: error.message }],
    });
  }
}

const rawFilter = (row: SavedViewRow): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(row.filter);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

async function present(db: Db, actor: Actor, teamIds: readonly string[], row: SavedViewRow): Promise<SavedView> {
  const base = {
    id: row.id,
    name: row.name,
    scope: row.scope,
    ownerId: row.ownerId,
    position: row.position,
    filter: rawFilter(row),
    sort: row.sort,
    sortField: row.sortField,
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
  };
  const parsed = parseStored(row);
  if (!parsed.ok) return { ...base, count: null, needsAttention: true, problem: parsed.problem };
  try {
    checkFilter(actor, parsed.filter);
    // A field it sorts by that is gone: the list would refuse it.
    await checkFieldQuery(db, actor, { sortField: row.sortField ?? undefined });
    const count = await countMatchingTickets(db, actor, teamIds, parsed.filter);
    return { ...base, filter: parsed.filter, count, needsAttention: false, problem: null };
  } catch (error) {
    // The list's own refusals (a label or field gone, a queue this reader may not open).
    if (error instanceof AppError && (error.code === 'validation_failed' || error.code === 'forbidden')) {
      return { ...base, count: null, needsAttention: true, problem: error.message };
    }
    throw error;
  }
}

/** Shared views and the reader's own, each with how many tickets it lists for them now. */
export async function listSavedViews(deps: ServiceDeps, actor: Actor): Promise<SavedViewList> {
  const [rows, teamIds] = await Promise.all([listViewsOf(deps.db, actor, actor.id), teamIdsFor(deps.db, actor)]);
  return { items: await Promise.all(rows.map((row) => present(deps.db, actor, teamIds, row))) };
}

const sharing = (actor: Actor) => {
  if (!can(actor, 'settings.manage')) {
    throw new AppError('forbidden', 'Shared views are the workspace settings: your role may not change them');
  }
};

export async function createSavedView(deps: ServiceDeps, actor: Actor, body: CreateSavedViewBody): Promise<SavedView> {
  const scope = body.scope ?? 'personal';
  if (scope === 'shared') sharing(actor);
  const filter = SavedViewFilterSchema.parse(body.filter ?? {});
  checkFilter(actor, filter);
  await checkSortField(deps.db, actor, body.sortField);
  const at = deps.clock.now();
  const row: SavedViewRow = {
    id: newId(),
    workspaceId: actor.workspaceId,
    ownerId: actor.id,
    scope,
    name: body.name,
    filter: JSON.stringify(filter),
    sort: body.sort ?? 'updated',
    sortField: body.sortField ?? null,
    position: 0,
    createdAt: at,
    updatedAt: at,
  };
  await deps.db.transaction().execute(async (trx) => {
    row.position = await nextViewPosition(trx, actor);
    await insertView(trx, row);
  });
  return present(deps.db, actor, await teamIdsFor(deps.db, actor), row);
}

/** The view if the actor may change it: their own personal view, or a shared one with `settings.manage`. */
async function changeableView(db: Db, actor: Actor, id: string): Promise<SavedViewRow> {
  const row = await findViewOf(db, actor, actor.id, id);
  if (!row) throw notFound('View');
  if (row.scope === 'shared') sharing(actor);
  return row;
}

export async function updateSavedView(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  body: UpdateSavedViewBody,
): Promise<SavedView> {
  const before = await changeableView(deps.db, actor, id);
  if (body.scope !== undefined && body.scope !== before.scope) sharing(actor);
  if (body.filter) checkFilter(actor, body.filter);
  await checkSortField(deps.db, actor, body.sortField);
  const row: SavedViewRow = {
    ...before,
    ...(body.name !== undefined && { name: body.name }),
    ...(body.scope !== undefined && { scope: body.scope }),
    // Taking a shared view back as personal makes it the taker's.
    ...(body.scope === 'personal' && before.scope === 'shared' && { ownerId: actor.id }),
    ...(body.filter !== undefined && { filter: JSON.stringify(body.filter) }),
    ...(body.sort !== undefined && { sort: body.sort }),
    ...(body.sortField !== undefined && { sortField: body.sortField }),
    ...(body.position !== undefined && { position: body.position }),
    updatedAt: deps.clock.now(),
  };
  await updateView(deps.db, actor, row);
  return present(deps.db, actor, await teamIdsFor(deps.db, actor), row);
}

export async function deleteSavedView(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  await changeableView(deps.db, actor, id);
  if (!(await deleteView(deps.db, actor, id))) throw notFound('View');
}

/**
 * `GET /tickets?viewId=`: the view's filter and sort, with the page asked for. A view that needs
 * attention answers 400 saying why.
 */
export async function savedViewQuery(db: Db, actor: Actor, given: TicketListQuery): Promise<TicketListQuery> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'Saved views are for staff');
  const row = await findViewOf(db, actor, actor.id, given.viewId!);
  if (!row) throw notFound('View');
  const parsed = parseStored(row);
  if (!parsed.ok) {
    throw new AppError('validation_failed', `This view needs attention: ${parsed.problem}`, {
      fields: [{ in: 'querystring', path: 'viewId', message: 'Its filter no longer applies' }],
    });
  }
  return {
    ...parsed.filter,
    sort: parsed.sort,
    ...(row.sortField && { sortField: row.sortField }),
    limit: given.limit,
    ...(given.cursor !== undefined && { cursor: given.cursor }),
  };
}
