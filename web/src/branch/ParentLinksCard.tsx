import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { Check } from '../api/types';
import { describeError } from '../common/describeError';
import { useI18n } from '../i18n';
import { pollingSource, useSource } from '../live/source';
import {
  canManageLinks,
  childCandidates,
  linksOf,
  parentLinksApi,
  suppressedBy,
  type ParentLink,
} from '../map/parentLinks';
import { CheckStateBadge } from '../overview/StateBadge';

/** Links change only by hand; read again now and then for another admin's changes. */
const LINKS_REFRESH_MS = 60_000;

/**
 * The branch's parent links: which check suppresses which while it fails, e.g. the
 * WAN ping as the parent of the cameras. Admins pick a parent and its children and can remove
 * links; everyone else sees them.
 */
export function ParentLinksCard({ checks }: { checks: Check[] }) {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const links = useMemo(() => parentLinksApi(api), [api]);
  const [reloads, setReloads] = useState(0);
  const source = useMemo(
    () => pollingSource(() => links.list(), LINKS_REFRESH_MS),
    // `reloads`: a new source after each change reads the links again at once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [links, reloads],
  );
  const { data, error } = useSource(source);
  const [role, setRole] = useState<string | undefined>(undefined);
  const [parent, setParent] = useState<string | null>(null);
  const [children, setChildren] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  useEffect(() => {
    let stopped = false;
    api.me().then(
      (user) => !stopped && setRole(user.role),
      () => undefined,
    );
    return () => {
      stopped = true;
    };
  }, [api]);

  const all: ParentLink[] = data ?? [];
  const rows = linksOf(checks, all);
  const suppressed = suppressedBy(checks, all);
  const manage = canManageLinks(role);
  const label = (c: Check) => `${c.key} · ${c.target}`;

  const change = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
    } catch (cause) {
      setProblem(cause);
    } finally {
      setBusy(false);
      setReloads((n) => n + 1);
    }
  };
  const add = () =>
    change(async () => {
      if (parent === null) return;
      for (const child of children) await links.create(parent, child);
      setChildren([]);
    });

  return (
    <Card data-testid="parent-links">
      <Stack gap="xs">
        <Title order={3} size="h6">
          {t('branch.parents.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('branch.parents.help')}
        </Text>
        {error !== null && (
          <Alert color="yellow" title={t('branch.parents.loadFailed')}>
            {describeError(error, i18n)}
          </Alert>
        )}
        {problem !== null && (
          <Alert color="red" title={t('branch.parents.failed')} data-testid="parent-links-error">
            {describeError(problem, i18n)}
          </Alert>
        )}
        {manage && (
          <Group align="end" gap="xs" wrap="wrap">
            <Select
              size="xs"
              label={t('branch.parents.parent')}
              data={checks.map((c) => ({ value: c.id, label: label(c) }))}
              value={parent}
              onChange={(value) => {
                setParent(value);
                setChildren([]);
              }}
              searchable
              w={220}
              data-testid="parent-pick"
            />
            <MultiSelect
              size="xs"
              label={t('branch.parents.children')}
              data={
                parent === null
                  ? []
                  : childCandidates(parent, checks, all).map((c) => ({
                      value: c.id,
                      label: label(c),
                    }))
              }
              value={children}
              onChange={setChildren}
              disabled={parent === null}
              searchable
              w={280}
              data-testid="children-pick"
            />
            <Button
              size="xs"
              onClick={() => void add()}
              disabled={parent === null || children.length === 0}
              loading={busy}
              data-testid="link-add"
            >
              {t('branch.parents.add')}
            </Button>
          </Group>
        )}
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="parent-links-none">
            {t('branch.parents.none')}
          </Text>
        ) : (
          <Table>
            <Table.Tbody>
              {rows.map(({ link, parent: up, child }) => (
                <Table.Tr
                  key={link.id}
                  data-testid="parent-link"
                  data-parent={link.parentCheckId}
                  data-child={link.childCheckId}
                  data-suppressed={suppressed.has(link.childCheckId)}
                >
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {child && <CheckStateBadge state={child.state} />}
                      <Text size="sm" fw={500}>
                        {child?.key ?? link.childCheckId}
                      </Text>
                      {suppressed.has(link.childCheckId) && (
                        <Badge size="xs" color="gray" variant="outline">
                          {t('branch.parents.suppressed')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {t('branch.parents.dependsOn')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {up && <CheckStateBadge state={up.state} />}
                      <Text size="sm">{up?.key ?? link.parentCheckId}</Text>
                    </Group>
                  </Table.Td>
                  {manage && (
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        disabled={busy}
                        onClick={() => void change(() => links.remove(link.id))}
                        aria-label={t('branch.parents.removeLabel', {
                          parent: up?.key ?? link.parentCheckId,
                          child: child?.key ?? link.childCheckId,
                        })}
                        data-testid="link-remove"
                      >
                        {t('branch.parents.remove')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
