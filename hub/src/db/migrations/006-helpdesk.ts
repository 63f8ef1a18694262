import type { Knex } from 'knex';

/**
 * The helpdesk: tickets people open and work on (assignment, support groups, conversation,
 * tags, watchers, links, attachments, canned replies, full-text search) and SLA calendars and
 * policies (docs/architecture.md "Tickets and SLA", docs/tickets.md).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('support_groups', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.text('name').notNullable();
    /** manual, round_robin or least_loaded (docs/tickets.md "Assignment"). */
    t.text('assignment').notNullable().defaultTo('manual');
    /** Who an SLA "reassign" escalation hands a ticket to first. */
    t.uuid('lead_id').references('users.id').onDelete('SET NULL');
    /** The member who got the last round-robin ticket. */
    t.uuid('last_assigned_id').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'name']);
  });
  await knex.schema.createTable('group_members', (t) => {
    t.uuid('group_id').notNullable().references('support_groups.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.boolean('away').notNullable().defaultTo(false);
    t.primary(['group_id', 'user_id']);
  });

  await knex.schema.alterTable('tickets', (t) => {
    t.text('category');
    t.uuid('assignee_id').references('users.id').onDelete('SET NULL');
    t.uuid('group_id').references('support_groups.id').onDelete('SET NULL');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.uuid('merged_into_id').references('tickets.id').onDelete('SET NULL');
    /** Subject and conversation, in the 'simple' (any language, Persian) and 'english' configs. */
    t.specificType('search', 'tsvector').notNullable().defaultTo(knex.raw(`''::tsvector`));
  });
  await knex.raw(
    `ALTER TABLE tickets ADD CONSTRAINT tickets_priority_check CHECK (priority IN
     ('low','normal','high','urgent'))`,
  );
  await knex.raw('CREATE INDEX tickets_search ON tickets USING GIN (search)');
  await knex.raw('CREATE INDEX tickets_queue ON tickets (tenant_id, state, opened_at DESC)');
  await knex.raw('CREATE INDEX tickets_assignee ON tickets (assignee_id, state)');
  await knex.raw('CREATE INDEX tickets_group ON tickets (group_id, state)');

  await knex.schema.alterTable('ticket_events', (t) => {
    /** public (the requester sees it) or internal (agents only). */
    t.text('visibility').notNullable().defaultTo('public');
    /** For `change` events: which field, and its values before and after. */
    t.text('field');
    t.text('old_value');
    t.text('new_value');
    t.jsonb('data');
    /** Set on SLA warnings and escalations; unique per ticket so each is recorded once. */
    t.text('sla_key');
  });
  await knex.raw(
    `CREATE UNIQUE INDEX ticket_events_sla_once ON ticket_events (ticket_id, sla_key)
     WHERE sla_key IS NOT NULL`,
  );
  await createSearchTriggers(knex);

  await knex.schema.createTable('ticket_tags', (t) => {
    t.uuid('ticket_id').notNullable().references('tickets.id').onDelete('CASCADE');
    t.text('tag').notNullable();
    t.primary(['ticket_id', 'tag']);
    t.index(['tag']);
  });
  await knex.schema.createTable('ticket_watchers', (t) => {
    t.uuid('ticket_id').notNullable().references('tickets.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.primary(['ticket_id', 'user_id']);
  });
  await knex.schema.createTable('ticket_links', (t) => {
    t.uuid('ticket_id').notNullable().references('tickets.id').onDelete('CASCADE');
    t.uuid('linked_id').notNullable().references('tickets.id').onDelete('CASCADE');
    t.primary(['ticket_id', 'linked_id']);
  });
  await knex.schema.createTable('ticket_attachments', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('ticket_id').notNullable().references('tickets.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('mime_type').notNullable();
    t.bigInteger('size').notNullable();
    /** SHA-256 of the content: also the file's name under BW_DATA_DIR/attachments. */
    t.text('sha256').notNullable();
    t.uuid('author_id').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['ticket_id']);
  });
  await knex.schema.createTable('canned_replies', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('body').notNullable();
    t.unique(['tenant_id', 'name']);
  });

  await knex.schema.createTable('sla_calendars', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.text('name').notNullable();
    /** A @branchwatch/sla BusinessCalendarSpec: zone, week, holidays. */
    t.jsonb('spec').notNullable();
    t.unique(['tenant_id', 'name']);
  });
  await knex.schema.createTable('sla_policies', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.text('name').notNullable();
    /** Policies are tried in this order; the first whose conditions match applies. */
    t.integer('position').notNullable();
    t.uuid('calendar_id').notNullable().references('sla_calendars.id').onDelete('RESTRICT');
    t.bigInteger('first_response_ms');
    t.bigInteger('resolution_ms');
    t.double('warning_share').notNullable().defaultTo(0.8);
    /** [{ name, offsetMs, action: notify|reassign|raise_priority, clocks? }] */
    t.jsonb('escalations').notNullable().defaultTo('[]');
    /** { priority?, category?, branch?, tenant? }: lists of accepted values. */
    t.jsonb('conditions').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

/**
 * Keeps `tickets.search` current: the subject and the body of every written event, in both
 * configs. 'simple' only lower-cases, so Persian words match as written; 'english' adds stems.
 */
async function createSearchTriggers(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION ticket_search_vector(t_id uuid, t_subject text) RETURNS tsvector
    LANGUAGE sql STABLE AS $$
      SELECT to_tsvector('simple', doc) || to_tsvector('english', doc)
      FROM (SELECT coalesce(t_subject, '') || ' ' || coalesce(string_agg(body, ' '), '') AS doc
            FROM ticket_events
            WHERE ticket_id = t_id AND kind IN ('opened', 'reply', 'note') AND body IS NOT NULL) d
    $$`);
  await knex.raw(`
    CREATE FUNCTION tickets_search_on_subject() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.search := ticket_search_vector(NEW.id, NEW.subject);
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER tickets_search_subject BEFORE INSERT OR UPDATE OF subject ON tickets
    FOR EACH ROW EXECUTE FUNCTION tickets_search_on_subject()`);
  await knex.raw(`
    CREATE FUNCTION tickets_search_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        UPDATE tickets SET search = ticket_search_vector(id, subject) WHERE id = OLD.ticket_id;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        UPDATE tickets SET search = ticket_search_vector(id, subject) WHERE id = NEW.ticket_id;
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER ticket_events_search AFTER INSERT OR UPDATE OF ticket_id, body OR DELETE
    ON ticket_events FOR EACH ROW EXECUTE FUNCTION tickets_search_on_event()`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'sla_policies',
    'sla_calendars',
    'canned_replies',
    'ticket_attachments',
    'ticket_links',
    'ticket_watchers',
    'ticket_tags',
  ]) {
    await knex.schema.dropTable(table);
  }
  await knex.raw('DROP TRIGGER ticket_events_search ON ticket_events');
  await knex.raw('DROP TRIGGER tickets_search_subject ON tickets');
  await knex.raw('DROP FUNCTION tickets_search_on_event()');
  await knex.raw('DROP FUNCTION tickets_search_on_subject()');
  await knex.raw('DROP FUNCTION ticket_search_vector(uuid, text)');
  await knex.raw('DROP INDEX ticket_events_sla_once');
  await knex.schema.alterTable('ticket_events', (t) => {
    t.dropColumns('visibility', 'field', 'old_value', 'new_value', 'data', 'sla_key');
  });
  await knex.raw('ALTER TABLE tickets DROP CONSTRAINT tickets_priority_check');
  await knex.schema.alterTable('tickets', (t) => {
    t.dropColumns('category', 'assignee_id', 'group_id', 'created_by', 'merged_into_id', 'search');
  });
  await knex.schema.dropTable('group_members');
  await knex.schema.dropTable('support_groups');
}
