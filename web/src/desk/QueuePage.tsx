import {
  Alert,
  Button,
  Card,
  EmptyState,
  Group,
  Loader,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { PHONE } from '../common/media';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { href, navigate, useLocation } from '../app/router';
import { describeError } from '../common/describeError';
import { useNow } from '../common/useNow';
import { useI18n } from '../i18n';
import { useLive } from '../live/liveSource';
import { BulkBar } from './BulkBar';
import { NewTicketButton } from './NewTicketDialog';
import {
  PAGE_SIZES,
  exportHref,
  fileHref,
  hubListQuery,
  queueFromSearch,
  queueToSearch,
  withFilter,
  type QueueQuery,
} from './queueQuery';
import { QueueFilters } from './QueueFilters';
import { QueueTable } from './QueueTable';
import { SavedViewsMenu } from './SavedViewsMenu';
import { useDirectory } from './useDirectory';

/**
 * The page on screen is read again after each `ticket.changed` event (any ticket: a new one may
 * belong on this page); only while the live stream is down, this often.
 */
const QUEUE_FALLBACK_MS = 15_000;

/** The ticket queue: filters in the address, one page from the hub at a time, bulk actions. */
export function QueuePage() {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const { query: search } = useLocation();
  const searchText = search.toString();
  const query = useMemo(() => queueFromSearch(new URLSearchParams(searchText)), [searchText]);
  const directory = useDirectory();
  const now = useNow(1000);
  const [selected, setSelected] = useState<string[]>([]);
  const [reloads, setReloads] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);

  const hubQuery = hubListQuery(query);
  const load = useCallback(
    () => api.ticketPage(hubQuery),
    // `reloads` makes a new loader after a bulk action, so the page is read again at once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, hubQuery, reloads],
  );
  const { data, error } = useLive(load, ['ticket.changed'], QUEUE_FALLBACK_MS);
  // A phone's width: the queue as cards, the filters folded behind one button.
  const phone = useMediaQuery(PHONE) ?? false;

  const go = (next: QueueQuery) => navigate(href('/tickets', queueToSearch(next)));
  const change = (c: Partial<QueueQuery>) => go(withFilter(query, c));

  // "/" jumps to the search box, as in most queues.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== '/' || target?.closest('input, textarea, select')) return;
      event.preventDefault();
      searchRef.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const names = useMemo(
    () => new Map([...directory.names, ...directory.branches.map((b) => [b.id, b.name] as const)]),
    [directory.names, directory.branches],
  );
  const numbers = useMemo(() => new Map((data?.items ?? []).map((i) => [i.id, i.number])), [data]);
  const items = data?.items ?? [];
  const savedSearch = new URLSearchParams(
    Object.entries(queueToSearch(query)).filter((e): e is [string, string] => e[1] !== null),
  ).toString();

  return (
    <Stack gap="md" data-testid="queue-page">
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('desk.queue.title')}
        </Title>
        <Group gap="sm">
          <NewTicketButton directory={directory} />
          {directory.me !== null && (
            <SavedViewsMenu userId={directory.me.id} search={savedSearch} />
          )}
          <Button component="a" variant="default" href={exportHref(query)} data-testid="export-csv">
            {t('desk.queue.export')}
          </Button>
          {(['xlsx', 'pdf'] as const).map((format) => (
            <Button
              key={format}
              component="a"
              variant="default"
              href={fileHref(query, format, i18n.language, zone)}
              data-testid={`export-${format}`}
            >
              {t(format === 'xlsx' ? 'exports.queueXlsx' : 'exports.queuePdf')}
            </Button>
          ))}
        </Group>
      </Group>
      <QueueFilters
        query={query}
        directory={directory}
        onChange={change}
        searchRef={searchRef}
        folded={phone}
      />
      {selected.length > 0 && (
        <BulkBar
          selected={selected}
          numbers={numbers}
          directory={directory}
          onDone={() => setReloads((n) => n + 1)}
          onClear={() => setSelected([])}
        />
      )}
      {error !== null && (
        <Alert color={data === null ? 'red' : 'yellow'} title={t('desk.queue.loadFailed')}>
          {describeError(error, i18n)}
        </Alert>
      )}
      <Card withBorder padding={0} data-testid="queue" data-loaded={data !== null}>
        {data === null ? (
          error === null && (
            <Group p="md">
              <Loader size="sm" />
            </Group>
          )
        ) : items.length === 0 ? (
          <EmptyState
            title={t('desk.queue.empty')}
            description={t('desk.queue.emptyHelp')}
            data-testid="queue-empty"
          />
        ) : (
          <QueueTable
            items={items}
            now={now}
            names={names}
            cards={phone}
            selected={selected}
            onSelect={setSelected}
          />
        )}
      </Card>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="queue-range">
          {items.length > 0 &&
            t('desk.queue.page', { from: query.offset + 1, to: query.offset + items.length })}
        </Text>
        <Group gap="sm">
          <Select
            aria-label={t('desk.queue.pageSize')}
            data={PAGE_SIZES.map((n) => String(n))}
            value={String(query.limit)}
            allowDeselect={false}
            onChange={(v) => change({ limit: Number(v) })}
            w={80}
          />
          <Button
            variant="default"
            disabled={query.offset === 0}
            onClick={() => go({ ...query, offset: Math.max(0, query.offset - query.limit) })}
            data-testid="page-prev"
          >
            {t('desk.queue.prev')}
          </Button>
          <Button
            variant="default"
            disabled={(data?.nextOffset ?? null) === null}
            onClick={() => {
              const next = data?.nextOffset ?? null;
              if (next !== null) go({ ...query, offset: next });
            }}
            data-testid="page-next"
          >
            {t('desk.queue.next')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
