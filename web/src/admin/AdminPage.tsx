import type { ReactNode } from 'react';
import type { User } from '../api/types';
import { AdminShell } from './AdminShell';
import { AgentsAdmin } from './AgentsAdmin';
import { AlertsAdmin } from './AlertsAdmin';
import { AutomationAdmin } from './automation/AutomationAdmin';
import { BranchesAdmin } from './BranchesAdmin';
import { BrandingAdmin } from './BrandingAdmin';
import { ChannelsAdmin } from './ChannelsAdmin';
import { CannedRepliesAdmin } from './CannedRepliesAdmin';
import { ChecksAdmin } from './ChecksAdmin';
import { HubHealthAdmin } from './HubHealthAdmin';
import { MaintenanceAdmin } from './MaintenanceAdmin';
import { PrivacyAdmin } from './PrivacyAdmin';
import { SignInProvidersAdmin } from './SignInProvidersAdmin';
import { SlaAdmin } from './SlaAdmin';
import { SsoReportAdmin } from './SsoReportAdmin';
import { SupportGroupsAdmin } from './SupportGroupsAdmin';
import { TenantsAdmin } from './TenantsAdmin';
import { UsersAdmin } from './UsersAdmin';

/** /admin/<section>, and /admin/agents/<id>/checks (section "agents" with an agent). */
export function AdminPage({
  section,
  agentId,
  user,
}: {
  section: string;
  agentId?: string;
  user: User;
}) {
  return (
    <AdminShell section={section} user={user}>
      <Section section={section} agentId={agentId} />
    </AdminShell>
  );
}

// The sections without an argument; agents (with a chosen agent, its checks) is below.
const SECTIONS: Record<string, () => ReactNode> = {
  tenants: () => <TenantsAdmin />,
  users: () => <UsersAdmin />,
  sso: () => <SignInProvidersAdmin />,
  security: () => <SsoReportAdmin />,
  sla: () => <SlaAdmin />,
  groups: () => <SupportGroupsAdmin />,
  replies: () => <CannedRepliesAdmin />,
  automation: () => <AutomationAdmin />,
  alerts: () => <AlertsAdmin />,
  maintenance: () => <MaintenanceAdmin />,
  channels: () => <ChannelsAdmin />,
  privacy: () => <PrivacyAdmin />,
  branding: () => <BrandingAdmin />,
  health: () => <HubHealthAdmin />,
};

function Section({ section, agentId }: { section: string; agentId?: string }) {
  if (section === 'agents')
    return agentId ? <ChecksAdmin key={agentId} agentId={agentId} /> : <AgentsAdmin />;
  return (SECTIONS[section] ?? (() => <BranchesAdmin />))();
}
