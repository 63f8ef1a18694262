import { AdminShell } from './AdminShell';
import { AgentsAdmin } from './AgentsAdmin';
import { AlertsAdmin } from './AlertsAdmin';
import { BranchesAdmin } from './BranchesAdmin';
import { ChannelsAdmin } from './ChannelsAdmin';
import { ChecksAdmin } from './ChecksAdmin';
import { MaintenanceAdmin } from './MaintenanceAdmin';
import { SlaAdmin } from './SlaAdmin';
import { TenantsAdmin } from './TenantsAdmin';
import { UsersAdmin } from './UsersAdmin';

/** /admin/<section>, and /admin/agents/<id>/checks (section "agents" with an agent). */
export function AdminPage({ section, agentId }: { section: string; agentId?: string }) {
  return (
    <AdminShell section={section}>
      <Section section={section} agentId={agentId} />
    </AdminShell>
  );
}

function Section({ section, agentId }: { section: string; agentId?: string }) {
  switch (section) {
    case 'agents':
      return agentId ? <ChecksAdmin key={agentId} agentId={agentId} /> : <AgentsAdmin />;
    case 'tenants':
      return <TenantsAdmin />;
    case 'users':
      return <UsersAdmin />;
    case 'sla':
      return <SlaAdmin />;
    case 'alerts':
      return <AlertsAdmin />;
    case 'maintenance':
      return <MaintenanceAdmin />;
    case 'channels':
      return <ChannelsAdmin />;
    default:
      return <BranchesAdmin />;
  }
}
