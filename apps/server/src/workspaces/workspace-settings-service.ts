import type { UpdateWorkspaceBody, WorkspaceLogoSize, WorkspaceSettings } from '@parley/protocol';
import { UpdateWorkspaceBodySchema, WORKSPACE_LOGO_SIZES } from '@parley/protocol';
import { recordAudit } from '../audit/audit-service';
import type { Actor } from '../auth/actor';
import type { ServiceDeps } from '../deps';
import type { WorkspaceRow } from '../db/schema';
import { notFound } from '../http/app-error';
import { newStorageKey, type FileStore } from '../uploads/file-store';
import { renderPicture } from '../uploads/image-renditions';
import { findWorkspace, presentWorkspace, swapWorkspaceLogoKey, updateWorkspace } from './workspace-repository';

/**
 * A workspace's name, accent colour, logo and sign-up policy, as its members read them and
 * `settings.manage` changes them. Branding changes go out to every open app of the workspace.
 */
export interface WorkspaceSettingsDeps extends ServiceDeps {
  files: FileStore;
}

const presentSettings = (row: WorkspaceRow): WorkspaceSettings => ({
  ...presentWorkspace(row),
  openSignup: row.openSignup === 1,
});

async function current(deps: ServiceDeps, actor: Actor): Promise<WorkspaceRow> {
  const row = await findWorkspace(deps.db, actor.workspaceId);
  if (!row) throw notFound('Workspace');
  return row;
}

export async function getWorkspaceSettings(deps: ServiceDeps, actor: Actor): Promise<WorkspaceSettings> {
  return presentSettings(await current(deps, actor));
}

export async function updateWorkspaceSettings(
  deps: ServiceDeps,
  actor: Actor,
  input: UpdateWorkspaceBody,
): Promise<WorkspaceSettings> {
  const body = UpdateWorkspaceBodySchema.parse(input);
  const before = await current(deps, actor);
  const changes = {
    ...(body.name !== undefined && { name: body.name }),
    ...(body.accentColor !== undefined && { accentColor: body.accentColor }),
    ...(body.openSignup !== undefined && { openSignup: body.openSignup ? 1 : 0 }),
  };
  const at = deps.clock.now();
  const row = await deps.db.transaction().execute(async (trx) => {
    const after = await updateWorkspace(trx, actor.workspaceId, changes, at);
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'workspace.settings_changed',
      entityType: 'workspace',
      entityId: actor.workspaceId,
      data: {
        from: Object.fromEntries(Object.keys(changes).map((key) => [key, before[key as keyof typeof changes]])),
        to: changes,
      },
    });
    return after;
  });
  if (!row) throw notFound('Workspace');
  if (row.name !== before.name || row.accentColor !== before.accentColor) publishBranding(deps, row);
  return presentSettings(row);
}

const logoFile = (files: FileStore, key: string, size: WorkspaceLogoSize) =>
  files.pathOf('workspace-logos', key, `-${size}.webp`);
export const allLogoFiles = (files: FileStore, key: string) =>
  WORKSPACE_LOGO_SIZES.map((size) => logoFile(files, key, size));

/**
 * Makes `data` the workspace's logo: sniffed and decoded like an avatar, fitted (not cropped)
 * into squares of every size, stored under a new random key; the previous logo's files go once
 * the new one is in place. Resolves to the new logo's URL.
 */
export async function setWorkspaceLogo(deps: WorkspaceSettingsDeps, actor: Actor, data: Buffer): Promise<string> {
  const renditions = await renderPicture(data, WORKSPACE_LOGO_SIZES, 'inside');
  const key = newStorageKey();
  const written = allLogoFiles(deps.files, key);
  try {
    await Promise.all(written.map((file, i) => deps.files.write(file, renditions[i]!)));
    const previous = await swapWorkspaceLogoKey(deps.db, actor.workspaceId, key, deps.clock.now());
    if (previous) await deps.files.remove(...allLogoFiles(deps.files, previous));
  } catch (error) {
    await deps.files.remove(...written);
    throw error;
  }
  const row = await current(deps, actor);
  publishBranding(deps, row);
  return presentWorkspace(row).logoUrl!;
}

export async function removeWorkspaceLogo(deps: WorkspaceSettingsDeps, actor: Actor): Promise<void> {
  const previous = await swapWorkspaceLogoKey(deps.db, actor.workspaceId, null, deps.clock.now());
  if (!previous) return;
  await deps.files.remove(...allLogoFiles(deps.files, previous));
  publishBranding(deps, await current(deps, actor));
}

/** A stored logo rendition, or 404. Logos are public: the join page shows them before sign-up. */
export async function readWorkspaceLogo(files: FileStore, key: string, size: WorkspaceLogoSize) {
  const found = await files.read(logoFile(files, key, size));
  if (!found) throw notFound('Logo');
  return found;
}

function publishBranding(deps: ServiceDeps, row: WorkspaceRow): void {
  deps.events.publish({ type: 'workspace.updated', workspaceId: row.id, workspace: presentWorkspace(row) });
}
