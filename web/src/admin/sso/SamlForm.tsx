import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { describeError } from '../../common/describeError';
import { useFormAction } from '../../common/forms';
import { useIdentityApi } from '../../common/useLoad';
import { useNow } from '../../common/useNow';
import { useI18n, type MessageKey } from '../../i18n';
import { CommandBlock } from '../common';
import { KindFields, type KindFormProps } from './KindFields';
import type { KindSpec, Settings } from './kinds';
import { readIdpMetadata } from './samlMetadata';

/** A certificate that ends within this many days is shown as a warning (docs/sso.md). */
const SOON_DAYS = 14;

/**
 * SAML 2.0: the identity provider's entity id, sign-in URL and signing certificate (typed, or
 * read from its metadata pasted here), the attributes read; no secret. A provider created
 * through the API with its metadata document shows the fields read from it, and keeps them.
 */
export const SAML: KindSpec = {
  fields: [
    { name: 'idpEntityId' },
    { name: 'idpSsoUrl' },
    { name: 'idpSloUrl' },
    { name: 'idpCertificate', kind: 'long' },
    { name: 'groupsAttribute' },
    { name: 'emailAttribute' },
    { name: 'acceptSha1', kind: 'switch' },
  ],
  defaults: {
    idpEntityId: '',
    idpSsoUrl: '',
    idpSloUrl: '',
    idpCertificate: '',
    groupsAttribute: 'groups',
    emailAttribute: 'email',
    acceptSha1: false,
  },
  load: (stored: Settings) => {
    const { idpMetadataXml, ...rest } = stored;
    if (typeof idpMetadataXml !== 'string' || !idpMetadataXml) return rest;
    const read = readIdpMetadata(idpMetadataXml);
    if ('problem' in read) return rest;
    return {
      ...rest,
      idpEntityId: read.idpEntityId,
      idpSsoUrl: read.idpSsoUrl,
      idpSloUrl: read.idpSloUrl,
      idpCertificate: read.idpCertificate,
    };
  },
};

export function SamlForm(props: KindFormProps) {
  const { t } = useI18n();
  const [xml, setXml] = useState('');
  const [read, setRead] = useState<{ ok: boolean; text: string } | null>(null);
  const readMetadata = () => {
    const found = readIdpMetadata(xml);
    if ('problem' in found) {
      setRead({ ok: false, text: t(found.problem) });
      return;
    }
    props.onSetting('idpEntityId', found.idpEntityId);
    props.onSetting('idpSsoUrl', found.idpSsoUrl);
    props.onSetting('idpSloUrl', found.idpSloUrl);
    props.onSetting('idpCertificate', found.idpCertificate);
    setRead({ ok: true, text: t('admin.sso.metadata.read', { n: found.certificates }) });
    setXml('');
  };
  return (
    <>
      {props.provider && <ThisHub provider={props.provider} />}
      <Textarea
        label={t('admin.sso.metadata.paste')}
        description={t('admin.sso.metadata.pasteHelp')}
        value={xml}
        onChange={(e) => setXml(e.currentTarget.value)}
        autosize
        minRows={2}
        maxRows={6}
        dir="ltr"
        styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
        data-testid="saml-metadata"
      />
      <Group>
        <Button variant="light" size="xs" disabled={!xml.trim()} onClick={readMetadata}>
          {t('admin.sso.metadata.readButton')}
        </Button>
      </Group>
      {read && (
        <Text size="sm" c={read.ok ? 'teal' : 'red'} role="status">
          {read.text}
        </Text>
      )}
      <KindFields spec={SAML} {...props} />
      {props.provider && <Certificates provider={props.provider} />}
      {props.provider && <HubCertificates provider={props.provider} onRotated={props.onRotated} />}
    </>
  );
}

