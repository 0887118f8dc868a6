import { z } from 'zod';
import { IdSchema, PlainTextSchema, TimestampSchema } from './common';
import { CursorSchema, LimitSchema, pageOf } from './pagination';

/** What an audit row is about; `entityId` is the id of that ticket, user, team, role, invite or workspace. */
export const AuditEntityTypeSchema = z.enum([
  'ticket',
  'user',
  'team',
  'desk',
  'invite',
  'workspace',
  'role',
  'automation_rule',
  'label',
  'conversation',
  'canned_response',
  'custom_field',
  'email_channel',
  'chat_widget',
  'webhook',
  'api_token',
  'data_export',
]);
export type AuditEntityType = z.infer<typeof AuditEntityTypeSchema>;

export const AuditEntrySchema = z
  .object({
    id: IdSchema,
    actorId: IdSchema.nullable().describe('null when the system acted'),
    action: z.string().describe('`<entity>.<verb>`, e.g. `ticket.status_changed`, `user.deactivated`'),
    entityType: AuditEntityTypeSchema,
    entityId: IdSchema,
    data: z.record(z.string(), z.unknown()).describe('What changed, e.g. `{ "from": "agent", "to": "admin" }`'),
    createdAt: TimestampSchema,
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.object({
  entityType: AuditEntityTypeSchema.optional(),
  entityId: IdSchema.optional(),
  actorId: IdSchema.optional(),
  action: PlainTextSchema.trim().min(1).max(64).optional().describe('Exact action, e.g. `user.role_changed`'),
  cursor: CursorSchema.optional(),
  limit: LimitSchema,
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** Newest first. */
export const AuditPageSchema = pageOf(AuditEntrySchema).meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPageSchema>;
