import { z } from 'zod';
import { ARTICLE_AUDIENCES, ARTICLE_STATES, LANGUAGES } from '@branchwatch/api';
import { timestamp, uuid } from '../http/schemas.js';

// What the API answers about articles (docs/knowledge-base.md, docs/openapi.json).

const language = z.enum(LANGUAGES);
const titleOf = z.object({ language, title: z.string() });

const articleFields = {
  id: uuid,
  tenantId: uuid.nullable(),
  category: z.string(),
  tags: z.array(z.string()),
  audience: z.enum(ARTICLE_AUDIENCES),
  state: z.enum(ARTICLE_STATES),
  checkTypes: z.array(z.string()),
  fingerprints: z.array(z.string()),
  sourceTicketId: uuid.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
};

export const articleSummary = z.object({ ...articleFields, titles: z.array(titleOf) });

export const translation = z.object({
  language,
  title: z.string(),
  /** Sanitised on the hub: safe to put into the page as it is. */
  html: z.string(),
  version: z.number().int(),
  updatedAt: timestamp,
  /** The source, to editors only. */
  markdown: z.string().optional(),
});

export const article = z.object({ ...articleFields, translations: z.array(translation) });

const segment = z.object({ text: z.string(), mark: z.boolean() });

export const searchHit = z.object({
  id: uuid,
  category: z.string(),
  tags: z.array(z.string()),
  audience: z.enum(ARTICLE_AUDIENCES),
  state: z.enum(ARTICLE_STATES),
  language,
  title: z.string(),
  rank: z.number(),
  /** The title and a passage of the body, the words that matched marked (ts_headline). */
  titleMarks: z.array(segment),
  excerpt: z.array(segment),
});

const highlight = z.object({
  id: uuid,
  category: z.string(),
  /** The language of `title`: the reader's where the article is written in it. */
  language,
  title: z.string(),
  /** Problems it solved ("this solved my problem") in the last 90 days. */
  solved: z.number().int(),
  updatedAt: timestamp,
});

/** A reader's front page: the most helpful articles, and the newest of the others. */
export const highlights = z.object({ popular: z.array(highlight), recent: z.array(highlight) });

/** An article as a ticket reply inserts it: plain text in the shape of the article. */
export const replyText = z.object({ id: uuid, language, title: z.string(), text: z.string() });

export const version = z.object({
  version: z.number().int(),
  title: z.string(),
  markdown: z.string(),
  restoredFrom: z.number().int().nullable(),
  author: z.string().nullable(),
  createdAt: timestamp,
  titleChanged: z.boolean(),
  /** The article's files this version's text shows or links to. */
  files: z.array(uuid),
  diff: z.array(z.object({ kind: z.enum(['added', 'removed', 'same']), text: z.string() })),
});

export const report = z.object({
  since: timestamp,
  searches: z.number().int(),
  unanswered: z.number().int(),
  unansweredQueries: z.array(
    z.object({ query: z.string(), count: z.number().int(), lastAt: timestamp }),
  ),
  deflections: z.array(z.object({ articleId: uuid, title: z.string(), count: z.number().int() })),
});

/** One of an article's files: its address is `/articles/{articleId}/files/{id}`. */
export const articleFile = z.object({
  id: uuid,
  articleId: uuid,
  name: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
  createdAt: timestamp,
});
