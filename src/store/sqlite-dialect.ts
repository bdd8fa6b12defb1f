// Kysely's SQLite dialect, its transactions begun IMMEDIATE: the write lock is taken at BEGIN. A
// deferred transaction that reads first and writes later fails at once (SQLITE_BUSY, no busy wait)
// when another process committed in between; with the lock taken first it waits its turn instead.
import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver } from 'kysely';

const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate');

export class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(BEGIN_IMMEDIATE);
    };
    return driver;
  }
}
