import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import type { Branch } from '../api/types';
import { linkTo } from '../app/router';
import { formatAbsolute } from '../format/relativeTime';
import { useI18n } from '../i18n';
import type { AdminAgent, AdminApi, EnrollmentToken, IssuedAgent } from '../api/adminApi';
import { CommandBlock, LoadState, SectionHeader } from './common';
import { AdminTable, BranchSelect } from './crud';
import { errorField, useAdminApi, useLoadAll } from '../common/useLoad';
import { FormError } from '../common/forms';

const branchesAndAgents = (api: AdminApi) => ({ branches: api.branches(), agents: api.agents() });

export function AgentsAdmin() {
  const { t } = useI18n();
  const api = useAdminApi();
  const data = useLoadAll(api, branchesAndAgents);
  return (
    <>
      <SectionHeader title={t('admin.agents.title')} help={t('admin.agents.help')} />
      <LoadState error={data.error} loading={data.data === null}>
        <NewAgent branches={data.data?.branches ?? []} onCreated={data.reload} />
        <AgentTable agents={data.data?.agents ?? []} />
      </LoadState>
    </>
  );
}

function AgentTable({ agents }: { agents: AdminAgent[] }) {
  const { t } = useI18n();
  if (agents.length === 0) return <Text c="dimmed">{t('admin.agents.none')}</Text>;
  return (
    <AdminTable
      testId="agent-table"
      rowTestId="agent-admin-row"
      rows={agents}
      rowKey={(a) => a.id}
      rowAttributes={(a) => ({ 'data-slug': a.slug })}
      columns={[
        { label: t('admin.slug'), ltr: true, cell: (a) => a.slug },
        { label: t('admin.agents.branch'), ltr: true, cell: (a) => a.branch },
        { label: t('admin.agents.state'), cell: (a) => <AgentState agent={a} /> },
        {
          label: t('admin.agents.version'),
          ltr: true,
          cell: (a) => a.version ?? t('common.none'),
        },
        { label: t('admin.agents.config'), cell: (a) => <ConfigState agent={a} /> },
      ]}
      actions={(a) => (
        <Anchor
          size="sm"
          data-testid="agent-checks-link"
          {...linkTo(`/admin/agents/${a.id}/checks`)}
        >
          {t('admin.agents.checks')}
        </Anchor>
      )}
    />
  );
}

function AgentState({ agent }: { agent: AdminAgent }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Group gap={6} wrap="nowrap">
      <Badge color={agent.online ? 'teal' : 'gray'} variant="light">
        {agent.online ? t('agent.online') : t('agent.offline')}
      </Badge>
      <Text size="xs" c="dimmed">
        {agent.lastSeenAt
          ? t('agent.lastSeen', { when: formatAbsolute(agent.lastSeenAt, i18n.locale) ?? '' })
          : t('agent.neverSeen')}
      </Text>
    </Group>
  );
}

/** Which config revision the agent runs, or why it refused the last one. */
function ConfigState({ agent }: { agent: AdminAgent }) {
  const { t } = useI18n();
  const config = agent.config;
  if (!config || config.revision === 0)
    return <Text size="sm">{t('admin.agents.configNone')}</Text>;
  if (config.error) {
    return (
      <Text size="sm" c="red" data-testid="config-error">
        {t('admin.agents.configError', { revision: config.revision, error: config.error })}
      </Text>
    );
  }
  if (config.appliedRevision === config.revision) {
    return <Text size="sm">{t('admin.agents.configApplied', { revision: config.revision })}</Text>;
  }
  return (
    <Text size="sm" c="dimmed">
      {t('admin.agents.configPending', {
        revision: config.revision,
        applied: config.appliedRevision ?? 0,
      })}
    </Text>
  );
}

