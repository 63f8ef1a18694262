import { Button, Card, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import {
  NOTIFY_EVENTS,
  PERSONAL_CHANNELS,
  preferenceFields,
  type PreferencesView,
} from '../api/notifyApi';
import { checkPreferences } from '../api/notifyRules';
import { useLoad, useNotifyApi } from '../common/useLoad';
import { TelegramLinkField } from './TelegramLinkField';
import { LANGUAGES, setLanguage, useI18n, type Language, type MessageKey } from '../i18n';
import { fieldRefusal } from '../common/forms';
import { useFormAction } from '../common/forms';
import { Choices } from '../common/forms';
import { FormError } from '../common/forms';

/** The user's own notification preferences and language (notify.routes.ts `/preferences`). */
export function PreferencesForm() {
  const api = useNotifyApi();
  const load = useCallback(() => api.preferences(), [api]);
  const stored = useLoad(load);
  if (!stored.data) return <FormError error={stored.error} />;
  return <PreferencesFields initial={stored.data} />;
}

type TextPreference = 'email' | 'quietStart' | 'quietEnd';

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

function PreferencesFields({ initial }: { initial: PreferencesView }) {
  const { t, language } = useI18n();
  const api = useNotifyApi();
  const zones = useMemo(() => ['UTC', ...Intl.supportedValuesOf('timeZone')], []);
  // The UI's language is the one shown now (it may be this browser's, not yet stored).
  const [p, setP] = useState<PreferencesView>({ ...initial, language });
  const [saved, setSaved] = useState(false);
  const change = (patch: Partial<PreferencesView>) => {
    setSaved(false);
    setP((x) => ({ ...x, ...patch }));
  };
  const form = useFormAction(
    async () => {
      const problem = checkPreferences(p, zones);
      if (problem) throw fieldRefusal(problem.field, t(problem.message));
      const result = await api.savePreferences(preferenceFields(p));
      setLanguage(result.language as Language);
    },
    () => setSaved(true),
  );
  const text = (field: TextPreference, label: MessageKey, type = 'text') => (
    <TextInput
      type={type}
      label={t(label)}
      dir="ltr"
      value={p[field] ?? ''}
      onChange={(e) => change({ [field]: orNull(e.currentTarget.value) })}
      error={form.messageFor(field)}
      data-testid={`pref-${field}`}
    />
  );
  return (
    <Card withBorder component="form" onSubmit={form.submit} data-testid="preferences">
      <Stack gap="sm">
        <Text fw={500}>{t('profile.notifications')}</Text>
        <NativeSelect
          label={t('profile.language')}
          description={t('profile.languageHelp')}
          value={p.language}
          onChange={(e) => change({ language: e.currentTarget.value as Language })}
          data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))}
          data-testid="pref-language"
        />
        {text('email', 'profile.email')}
        <TelegramLinkField
          linked={p.telegramChatId !== null}
          onChange={(account) => {
            setP((x) => ({
              ...x,
              ...account,
              channels: account.telegramChatId
                ? x.channels
                : x.channels.filter((c) => c !== 'telegram'),
            }));
            form.setError(null);
          }}
        />
        <Choices
          label={t('profile.channels')}
          value={p.channels}
          values={PERSONAL_CHANNELS}
          labelOf={(c) => t(`admin.channels.channel.${c}`)}
          onChange={(channels) => change({ channels })}
          error={form.messageFor('channels')}
          testId="pref-channels"
        />
        <Choices
          label={t('profile.events')}
          description={t('profile.eventsHelp')}
          value={p.events}
          values={NOTIFY_EVENTS}
          labelOf={(e) => t(`admin.channels.event.${e}`)}
          onChange={(events) => change({ events })}
        />
        <Group grow align="flex-start">
          {text('quietStart', 'profile.quietStart', 'time')}
          {text('quietEnd', 'profile.quietEnd', 'time')}
          <NativeSelect
            label={t('profile.timeZone')}
            dir="ltr"
            value={p.timeZone}
            onChange={(e) => change({ timeZone: e.currentTarget.value })}
            data={zones}
            error={form.messageFor('timeZone')}
          />
        </Group>
        <Text size="xs" c="dimmed">
          {t('profile.quietHelp')}
        </Text>
        <FormError error={form.error} />
        <Group>
          <Button type="submit" loading={form.busy} data-testid="pref-save">
            {saved ? t('admin.saved') : t('admin.save')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
