import type { Knex } from 'knex';

/**
 * Knowledge articles' files and images (docs/knowledge-base.md "Files and images"). A file
 * belongs to its article (kb_files, made with the knowledge base in 027 and unused until now);
 * its content is kept in chunks as ticket attachments' are (022, docs/decisions.md
 * "Attachments in the database"); each saved version records which of the article's files its
 * text shows (kb_version_files), so a version's list of files is what that text needs.
 *
 * Row-level security follows the article, as for kb_files (027): readable where the article
 * is (a shared article's files by every tenant), written only where the article is the
 * tenant's own.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('kb_files', (t) => {
    t.dropColumn('data');
    t.text('sha256').notNullable();
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.index(['article_id']);
  });
  await knex.schema.createTable('kb_file_chunks', (t) => {
    t.uuid('file_id').notNullable().references('kb_files.id').onDelete('CASCADE');
    t.integer('seq').notNullable();
    t.binary('data').notNullable();
    t.primary(['file_id', 'seq']);
  });
  // Images are compressed already: skip pglz's attempt, still stored out of line (as 022).
  await knex.raw('ALTER TABLE kb_file_chunks ALTER COLUMN data SET STORAGE EXTERNAL');
  await knex.schema.createTable('kb_version_files', (t) => {
    t.bigInteger('version_id').notNullable().references('kb_versions.id').onDelete('CASCADE');
    t.uuid('file_id').notNullable().references('kb_files.id').onDelete('CASCADE');
    t.primary(['version_id', 'file_id']);
    t.index(['file_id']);
  });

  const follows = {
    kb_file_chunks: { parent: 'kb_files', key: 'file_id' },
    kb_version_files: { parent: 'kb_versions', key: 'version_id' },
  };
  for (const [table, { parent, key }] of Object.entries(follows)) {
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await knex.raw(`CREATE POLICY article_visible ON ${table} FOR SELECT
      USING (EXISTS (SELECT 1 FROM ${parent} p WHERE p.id = ${table}.${key}))`);
    const own = `EXISTS (SELECT 1 FROM ${parent} p JOIN kb_articles a ON a.id = p.article_id
      WHERE p.id = ${table}.${key} AND bw_tenant_visible(a.tenant_id))`;
    await knex.raw(`CREATE POLICY tenant_isolation ON ${table} USING (${own}) WITH CHECK (${own})`);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kb_version_files');
  await knex.schema.dropTable('kb_file_chunks');
  await knex.schema.alterTable('kb_files', (t) => {
    t.dropIndex(['article_id']);
    t.dropColumn('created_by');
    t.dropColumn('sha256');
    t.binary('data').notNullable().defaultTo(knex.raw("''::bytea"));
  });
}
