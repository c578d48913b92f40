package org.epiloop.platform;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The connection pool, which refuses connections at once while the database is known to be
 * unreachable ({@link DatabaseAvailability}) rather than let each request wait out the
 * connection timeout: during an outage that would hold every request thread for seconds.
 */
class FailFastDataSource extends HikariDataSource {

  private volatile DatabaseAvailability availability;

  /** Whose knowledge of outages to use; until set, connections are always tried. */
  void failFastWith(DatabaseAvailability availability) {
    this.availability = availability;
  }

  @Override
  public Connection getConnection() throws SQLException {
    DatabaseAvailability a = availability;
    if (a != null && !a.isAvailable()) {
      throw new SQLTransientConnectionException("The database is unavailable", "08001");
    }
    return super.getConnection();
  }
}
