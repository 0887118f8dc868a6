import type { Migration } from 'kysely';
import * as createUsersAndAuth from './2026-11-25T1200-create-users-and-auth';
import * as createTeams from './2026-11-25T1201-create-teams';
import * as createConversationsAndMessages from './2026-11-25T1202-create-conversations-and-messages';
import * as createTickets from './2026-11-25T1203-create-tickets';
import * as createSocialGraph from './2026-11-25T1204-create-social-graph';
import * as createNotificationsAuditWebhooks from './2026-11-25T1205-create-notifications-audit-webhooks';
import * as addTicketPriorityRank from './2026-11-25T1300-add-ticket-priority-rank';
import * as widenTeamNameKey from './2026-11-25T1400-widen-team-name-key';
import * as createInstallationClaims from './2026-12-01T1100-create-installation-claims';
import * as createJobs from './2026-12-01T1200-create-jobs';
import * as addConversationPublicActivity from './2026-12-01T1300-add-conversation-public-activity';
import * as addTicketFollowUps from './2026-12-02T1000-add-ticket-follow-ups';
import * as addTicketCategoriesAndDeskSettings from './2026-12-02T1001-add-ticket-categories-and-desk-settings';
import * as groupNotifications from './2026-12-02T1100-group-notifications';
import * as addMessageSystemEvent from './2026-12-02T1200-add-message-system-event';
import * as indexTicketsByPriorityThenAge from './2026-12-02T1310-index-tickets-by-priority-then-age';
import * as createWorkspaces from './2026-12-03T0900-create-workspaces';
import * as createInvitesAndOperators from './2026-12-03T1200-create-invites-and-operators';
import * as addTicketSnooze from './2026-12-04T0900-add-ticket-snooze';
import * as addAutoAssignment from './2026-12-04T1100-add-auto-assignment';
import * as createSla from './2026-12-04T1200-create-sla';
import * as createAutomationRules from './2026-12-04T1300-create-automation-rules';
import * as createLabels from './2026-12-05T0900-create-labels';
import * as createCustomFields from './2026-12-05T1000-create-custom-fields';
import * as createCannedResponses from './2026-12-05T1100-create-canned-responses';
import * as createCustomerNotesAndTicketMerges from './2026-12-05T1200-create-customer-notes-and-ticket-merges';
import * as createCsat from './2026-12-05T1300-create-csat';
import * as createSavedViews from './2026-12-05T1400-create-saved-views';
import * as orderJobsByCreation from './2026-12-06T0900-order-jobs-by-creation';
import * as reportIndexesCoverLabels from './2026-12-06T1000-report-indexes-cover-labels';
import * as ticketsCarryLabelIds from './2026-12-07T0900-tickets-carry-label-ids';
import * as savedViewsKeepFieldSort from './2026-12-07T1000-saved-views-keep-field-sort';
import * as createSearchIndexes from './2026-12-08T0900-create-search-indexes';
import * as searchMergesOffTheSendPath from './2026-12-08T1000-search-merges-off-the-send-path';
import * as storeSearchVectors from './2026-12-09T0900-store-search-vectors';
import * as ticketPartyIndexesLeadWithWorkspace from './2026-12-09T1000-ticket-party-indexes-lead-with-workspace';
import * as addRepliesAndEditHistory from './2026-12-10T0900-add-replies-and-edit-history';
import * as addGroupConversations from './2026-12-11T0900-add-group-conversations';
import * as addReadReceiptsAndMute from './2026-12-11T1000-add-read-receipts-and-mute';
import * as createPinsAndSavedMessages from './2026-12-11T1100-create-pins-and-saved-messages';
import * as addUserLocaleAndEmailVerification from './2026-12-12T0900-add-user-locale-and-email-verification';
import * as createSessions from './2026-12-12T0901-create-sessions';
import * as createAccountTokens from './2026-12-12T0902-create-account-tokens';
import * as createPushDevices from './2026-12-12T1000-create-push-devices';
import * as createNotificationSettings from './2026-12-12T1100-create-notification-settings';
import * as pushDevicesSession from './2026-12-13T0900-push-devices-session';
import * as createEmailChannels from './2026-12-14T0900-create-email-channels';
import * as createChatWidgets from './2026-12-14T1000-create-chat-widgets';
import * as webhooks from './2026-12-15T0900-webhooks';
import * as apiTokens from './2026-12-15T1000-api-tokens';
import * as botUsers from './2026-12-15T1100-bot-users';
import * as dataExports from './2026-12-15T1200-data-exports';
import * as calls from './2026-12-15T1300-calls';

