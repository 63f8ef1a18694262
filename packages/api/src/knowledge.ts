/**
 * The knowledge base's enumerations (docs/knowledge-base.md). An article's state says who may
 * read it at all: `draft` and `archived` only its editors, `internal` every member of staff,
 * `published` its audience: `public` (requesters too) or `internal` (staff only).
 */
export const ARTICLE_STATES = ['draft', 'internal', 'published', 'archived'] as const;
export type ArticleState = (typeof ARTICLE_STATES)[number];

export const ARTICLE_AUDIENCES = ['public', 'internal'] as const;
export type ArticleAudience = (typeof ARTICLE_AUDIENCES)[number];
