import { z } from 'zod';
import { IdSchema, NameTextSchema, PlainTextSchema, TimestampSchema } from './common';
import { ClientMsgIdSchema, MessageBodySchema } from './conversations';
import { TicketSchema } from './tickets';
import { DisplayNameSchema, EmailSchema } from './users';

/**
 * The website chat widget: one `<script>` tag on any site puts a chat bubble there. Visitors chat
 * as guests (no account): a contact of the workspace with a guest token kept in the widget's
 * storage, which reaches only their own conversations. `settings.manage` keeps the widgets.
 */

/** Where the widget may be embedded: `https://shop.example` (scheme, host and port; no path). */
export const WidgetOriginSchema = z
  .url({ protocol: /^https?$/ })
  .max(200)
  .transform((u) => new URL(u).origin)
  .describe('An origin the widget may be embedded on, e.g. `https://shop.example`');

export const ChatWidgetSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    key: z.string().describe('Public: goes into the `<script data-parley-key>` tag'),
    allowedOrigins: z
      .array(z.string())
      .describe('Sites that may embed it (the frame says so with CSP frame-ancestors)'),
    teamId: IdSchema.nullable().describe("Its visitors' tickets go to this team; null: the desk's default queue"),
    greeting: z.string().nullable().describe('Shown above the first message'),
    identitySecret: z
      .string()
      .describe(
        'Sign a signed-in user id with it (HMAC-SHA256, hex) to pass a verified identity; never put it in a page',
      ),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'ChatWidget' });
export type ChatWidget = z.infer<typeof ChatWidgetSchema>;

export const ChatWidgetListSchema = z.object({ items: z.array(ChatWidgetSchema) }).meta({ id: 'ChatWidgetList' });
export type ChatWidgetList = z.infer<typeof ChatWidgetListSchema>;

const WidgetName = NameTextSchema.trim().min(1).max(100);
const Greeting = PlainTextSchema.trim().min(1).max(500);
const Origins = z.array(WidgetOriginSchema).min(1).max(20);

export const CreateChatWidgetBodySchema = z
  .object({
    name: WidgetName,
    allowedOrigins: Origins,
    teamId: IdSchema.nullable().optional(),
    greeting: Greeting.nullable().optional(),
  })
  .meta({ id: 'CreateChatWidgetBody' });
export type CreateChatWidgetBody = z.input<typeof CreateChatWidgetBodySchema>;

export const UpdateChatWidgetBodySchema = z
  .object({
    name: WidgetName.optional(),
    allowedOrigins: Origins.optional(),
    teamId: IdSchema.nullable().optional(),
    greeting: Greeting.nullable().optional(),
    rotateIdentitySecret: z
      .literal(true)
      .optional()
      .describe('A new secret; identities signed with the old one stop working'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change')
  .meta({ id: 'UpdateChatWidgetBody' });
export type UpdateChatWidgetBody = z.input<typeof UpdateChatWidgetBodySchema>;

/** What a visitor's widget shows: public for anyone with the key. */
export const WidgetLookSchema = z
  .object({
    name: z.string(),
    greeting: z.string().nullable(),
    workspaceName: z.string(),
    accentColor: z.string().nullable().describe("`#rrggbb`; null: Parley's own"),
    logoUrl: z.string().nullable(),
  })
  .meta({ id: 'WidgetLook' });
export type WidgetLook = z.infer<typeof WidgetLookSchema>;

/** A proof-of-work puzzle: find `nonce` so that SHA-256(`challenge` + `nonce`) starts with `difficulty` zero bits. */
export const WidgetChallengeSchema = z
  .object({
    challenge: z.string(),
    difficulty: z.number().int().min(0).max(32),
  })
  .meta({ id: 'WidgetChallenge' });
export type WidgetChallenge = z.infer<typeof WidgetChallengeSchema>;

export const StartGuestBodySchema = z
  .object({
    key: z.string().min(1).max(64),
    guestToken: z.string().min(1).max(300).optional().describe('From an earlier session: the same guest again'),
    name: DisplayNameSchema.optional().describe('From the pre-chat form'),
    email: EmailSchema.optional().describe('From the pre-chat form: where replies go while the visitor is away'),
    identity: z
      .object({
        userId: z.string().min(1).max(200),
        hash: z.string().regex(/^[0-9a-f]{64}$/, 'HMAC-SHA256 as 64 hex digits'),
      })
      .optional()
      .describe("The host site's signed-in user: `hash` is HMAC-SHA256(identitySecret, userId) in hex"),
    proof: z
      .object({ challenge: z.string().max(200), nonce: z.string().max(40) })
      .optional()
      .describe('A solved `GET /widget/challenge`: needed for a new guest, not with a valid `guestToken`'),
  })
  .meta({ id: 'StartGuestBody' });
export type StartGuestBody = z.input<typeof StartGuestBodySchema>;

export const GuestSessionSchema = z
  .object({
    accessToken: z.string().describe('A bearer token for the guest routes and the realtime socket'),
    expiresIn: z.number().int().describe('Seconds'),
    guestToken: z.string().describe('Keep it: `POST /widget/sessions` with it gives a new access token'),
    user: z.object({ id: IdSchema, displayName: z.string() }),
    look: WidgetLookSchema,
  })
  .meta({ id: 'GuestSession' });
export type GuestSession = z.infer<typeof GuestSessionSchema>;

/** A visitor's first message: it opens their chat (a ticket whose description it is). */
export const StartChatBodySchema = z
  .object({ clientMsgId: ClientMsgIdSchema, body: MessageBodySchema })
  .meta({ id: 'StartChatBody' });
export type StartChatBody = z.input<typeof StartChatBodySchema>;

export const WidgetChatSchema = z
  .object({ ticket: TicketSchema.nullable().describe("The visitor's newest chat; null before their first message") })
  .meta({ id: 'WidgetChat' });
export type WidgetChat = z.infer<typeof WidgetChatSchema>;

export const MergeGuestBodySchema = z
  .object({ intoId: IdSchema.describe('A registered customer of the workspace') })
  .meta({ id: 'MergeGuestBody' });
export type MergeGuestBody = z.input<typeof MergeGuestBodySchema>;

export const MergedGuestSchema = z
  .object({ tickets: z.number().int().describe("The chats that became the customer's") })
  .meta({ id: 'MergedGuest' });
export type MergedGuest = z.infer<typeof MergedGuestSchema>;
