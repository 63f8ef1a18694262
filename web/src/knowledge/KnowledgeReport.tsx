import { Alert, Anchor, Card, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { linkTo } from '../app/router';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useNow } from '../common/useNow';
import { formatAbsolute, formatRelative } from '../format/relativeTime';
import { useI18n } from '../i18n';
import { useKnowledgeApi } from './useKnowledge';

/** What people looked for and did not find (write those articles), and what helped. */
export function KnowledgeReport() {
  const kb = useKnowledgeApi();
  const i18n = useI18n();
  const { t } = i18n;
  const now = useNow(60_000);
  const load = useCallback(() => kb.report(30), [kb]);
  const { data, error } = useLoad(load);
  if (error)
    return (
      <Alert color="red" title={t('kb.loadFailed')}>
        {describeError(error, i18n)}
      </Alert>
    );
  if (!data) return <Loader size="sm" />;
  return (
    <Stack gap="md" maw={900} data-testid="kb-report">
      <Anchor size="sm" {...linkTo('/knowledge')}>
        {t('kb.back')}
      </Anchor>
      <div>
        <Title order={2} size="h3">
          {t('kb.report')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('kb.report.period', {
            days: 30,
            searches: data.searches,
            unanswered: data.unanswered,
          })}
        </Text>
      </div>
      <Card withBorder padding="sm">
        {data.unansweredQueries.length === 0 ? (
          <Text size="sm">{t('kb.report.none')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={320}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('kb.report.query')}</Table.Th>
                  <Table.Th>{t('kb.report.count')}</Table.Th>
                  <Table.Th>{t('kb.report.last')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.unansweredQueries.map((q) => (
                  <Table.Tr key={q.query} data-testid="kb-report-query">
                    <Table.Td dir="auto">{q.query}</Table.Td>
                    <Table.Td>{new Intl.NumberFormat(i18n.locale).format(q.count)}</Table.Td>
                    <Table.Td title={formatAbsolute(q.lastAt, i18n.locale)}>
                      {formatRelative(q.lastAt, now, i18n)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <Title order={3} size="h4">
        {t('kb.report.solved')}
      </Title>
      <Card withBorder padding="sm">
        {data.deflections.length === 0 ? (
          <Text size="sm">{t('kb.report.noneSolved')}</Text>
        ) : (
          <Stack gap={4}>
            {data.deflections.map((d) => (
              <Text key={d.articleId} size="sm">
                <Anchor {...linkTo(`/knowledge/${encodeURIComponent(d.articleId)}`)} dir="auto">
                  {d.title}
                </Anchor>{' '}
                · {new Intl.NumberFormat(i18n.locale).format(d.count)}
              </Text>
            ))}
          </Stack>
        )}
      </Card>
    </Stack>
  );
}
