import type { Knex } from 'knex';

/**
 * Maintenance windows with a recurrence (docs/alerts.md "Maintenance windows"): an RFC 5545
 * rule (`FREQ=WEEKLY;BYDAY=FR`) with the first and the last day it runs, and the wall-clock
 * hours of each occurrence, read in the window's zone or the branch's. A window is one-off,
 * weekly (ranges per weekday) or recurring, exactly one of them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('maintenance_windows', (t) => {
    t.jsonb('recurrence');
  });
  await knex.raw(`ALTER TABLE maintenance_windows DROP CONSTRAINT maintenance_windows_shape_check`);
  await knex.raw(
    `ALTER TABLE maintenance_windows ADD CONSTRAINT maintenance_windows_shape_check CHECK (
       scope IN ('tenant', 'branch', 'agent', 'check') AND
       ((starts_at IS NOT NULL AND ends_at IS NOT NULL AND ends_at > starts_at
           AND weekly IS NULL AND recurrence IS NULL)
        OR (weekly IS NOT NULL AND starts_at IS NULL AND ends_at IS NULL AND recurrence IS NULL)
        OR (recurrence IS NOT NULL AND starts_at IS NULL AND ends_at IS NULL AND weekly IS NULL)))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('maintenance_windows').whereNotNull('recurrence').delete();
  await knex.raw(`ALTER TABLE maintenance_windows DROP CONSTRAINT maintenance_windows_shape_check`);
  await knex.schema.alterTable('maintenance_windows', (t) => {
    t.dropColumn('recurrence');
  });
  await knex.raw(
    `ALTER TABLE maintenance_windows ADD CONSTRAINT maintenance_windows_shape_check CHECK (
       scope IN ('tenant', 'branch', 'agent', 'check') AND
       ((starts_at IS NOT NULL AND ends_at IS NOT NULL AND ends_at > starts_at AND weekly IS NULL)
        OR (weekly IS NOT NULL AND starts_at IS NULL AND ends_at IS NULL)))`,
  );
}
