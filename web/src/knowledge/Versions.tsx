import { Box, Button, Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { Language } from '@branchwatch/api';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useNow } from '../common/useNow';
import { formatAbsolute, formatRelative } from '../format/relativeTime';
import { useI18n } from '../i18n';
import type { ArticleVersion } from './knowledgeApi';
import { useKnowledgeApi } from './useKnowledge';

const LINE = {
  added: 'var(--mantine-color-green-light)',
  removed: 'var(--mantine-color-red-light)',
};
const SIGN = { added: '+', removed: '−', same: ' ' };

/** A translation's versions, newest first, each with what changed; an older one restored. */
export function Versions(props: {
  articleId: string;
  language: Language;
  /** The newest version: the list loads again when it changes. */
  version: number;
  onRestored: () => void;
}) {
  const { articleId, language, version, onRestored } = props;
  const dir = language === 'fa' ? 'rtl' : 'ltr';
  const kb = useKnowledgeApi();
  const i18n = useI18n();
  const { t } = i18n;
  const now = useNow(60_000);
  const load = useCallback(
    () => (version > 0 ? kb.versions(articleId, language) : Promise.resolve([])),
    [kb, articleId, language, version],
  );
  const { data } = useLoad(load);
  const [notice, setNotice] = useState<string | null>(null);
  const restore = async (v: ArticleVersion) => {
    try {
      const after = await kb.rollback(articleId, language, v.version);
      const n = after.translations.find((x) => x.language === language)?.version ?? 0;
      setNotice(t('kb.rolledBack', { from: v.version, n }));
      onRestored();
    } catch (e) {
      setNotice(describeError(e, i18n));
    }
  };
  if (!data) return null;
  return (
    <Stack gap="xs" data-testid="kb-versions">
      <Title order={3} size="h4">
        {t('kb.versions')}
      </Title>
      {notice && (
        <Text size="sm" c="green" data-testid="kb-versions-notice">
          {notice}
        </Text>
      )}
      {data.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('kb.noVersions')}
        </Text>
      )}
      {data.map((v, i) => (
        <Card key={v.version} withBorder padding="sm" data-testid="kb-version">
          <Group justify="space-between" gap="xs">
            <div>
              <Text fw={600} size="sm">
                {t('kb.version', { n: v.version })}
                {v.restoredFrom !== null && ` · ${t('kb.versionRestored', { n: v.restoredFrom })}`}
              </Text>
              <Text size="xs" c="dimmed" title={formatAbsolute(v.createdAt, i18n.locale)}>
                {t('kb.versionBy', {
                  who: v.author ?? t('common.none'),
                  when: formatRelative(v.createdAt, now, i18n),
                })}
              </Text>
            </div>
            {i > 0 && (
              <Button
                size="compact-sm"
                variant="default"
                onClick={() => void restore(v)}
                data-testid="kb-version-restore"
              >
                {t('kb.rollback')}
              </Button>
            )}
          </Group>
          {v.titleChanged && (
            <Text size="xs" mt={4} dir="auto">
              {t('kb.titleChanged')}: {v.title}
            </Text>
          )}
          {/* Mantine's Code is always left to right: each line takes the article's direction. */}
          <Code block mt={6} data-testid="kb-diff">
            {v.diff
              .filter((d) => d.kind !== 'same')
              .slice(0, 40)
              .map((d, k) => (
                <Box
                  key={k}
                  component="span"
                  display="block"
                  style={{ background: LINE[d.kind as 'added'], whiteSpace: 'pre-wrap' }}
                  dir={dir}
                  data-kind={d.kind}
                >
                  {SIGN[d.kind]} {d.text}
                </Box>
              ))}
          </Code>
        </Card>
      ))}
    </Stack>
  );
}