/**
 * Every migration, keyed by its file name. Listed statically rather than read from disk, so
 * the set is the same under tsx, a bundle or a test runner. Never rename or renumber one.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-25T1200-create-users-and-auth': createUsersAndAuth,
  '2026-11-25T1201-create-teams': createTeams,
  '2026-11-25T1202-create-conversations-and-messages': createConversationsAndMessages,
  '2026-11-25T1203-create-tickets': createTickets,
  '2026-11-25T1204-create-social-graph': createSocialGraph,
  '2026-11-25T1205-create-notifications-audit-webhooks': createNotificationsAuditWebhooks,
  '2026-11-25T1300-add-ticket-priority-rank': addTicketPriorityRank,
  '2026-11-25T1400-widen-team-name-key': widenTeamNameKey,
  '2026-12-01T1100-create-installation-claims': createInstallationClaims,
  '2026-12-01T1200-create-jobs': createJobs,
  '2026-12-01T1300-add-conversation-public-activity': addConversationPublicActivity,
  '2026-12-02T1000-add-ticket-follow-ups': addTicketFollowUps,
  '2026-12-02T1001-add-ticket-categories-and-desk-settings': addTicketCategoriesAndDeskSettings,
  '2026-12-02T1100-group-notifications': groupNotifications,
  '2026-12-02T1200-add-message-system-event': addMessageSystemEvent,
  '2026-12-02T1310-index-tickets-by-priority-then-age': indexTicketsByPriorityThenAge,
  '2026-12-03T0900-create-workspaces': createWorkspaces,
  '2026-12-03T1200-create-invites-and-operators': createInvitesAndOperators,
  '2026-12-04T0900-add-ticket-snooze': addTicketSnooze,
  '2026-12-04T1100-add-auto-assignment': addAutoAssignment,
  '2026-12-04T1200-create-sla': createSla,
  '2026-12-04T1300-create-automation-rules': createAutomationRules,
  '2026-12-05T0900-create-labels': createLabels,
  '2026-12-05T1000-create-custom-fields': createCustomFields,
  '2026-12-05T1100-create-canned-responses': createCannedResponses,
  '2026-12-05T1200-create-customer-notes-and-ticket-merges': createCustomerNotesAndTicketMerges,
  '2026-12-05T1300-create-csat': createCsat,
  '2026-12-05T1400-create-saved-views': createSavedViews,
  '2026-12-06T0900-order-jobs-by-creation': orderJobsByCreation,
  '2026-12-06T1000-report-indexes-cover-labels': reportIndexesCoverLabels,
  '2026-12-07T0900-tickets-carry-label-ids': ticketsCarryLabelIds,
  '2026-12-07T1000-saved-views-keep-field-sort': savedViewsKeepFieldSort,
  '2026-12-08T0900-create-search-indexes': createSearchIndexes,
  '2026-12-08T1000-search-merges-off-the-send-path': searchMergesOffTheSendPath,
  '2026-12-09T0900-store-search-vectors': storeSearchVectors,
  '2026-12-09T1000-ticket-party-indexes-lead-with-workspace': ticketPartyIndexesLeadWithWorkspace,
  '2026-12-10T0900-add-replies-and-edit-history': addRepliesAndEditHistory,
  '2026-12-11T0900-add-group-conversations': addGroupConversations,
  '2026-12-11T1000-add-read-receipts-and-mute': addReadReceiptsAndMute,
  '2026-12-11T1100-create-pins-and-saved-messages': createPinsAndSavedMessages,
  '2026-12-12T0900-add-user-locale-and-email-verification': addUserLocaleAndEmailVerification,
  '2026-12-12T0901-create-sessions': createSessions,
  '2026-12-12T0902-create-account-tokens': createAccountTokens,
  '2026-12-12T1000-create-push-devices': createPushDevices,
  '2026-12-12T1100-create-notification-settings': createNotificationSettings,
  '2026-12-13T0900-push-devices-session': pushDevicesSession,
  '2026-12-14T0900-create-email-channels': createEmailChannels,
  '2026-12-14T1000-create-chat-widgets': createChatWidgets,
  '2026-12-15T0900-webhooks': webhooks,
  '2026-12-15T1000-api-tokens': apiTokens,
  '2026-12-15T1100-bot-users': botUsers,
  '2026-12-15T1200-data-exports': dataExports,
  '2026-12-15T1300-calls': calls,
};
