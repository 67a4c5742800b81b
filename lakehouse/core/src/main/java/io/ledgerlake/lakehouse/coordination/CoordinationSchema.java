package io.ledgerlake.lakehouse.coordination;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The coordination tables in the catalog database (PostgreSQL), versioned by {@code ledgerlake_coord_schema}: one row
 * per applied migration. Every process migrates on first use; an advisory transaction lock makes two processes starting
 * together apply each migration once. A database migrated by a newer LedgerLake is refused rather than misread.
 */
public final class CoordinationSchema {
  /** The newest migration this build knows. */
  public static final int CURRENT_VERSION = 4;

  /** Arbitrary constant key of the advisory lock that serialises migrations across processes. */
  private static final long MIGRATION_LOCK_KEY = 0x4c4c_434f_4f52_4401L;

  private static final List<List<String>> MIGRATIONS = List.of(
      // 1: named exclusive leases (the labeling writer lock); expiry is in the database's clock so skewed machine
      // clocks cannot hand one lease to two holders.
      List.of("create table ledgerlake_coord_leases ("
          + " name text primary key,"
          + " token text not null,"
          + " holder text not null,"
          + " expires_at timestamptz not null)"),
      // 2: each dataset's annotation task reservations (LeaseBook's versioned bytes), updated under SELECT ... FOR
      // UPDATE so every process applies LeaseBook's one set of assignment rules to the newest book, one at a time.
      List.of("create table ledgerlake_coord_lease_books ("
          + " dataset_id text primary key,"
          + " book bytea not null,"
          + " updated_at timestamptz not null default now())"),
      // 3: the upload API's dataset definitions (DatasetDefinition's versioned JSON), so that every `up` sharing the
      // catalog sees a dataset created through any of them.
      List.of("create table ledgerlake_coord_datasets ("
          + " dataset_id text primary key,"
          + " definition text not null,"
          + " updated_at timestamptz not null default now())"),
      // 4: API tokens (StoredToken: the secret's SHA-256, never the secret), so that a token issued by one `up` is
      // accepted by every other sharing the catalog.
      List.of("create table ledgerlake_coord_tokens ("
          + " sha256 text primary key,"
          + " token_id text not null,"
          + " address text not null,"
          + " issued_at timestamptz not null,"
          + " expires_at timestamptz not null,"
          + " revoked boolean not null default false)"));

  private CoordinationSchema() {}

  /** Applies the missing migrations; returns the schema version now in the database. */
  public static int migrate(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement()) {
      st.execute("select pg_advisory_xact_lock(" + MIGRATION_LOCK_KEY + ")");
      st.execute("create table if not exists ledgerlake_coord_schema ("
          + " version integer primary key, applied_at timestamptz not null default now())");
      int version = version(st);
      if (version > CURRENT_VERSION) {
        throw new LakehouseException(ErrorCategory.USER_ERROR,
            "the coordination tables in the catalog database are at schema version %d, newer than this LedgerLake "
                + "knows (%d); upgrade LedgerLake on this machine to the version the other processes run",
            version, CURRENT_VERSION);
      }
      for (int v = version + 1; v <= CURRENT_VERSION; v++) {
        for (String ddl : MIGRATIONS.get(v - 1)) {
          st.execute(ddl);
        }
        st.execute("insert into ledgerlake_coord_schema(version) values (" + v + ")");
      }
      connection.commit();
      return CURRENT_VERSION;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** The highest applied migration, 0 when none. */
  public static int version(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement()) {
      return version(st);
    }
  }

  private static int version(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("select coalesce(max(version), 0) from ledgerlake_coord_schema")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
