import type { Knex } from 'knex';
import * as initial from './001-initial.js';
import * as managedChecks from './002-managed-checks.js';
import * as timeseries from './003-timeseries.js';
import * as inventoryEvents from './004-inventory-events.js';
import * as alerts from './005-alerts.js';
import * as helpdesk from './006-helpdesk.js';
import * as enrollment from './007-enrollment.js';
import * as brokerCredentials from './008-broker-credentials.js';
import * as agentSpool from './009-agent-spool.js';
import * as rls from './010-rls.js';
import * as identity from './011-identity.js';
import * as ticketIndexes from './012-ticket-indexes.js';
import * as notify from './013-notify.js';
import * as timescaleRollups from './014-timescale-rollups.js';
import * as identityNotifyRls from './015-identity-notify-rls.js';
import * as ticketQueueAllTenants from './016-ticket-queue-all-tenants.js';
import * as branchLocation from './017-branch-location.js';
import * as ticketDesk from './018-ticket-desk.js';
import * as leanRounds from './019-lean-rounds.js';
import * as checkSources from './020-check-sources.js';
import * as telegramLinks from './021-telegram-links.js';
import * as attachmentContent from './022-attachment-content.js';
import * as automation from './023-automation.js';
import * as passwordPolicy from './024-password-policy.js';
import * as scim from './025-scim.js';
import * as identityProviders from './026-identity-providers.js';
import * as knowledge from './027-knowledge.js';
import * as portal from './028-portal.js';
import * as directorySignIn from './029-directory-sign-in.js';
import * as privacy from './030-privacy.js';
import * as inbox from './031-inbox.js';
import * as reportSchedules from './032-report-schedules.js';
import * as maintenanceRecurrence from './033-maintenance-recurrence.js';
import * as replyKeys from './034-reply-keys.js';
import * as rollupChartIndex from './035-rollup-chart-index.js';
import * as signInReport from './036-sign-in-report.js';
import * as articleFiles from './037-article-files.js';
import * as portalTour from './038-portal-tour.js';
import * as webPush from './039-web-push.js';
import * as tenantBranding from './040-tenant-branding.js';
import * as signInFindings from './041-sign-in-findings.js';
import * as samlSpKeys from './042-saml-sp-keys.js';
import * as attachmentKeys from './043-attachment-keys.js';

/**
 * Migrations are listed in code rather than found on disk, so that they work the same when
 * run from TypeScript sources, from a bundle, and in tests.
 */
const migrations: Record<string, Knex.Migration> = {
  '001-initial': initial,
  '002-managed-checks': managedChecks,
  '003-timeseries': timeseries,
  '004-inventory-events': inventoryEvents,
  '005-alerts': alerts,
  '006-helpdesk': helpdesk,
  '007-enrollment': enrollment,
  '008-broker-credentials': brokerCredentials,
  '009-agent-spool': agentSpool,
  '010-rls': rls,
  '011-identity': identity,
  '012-ticket-indexes': ticketIndexes,
  '013-notify': notify,
  '014-timescale-rollups': timescaleRollups,
  '015-identity-notify-rls': identityNotifyRls,
  '016-ticket-queue-all-tenants': ticketQueueAllTenants,
  '017-branch-location': branchLocation,
  '018-ticket-desk': ticketDesk,
  '019-lean-rounds': leanRounds,
  '020-check-sources': checkSources,
  '021-telegram-links': telegramLinks,
  '022-attachment-content': attachmentContent,
  '023-automation': automation,
  '024-password-policy': passwordPolicy,
  '025-scim': scim,
  '026-identity-providers': identityProviders,
  '027-knowledge': knowledge,
  '028-portal': portal,
  '029-directory-sign-in': directorySignIn,
  '030-privacy': privacy,
  '031-inbox': inbox,
  '032-report-schedules': reportSchedules,
  '033-maintenance-recurrence': maintenanceRecurrence,
  '034-reply-keys': replyKeys,
  '035-rollup-chart-index': rollupChartIndex,
  '036-sign-in-report': signInReport,
  '037-article-files': articleFiles,
  '038-portal-tour': portalTour,
  '039-web-push': webPush,
  '040-tenant-branding': tenantBranding,
  '041-sign-in-findings': signInFindings,
  '042-saml-sp-keys': samlSpKeys,
  '043-attachment-keys': attachmentKeys,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return migration;
  },
};
