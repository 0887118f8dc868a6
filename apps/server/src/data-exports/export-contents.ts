import type { DataExportMessage, Locale, Me, Ticket } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { toIso } from '../clock';
import { readFieldValues } from '../custom-fields/field-service';
import type { Db } from '../db/connect';
import { ticketAsSeenBy } from '../tickets/ticket-policy';
import { presentTicket } from '../tickets/ticket-presenter';
import { listFilesOfMessages, listRequestedTicketsPage, listSentMessagesPage } from './data-export-repository';
import { jsonArray, type ZipEntry } from './export-zip';

/** Rows read per query: a page is in memory at a time, whatever the person has. */
export const PAGE_SIZE = 500;

/**
 * What a person's export holds, in the workspace `actor` is in: the files of the zip, in order.
 * The long lists are read a page at a time as the zip is written; `signal` stops them between
 * pages (the node is stopping: the job runs again later).
 */
export function exportEntries(db: Db, actor: Actor, profile: Me, at: number, signal: AbortSignal): ZipEntry[] {
  return [
    { name: 'README.txt', content: readmeOf(profile, at) },
    { name: 'profile.json', content: `${JSON.stringify(profile, null, 2)}\n` },
    { name: 'messages.json', content: () => jsonArray(sentMessagePages(db, actor, signal)) },
    { name: 'tickets.json', content: () => jsonArray(requestedTicketPages(db, actor, signal)) },
  ];
}

/** Pages of rows in id order, each read after the last id of the one before (keyset). */
async function* pagesOf<T extends { id: string }>(
  read: (afterId: string | null) => Promise<T[]>,
  signal: AbortSignal,
): AsyncIterable<T[]> {
  let afterId: string | null = null;
  for (;;) {
    signal.throwIfAborted();
    const rows = await read(afterId);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE_SIZE) return;
    afterId = rows[rows.length - 1]!.id;
  }
}

async function* sentMessagePages(db: Db, actor: Actor, signal: AbortSignal): AsyncIterable<DataExportMessage[]> {
  for await (const rows of pagesOf((after) => listSentMessagesPage(db, actor, actor.id, after, PAGE_SIZE), signal)) {
    const files = await listFilesOfMessages(
      db,
      actor,
      rows.map((row) => row.id),
    );
    yield rows.map((row) => ({
      id: row.id,
      conversationId: row.conversationId,
      ticketId: row.ticketId,
      kind: row.kind,
      body: row.body,
      replyToId: row.replyToId,
      files: files
        .filter((file) => file.messageId === row.id)
        .map(({ fileName, contentType, sizeBytes }) => ({ fileName, contentType, sizeBytes: Number(sizeBytes) })),
      createdAt: toIso(Number(row.createdAt)),
      editedAt: row.editedAt === null ? null : toIso(Number(row.editedAt)),
    }));
  }
}

/** Their tickets as the app shows them to them: a customer's without SLA clocks or internal fields. */
async function* requestedTicketPages(db: Db, actor: Actor, signal: AbortSignal): AsyncIterable<Ticket[]> {
  for await (const rows of pagesOf(
    (after) => listRequestedTicketsPage(db, actor, actor.id, after, PAGE_SIZE),
    signal,
  )) {
    const fields = await readFieldValues(
      db,
      actor,
      'ticket',
      rows.map((row) => row.id),
    );
    yield rows.map((row) => ({ ...ticketAsSeenBy(actor, presentTicket(row)), fields: fields.get(row.id) ?? {} }));
  }
}

const README: Record<Locale, (workspace: string, date: string) => string> = {
  en: (workspace, date) => `Your data in ${workspace}, as Parley held it on ${date} (UTC).

profile.json   Your account: your name, username, email address, language, your role and
               what it may do in this workspace, and when you signed up.
messages.json  Every message you sent in this workspace and did not delete, oldest first:
               the conversation (and ticket) it is in, what you wrote, the names of the files
               you sent with it, and when you sent it and last edited it.
tickets.json   Every ticket you opened, or that was opened for you, in this workspace, oldest
               first, as the app shows it to you.

Each .json file is UTF-8 JSON; messages.json and tickets.json are arrays with one item per line.
Times are ISO 8601, in UTC. The files themselves are not in this zip: open them in the app.
Your data in other workspaces is in their own exports.
`,
  de: (workspace, date) => `Deine Daten in ${workspace}, wie Parley sie am ${date} (UTC) gespeichert hatte.

profile.json   Dein Konto: dein Name, Benutzername, deine E-Mail-Adresse und Sprache, deine
               Rolle und was sie in diesem Workspace darf, und wann du dich registriert hast.
messages.json  Jede Nachricht, die du in diesem Workspace geschickt und nicht gelöscht hast,
               die älteste zuerst: das Gespräch (und Ticket), in dem sie steht, was du
               geschrieben hast, die Namen der Dateien, die du mitgeschickt hast, und wann du
               sie geschickt und zuletzt bearbeitet hast.
tickets.json   Jedes Ticket, das du in diesem Workspace eröffnet hast oder das für dich
               eröffnet wurde, das älteste zuerst, so wie die App es dir zeigt.

Jede .json-Datei ist JSON in UTF-8; messages.json und tickets.json sind Listen mit einem
Eintrag pro Zeile. Zeiten sind ISO 8601, in UTC. Die Dateien selbst sind nicht in diesem Zip:
öffne sie in der App. Deine Daten in anderen Workspaces stehen in deren eigenen Exporten.
`,
};

const readmeOf = (profile: Me, at: number) =>
  README[profile.locale](profile.workspace.name, toIso(at).slice(0, 16).replace('T', ' '));
