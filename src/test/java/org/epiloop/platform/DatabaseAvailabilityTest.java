package org.epiloop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures are the database being out of reach (503) and which are faults (500 or 4xx). */
class DatabaseAvailabilityTest {

  @Test
  void connectionFailuresAnywhereInTheCauseChainAreOutages() {
    // as seen when the postmaster was killed under load (CrashRecoveryTest)
    assertThat(DatabaseAvailability.isOutage(new CannotGetJdbcConnectionException("no connection",
        new SQLTransientConnectionException("Connection is not available, request timed out after 5000ms")))).isTrue();
    assertThat(DatabaseAvailability.isOutage(new CannotCreateTransactionException("Could not open JDBC Connection",
        new SQLTransientConnectionException("The embedded database is restarting", "08001")))).isTrue();
    assertThat(DatabaseAvailability.isOutage(new DataAccessResourceFailureException("PreparedStatementCallback",
        new SQLException("An I/O error occurred while sending to the backend.", "08006")))).isTrue();
    assertThat(DatabaseAvailability.isOutage(new UncategorizedSQLException("commit", "",
        new SQLException("FATAL: terminating connection due to unexpected postmaster exit", "57P01")))).isTrue();
    assertThat(DatabaseAvailability.isOutage(new TransactionSystemException("JDBC commit failed",
        new SQLException("An I/O error occurred while sending to the backend.", "08006")))).isTrue();
    assertThat(DatabaseAvailability.isOutage(new RuntimeException(new SQLException("the database system is starting up", "57P03"))))
        .isTrue();
    TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
        new SQLException("Connection is closed"));
    rollbackFailed.initApplicationException(new DataAccessResourceFailureException("PreparedStatementCallback",
        new SQLException("An I/O error occurred while sending to the backend.", "08006")));
    assertThat(DatabaseAvailability.isOutage(rollbackFailed)).isTrue();
    // the rollback after a commit that failed on a broken connection: HikariCP's closed connection has no SQLState
    assertThat(DatabaseAvailability.isOutage(new TransactionSystemException("JDBC rollback failed",
        new SQLException("Connection is closed")))).isTrue();
  }

  @Test
  void faultsOfTheStatementOrTheCodeAreNot() {
    assertThat(DatabaseAvailability.isOutage(new DuplicateKeyException("dup", new SQLException("duplicate key", "23505")))).isFalse();
    assertThat(DatabaseAvailability.isOutage(new BadSqlGrammarException("q", "selct", new SQLException("syntax error", "42601"))))
        .isFalse();
    assertThat(DatabaseAvailability.isOutage(new UncategorizedSQLException("q", "", new SQLException("division by zero", "22012"))))
        .isFalse();
    assertThat(DatabaseAvailability.isOutage(new IllegalStateException("bug"))).isFalse();
    assertThat(DatabaseAvailability.isOutage(new TransactionSystemException("Could not commit",
        new IllegalStateException("a synchronization failed")))).isFalse();
  }
}
