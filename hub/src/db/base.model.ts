// Objection maps column names in results and writes, not in where clauses: those use
// the database's snake_case names.

import { Model, snakeCaseMappers } from 'objection';

/** Columns are snake_case in PostgreSQL and camelCase in code. */
export class BaseModel extends Model {
  static override get columnNameMappers() {
    return snakeCaseMappers();
  }
}
