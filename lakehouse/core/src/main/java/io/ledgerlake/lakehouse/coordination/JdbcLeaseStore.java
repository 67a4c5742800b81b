package io.ledgerlake.lakehouse.coordination;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exclusive leases as rows of {@code ledgerlake_coord_leases} in the PostgreSQL catalog database: (name, token, holder,
 * expires_at). Taking one is a single upsert that only overwrites an expired row, so of two processes racing exactly
 * one gets it (the primary key serialises them). The holder renews it every third of the time-to-live; a holder whose
 * process dies or whose machine drops off the network stops renewing and the lease is free after the time-to-live.
 * Renewals and releases carry the holder's random token, so a holder that lost its lease cannot extend or delete its
 * successor's. Expiry uses the database clock ({@code now()}), never the machines' clocks.
 *
 * <p>Why not a session advisory lock: it is released when the server notices the connection gone, which for a machine
 * that vanished (no FIN) takes the TCP keepalive time, and it ties the lease to one pooled connection. See
 * docs/decisions/cluster-coordination.md.
 */
public final class JdbcLeaseStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcLeaseStore.class);

  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

  private final CoordinationDatabase db;
  private final Duration ttl;

  public JdbcLeaseStore(CoordinationDatabase db, Duration ttl) {
    this.db = requireNonNull(db, "db");
    this.ttl = requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 300) {
      throw new IllegalArgumentException("lease time-to-live must be at least 300 ms, got " + ttl);
    }
    db.migrate();
  }

  /**
   * The selection point: a store in the catalog database when the catalog is a PostgreSQL JDBC catalog, empty for the
   * embedded SQLite catalog (one machine; the file implementations are right there) and the other catalog kinds.
   */
  public static Optional<JdbcLeaseStore> forCatalog(LakehouseOptions options) {
    return CoordinationDatabase.forCatalog(options).map(db -> new JdbcLeaseStore(db, DEFAULT_TTL));
  }

  public static boolean isPostgresCatalog(LakehouseOptions options) {
    return options.catalogType() == LakehouseOptions.CatalogType.JDBC
        && options.catalogUri() != null
        && options.catalogUri().startsWith("jdbc:postgresql:");
  }

  /** Takes {@code name} for {@code holder}, or throws {@link LeaseHeldException} naming the current holder. */
  public ExclusiveLease acquire(String name, String holder) {
    requireNonNull(name, "name");
    requireNonNull(holder, "holder");
    String token = UUID.randomUUID().toString();
    try (Connection c = connect();
        PreparedStatement up = c.prepareStatement(
            "insert into ledgerlake_coord_leases(name, token, holder, expires_at)"
                + " values (?, ?, ?, now() + ? * interval '1 millisecond')"
                + " on conflict (name) do update set token = excluded.token, holder = excluded.holder,"
                + " expires_at = excluded.expires_at where ledgerlake_coord_leases.expires_at < now()"
                + " returning token")) {
      up.setString(1, name);
      up.setString(2, token);
      up.setString(3, holder);
      up.setLong(4, ttl.toMillis());
      // A holder may release between our refused upsert and the look-up of its name: then the lease is free, try again.
      for (int attempt = 0; attempt < 5; attempt++) {
        try (ResultSet rs = up.executeQuery()) {
          if (rs.next()) {
            return new Lease(name, holder, token);
          }
        }
        Optional<String> current = currentHolder(c, name);
        if (current.isPresent()) {
          throw new LeaseHeldException(name, current.get());
        }
      }
      throw new LeaseHeldException(name, "other processes taking and releasing it in quick succession");
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  private static Optional<String> currentHolder(Connection c, String name) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("select holder from ledgerlake_coord_leases where name = ?")) {
      q.setString(1, name);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private Connection connect() throws SQLException {
    return db.connect();
  }

  private LakehouseException unreachable(SQLException e) {
    return db.unreachable(e);
  }

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.error("reacting to a lost lease failed", e);
    }
  }

  private final class Lease implements ExclusiveLease {
    private final String name;
    private final String holder;
    private final String token;
    private final AtomicBoolean held = new AtomicBoolean(true);
    private final ScheduledExecutorService renewer;
    private final ScheduledFuture<?> renewal;
    private final java.util.List<Runnable> onLost = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    Lease(String name, String holder, String token) {
      this.name = name;
      this.holder = holder;
      this.token = token;
      this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lease-renewal-" + name);
        t.setDaemon(true);
        return t;
      });
      long period = Math.max(100, ttl.toMillis() / 3);
      this.renewal = renewer.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    private void renew() {
      try (Connection c = connect();
          PreparedStatement st = c.prepareStatement("update ledgerlake_coord_leases"
              + " set expires_at = now() + ? * interval '1 millisecond' where name = ? and token = ?")) {
        st.setLong(1, ttl.toMillis());
        st.setString(2, name);
        st.setString(3, token);
        if (st.executeUpdate() == 0) {
          held.set(false);
          renewal.cancel(false);
          LOG.error("lost the lease {} (held by {}): it expired and was taken over", name, holder);
          onLost.forEach(JdbcLeaseStore::runQuietly);
        }
      } catch (SQLException e) {
        // A transient outage shorter than the time-to-live keeps the lease; the next renewal tells.
        LOG.warn("could not renew the lease {}: {}", name, e.getMessage());
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String holder() {
      return holder;
    }

    @Override
    public boolean held() {
      return held.get();
    }

    @Override
    public void onLost(Runnable action) {
      requireNonNull(action, "action");
      onLost.add(action);
      if (!held.get() && !closed.get()) {
        runQuietly(action);
      }
    }

    @Override
    public void close() {
      closed.set(true);
      renewer.shutdownNow();
      if (!held.getAndSet(false)) {
        return;
      }
      try (Connection c = connect();
          PreparedStatement st = c.prepareStatement(
              "delete from ledgerlake_coord_leases where name = ? and token = ?")) {
        st.setString(1, name);
        st.setString(2, token);
        st.executeUpdate();
      } catch (SQLException e) {
        LOG.warn("could not release the lease {} ({}); it frees itself after {}", name, e.getMessage(), ttl);
      }
    }
  }
}
