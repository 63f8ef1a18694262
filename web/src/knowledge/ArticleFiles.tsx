import { Anchor, Button, FileButton, Group, Image, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import { ApiError } from '../api/client';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { formatBytes } from '../format/numbers';
import { useI18n, type I18n } from '../i18n';
import { articleFileUrl, fileMarkdown, type ArticleFile } from './knowledgeApi';
import { useKnowledgeApi } from './useKnowledge';

/** What the editor does with the files it is given (button, paste or drop). */
export interface ArticleFilesState {
  files: ArticleFile[];
  busy: boolean;
  notice: string | null;
  problem: string | null;
  /** Uploads `picked` and gives back the Markdown that shows or links them, one per file. */
  add(picked: readonly File[]): Promise<string[]>;
  /** True once the hub removed it. */
  remove(file: ArticleFile): Promise<boolean>;
}

/** The refusals an editor meets adding or removing a file, in their language. */
function refusal(error: unknown, i18n: I18n, name: string): string {
  if (error instanceof ApiError) {
    if (error.code === 'BW_ERR_FILE_IN_USE') return i18n.t('kb.files.inUse', { name });
    if (error.code === 'BW_ERR_ATTACHMENT_TYPE') return i18n.t('kb.files.typeRefused', { name });
    if (error.code === 'BW_ERR_ATTACHMENT_TOO_LARGE') return i18n.t('kb.files.tooLarge', { name });
  }
  return describeError(error, i18n);
}

/** An article's files: loaded, added (each in turn) and removed, with what to tell the editor. */
export function useArticleFiles(articleId: string | null): ArticleFilesState {
  const kb = useKnowledgeApi();
  const i18n = useI18n();
  const load = useCallback(
    async () => (articleId === null ? [] : kb.files(articleId)),
    [kb, articleId],
  );
  const { data, reload } = useLoad(load);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const add = async (picked: readonly File[]): Promise<string[]> => {
    setNotice(null);
    setProblem(null);
    if (articleId === null) {
      setProblem(i18n.t('kb.files.saveFirst'));
      return [];
    }
    setBusy(true);
    const added: ArticleFile[] = [];
    try {
      for (const file of picked) {
        try {
          added.push(await kb.addFile(articleId, file));
        } catch (e) {
          setProblem(refusal(e, i18n, file.name));
        }
      }
    } finally {
      setBusy(false);
      reload();
    }
    if (added.length > 0)
      setNotice(
        i18n.t('kb.files.added', {
          name: new Intl.ListFormat(i18n.locale).format(added.map((f) => f.name)),
        }),
      );
    return added.map(fileMarkdown);
  };

  const remove = async (file: ArticleFile) => {
    if (articleId === null) return false;
    setNotice(null);
    setProblem(null);
    setBusy(true);
    try {
      await kb.removeFile(articleId, file.id);
      setNotice(i18n.t('kb.files.removed', { name: file.name }));
      return true;
    } catch (e) {
      setProblem(refusal(e, i18n, file.name));
      return false;
    } finally {
      setBusy(false);
      reload();
    }
  };

  return { files: data ?? [], busy, notice, problem, add, remove };
}

/**
 * The article's files under its text: add one (it goes into the text where the cursor is),
 * each with its name, its size in words, insert it again or remove it.
 */
export function ArticleFiles({
  state,
  saved,
  onInsert,
  onRemoved,
}: {
  state: ArticleFilesState;
  /** False for an article not saved yet: files belong to an article. */
  saved: boolean;
  onInsert: (markdown: string[]) => void;
  /** A file the hub removed: the editor takes it out of the text not saved yet. */
  onRemoved: (file: ArticleFile) => void;
}) {
  const { t, locale } = useI18n();
  return (
    <Paper withBorder p="sm" data-testid="kb-files">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Title order={3} size="h5">
            {t('kb.files.title')}
          </Title>
          <FileButton
            multiple
            onChange={(picked) => void state.add(picked).then(onInsert)}
            accept="image/*,application/pdf,text/plain,text/csv,application/zip"
          >
            {(props) => (
              <Button
                {...props}
                size="xs"
                variant="light"
                loading={state.busy}
                disabled={!saved}
                data-testid="kb-files-add"
              >
                {t('kb.files.add')}
              </Button>
            )}
          </FileButton>
        </Group>
        <Text size="sm" c="dimmed">
          {saved ? t('kb.files.help') : t('kb.files.saveFirst')}
        </Text>
        {state.problem && (
          <Text size="sm" c="red" role="alert" data-testid="kb-files-problem">
            {state.problem}
          </Text>
        )}
        {state.notice && (
          <Text size="sm" c="green" role="status" data-testid="kb-files-notice">
            {state.notice}
          </Text>
        )}
        {saved && state.files.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('kb.files.none')}
          </Text>
        )}
        {state.files.map((file) => (
          <Group key={file.id} gap="sm" wrap="nowrap" data-testid="kb-file">
            {file.mimeType.startsWith('image/') ? (
              <Image src={articleFileUrl(file)} alt="" w={48} h={48} fit="cover" radius="sm" />
            ) : null}
            <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
              <Anchor href={articleFileUrl(file)} size="sm" truncate="end" dir="auto">
                {file.name}
              </Anchor>
              <Text size="xs" c="dimmed">
                {formatBytes(file.size, locale, 'long')}
              </Text>
            </Stack>
            <Group gap={4} wrap="wrap" justify="flex-end">
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() => onInsert([fileMarkdown(file)])}
              >
                {t('kb.files.insert')}
              </Button>
              <Button
                size="compact-xs"
                variant="subtle"
                color="red"
                disabled={state.busy}
                onClick={() =>
                  void state.remove(file).then((removed) => removed && onRemoved(file))
                }
              >
                {t('kb.files.remove')}
              </Button>
            </Group>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
