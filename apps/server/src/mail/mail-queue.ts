import { IdSchema, LocaleSchema, type Locale } from '@parley/protocol';
import { z } from 'zod';
import type { Db } from '../db/connect';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import { findWorkspace } from '../workspaces/workspace-repository';
import { DEFAULT_ACCENT, MailLinkSchema, mailContext, type Branding } from './templates/context';
import { MAIL_TEMPLATE_NAMES, MAIL_TEMPLATES, renderTemplate, type MailTemplateName } from './templates';
import type { Mailer } from './mailer';

export interface QueuedMail {
  /** Branding (name, accent colour, logo) and the links' workspace. */
  workspaceId: string;
  to: { email: string; name?: string };
  locale: Locale;
  template: MailTemplateName;
  /** Checked by the template's schema when queued. */
  data: unknown;
  /** Present: List-Unsubscribe + List-Unsubscribe-Post headers and a footer link. */
  unsubscribe?: { url: string };
  /** No second mail for the same key while the first is queued (the job's dedupe key). */
  dedupeKey?: string;
}

const QueuedMailSchema = z.object({
  workspaceId: IdSchema,
  to: z.object({ email: z.email(), name: z.string().max(200).optional() }),
  locale: LocaleSchema,
  template: z.enum(MAIL_TEMPLATE_NAMES),
  data: z.unknown(),
  unsubscribe: z.object({ url: MailLinkSchema }).optional(),
});

/**
 * Renders and sends one mail. Retried with backoff (30 s doubling up to an hour, 8 runs in all);
 * after the last the job stays failed, the dead letter, with the SMTP error in `last_error`.
 * Once the SMTP server accepted the mail the job is done and deleted, so a restart does not send
 * it again; a node that dies between the server's 250 and that delete is the one window left,
 * and the Message-ID is the job's, the same on every attempt, for receivers to recognise it.
 */
export const mailSendJob = defineJobType('mail.send', QueuedMailSchema, {
  maxAttempts: 8,
  backoffMs: 30_000,
  maxBackoffMs: 60 * 60_000,
  leaseMs: 3 * 60_000,
});

/**
 * Queues a mail. Pass the caller's transaction as `db` and the mail goes out only if the change
 * that asked for it commits. Answers the job's id, or null when `dedupeKey` is queued already.
 */
export async function enqueueMail(db: Db, mail: QueuedMail, runAt: number): Promise<string | null> {
  // A payload that does not fit its template is the caller's bug: fail it now, not in a job.
  MAIL_TEMPLATES[mail.template].data.parse(mail.data);
  const { dedupeKey, ...payload } = mail;
  return enqueueJob(db, {
    type: mailSendJob,
    payload,
    runAt,
    ...(dedupeKey !== undefined && { dedupeKey: `mail:${dedupeKey}` }),
  });
}

export interface MailSendingDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
}

export function registerMailSending(jobs: JobRunner, deps: MailSendingDeps): void {
  jobs.register(mailSendJob, async (mail, { jobId }) => {
    const ctx = mailContext(
      mail.locale,
      await brandingOf(deps, mail.workspaceId),
      deps.publicUrl,
      mail.unsubscribe?.url ?? null,
    );
    const rendered = renderTemplate(mail.template, mail.data, ctx);
    await deps.mailer.send({
      to: mail.to,
      ...rendered,
      template: mail.template,
      messageId: `<${jobId}@parley.mail>`,
      headers: mail.unsubscribe
        ? {
            'List-Unsubscribe': `<${mail.unsubscribe.url}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          }
        : {},
    });
  });
}

/** Read when the mail is sent, so it wears the workspace's look of that moment. */
export async function brandingOf(
  deps: Pick<MailSendingDeps, 'db' | 'publicUrl'>,
  workspaceId: string,
): Promise<Branding> {
  const workspace = await findWorkspace(deps.db, workspaceId);
  if (!workspace) return { name: 'Parley', accentColor: DEFAULT_ACCENT, logoUrl: null };
  return {
    name: workspace.name,
    accentColor: workspace.accentColor ?? DEFAULT_ACCENT,
    logoUrl: workspace.logoKey ? `${deps.publicUrl}/workspace-logos/${workspace.logoKey}` : null,
  };
}
