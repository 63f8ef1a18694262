import type { Knex } from 'knex';

/**
 * What agents discover (devices and LLDP links, for the topology map) and what they forward
 * as it happens (SNMP traps). An agent's inventory is its whole current view: each payload
 * replaces the previous one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('inventory_devices', (t) => {
    t.uuid('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.text('device_id').notNullable();
    t.text('sys_name');
    t.text('sys_descr');
    t.text('address');
    t.timestamp('seen_at', { useTz: true }).notNullable();
    t.primary(['agent_id', 'device_id']);
  });
  await knex.schema.createTable('inventory_links', (t) => {
    t.bigIncrements('id');
    t.uuid('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.text('local_device').notNullable();
    t.text('local_port').notNullable();
    t.text('remote_chassis_id').notNullable();
    t.text('remote_sys_name');
    t.text('remote_port').notNullable();
    t.timestamp('seen_at', { useTz: true }).notNullable();
    t.index(['agent_id']);
  });
  await knex.schema.createTable('agent_events', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    /** When the agent received it. */
    t.timestamp('at', { useTz: true }).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.jsonb('body').notNullable();
    t.index(['agent_id', 'at']);
    t.index(['tenant_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('agent_events');
  await knex.schema.dropTable('inventory_links');
  await knex.schema.dropTable('inventory_devices');
}
