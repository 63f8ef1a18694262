import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
  Typography,
  useComputedColorScheme,
} from '@mantine/core';
import MDEditor from '@uiw/react-md-editor/nohighlight';
import { useCallback, useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { ARTICLE_AUDIENCES, type ArticleState, type Language } from '@branchwatch/api';
import { linkTo, navigate } from '../app/router';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { LANGUAGES, useI18n, type MessageKey } from '../i18n';
import classes from './Knowledge.module.css';
import { ArticleFiles, useArticleFiles } from './ArticleFiles';
import { withInserted, withoutFile } from './fileMarkdown';
import type { Article } from './knowledgeApi';
import { StateBadge } from './StateBadge';
import { useKnowledgeApi } from './useKnowledge';
import { Versions } from './Versions';

// The next step of the review: a draft goes to review (the hub's `internal` state, read by
// staff), a reviewed article is published, a published one archived; any other back to draft.
const NEXT: Record<ArticleState, { to: ArticleState; label: MessageKey }[]> = {
  draft: [{ to: 'internal', label: 'kb.editor.toReview' }],
  internal: [
    { to: 'published', label: 'kb.editor.publish' },
    { to: 'draft', label: 'kb.editor.backToDraft' },
  ],
  published: [{ to: 'archived', label: 'kb.editor.archive' }],
  archived: [{ to: 'draft', label: 'kb.editor.backToDraft' }],
};

interface Meta {
  category: string;
  tags: string[];
  audience: Article['audience'];
  checkTypes: string[];
}
const metaOf = (a: Article | null): Meta => ({
  category: a?.category ?? '',
  tags: a?.tags ?? [],
  audience: a?.audience ?? 'public',
  checkTypes: a?.checkTypes ?? [],
});

/** Writing an article (knowledge.manage): one language at a time, Markdown with the hub's preview. */
export function ArticleEditor({ articleId }: { articleId: string | null }) {
  const kb = useKnowledgeApi();
  const load = useCallback(
    async () => (articleId === null ? null : kb.article(articleId)),
    [kb, articleId],
  );
  const { data, error, reload } = useLoad(load);
  const i18n = useI18n();
  if (error)
    return (
      <Alert color="red" title={i18n.t('kb.loadFailed')}>
        {describeError(error, i18n)}
      </Alert>
    );
  if (articleId !== null && data === null) return <Loader size="sm" />;
  return <EditorForm key={data?.id ?? 'new'} article={data} reload={reload} />;
}

function EditorForm({ article, reload }: { article: Article | null; reload: () => void }) {
  const kb = useKnowledgeApi();
  const i18n = useI18n();
  const { t } = i18n;
  const scheme = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const [language, setLanguage] = useState<Language>(i18n.language);
  const saved = article?.translations.find((x) => x.language === language);
  const [title, setTitle] = useState(saved?.title ?? '');
  const [body, setBody] = useState(saved?.markdown ?? '');
  const [meta, setMeta] = useState<Meta>(metaOf(article));
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const [html, setHtml] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const files = useArticleFiles(article?.id ?? null);
  const bodyRef = useRef<HTMLDivElement>(null);

  // Where the cursor is in the text (kept while the text has lost the focus to a button).
  const selection = (): [number, number] | null => {
    const area = bodyRef.current?.querySelector('textarea');
    return area ? [area.selectionStart, area.selectionEnd] : null;
  };
  // Files go into the text where the cursor was, each in a paragraph of its own; at the end
  // when the text is not shown (the preview).
  const insertAt = (range: [number, number] | null, pieces: string[]) => {
    if (pieces.length === 0) return;
    const text = pieces.join('\n\n');
    let caret = 0;
    setBody((current) => {
      const next = withInserted(current, range, text);
      caret = next.caret;
      return next.text;
    });
    requestAnimationFrame(() => {
      const area = bodyRef.current?.querySelector('textarea');
      area?.focus();
      area?.setSelectionRange(caret, caret);
    });
  };
  // An image pasted or a file dropped into the text is uploaded and goes in there.
  const takeFiles = (list: FileList | undefined, event: SyntheticEvent) => {
    const picked = Array.from(list ?? []);
    if (picked.length === 0) return;
    event.preventDefault();
    const range = selection();
    void files.add(picked).then((md) => insertAt(range, md));
  };

  // Another language: its saved text (or nothing yet).
  const chooseLanguage = (l: Language) => {
    const x = article?.translations.find((tr) => tr.language === l);
    setLanguage(l);
    setTitle(x?.title ?? '');
    setBody(x?.markdown ?? '');
    setMode('write');
  };
  useEffect(() => {
    if (mode === 'preview') kb.preview(body).then(setHtml, () => setHtml(''));
  }, [mode, body, kb]);

  const run = async (action: () => Promise<string | null>) => {
    setBusy(true);
    setProblem(null);
    setNotice(null);
    try {
      setNotice(await action());
    } catch (e) {
      setProblem(describeError(e, i18n));
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    run(async () => {
      if (title.trim() === '') throw new Error(t('kb.editor.titleRequired'));
      if (article === null) {
        const created = await kb.create({
          ...meta,
          state: 'draft',
          translations: [{ language, title, body }],
        });
        navigate(`/knowledge/${encodeURIComponent(created.id)}/edit`, { replace: true });
        return null;
      }
      const before = metaOf(article);
      if (JSON.stringify(before) !== JSON.stringify(meta)) await kb.change(article.id, meta);
      let version = saved?.version ?? 0;
      if (!saved || saved.title !== title || saved.markdown !== body) {
        const after = await kb.saveText(article.id, language, title, body);
        version = after.translations.find((x) => x.language === language)?.version ?? version;
      }
      reload();
      return t('kb.editor.saved', { n: version });
    });
  const move = (to: ArticleState) =>
    run(async () => {
      if (article) await kb.change(article.id, { state: to });
      reload();
      return null;
    });

  const dir = language === 'fa' ? 'rtl' : 'ltr';
  return (
    <Stack gap="md" maw={960} data-testid="kb-editor">
      <Group justify="space-between" gap="xs">
        <Anchor
          size="sm"
          {...linkTo(article ? `/knowledge/${encodeURIComponent(article.id)}` : '/knowledge')}
        >
          {article ? t('kb.editor.backToArticle') : t('kb.back')}
        </Anchor>
        {article && <StateBadge state={article.state} />}
      </Group>
      <Title order={2} size="h3">
        {article ? (article.translations[0]?.title ?? t('kb.new')) : t('kb.new')}
      </Title>
      <SegmentedControl
        value={language}
        onChange={(l) => chooseLanguage(l as Language)}
        data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))}
        data-testid="kb-editor-language"
      />
      {article && !saved && (
        <Text size="sm" c="dimmed">
          {t('kb.editor.unsaved')}
        </Text>
      )}
      <TextInput
        label={t('kb.editor.title')}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        dir={dir}
        data-testid="kb-editor-title"
      />
      <Stack gap={4}>
        <Group justify="space-between">
          <Text size="sm" fw={500}>
            {t('kb.editor.body')}
          </Text>
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(m) => setMode(m as 'write' | 'preview')}
            data={[
              { value: 'write', label: t('kb.editor.write') },
              { value: 'preview', label: t('kb.editor.preview') },
            ]}
            data-testid="kb-editor-mode"
          />
        </Group>
        {mode === 'write' ? (
          <div
            ref={bodyRef}
            dir={dir}
            data-color-mode={scheme}
            data-testid="kb-editor-body"
            onPaste={(e) => takeFiles(e.clipboardData?.files, e)}
            onDrop={(e) => takeFiles(e.dataTransfer?.files, e)}
            onDragOver={(e) => {
              if (e.dataTransfer.types.includes('Files')) e.preventDefault();
            }}
          >
            <MDEditor
              value={body}
              onChange={(v) => setBody(v ?? '')}
              preview="edit"
              extraCommands={[]}
              height={320}
              visibleDragbar={false}
              textareaProps={{ dir, 'aria-label': t('kb.editor.body') }}
            />
          </div>
        ) : (
          <Paper withBorder p="sm" dir={dir} lang={language}>
            <Typography className={classes.body}>
              {/* The hub's own render, sanitised: what readers will see. */}
              <div data-testid="kb-editor-preview" dangerouslySetInnerHTML={{ __html: html }} />
            </Typography>
          </Paper>
        )}
      </Stack>
      <ArticleFiles
        state={files}
        saved={article !== null}
        onInsert={(md) => insertAt(selection(), md)}
        onRemoved={(file) => setBody((current) => withoutFile(current, file))}
      />
      <Group grow preventGrowOverflow={false} wrap="wrap" align="flex-start">
        <TextInput
          label={t('kb.editor.category')}
          value={meta.category}
          onChange={(e) => setMeta({ ...meta, category: e.currentTarget.value })}
          miw={200}
        />
        <TagsInput
          label={t('kb.editor.tags')}
          value={meta.tags}
          onChange={(tags) => setMeta({ ...meta, tags })}
          miw={200}
        />
      </Group>
      <Group gap="md" align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('kb.editor.audience')}
          </Text>
          <SegmentedControl
            value={meta.audience}
            onChange={(a) => setMeta({ ...meta, audience: a as Meta['audience'] })}
            data={ARTICLE_AUDIENCES.map((a) => ({ value: a, label: t(`kb.audience.${a}`) }))}
            data-testid="kb-editor-audience"
          />
        </Stack>
        <TagsInput
          label={t('kb.editor.runbook')}
          value={meta.checkTypes}
          onChange={(checkTypes) => setMeta({ ...meta, checkTypes })}
          miw={260}
          style={{ flex: 1 }}
        />
      </Group>
      {problem && (
        <Alert color="red" data-testid="kb-editor-problem">
          {problem}
        </Alert>
      )}
      {notice && (
        <Text c="green" size="sm" data-testid="kb-editor-notice">
          {notice}
        </Text>
      )}
      <Group gap="xs">
        <Button onClick={() => void save()} loading={busy} data-testid="kb-editor-save">
          {t('kb.editor.save')}
        </Button>
        {article &&
          NEXT[article.state].map((n) => (
            <Button
              key={n.to}
              variant="light"
              disabled={busy}
              onClick={() => void move(n.to)}
              data-testid={`kb-editor-to-${n.to}`}
            >
              {t(n.label)}
            </Button>
          ))}
      </Group>
      {article && (
        <Text size="sm" c="dimmed">
          {t(`kb.editor.stateHelp.${article.state}`)}
        </Text>
      )}
      {article && saved && (
        <Versions
          articleId={article.id}
          language={language}
          version={saved.version}
          onRestored={reload}
        />
      )}
    </Stack>
  );
}
