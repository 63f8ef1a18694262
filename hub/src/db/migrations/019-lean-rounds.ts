import type { Knex } from 'knex';

/**
 * Two changes to the hot ingest path, measured by `pnpm bench:layout` (docs/benchmarks.md,
 * "Round layout"):
 *
 * - `check_results` loses its foreign key to `checks`: checking it took about 40 % of the
 *   PostgreSQL CPU of a raw COPY of rounds (a lookup and a KEY SHARE lock of the check per
 *   row). Ingest writes rounds only for checks it has just locked or created in the same
 *   transaction, so the key checked nothing ingest does not already guarantee. What the key
 *   did on delete — a check's rounds go with it — a statement trigger on `checks` does now.
 * - `checks` keeps half of each page free (fillfactor 50), so that ingest's update of a
 *   check's last result and alert counters, which changes no indexed column, is a heap-only
 *   update in the same page (no new index entries); about half the CPU of that update. The
 *   table is rewritten (CLUSTER) so that existing rows get the room too.
 */
export async function up(knex: Knex): Promise<void> {
  const fk = await foreignKeyName(knex);
  if (fk) await knex.raw('ALTER TABLE check_results DROP CONSTRAINT ??', [fk]);
  await knex.raw(`
    CREATE FUNCTION bw_delete_check_results() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM check_results r USING removed_checks c WHERE r.check_id = c.id;
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER checks_delete_results AFTER DELETE ON checks
    REFERENCING OLD TABLE AS removed_checks
    FOR EACH STATEMENT EXECUTE FUNCTION bw_delete_check_results()`);
  await knex.raw('ALTER TABLE checks SET (fillfactor = 50)');
  await knex.raw('CLUSTER checks USING checks_pkey');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE checks RESET (fillfactor)');
  await knex.raw('DROP TRIGGER checks_delete_results ON checks');
  await knex.raw('DROP FUNCTION bw_delete_check_results()');
  await knex.raw(
    'DELETE FROM check_results r WHERE NOT EXISTS (SELECT FROM checks c WHERE c.id = r.check_id)',
  );
  await knex.raw(
    `ALTER TABLE check_results ADD CONSTRAINT check_results_check_id_fkey
     FOREIGN KEY (check_id) REFERENCES checks(id) ON DELETE CASCADE`,
  );
}

async function foreignKeyName(knex: Knex): Promise<string | undefined> {
  const { rows } = await knex.raw(
    `SELECT conname FROM pg_constraint
     WHERE conrelid = 'check_results'::regclass AND contype = 'f' AND confrelid = 'checks'::regclass`,
  );
  return (rows as { conname: string }[])[0]?.conname;
}
