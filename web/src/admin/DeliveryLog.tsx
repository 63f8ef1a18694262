import { Badge, Group, SegmentedControl, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { formatAbsolute } from '../format/relativeTime';
import { useI18n, type MessageKey } from '../i18n';
import { AdminTable, RowButton } from './crud';
import type { Delivery, DeliveryStatus, Subscription } from '../api/notifyApi';
import { canResend, deliveryState, displayAddress, type DeliveryState } from '../api/notifyRules';
import { useEvery, useLoad, useNotifyApi } from '../common/useLoad';
import { FormError } from '../common/forms';

const STATE_COLOR: Record<DeliveryState, string> = {
  delivered: 'teal',
  queued: 'gray',
  retrying: 'orange',
  dead: 'red',
};
const FILTERS = ['all', 'pending', 'sent', 'dead'] as const;

/** The latest deliveries, by status, with Resend on the failed ones. */
export function DeliveryLog({
  subscriptions,
  onChanged,
}: {
  subscriptions: Subscription[];
  onChanged: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useNotifyApi();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('all');
  const load = useCallback(
    () => api.deliveries(filter === 'all' ? undefined : (filter as DeliveryStatus)),
    [api, filter],
  );
  const log = useLoad(load);
  useEvery(4000, log.reload);
  const [error, setError] = useState<unknown>(null);
  const resend = async (d: Delivery) => {
    try {
      await api.resend(d.id);
      setError(null);
    } catch (cause) {
      setError(cause);
    }
    log.reload();
    onChanged();
  };
  const when = (at: string | null) => formatAbsolute(at, i18n.locale) ?? t('common.none');
  const via = (d: Delivery) => {
    const s = subscriptions.find((x) => x.id === d.subscriptionId);
    const channel = t(`admin.channels.channel.${d.channel}` as MessageKey);
    return `${channel} · ${displayAddress(d.channel, s?.address ?? d.address)}`;
  };
  return (
    <>
      <Group justify="space-between" mt="md">
        <Text fw={500}>{t('admin.channels.log')}</Text>
        <SegmentedControl
          size="xs"
          value={filter}
          onChange={(value) => setFilter(value as typeof filter)}
          data={FILTERS.map((f) => ({ value: f, label: t(`admin.channels.filter.${f}`) }))}
          data-testid="delivery-filter"
        />
      </Group>
      <FormError error={error ?? log.error} />
      {log.data?.length === 0 && <Text c="dimmed">{t('admin.channels.logEmpty')}</Text>}
      <AdminTable
        testId="delivery-table"
        rowTestId="delivery-row"
        rows={log.data ?? []}
        rowKey={(d) => d.id}
        rowAttributes={(d) => ({ 'data-state': deliveryState(d), 'data-event': d.eventType })}
        columns={[
          { label: t('admin.channels.time'), cell: (d) => when(d.createdAt) },
          { label: t('admin.channels.via'), cell: via },
          {
            label: t('admin.channels.event'),
            cell: (d) => t(`admin.channels.event.${d.eventType}` as MessageKey),
          },
          { label: t('admin.channels.status'), cell: (d) => <DeliveryBadge delivery={d} /> },
          { label: t('admin.channels.attempts'), cell: (d) => d.attempts },
          {
            label: t('admin.channels.lastError'),
            ltr: true,
            cell: (d) => d.lastError ?? t('common.none'),
          },
        ]}
        actions={(d) =>
          canResend(d) && (
            <RowButton variant="light" onClick={() => void resend(d)} testId="delivery-resend">
              {t('admin.channels.resend')}
            </RowButton>
          )
        }
      />
    </>
  );
}

function DeliveryBadge({ delivery }: { delivery: Delivery }) {
  const i18n = useI18n();
  const state = deliveryState(delivery);
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={STATE_COLOR[state]} variant="light" data-testid="delivery-state">
        {i18n.t(`admin.channels.state.${state}`)}
      </Badge>
      {state === 'retrying' && (
        <Text size="xs" c="dimmed">
          {i18n.t('admin.channels.nextAttempt', {
            when: formatAbsolute(delivery.nextAttemptAt, i18n.locale) ?? '',
          })}
        </Text>
      )}
    </Group>
  );
}
