import {
  Button,
  Card,
  Group,
  List,
  NativeSelect,
  NumberInput,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useCallback, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { AdminUser, Erasure, RetentionPreview } from '../api/identityApi';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { FormError, useFormAction } from '../common/forms';
import { useIdentityApi, useLoad } from '../common/useLoad';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { CardHeader, LoadState } from './common';
import { TenantPicker } from './tenantScope';
import { formatBytes } from '../format/numbers';

/**
 * Admin → Privacy (docs/privacy.md): how long the tenant's data is kept, with what the hourly
 * retention job would remove now; and a person's data handed over as a file or erased, after a
 * dry run that says what the erasure would change.
 */
export function PrivacyAdmin() {
  const { t } = useI18n();
  const api = useApi();
  const identity = useIdentityApi();
  const load = useCallback(async () => {
    const me = await api.me();
    const [users, tenants] = await Promise.all([
      identity.users(),
      me.role === 'admin' ? identity.tenants() : Promise.resolve(null),
    ]);
    return { me, users, tenants };
  }, [api, identity]);
  const page = useLoad(load);
  const [picked, setPicked] = useState<string | null>(null);
  const tenants = page.data?.tenants ?? null;
  const tenantId = tenants ? (picked ?? tenants[0]?.id ?? null) : null;
  return (
    <Stack gap="md" data-testid="privacy-page">
      <Title order={2}>{t('admin.section.privacy')}</Title>
      <LoadState error={page.error} loading={page.data === null}>
        {page.data && (
          <>
            <TenantPicker
              tenants={tenants}
              value={tenantId}
              onChange={setPicked}
              testId="privacy-tenant"
            />
            {(!tenants || tenantId) && (
              <>
                <RetentionCard key={`r-${tenantId}`} tenantId={tenantId} />
                <PersonCard
                  key={`p-${tenantId}`}
                  people={page.data.users.filter(
                    (u) =>
                      u.id !== page.data!.me.id && (tenantId === null || u.tenantId === tenantId),
                  )}
                />
              </>
            )}
          </>
        )}
      </LoadState>
    </Stack>
  );
}

const KINDS = [
  { field: 'roundsDays', count: 'rounds', cutoff: 'rounds', label: 'rounds', min: 2 },
  {
    field: 'attachmentsDays',
    count: 'attachments',
    cutoff: 'attachments',
    label: 'attachments',
    min: 1,
  },
  {
    field: 'closedTicketsDays',
    count: 'closedTickets',
    cutoff: 'closedTickets',
    label: 'closedTickets',
    min: 30,
  },
  { field: 'auditDays', count: 'auditEntries', cutoff: 'audit', label: 'audit', min: 90 },
] as const;

type Policy = RetentionPreview['policy'];

function RetentionCard({ tenantId }: { tenantId: string | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const identity = useIdentityApi();
  const load = useCallback(() => identity.retention(tenantId), [identity, tenantId]);
  const page = useLoad(load);
  return (
    <Card withBorder data-testid="retention">
      <Stack gap="xs">
        <CardHeader
          title={t('privacy.retention.title')}
          help={t('privacy.retention.help', { days: page.data?.hubRoundsDays ?? 30 })}
        />
        <LoadState error={page.error} loading={page.data === null}>
          {page.data && <RetentionForm preview={page.data} tenantId={tenantId} />}
        </LoadState>
      </Stack>
    </Card>
  );
}

function RetentionForm({
  preview,
  tenantId,
}: {
  preview: RetentionPreview;
  tenantId: string | null;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const identity = useIdentityApi();
  const [draft, setDraft] = useState<Policy>(preview.policy);
  const [shown, setShown] = useState(preview);
  const [saved, setSaved] = useState(false);
  const form = useFormAction(async () => {
    const { tenantId: _own, ...change } = draft;
    setShown(await identity.setRetention({ ...change, ...(tenantId ? { tenantId } : {}) }));
    setSaved(true);
  });
  return (
    <form onSubmit={form.submit}>
      <Stack gap="sm">
        <Group align="flex-start">
          {KINDS.map((kind) => (
            <NumberInput
              key={kind.field}
              label={t(`privacy.retention.${kind.label}` as MessageKey)}
              description={t(`privacy.retention.${kind.label}Help` as MessageKey)}
              placeholder={
                kind.field === 'roundsDays'
                  ? t('privacy.retention.hubDays', { n: preview.hubRoundsDays })
                  : t('privacy.retention.kept')
              }
              min={kind.min}
              max={36500}
              allowDecimal={false}
              value={draft[kind.field] ?? ''}
              onChange={(v) => {
                setSaved(false);
                const n = typeof v === 'number' ? v : Number.parseInt(v, 10);
                setDraft((d) => ({ ...d, [kind.field]: Number.isFinite(n) ? n : null }));
              }}
              error={form.messageFor(kind.field)}
              miw={200}
              style={{ flex: '1 1 200px' }}
              data-testid={`retention-${kind.field}`}
            />
          ))}
        </Group>
        <Group>
          <Button type="submit" loading={form.busy} data-testid="retention-save">
            {t('admin.save')}
          </Button>
          {saved && (
            <Text size="sm" c="teal" data-testid="retention-saved">
              {t('admin.policy.saved')}
            </Text>
          )}
        </Group>
        <FormError error={form.error} />
        <DryRun preview={shown} i18n={i18n} />
      </Stack>
    </form>
  );
}

function DryRun({ preview, i18n }: { preview: RetentionPreview; i18n: I18n }) {
  const { t, locale } = i18n;
  const date = (at: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(at));
  return (
    <div data-testid="retention-dry-run">
      <Text size="sm" fw={600}>
        {t('privacy.dryRun.title')}
      </Text>
      <List size="sm" spacing={2}>
        {KINDS.map((kind) => {
          const cutoff = preview.cutoffs[kind.cutoff];
          const n = preview.counts[kind.count];
          const what = t(`privacy.dryRun.${kind.label}` as MessageKey);
          let text: string;
          if (cutoff === null) text = t('privacy.dryRun.kept', { what });
          else if (kind.count === 'attachments' && n > 0)
            text = t('privacy.dryRun.attachmentCount', {
              what,
              n,
              size: formatBytes(preview.counts.attachmentBytes, locale),
              date: date(cutoff),
            });
          else text = t('privacy.dryRun.count', { what, n, date: date(cutoff) });
          return (
            <List.Item key={kind.field} data-testid={`dry-run-${kind.count}`}>
              {text}
            </List.Item>
          );
        })}
      </List>
    </div>
  );
}

const ERASURE_COUNTS = [
  'ticketsFiled',
  'ticketsNaming',
  'messagesNaming',
  'ratingComments',
  'sessions',
  'apiTokens',
  'signInLinks',
  'groupMemberships',
  'watching',
  'notificationSettings',
  'messagesWritten',
  'ticketsAssigned',
] as const;

function PersonCard({ people }: { people: AdminUser[] }) {
  const { t } = useI18n();
  const identity = useIdentityApi();
  const [userId, setUserId] = useState(people[0]?.id ?? '');
  const [dry, setDry] = useState<Erasure | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  // An erased person is listed under their pseudonym from then on, as the hub now names them.
  const [erased, setErased] = useState<Record<string, string>>({});
  const person = people.find((p) => p.id === userId);
  const exporting = useFormAction(async () => {
    if (!person) return;
    const data = await identity.personalData(person.id);
    const url = URL.createObjectURL(
      new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
    );
    const link = document.createElement('a');
    link.href = url;
    link.download = `personal-data-${person.username}.json`;
    link.click();
    URL.revokeObjectURL(url);
    setDone(t('privacy.person.exported', { file: link.download }));
  });
  const previewing = useFormAction(async () => {
    if (!person) return;
    setDone(null);
    setDry(await identity.erasePerson(person.id, true));
  });
  return (
    <Card withBorder data-testid="person-data">
      <Stack gap="xs">
        <CardHeader title={t('privacy.person.title')} help={t('privacy.person.help')} />
        {people.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="person-none">
            {t('privacy.person.none')}
          </Text>
        )}
        {people.length > 0 && (
          <NativeSelect
            label={t('privacy.person.pick')}
            value={userId}
            onChange={(e) => {
              setUserId(e.currentTarget.value);
              setDry(null);
              setDone(null);
            }}
            data={people.map((p) => ({ value: p.id, label: erased[p.id] ?? p.username }))}
            maw={320}
            data-testid="person-pick"
          />
        )}
        {people.length > 0 && (
          <Group gap="sm">
            <Button
              variant="default"
              onClick={() => exporting.submit()}
              loading={exporting.busy}
              disabled={!person}
              data-testid="person-export"
            >
              {t('privacy.person.export')}
            </Button>
            <Button
              variant="default"
              color="red"
              onClick={() => previewing.submit()}
              loading={previewing.busy}
              disabled={!person || erased[person.id] !== undefined}
              data-testid="person-preview"
            >
              {t('privacy.person.preview')}
            </Button>
          </Group>
        )}
        <FormError error={exporting.error ?? previewing.error} />
        {done && (
          <Text size="sm" c="teal" role="status" data-testid="person-done">
            {done}
          </Text>
        )}
        {dry && person && !erased[person.id] && (
          <Stack gap={4} data-testid="person-dry-run">
            <Text size="sm" fw={600}>
              {t('privacy.person.willTitle', { name: person.username, pseudonym: dry.pseudonym })}
            </Text>
            <List size="sm" spacing={2}>
              {ERASURE_COUNTS.map((key) => (
                <List.Item key={key}>
                  {t(`privacy.person.count.${key}` as MessageKey, { n: dry.counts[key] ?? 0 })}
                </List.Item>
              ))}
            </List>
            <Group>
              <Button color="red" onClick={() => setConfirming(true)} data-testid="person-erase">
                {t('privacy.person.erase')}
              </Button>
            </Group>
          </Stack>
        )}
        {person && dry && (
          <ConfirmDialog
            opened={confirming}
            title={t('privacy.person.confirmTitle', { name: person.username })}
            confirmLabel={t('privacy.person.erase')}
            onClose={() => setConfirming(false)}
            onConfirm={async () => {
              const result = await identity.erasePerson(person.id, false);
              setDry(null);
              setErased((e) => ({ ...e, [person.id]: result.pseudonym }));
              setDone(
                t('privacy.person.erased', { name: person.username, pseudonym: result.pseudonym }),
              );
            }}
            testId="person-erase-dialog"
          >
            {t('privacy.person.confirmText')}
          </ConfirmDialog>
        )}
      </Stack>
    </Card>
  );
}
