import type { Knex } from 'knex';

/**
 * The knowledge base (docs/knowledge-base.md): articles with one translation per language
 * (en, fa, fr), every saved text kept as a numbered version, the files an article shows, and
 * what readers searched and found useful.
 *
 * Search is PostgreSQL full text, one configuration per language: `english` and `french`
 * stem; Persian has no configuration in PostgreSQL, so its words are indexed as written
 * (`simple`) after `bw_kb_normalize`, which the queries apply too: Arabic yeh, alef maksura and kaf (ي ى ك)
 * become the Persian letters (ی ک) people type on a Persian keyboard, Persian and Arabic-Indic
 * digits become ASCII digits, the zero-width non-joiner (U+200C, "می‌خواهم") is dropped so
 * the word matches however it was typed, and so does the verb prefix می/نمی written with a
 * space ("می شود" = "می‌شود" = "میشود"); tatweel and vowel marks go.
 *
 * Row-level security: an article without a tenant is shared by every tenant, who may read it
 * and never change it (as canned replies, 010-rls.ts); the child tables follow their article.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION bw_kb_normalize(input text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT regexp_replace(regexp_replace(
        translate(input, 'يىكۀة۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩', 'ییکهه01234567890123456789'),
        '[\u200c\u200d\u0640\u064b-\u065f\u0670]', '', 'g'),
        '(^|[[:space:]])(ن\\?می)[[:space:]]+', '\\1\\2', 'g') $$`);
  await knex.raw(`
    CREATE FUNCTION bw_kb_config(language text) RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE language WHEN 'en' THEN 'english'::regconfig
        WHEN 'fr' THEN 'french'::regconfig ELSE 'simple'::regconfig END $$`);

  await knex.schema.createTable('kb_articles', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    // Null: shared by every tenant (written by a global admin).
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.text('category').notNullable().defaultTo('');
    t.specificType('tags', 'text[]').notNullable().defaultTo('{}');
    t.text('audience').notNullable().defaultTo('internal');
    t.text('state').notNullable().defaultTo('draft');
    // Runbooks: shown on the alert tickets of these check types or incident fingerprints.
    t.specificType('check_types', 'text[]').notNullable().defaultTo('{}');
    t.specificType('fingerprints', 'text[]').notNullable().defaultTo('{}');
    t.uuid('source_ticket_id').references('tickets.id').onDelete('SET NULL');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE kb_articles
    ADD CONSTRAINT kb_articles_audience CHECK (audience IN ('public', 'internal')),
    ADD CONSTRAINT kb_articles_state CHECK (state IN ('draft', 'internal', 'published', 'archived'))`);
  await knex.raw('CREATE INDEX kb_articles_check_types ON kb_articles USING gin (check_types)');
  await knex.raw('CREATE INDEX kb_articles_fingerprints ON kb_articles USING gin (fingerprints)');

  await knex.schema.createTable('kb_translations', (t) => {
    t.uuid('article_id').notNullable().references('kb_articles.id').onDelete('CASCADE');
    t.text('language').notNullable();
    t.text('title').notNullable();
    t.text('body_md').notNullable();
    // Rendered from body_md and sanitised by the hub (knowledge/article-html.ts).
    t.text('body_html').notNullable();
    // The words of the body without markup: what search and highlights read.
    t.text('body_text').notNullable();
    t.integer('version').notNullable();
    t.uuid('updated_by').references('users.id').onDelete('SET NULL');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['article_id', 'language']);
  });
  await knex.raw(`ALTER TABLE kb_translations
    ADD CONSTRAINT kb_translations_language CHECK (language IN ('en', 'fa', 'fr')),
    ADD COLUMN search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector(bw_kb_config(language), bw_kb_normalize(title)), 'A') ||
      setweight(to_tsvector(bw_kb_config(language), bw_kb_normalize(body_text)), 'B')) STORED`);
  await knex.raw('CREATE INDEX kb_translations_search ON kb_translations USING gin (search)');

  await knex.schema.createTable('kb_versions', (t) => {
    t.bigIncrements('id');
    t.uuid('article_id').notNullable().references('kb_articles.id').onDelete('CASCADE');
    t.text('language').notNullable();
    t.integer('version').notNullable();
    t.text('title').notNullable();
    t.text('body_md').notNullable();
    // Set on a rollback: the version whose text this one restored.
    t.integer('restored_from');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.text('created_by_name');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['article_id', 'language', 'version']);
  });

  await knex.schema.createTable('kb_files', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('article_id').notNullable().references('kb_articles.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('content_type').notNullable();
    t.integer('size').notNullable();
    t.binary('data').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // What readers looked for (the report of searches that found nothing) and what helped them
  // ("this solved my problem": a ticket not filed).
  await knex.schema.createTable('kb_searches', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.uuid('user_id').references('users.id').onDelete('SET NULL');
    t.text('query').notNullable();
    t.integer('results').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE INDEX kb_searches_unanswered ON kb_searches (at) WHERE results = 0');
  await knex.schema.createTable('kb_deflections', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.uuid('article_id').notNullable().references('kb_articles.id').onDelete('CASCADE');
    t.uuid('user_id').references('users.id').onDelete('SET NULL');
    t.text('query').notNullable().defaultTo('');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // Shared articles (no tenant): readable by every tenant, changed by none (010-rls.ts).
  await isolate(knex, 'kb_articles', 'bw_tenant_visible(tenant_id)');
  await knex.raw(
    'CREATE POLICY shared_defaults ON kb_articles FOR SELECT USING (tenant_id IS NULL)',
  );
  for (const table of ['kb_translations', 'kb_versions', 'kb_files']) {
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    // Read as the article is read (a shared article's text too); written only where the
    // article is the tenant's own, so a tenant cannot edit a shared article's text.
    await knex.raw(`CREATE POLICY article_visible ON ${table} FOR SELECT
      USING (EXISTS (SELECT 1 FROM kb_articles a WHERE a.id = ${table}.article_id))`);
    const own = `EXISTS (SELECT 1 FROM kb_articles a
      WHERE a.id = ${table}.article_id AND bw_tenant_visible(a.tenant_id))`;
    await knex.raw(`CREATE POLICY tenant_isolation ON ${table} USING (${own}) WITH CHECK (${own})`);
  }
  // A global user's searches have no tenant: only global users see them.
  for (const table of ['kb_searches', 'kb_deflections'])
    await isolate(knex, table, 'bw_tenant_visible(tenant_id)');
}

async function isolate(knex: Knex, table: string, predicate: string): Promise<void> {
  await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await knex.raw(
    `CREATE POLICY tenant_isolation ON ${table} USING (${predicate}) WITH CHECK (${predicate})`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'kb_deflections',
    'kb_searches',
    'kb_files',
    'kb_versions',
    'kb_translations',
    'kb_articles',
  ])
    await knex.schema.dropTable(table);
  await knex.raw('DROP FUNCTION bw_kb_config(text)');
  await knex.raw('DROP FUNCTION bw_kb_normalize(text)');
}
