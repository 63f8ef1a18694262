import type { Knex } from 'knex';

/**
 * Scheduled reports (docs/reports.md "Scheduled reports"): a tenant's dashboard sent by mail on a
 * recurrence in the tenant's zone and calendar. `next_at` is claimed by compare-and-set, so one
 * hub process sends each occurrence; the outbox's key keeps it once per recipient. Isolated by
 * tenant like the reports themselves (010-rls).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_schedules', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.uuid('branch_id').references('branches.id').onDelete('CASCADE');
    /** daily, weekly or monthly; the report covers the period since the previous occurrence. */
    t.text('frequency').notNullable();
    t.smallint('hour').notNullable();
    t.smallint('weekday').notNullable().defaultTo(6);
    t.text('time_zone').notNullable();
    t.text('calendar').notNullable().defaultTo('gregorian');
    t.text('language').notNullable().defaultTo('en');
    t.specificType('formats', 'text[]').notNullable();
    t.specificType('recipients', 'text[]').notNullable();
    t.double('target_percent').notNullable().defaultTo(99.5);
    t.boolean('enabled').notNullable().defaultTo(true);
    t.timestamp('next_at', { useTz: true }).notNullable();
    t.timestamp('last_sent_at', { useTz: true });
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['next_at']);
  });
  await knex.raw('ALTER TABLE report_schedules ENABLE ROW LEVEL SECURITY');
  const visible = 'bw_tenant_visible(tenant_id)';
  await knex.raw(
    `CREATE POLICY tenant_isolation ON report_schedules USING (${visible}) WITH CHECK (${visible})`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_schedules');
}
