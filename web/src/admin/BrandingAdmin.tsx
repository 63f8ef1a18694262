import {
  Alert,
  Box,
  Button,
  Card,
  ColorInput,
  FileButton,
  Group,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { contrastWithWhite, DEFAULT_ACCENT, MIN_ACCENT_CONTRAST } from '@branchwatch/api';
import { useApi } from '../api/ApiContext';
import { brandingApi, settingsLogoUrl, type BrandingSettings } from '../api/brandingApi';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import { LoadState, SectionHeader } from './common';
import { TenantPicker, useTenantScopeState } from './tenantScope';

const HEX = /^#[0-9a-f]{6}$/;
// Accents that keep 4.5:1 with white text, to pick from.
const SWATCHES = ['#4263eb', '#0b7285', '#2b8a3e', '#c92a2a', '#862e9c', '#1864ab', '#495057'];

/**
 * Admin → Branding (docs/branding.md): the tenant's product name, accent colour and logo, with
 * a preview; a global admin picks a tenant, or the hub's own branding (shown where a tenant has
 * none).
 */
export function BrandingAdmin() {
  const { t } = useI18n();
  const { known, tenants } = useTenantScopeState();
  const [picked, setPicked] = useState('');
  return (
    <Stack gap="md" data-testid="branding-page">
      <SectionHeader title={t('admin.section.branding')} help={t('branding.intro')} />
      <LoadState error={null} loading={!known}>
        <TenantPicker
          tenants={tenants}
          value={picked}
          onChange={setPicked}
          testId="branding-tenant"
          first={{ value: '', label: t('branding.hubOwn') }}
        />
        <BrandingCard key={picked} tenantId={picked || null} />
      </LoadState>
    </Stack>
  );
}

function BrandingCard({ tenantId }: { tenantId: string | null }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const client = useApi();
  const api = useMemo(() => brandingApi(client), [client]);
  const load = useCallback(() => api.settings(tenantId), [api, tenantId]);
  const { data, error, reload } = useLoad(load);
  return (
    <LoadState error={error} loading={data === null}>
      {data && (
        // No key from the saved values: a save or a new logo reloads them, and the form keeps
        // what was typed and its "Saved" (a tenant picked anew mounts a new card).
        <BrandingForm
          settings={data}
          tenantId={tenantId}
          api={api}
          onChanged={reload}
          format={(n) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n)}
          t={t}
          describe={(e) => describeError(e, i18n)}
        />
      )}
    </LoadState>
  );
}