function NewAgent({ branches, onCreated }: { branches: Branch[]; onCreated: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useAdminApi();
  const [branchId, setBranchId] = useState('');
  const [slug, setSlug] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [token, setToken] = useState<EnrollmentToken | null>(null);
  const [issued, setIssued] = useState<IssuedAgent | null>(null);
  const field = errorField(error);
  const branch = branchId || branches[0]?.id || '';

  const run = async (action: 'enroll' | 'create') => {
    setError(null);
    setToken(null);
    setIssued(null);
    try {
      if (action === 'enroll') {
        setToken(
          await api.enrollmentToken({ branchId: branch, ...(slug ? { agentSlug: slug } : {}) }),
        );
      } else {
        setIssued(await api.createAgent({ branchId: branch, slug }));
        onCreated();
      }
    } catch (cause) {
      setError(cause);
    }
  };

  if (branches.length === 0) return <Text c="dimmed">{t('admin.agents.noBranches')}</Text>;
  return (
    <Card withBorder data-testid="new-agent">
      <Stack gap="xs">
        <Group align="flex-end">
          <BranchSelect
            branches={branches}
            value={branch}
            onChange={setBranchId}
            testId="agent-branch"
          />
          <TextInput
            label={t('admin.slug')}
            dir="ltr"
            value={slug}
            onChange={(e) => setSlug(e.currentTarget.value)}
            error={field === 'slug' || field === 'agentSlug' ? true : undefined}
            data-testid="agent-slug"
          />
          <Button onClick={() => void run('enroll')} data-testid="agent-enroll">
            {t('admin.agents.enroll')}
          </Button>
          <Button variant="default" onClick={() => void run('create')} data-testid="agent-create">
            {t('admin.agents.create')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('admin.agents.enrollHelp')}
        </Text>
        <FormError error={error} />
        {token && (
          <Stack gap={4} data-testid="enrollment">
            <Text size="sm">
              {t('admin.agents.installCommand', { slug: token.agentSlug })}{' '}
              <Text span inherit data-testid="enrollment-expires">
                {t('admin.agents.expires', {
                  when: formatAbsolute(token.expiresAt, i18n.locale) ?? '',
                })}
              </Text>
            </Text>
            <InstallNotices token={token} />
            <CommandBlock command={token.installCommand} testId="install-command" />
            <Text size="sm">{t('admin.agents.enrollCommand')}</Text>
            <CommandBlock command={token.enrollCommand} testId="enroll-command" />
          </Stack>
        )}
        {issued && (
          <Stack gap={4} data-testid="issued-agent">
            <Text size="sm">{t('admin.agents.credentialsOnce', { slug: issued.agent.slug })}</Text>
            <Code block dir="ltr">
              {issued.config}
            </Code>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/i;

/**
 * What would make the install command fail or leak, said before anyone runs it: no package on
 * the hub (or none for some architectures), an address a branch server cannot reach, plain HTTP.
 */
function InstallNotices({ token }: { token: EnrollmentToken }) {
  const { t, locale } = useI18n();
  const origin = /https?:\/\/[^/\s]+/.exec(token.installCommand)?.[0];
  const url = origin ? new URL(origin) : undefined;
  const notices: { key: string; text: string }[] = [];
  if (token.packages.length === 0)
    notices.push({ key: 'no-package', text: t('admin.agents.noPackage') });
  else if (token.packages.length < 2) {
    const archs = new Intl.ListFormat(locale).format(token.packages);
    notices.push({ key: 'some-packages', text: t('admin.agents.somePackages', { archs }) });
  }
  if (url && LOOPBACK.test(url.hostname)) {
    notices.push({
      key: 'loopback',
      text: t('admin.agents.loopbackOrigin', { host: url.hostname }),
    });
  } else if (url?.protocol === 'http:') {
    notices.push({ key: 'plain-http', text: t('admin.agents.plainHttp') });
  }
  return notices.map((n) => (
    <Alert key={n.key} color="yellow" variant="light" data-testid={`install-${n.key}`}>
      {n.text}
    </Alert>
  ));
}
