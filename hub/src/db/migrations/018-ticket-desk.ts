import type { Knex } from 'knex';

/**
 * What the support desk needs of a ticket (docs/tickets.md):
 *
 * - who asked: `requester_name` and `requester_contact` (a phone number or an address, free
 *   text: the person calling from a branch usually has no account);
 * - a `version` for optimistic locking: a trigger adds one whenever a field a person can see or
 *   change moves, whoever writes it (a person, the SLA sweep, an alert), so `If-Match` on
 *   `PATCH /tickets/:id` compares against every writer, not only the API's;
 * - the requester in the full-text search, beside the subject and the conversation;
 * - `tenants.language`: the language the hub writes a tenant's ticket text in (alerts).
 */
const VERSIONED = [
  'subject',
  'state',
  'priority',
  'category',
  'assignee_id',
  'group_id',
  'branch_id',
  'merged_into_id',
  'requester_name',
  'requester_contact',
];

const SEARCH_TEXT = (row: string) =>
  `concat_ws(' ', ${row}subject, ${row}requester_name, ${row}requester_contact)`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (t) => {
    t.text('requester_name');
    t.text('requester_contact');
    t.integer('version').notNullable().defaultTo(1);
  });
  const changed = `(${VERSIONED.map((c) => `NEW.${c}`).join(', ')}) IS DISTINCT FROM (${VERSIONED.map((c) => `OLD.${c}`).join(', ')})`;
  await knex.raw(`
    CREATE FUNCTION tickets_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF ${changed} THEN
        NEW.version := OLD.version + 1;
      ELSE
        NEW.version := OLD.version;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER tickets_version BEFORE UPDATE ON tickets
    FOR EACH ROW EXECUTE FUNCTION tickets_next_version()`);

  // The requester is searched like the subject (006-helpdesk.ts made these for the subject).
  await knex.raw(`
    CREATE OR REPLACE FUNCTION tickets_search_on_subject() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.search := ticket_search_vector(NEW.id, ${SEARCH_TEXT('NEW.')});
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE OR REPLACE FUNCTION tickets_search_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        UPDATE tickets SET search = ticket_search_vector(id, ${SEARCH_TEXT('')})
        WHERE id = OLD.ticket_id;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        UPDATE tickets SET search = ticket_search_vector(id, ${SEARCH_TEXT('')})
        WHERE id = NEW.ticket_id;
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw('DROP TRIGGER tickets_search_subject ON tickets');
  await knex.raw(`
    CREATE TRIGGER tickets_search_subject
    BEFORE INSERT OR UPDATE OF subject, requester_name, requester_contact ON tickets
    FOR EACH ROW EXECUTE FUNCTION tickets_search_on_subject()`);

  await knex.schema.alterTable('tenants', (t) => {
    t.text('language').notNullable().defaultTo('en');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => t.dropColumn('language'));
  await knex.raw('DROP TRIGGER tickets_search_subject ON tickets');
  await knex.raw(`
    CREATE OR REPLACE FUNCTION tickets_search_on_subject() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.search := ticket_search_vector(NEW.id, NEW.subject);
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE OR REPLACE FUNCTION tickets_search_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
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
    CREATE TRIGGER tickets_search_subject BEFORE INSERT OR UPDATE OF subject ON tickets
    FOR EACH ROW EXECUTE FUNCTION tickets_search_on_subject()`);
  await knex.raw('DROP TRIGGER tickets_version ON tickets');
  await knex.raw('DROP FUNCTION tickets_next_version()');
  await knex.schema.alterTable('tickets', (t) =>
    t.dropColumns('requester_name', 'requester_contact', 'version'),
  );
}