function BrandingForm({
  settings,
  tenantId,
  api,
  onChanged,
  format,
  t,
  describe,
}: {
  settings: BrandingSettings;
  tenantId: string | null;
  api: ReturnType<typeof brandingApi>;
  onChanged: () => void;
  format: (n: number) => string;
  t: ReturnType<typeof useI18n>['t'];
  describe: (error: unknown) => string;
}) {
  const [name, setName] = useState(settings.productName ?? '');
  const [accent, setAccent] = useState(settings.accentColor ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  // What the last action did: "Saved." only for the form's own save, so a logo uploaded after
  // typing a name never reads as if the name were saved too.
  const [done, setDone] = useState<'saved' | 'logoSaved' | 'logoRemoved' | null>(null);
  const [logoVersion, setLogoVersion] = useState(() => Date.now());
  const colour = accent.trim().toLowerCase();
  const valid = colour === '' || HEX.test(colour);
  const ratio = valid && colour ? contrastWithWhite(colour) : null;
  const readable = ratio === null || ratio >= MIN_ACCENT_CONTRAST;
  const shown = {
    name: name.trim() || settings.fallback.productName,
    accent: (valid && colour) || settings.fallback.accentColor || DEFAULT_ACCENT,
  };
  const act = async (work: () => Promise<unknown>, outcome: NonNullable<typeof done>) => {
    setProblem(null);
    setDone(null);
    try {
      await work();
      setDone(outcome);
      setLogoVersion(Date.now());
      onChanged();
    } catch (e) {
      setProblem(describe(e));
    }
  };
  return (
    <Card withBorder data-testid="branding-card">
      <Stack gap="md">
        <TextInput
          label={t('branding.name')}
          description={t('branding.nameHelp', { fallback: settings.fallback.productName })}
          value={name}
          maxLength={60}
          onChange={(e) => {
            if (e.currentTarget.value !== name) setDone(null); // changed since: not saved
            setName(e.currentTarget.value);
          }}
          data-testid="branding-name"
        />
        <Stack gap={4}>
          <ColorInput
            label={t('branding.accent')}
            description={t('branding.accentHelp')}
            value={accent}
            onChange={(value) => {
              // The picker also reports its value unchanged (on blur): not a change.
              if (value !== accent) setDone(null);
              setAccent(value);
            }}
            format="hex"
            swatches={SWATCHES}
            dir="ltr"
            error={!valid ? t('branding.accentInvalid') : undefined}
            data-testid="branding-accent"
          />
          {ratio !== null && (
            <Text size="sm" c={readable ? 'teal.8' : 'red.8'} data-testid="branding-contrast">
              {t(readable ? 'branding.contrastOk' : 'branding.contrastLow', {
                ratio: format(Math.floor(ratio * 10) / 10),
              })}
            </Text>
          )}
        </Stack>
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            {t('branding.logo')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('branding.logoHelp')}
          </Text>
          <Group gap="sm" wrap="wrap">
            {settings.hasLogo ? (
              <img
                src={settingsLogoUrl(tenantId, logoVersion)}
                alt={t('branding.logo')}
                style={{ height: 32, maxWidth: 160, objectFit: 'contain' }}
                data-testid="branding-logo"
              />
            ) : (
              <Text size="sm" c="dimmed">
                {t('branding.noLogo')}
              </Text>
            )}
            <FileButton
              accept="image/png,image/jpeg"
              onChange={(file) =>
                file && void act(() => api.uploadLogo(tenantId, file), 'logoSaved')
              }
            >
              {(props) => (
                <Button
                  variant="default"
                  size="compact-sm"
                  {...props}
                  data-testid="branding-upload"
                >
                  {t('branding.chooseLogo')}
                </Button>
              )}
            </FileButton>
            {settings.hasLogo && (
              <Button
                variant="subtle"
                color="red"
                size="compact-sm"
                onClick={() => void act(() => api.removeLogo(tenantId), 'logoRemoved')}
              >
                {t('branding.removeLogo')}
              </Button>
            )}
          </Group>
        </Stack>
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            {t('branding.preview')}
          </Text>
          <Box
            p="sm"
            style={{ background: shown.accent, color: '#fff', borderRadius: 8 }}
            data-testid="branding-preview"
          >
            <Group gap="sm" wrap="nowrap">
              {settings.hasLogo && (
                <img
                  src={settingsLogoUrl(tenantId, logoVersion)}
                  alt=""
                  style={{ height: 28, maxWidth: 96, objectFit: 'contain' }}
                />
              )}
              <Text fw={700} truncate>
                {shown.name}
              </Text>
            </Group>
          </Box>
          <Group>
            <Button style={{ background: shown.accent }} tabIndex={-1} aria-hidden>
              {t('branding.previewButton')}
            </Button>
          </Group>
        </Stack>
        {problem && (
          <Alert color="red" data-testid="branding-error">
            {problem}
          </Alert>
        )}
        {done && !problem && (
          <Text
            size="sm"
            c="teal.8"
            data-testid={done === 'saved' ? 'branding-saved' : 'branding-logo-done'}
          >
            {t(`branding.${done}`)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button
            disabled={!valid || !readable}
            onClick={() =>
              void act(
                () =>
                  api.save({
                    ...(tenantId ? { tenantId } : {}),
                    productName: name.trim() || null,
                    accentColor: colour || null,
                  }),
                'saved',
              )
            }
            data-testid="branding-save"
          >
            {t('branding.save')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
