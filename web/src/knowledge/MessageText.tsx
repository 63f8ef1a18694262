import { Anchor } from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { linkTo } from '../app/router';
import { useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import { articleLinks, translationFor } from './knowledgeApi';
import { useKnowledgeApi } from './useKnowledge';

/**
 * A message's plain text, where an address of one of this hub's articles (an agent inserted
 * it) is a link into the app named by the article's title in the reader's language. Every
 * other word stays text: a message is never HTML.
 */
export function MessageText({ text }: { text: string }) {
  const parts = useMemo(() => articleLinks(text, window.location.origin), [text]);
  return (
    <>
      {parts.map((part, i) =>
        'text' in part ? (
          <span key={i}>{part.text}</span>
        ) : (
          <ArticleLink key={i} articleId={part.articleId} />
        ),
      )}
    </>
  );
}

/** The article's title once the hub answered; a plain name until then or if it is not for them. */
function ArticleLink({ articleId }: { articleId: string }) {
  const kb = useKnowledgeApi();
  const { t, language } = useI18n();
  const load = useCallback(() => kb.article(articleId), [kb, articleId]);
  const { data } = useLoad(load);
  const title = data ? translationFor(data.translations, language)?.title : undefined;
  return (
    <Anchor
      inherit
      fw={600}
      {...linkTo(`/knowledge/${articleId}`)}
      data-testid="message-article"
      dir="auto"
    >
      {title ?? t('kb.link.article')}
    </Anchor>
  );
}
