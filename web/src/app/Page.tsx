import { Button, Card, EmptyState, Loader } from '@mantine/core';
import { lazy, Suspense, type ReactNode } from 'react';
import { BranchPage } from '../branch/BranchPage';
import { QueuePage } from '../desk/QueuePage';
import { TicketPage } from '../desk/TicketPage';
import { useI18n } from '../i18n';
import { ArticlePage } from '../knowledge/ArticlePage';
import { KnowledgePage } from '../knowledge/KnowledgePage';
import { MapPage } from '../map/MapPage';
import type { User } from '../api/types';
import { linkTo, type Route } from './router';

// Pages few people open, and large (administration; the article editor and its Markdown
// editor; reports and their charts): loaded when first opened, not at every first visit.
const AdminPage = lazy(() => import('../admin/AdminPage').then((m) => ({ default: m.AdminPage })));
const ArticleEditor = lazy(() =>
  import('../knowledge/ArticleEditor').then((m) => ({ default: m.ArticleEditor })),
);
const KnowledgeReport = lazy(() =>
  import('../knowledge/KnowledgeReport').then((m) => ({ default: m.KnowledgeReport })),
);
const ReportsPage = lazy(() =>
  import('../reports/ReportsPage').then((m) => ({ default: m.ReportsPage })),
);
const SchedulesPage = lazy(() =>
  import('../reports/SchedulesPage').then((m) => ({ default: m.SchedulesPage })),
);

interface PageProps {
  route: Exclude<Route, { page: 'overview' }>;
  user: User;
}

/** The pages after the overview, by route. */
export function Page(props: PageProps) {
  return <Suspense fallback={<Loading />}>{pageOf(props)}</Suspense>;
}

function pageOf({ route, user }: PageProps): ReactNode {
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

function Loading() {
  const { t } = useI18n();
  return <Loader data-testid="page-loading" aria-label={t('app.loading')} m="xl" />;
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
