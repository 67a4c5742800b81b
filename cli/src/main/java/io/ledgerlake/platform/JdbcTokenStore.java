package io.ledgerlake.platform;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.auth.ApiToken;
import io.ledgerlake.ingestion.auth.FileTokenStore;
import io.ledgerlake.ingestion.auth.StoredToken;
import io.ledgerlake.ingestion.auth.TokenStore;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.coordination.CoordinationDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens in the catalog database ({@code ledgerlake_coord_tokens}), so that every {@code up} sharing a PostgreSQL
 * catalog accepts a token any of them issued: a client signed in through one process (or a load balancer) can use the
 * others, and the SQL service checks the same tokens. The rules (format, expiry, revocation) are {@link StoredToken}'s,
 * as in the file store; each check reads the database (one indexed row), so a revocation is seen at once everywhere.
 */
public final class JdbcTokenStore implements TokenStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcTokenStore.class);

  private final CoordinationDatabase db;
  private final Duration ttl;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public JdbcTokenStore(CoordinationDatabase db, Duration ttl, Clock clock) {
    this.db = requireNonNull(db, "db");
    this.ttl = requireNonNull(ttl, "ttl");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * The one selection point: the catalog database when the Iceberg catalog is PostgreSQL, a file under {@code
   * authDir} (one process's) otherwise.
   */
  public static TokenStore forCatalog(LakehouseOptions lakehouse, Path authDir, Duration ttl, Clock clock) {
    Optional<CoordinationDatabase> db = CoordinationDatabase.forCatalog(lakehouse);
    if (db.isPresent()) {
      return new JdbcTokenStore(db.get(), ttl, clock);
    }
    try {
      return new FileTokenStore(authDir, ttl, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token store in " + authDir + "; check the data directory", e);
    }
  }

  @Override
  public ApiToken issue(String address) {
    StoredToken.Issued issued = StoredToken.issue(address, clock.instant(), ttl, random);
    StoredToken t = issued.stored();
    try (Connection c = db.connect();
        PreparedStatement st = c.prepareStatement("insert into ledgerlake_coord_tokens"
            + " (sha256, token_id, address, issued_at, expires_at, revoked) values (?, ?, ?, ?, ?, false)")) {
      st.setString(1, t.sha256());
      st.setString(2, t.id());
      st.setString(3, t.address());
      st.setTimestamp(4, Timestamp.from(t.issuedAt()));
      st.setTimestamp(5, Timestamp.from(t.expiresAt()));
      st.executeUpdate();
    } catch (SQLException e) {
      throw db.unreachable(e);
    }
    LOG.info("Issued API token {} for {} until {}", t.id(), t.address(), t.expiresAt());
    return issued.token();
  }

  @Override
  public String authenticate(String secret) {
    String key = StoredToken.lookupKey(secret);
    try (Connection c = db.connect();
        PreparedStatement st = c.prepareStatement("select token_id, address, issued_at, expires_at, revoked"
            + " from ledgerlake_coord_tokens where sha256 = ?")) {
      st.setString(1, key);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw StoredToken.unknown();
        }
        return new StoredToken(rs.getString(1), key, rs.getString(2), rs.getTimestamp(3).toInstant(),
            rs.getTimestamp(4).toInstant(), rs.getBoolean(5)).check(clock.instant());
      }
    } catch (SQLException e) {
      throw db.unreachable(e);
    }
  }

  @Override
  public boolean revoke(String secret) {
    String key = StoredToken.lookupKey(secret);
    try (Connection c = db.connect();
        PreparedStatement st = c.prepareStatement(
            "update ledgerlake_coord_tokens set revoked = true where sha256 = ? and not revoked")) {
      st.setString(1, key);
      boolean revoked = st.executeUpdate() == 1;
      if (revoked) {
        LOG.info("Revoked API token {}", key.substring(0, 16));
      }
      return revoked;
    } catch (SQLException e) {
      throw db.unreachable(e);
    }
  }

  @Override
  public int purgeExpired() {
    try (Connection c = db.connect();
        PreparedStatement st = c.prepareStatement("delete from ledgerlake_coord_tokens where expires_at <= ?")) {
      st.setTimestamp(1, Timestamp.from(clock.instant()));
      return st.executeUpdate();
    } catch (SQLException e) {
      throw db.unreachable(e);
    }
  }
}
