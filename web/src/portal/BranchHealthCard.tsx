import { checkPurposeWords } from '@branchwatch/api';
import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { Check } from '../api/types';
import { RelativeTime } from '../common/RelativeTime';
import { Sentence } from '../desk/Sentence';
import { useI18n, type I18n } from '../i18n';
import { statusColor } from '../theme/stateColors';
import type { BranchHealth } from './health';

/** What a check watches, in words branch staff use: "Internet link", "Telephone system". */
export function checkLabel(
  check: Pick<Check, 'type' | 'role' | 'key' | 'target'>,
  { language }: Pick<I18n, 'language'>,
): string {
  return checkPurposeWords({ ...check, wan: check.role === 'wan' }, language);
}

/** A list of words joined as the language joins them ("A, B and C"). */
function listOf(items: string[], locale: string): string {
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format([...new Set(items)]);
}

/** One branch's live health in plain words: a headline, why, and when it was last measured. */
export function BranchHealthCard({ health, now }: { health: BranchHealth; now: number }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { branch, status, failing, checks } = health;
  const reason =
    status.reason === 'checksFailing'
      ? t('portal.reason.checksFailing', {
          what: listOf(
            failing.map((c) => checkLabel(c, i18n)),
            locale,
          ),
        })
      : t(`portal.reason.${status.reason}`);
  const last = checks
    .map((c) => c.lastResult?.at ?? null)
    .filter((at): at is string => at !== null)
    .sort()
    .at(-1);
  return (
    <Card withBorder data-testid="branch-health" data-status={status.status}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
          <Title order={2} size="h4" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
            <bdi>{branch.name}</bdi>
          </Title>
          <Badge color={statusColor[status.status]} variant="light" style={{ flex: 'none' }}>
            {t(`status.${status.status}`)}
          </Badge>
        </Group>
        <Text fw={600} data-testid="health-headline">
          {t(`portal.health.${status.status}`)}
        </Text>
        <Text size="sm" data-testid="health-reason">
          {reason}
        </Text>
        {last && (
          <Text size="xs" c="dimmed">
            <Sentence
              template={t('portal.health.checked')}
              vars={{ when: <RelativeTime at={last} now={now} /> }}
            />
          </Text>
        )}
      </Stack>
    </Card>
  );
}