/** The hub's own values the IdP's admin types: its entity id, its ACS and its metadata. */
function ThisHub({ provider }: { provider: NonNullable<KindFormProps['provider']> }) {
  const { t } = useI18n();
  if (!provider.spEntityId) return null;
  const values: [MessageKey, string, string][] = [
    ['admin.sso.sp.entityId', provider.spEntityId, 'sp-entity-id'],
    ['admin.sso.sp.acsUrl', provider.redirectUrl, 'sp-acs-url'],
    ['admin.sso.sp.metadataUrl', provider.spEntityId, 'sp-metadata-url'],
    ['admin.sso.sp.sloUrl', provider.redirectUrl.replace(/\/acs$/, '/slo'), 'sp-slo-url'],
  ];
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        {t('admin.sso.sp.title')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('admin.sso.sp.help')}
      </Text>
      {values.map(([label, value, testId]) => (
        <Stack key={testId} gap={2}>
          <Text size="xs">{t(label)}</Text>
          <CommandBlock command={value} testId={testId} />
        </Stack>
      ))}
    </Stack>
  );
}

/** The IdP's signing certificates as saved: whose, and until when, in the reader's calendar. */
function Certificates({ provider }: { provider: NonNullable<KindFormProps['provider']> }) {
  const { t, locale } = useI18n();
  const now = useNow(60_000);
  const certificates = provider.idpCertificates ?? [];
  if (!certificates.length) return null;
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'long' });
  return (
    <Stack gap={4} data-testid="idp-certificates">
      {certificates.map((c, i) => {
        const until = new Date(c.notAfter as string);
        const left = until.getTime() - now;
        const color = left <= 0 ? 'red' : left < SOON_DAYS * 86400_000 ? 'orange' : 'teal';
        const key: MessageKey =
          left <= 0
            ? 'admin.sso.certificate.expired'
            : left < SOON_DAYS * 86400_000
              ? 'admin.sso.certificate.soon'
              : 'admin.sso.certificate.until';
        return (
          <Alert key={i} color={color} variant="light" p="xs">
            <Text size="sm">{t(key, { date: day.format(until) })}</Text>
            <Text size="xs" c="dimmed" dir="ltr" style={{ wordBreak: 'break-all' }}>
              <bdi>{c.subject}</bdi>
            </Text>
          </Alert>
        );
      })}
    </Stack>
  );
}

/**
 * The hub's own certificates for this provider (what its metadata publishes), each end date in
 * the reader's calendar, and "rotate" after a confirmation: the IdP must import them again.
 */
function HubCertificates({
  provider,
  onRotated,
}: {
  provider: NonNullable<KindFormProps['provider']>;
  onRotated?: KindFormProps['onRotated'];
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const api = useIdentityApi();
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState(false);
  const rotate = useFormAction(async () => {
    const answer = await api.rotateSamlKeys(provider.id);
    setConfirming(false);
    setDone(true);
    onRotated?.(answer.provider);
  });
  const certificates = provider.spCertificates ?? [];
  if (!certificates.length) return null;
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'long' });
  return (
    <Stack gap={6} data-testid="hub-certificates">
      <Text size="sm" fw={500}>
        {t('admin.sso.hubCert.title')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('admin.sso.hubCert.help')}
      </Text>
      {certificates.map((c) => (
        <Text key={c.use} size="sm">
          {t(c.use === 'signing' ? 'admin.sso.hubCert.signing' : 'admin.sso.hubCert.encryption', {
            date: day.format(new Date(c.notAfter as string)),
          })}
        </Text>
      ))}
      {done && (
        <Text size="sm" c="teal" role="status">
          {t('admin.sso.hubCert.rotated')}
        </Text>
      )}
      {confirming ? (
        <Alert color="orange" variant="light" p="xs" data-testid="rotate-confirm">
          <Text size="sm">{t('admin.sso.hubCert.confirm')}</Text>
          {rotate.error !== null && (
            <Text size="sm" c="red" role="alert">
              {describeError(rotate.error, i18n)}
            </Text>
          )}
          <Group mt="xs" gap="xs">
            <Button
              size="xs"
              color="orange"
              loading={rotate.busy}
              onClick={() => rotate.submit()}
              data-testid="rotate-now"
            >
              {t('admin.sso.hubCert.rotateNow')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setConfirming(false)}>
              {t('admin.cancel')}
            </Button>
          </Group>
        </Alert>
      ) : (
        <Group>
          <Button
            size="xs"
            variant="light"
            onClick={() => {
              setDone(false);
              setConfirming(true);
            }}
            data-testid="rotate-certificates"
          >
            {t('admin.sso.hubCert.rotate')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
