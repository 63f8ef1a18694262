import { Button, Card, EmptyState } from '@mantine/core';
import { AdminPage } from '../admin/AdminPage';
import { BranchPage } from '../branch/BranchPage';
import { QueuePage } from '../desk/QueuePage';
import { TicketPage } from '../desk/TicketPage';
import { useI18n } from '../i18n';
import { ArticleEditor } from '../knowledge/ArticleEditor';
import { ArticlePage } from '../knowledge/ArticlePage';
import { KnowledgeReport } from '../knowledge/KnowledgeReport';
import { KnowledgePage } from '../knowledge/KnowledgePage';
import { MapPage } from '../map/MapPage';
import { ReportsPage } from '../reports/ReportsPage';
import { SchedulesPage } from '../reports/SchedulesPage';
import type { User } from '../api/types';
import { linkTo, type Route } from './router';

/** The pages after the overview, by route. */
export function Page({ route, user }: { route: Exclude<Route, { page: 'overview' }>; user: User }) {
  switch (route.page) {
    case 'map':
      return <MapPage user={user} />;
    case 'branch':
      // Keyed, so another branch starts from a clean page (range, selection, data).
      return <BranchPage key={route.branchId} branchId={route.branchId} user={user} />;
    case 'admin':
      return <AdminPage section={route.section} agentId={route.agentId} user={user} />;
    case 'tickets':
      return <QueuePage />;
    case 'ticket':
      return <TicketPage key={route.ticketId} ticketId={route.ticketId} />;
    case 'reports':
      return route.scheduled ? <SchedulesPage /> : <ReportsPage />;
    case 'knowledge':
      return <KnowledgePage />;
    case 'article':
      return <ArticlePage key={route.articleId} articleId={route.articleId} />;
    case 'articleEdit':
      return <ArticleEditor key={route.articleId ?? 'new'} articleId={route.articleId} />;
    case 'knowledgeReport':
      return <KnowledgeReport />;
    // The portal's pages, for someone who may not use the portal (App.tsx renders them otherwise).
    case 'portal':
    case 'portalTicket':
    case 'notFound':
      return <NotFound />;
  }
}

function NotFound() {
  const { t } = useI18n();
  return (
    <Card data-testid="not-found">
      <EmptyState title={t('notFound.title')} description={t('notFound.help')}>
        <Button component="a" variant="light" {...linkTo('/')}>
          {t('notFound.back')}
        </Button>
      </EmptyState>
    </Card>
  );
}
