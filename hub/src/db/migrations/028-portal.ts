import type { Knex } from 'knex';

/**
 * The requester portal (docs/requesters.md): the ratings requesters give a resolved ticket.
 * One rating a ticket (a new one replaces it); the assignee at the time of rating is kept so
 * that agent KPIs read the person who resolved it even after the ticket moves on. Isolated
 * like the tickets themselves: by tenant and by branch (010-rls).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ticket_ratings', (t) => {
    t.uuid('ticket_id').primary().references('tickets.id').onDelete('CASCADE');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('branch_id').references('branches.id').onDelete('SET NULL');
    t.uuid('rated_by').references('users.id').onDelete('SET NULL');
    t.uuid('assignee_id').references('users.id').onDelete('SET NULL');
    t.smallint('score').notNullable();
    t.text('comment');
    t.timestamp('rated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'rated_at']);
    t.index(['assignee_id']);
  });
  await knex.raw(
    'ALTER TABLE ticket_ratings ADD CONSTRAINT ticket_ratings_score CHECK (score BETWEEN 1 AND 5)',
  );
  await knex.raw('ALTER TABLE ticket_ratings ENABLE ROW LEVEL SECURITY');
  const visible = 'bw_tenant_visible(tenant_id) AND bw_branch_visible(branch_id)';
  await knex.raw(
    `CREATE POLICY tenant_isolation ON ticket_ratings USING (${visible}) WITH CHECK (${visible})`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ticket_ratings');
}
