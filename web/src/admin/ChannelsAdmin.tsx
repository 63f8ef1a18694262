import { Alert, Badge, Group, NativeSelect, PasswordInput, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { useI18n, type MessageKey } from '../i18n';
import { AdminSection, AdminTable, EnumSelect, Field, FormCard, RowButton } from './crud';
import { describeError } from '../common/describeError';
import { DeliveryLog } from './DeliveryLog';
import type { Tenant } from '../api/identityApi';
import {
  SUBSCRIPTION_CHANNELS,
  NOTIFY_EVENTS,
  NOTIFY_LANGUAGES,
  WEBHOOK_FORMATS,
  type ChannelTestResult,
  type NewSubscription,
  type Subscription,
} from '../api/notifyApi';
import { checkSubscription, deadLetters, displayAddress } from '../api/notifyRules';
import { ShownOnce } from '../common/ShownOnce';
import { useEvery, useIdentityApi, useLoad, useNotifyApi } from '../common/useLoad';
import { fieldRefusal } from '../common/forms';
import { useFormAction } from '../common/forms';
import { Choices } from '../common/forms';

// Dead letters are counted among the latest this many (the hub's largest page).
const DEAD_WINDOW = 500;

/** Tenant subscriptions (webhook, mail, Telegram), their failures, and the delivery log. */
export function ChannelsAdmin() {
  const { t } = useI18n();
  const api = useNotifyApi();
  const client = useApi();
  const identity = useIdentityApi();
  // Who picks a tenant: only an admin of every tenant; a tenant's admin subscribes for their own.
  const loadTenants = useCallback(async () => {
    const me = await client.me();
    return me.role === 'admin' ? await identity.tenants().catch(() => []) : null;
  }, [client, identity]);
  const tenants = useLoad(loadTenants).data ?? null;
  const load = useCallback(
    () =>
      Promise.all([api.subscriptions(), api.deliveries('dead', DEAD_WINDOW), api.deliveryCounts()]),
    [api],
  );
  const lists = useLoad(load);
  const [subscriptions, deadRows, counts] = lists.data ?? [[], [], { dead: 0, byChannel: [] }];
  useEvery(5000, lists.reload);
  // Per subscription from the latest dead letters; the total is the hub's own count.
  const dead = deadLetters(deadRows);
  const deadTotal = counts.dead;
  const [testing, setTesting] = useState<string | null>(null);
  const [tested, setTested] = useState<Tested | null>(null);
  const sendTest = (subscription: Subscription) => {
    setTesting(subscription.id);
    setTested(null);
    api
      .testSubscription(subscription.id)
      .then(
        (result) => setTested({ subscription, result }),
        (failure: unknown) => setTested({ subscription, failure }),
      )
      .finally(() => setTesting(null));
  };
  const tenantName = (id: string | null) =>
    id === null ? t('admin.channels.allTenants') : (tenants?.find((x) => x.id === id)?.name ?? id);
  return (
    <AdminSection title={t('admin.channels.title')} help={t('admin.channels.help')} state={lists}>
      {deadTotal > 0 && (
        <Alert color="red" data-testid="dead-letters">
          <Group gap="xs">
            <Badge color="red" data-testid="dead-letter-count">
              {deadTotal}
            </Badge>
            <Text size="sm">{t('admin.channels.deadLetters', { n: deadTotal })}</Text>
          </Group>
        </Alert>
      )}
      <NewSubscriptionForm tenants={tenants} onCreated={lists.reload} />
      {tested && <TestOutcome tested={tested} onClose={() => setTested(null)} />}
      <AdminTable
        testId="subscription-table"
        rowTestId="subscription-row"
        rows={subscriptions}
        rowKey={(s) => s.id}
        columns={[
          ...(tenants
            ? [{ label: t('admin.tenant'), cell: (s: Subscription) => tenantName(s.tenantId) }]
            : []),
          {
            label: t('admin.channels.channel'),
            cell: (s) => t(`admin.channels.channel.${s.channel}` as MessageKey),
          },
          {
            label: t('admin.channels.address'),
            ltr: true,
            cell: (s) => displayAddress(s.channel, s.address),
          },
          {
            label: t('admin.channels.format'),
            cell: (s) =>
              s.channel === 'webhook' ? t(`admin.channels.format.${s.format}`) : t('common.none'),
          },
          {
            label: t('admin.channels.events'),
            cell: (s) =>
              s.events
                .map((e) => t(`admin.channels.event.${e}` as MessageKey))
                .join(t('admin.listSeparator')),
          },
          {
            label: t('admin.channels.health'),
            cell: (s) => <ChannelHealth dead={dead.get(s.id) ?? 0} />,
          },
        ]}
        actions={(s) => (
          <RowButton
            onClick={() => sendTest(s)}
            loading={testing === s.id}
            testId="subscription-test"
          >
            {t('admin.channels.test')}
          </RowButton>
        )}
        onRemove={(s) => api.unsubscribe(s.id)}
        onChanged={lists.reload}
      />
      <DeliveryLog subscriptions={subscriptions} onChanged={lists.reload} />
    </AdminSection>
  );
}

/** What came of a "Send test": delivered, or why not, in words. */
interface Tested {
  subscription: Subscription;
  result?: ChannelTestResult;
  failure?: unknown;
}

/** The outcome of the last test, above the list (a row has no room for a sentence). */
function TestOutcome({ tested, onClose }: { tested: Tested; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { subscription, result, failure } = tested;
  const delivered = result?.delivered === true;
  const words =
    result === undefined
      ? describeError(failure, i18n)
      : result.delivered
        ? t('admin.channels.testDelivered')
        : t(`admin.channels.testFailed.${result.reason}`, {
            status: result.status ?? 0,
            error: result.error,
          });
  return (
    <Alert
      color={delivered ? 'teal' : 'red'}
      withCloseButton
      onClose={onClose}
      title={t('admin.channels.testTitle', {
        address: displayAddress(subscription.channel, subscription.address),
      })}
      data-testid="subscription-test-result"
      data-delivered={String(delivered)}
    >
      {words}
    </Alert>
  );
}

function ChannelHealth({ dead }: { dead: number }) {
  const { t } = useI18n();
  return dead > 0 ? (
    <Badge color="red" variant="light" data-testid="channel-dead">
      {t('admin.channels.deadCount', { n: dead })}
    </Badge>
  ) : (
    <Badge color="teal" variant="light">
      {t('admin.channels.healthy')}
    </Badge>
  );
}

function NewSubscriptionForm({
  tenants,
  onCreated,
}: {
  /** Null: the user belongs to one tenant and subscribes for it. */
  tenants: Tenant[] | null;
  onCreated: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useNotifyApi();
  const [input, setInput] = useState<NewSubscription>({
    channel: 'webhook',
    address: '',
    format: 'json',
    language: i18n.language,
    events: ['ticket.opened'],
    secret: '',
    tenantId: null,
  });
  const [secret, setSecret] = useState<string | null>(null);
  const change = (patch: Partial<NewSubscription>) => setInput((x) => ({ ...x, ...patch }));
  const form = useFormAction(
    async () => {
      setSecret(null);
      const problem = checkSubscription(input);
      if (problem) throw fieldRefusal(problem.field, t(problem.message));
      const webhook = input.channel === 'webhook';
      const created = await api.subscribe({
        ...input,
        address: input.address.trim(),
        format: webhook ? input.format : 'json',
        secret: webhook && input.secret ? input.secret : null,
        tenantId: input.tenantId || null,
      });
      setSecret(created.secret);
    },
    () => {
      change({ address: '', secret: '' });
      onCreated();
    },
  );
  const webhook = input.channel === 'webhook';
  const below = (
    <Stack gap="xs">
      <Choices
        label={t('admin.channels.events')}
        value={input.events}
        values={NOTIFY_EVENTS}
        labelOf={(e) => t(`admin.channels.event.${e}`)}
        onChange={(events) => change({ events })}
        error={form.messageFor('events')}
        testId="subscription-events"
      />
      {secret && (
        <ShownOnce
          title={t('admin.channels.secretTitle')}
          values={[secret]}
          fileName="branchwatch-webhook-secret.txt"
          testId="webhook-secret"
        />
      )}
    </Stack>
  );
  return (
    <FormCard
      form={form}
      submitLabel={t('admin.channels.create')}
      below={below}
      testId="new-subscription"
      submitTestId="subscription-create"
    >
      {tenants && (
        <NativeSelect
          label={t('admin.tenant')}
          value={input.tenantId ?? ''}
          onChange={(e) => change({ tenantId: e.currentTarget.value || null })}
          data={[
            { value: '', label: t('admin.channels.allTenants') },
            ...tenants.map((x) => ({ value: x.id, label: x.name })),
          ]}
          error={form.messageFor('tenantId')}
          data-testid="subscription-tenant"
        />
      )}
      <EnumSelect
        label={t('admin.channels.channel')}
        value={input.channel}
        values={SUBSCRIPTION_CHANNELS}
        labelOf={(c) => t(`admin.channels.channel.${c}`)}
        onChange={(channel) => change({ channel })}
        testId="subscription-channel"
      />
      <Field
        form={form}
        name="address"
        label={t(`admin.channels.addressOf.${input.channel}` as MessageKey)}
        ltr
        miw={260}
        value={input.address}
        onChange={(address) => change({ address })}
        data-testid="subscription-address"
      />
      {webhook && (
        <EnumSelect
          label={t('admin.channels.format')}
          value={input.format ?? 'json'}
          values={WEBHOOK_FORMATS}
          labelOf={(f) => t(`admin.channels.format.${f}`)}
          onChange={(format) => change({ format })}
        />
      )}
      <EnumSelect
        label={t('admin.channels.language')}
        value={input.language as (typeof NOTIFY_LANGUAGES)[number]}
        values={NOTIFY_LANGUAGES}
        labelOf={(l) => t(`language.${l}`)}
        onChange={(language) => change({ language })}
      />
      {webhook && (
        <PasswordInput
          label={t('admin.channels.secret')}
          description={t('admin.channels.secretHelp')}
          dir="ltr"
          value={input.secret ?? ''}
          onChange={(e) => change({ secret: e.currentTarget.value })}
          error={form.messageFor('secret')}
          data-testid="subscription-secret"
        />
      )}
    </FormCard>
  );
}
