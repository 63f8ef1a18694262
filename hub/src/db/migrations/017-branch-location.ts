import type { Knex } from 'knex';

/**
 * Where a branch is: a postal address for people, and coordinates for the NOC map's
 * geographic view (WGS 84 degrees). Coordinates come as a pair or not at all.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('branches', (t) => {
    t.text('address');
    t.double('latitude');
    t.double('longitude');
  });
  await knex.raw(
    `ALTER TABLE branches ADD CONSTRAINT branches_coordinates_check CHECK (
       (latitude IS NULL) = (longitude IS NULL) AND
       coalesce(latitude BETWEEN -90 AND 90, true) AND
       coalesce(longitude BETWEEN -180 AND 180, true))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE branches DROP CONSTRAINT branches_coordinates_check');
  await knex.schema.alterTable('branches', (t) =>
    t.dropColumns('address', 'latitude', 'longitude'),
  );
}
