package io.ledgerlake.lakehouse.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link JdbcLeaseStore} and {@link CoordinationSchema} on a real private PostgreSQL (skipped where it cannot run). */
class JdbcLeaseStoreTest {
  private static PostgresTestInstance pg;

  @BeforeAll
  static void start() throws Exception {
    pg = PostgresTestInstance.startOrSkip();
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private static JdbcLeaseStore store(Duration ttl) {
    return new JdbcLeaseStore(new CoordinationDatabase(pg.url(), "postgres", ""), ttl);
  }

  @Test
  void selectionByCatalogType(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    var embedded = io.ledgerlake.lakehouse.LakehouseOptions.embedded(dir);
    assertThat(CoordinationDatabase.forCatalog(embedded)).isEmpty();
    assertThat(JdbcLeaseStore.forCatalog(embedded)).isEmpty();
    var postgres = io.ledgerlake.lakehouse.LakehouseOptions.from(io.ledgerlake.common.config.Settings.of(
        java.util.Map.of(io.ledgerlake.lakehouse.LakehouseOptions.DATA_DIR, dir.toString(),
            io.ledgerlake.lakehouse.LakehouseOptions.CATALOG_TYPE, "jdbc",
            io.ledgerlake.lakehouse.LakehouseOptions.CATALOG_URI, pg.url(),
            io.ledgerlake.lakehouse.LakehouseOptions.JDBC_USER, "postgres")));
    assertThat(CoordinationDatabase.forCatalog(postgres)).get().extracting(CoordinationDatabase::url)
        .isEqualTo(pg.url());
    assertThat(JdbcLeaseStore.forCatalog(postgres)).isPresent();
  }

  @Test
  void schemaIsVersionedAndMigratesOnce() throws Exception {
    store(Duration.ofSeconds(5));
    store(Duration.ofSeconds(5)); // a second process starting: no second migration
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      assertThat(CoordinationSchema.version(c)).isEqualTo(CoordinationSchema.CURRENT_VERSION);
      var rs = st.executeQuery("select count(*) from ledgerlake_coord_schema");
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(CoordinationSchema.CURRENT_VERSION);
      // a database from a newer LedgerLake is refused, not misread
      st.execute("insert into ledgerlake_coord_schema(version) values (" + (CoordinationSchema.CURRENT_VERSION + 1) + ")");
      assertThatThrownBy(() -> store(Duration.ofSeconds(5))).hasMessageContaining("newer than this LedgerLake");
      st.execute("delete from ledgerlake_coord_schema where version > " + CoordinationSchema.CURRENT_VERSION);
    }
  }

  @Test
  void sixteenThreadsNeverHoldTheWriterLockTogether() throws Exception {
    JdbcLeaseStore store = store(Duration.ofSeconds(5));
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger maxHolders = new AtomicInteger();
    AtomicInteger acquisitions = new AtomicInteger();
    AtomicInteger refusals = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      String me = "thread " + t;
      done.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < 20; i++) {
          try (ExclusiveLease lease = store.acquire("writer:concurrency", me)) {
            int now = holders.incrementAndGet();
            maxHolders.accumulateAndGet(now, Math::max);
            acquisitions.incrementAndGet();
            Thread.sleep(2);
            holders.decrementAndGet();
          } catch (LeaseHeldException e) {
            assertThat(e.holder()).containsAnyOf("thread ", "quick succession");
            refusals.incrementAndGet();
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertThat(maxHolders.get()).isEqualTo(1);
    assertThat(acquisitions.get()).isPositive();
    assertThat(refusals.get()).isPositive(); // they did contend
    assertThat(acquisitions.get() + refusals.get()).isEqualTo(16 * 20);
  }

  @Test
  void heldLeaseIsRenewedPastItsTtlAndRefusesOthers() throws Exception {
    JdbcLeaseStore store = store(Duration.ofMillis(600));
    try (ExclusiveLease lease = store.acquire("writer:renewed", "the streaming labeling job")) {
      Thread.sleep(1_500); // 2.5 time-to-lives: only renewals keep it
      assertThat(lease.held()).isTrue();
      assertThatThrownBy(() -> store.acquire("writer:renewed", "ledgerlake label run"))
          .isInstanceOf(LeaseHeldException.class)
          .hasMessageContaining("the streaming labeling job");
    }
    // released on close: free at once
    store.acquire("writer:renewed", "ledgerlake label run").close();
  }

  @Test
  void deadHoldersLeaseIsTakenOverAfterExpiryOnly() throws Exception {
    JdbcLeaseStore store = store(Duration.ofSeconds(5));
    // What a process that died while holding the lease leaves behind: its row, no more renewals.
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      st.execute("insert into ledgerlake_coord_leases(name, token, holder, expires_at)"
          + " values ('writer:dead', 'dead-token', 'a dead process', now() + interval '1500 milliseconds')");
    }
    assertThatThrownBy(() -> store.acquire("writer:dead", "survivor"))
        .isInstanceOf(LeaseHeldException.class).hasMessageContaining("a dead process");
    Thread.sleep(1_700);
    try (ExclusiveLease lease = store.acquire("writer:dead", "survivor")) {
      assertThat(lease.held()).isTrue();
      try (Connection c = pg.connect(); Statement st = c.createStatement()) {
        var rs = st.executeQuery("select holder from ledgerlake_coord_leases where name = 'writer:dead'");
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("survivor");
        // the dead holder coming back cannot delete its successor's lease: releases carry the token
        assertThat(st.executeUpdate("delete from ledgerlake_coord_leases where name = 'writer:dead'"
            + " and token = 'dead-token'")).isZero();
      }
    }
  }

  @Test
  void holderThatLostItsLeaseNoticesAndDoesNotReleaseTheSuccessors() throws Exception {
    JdbcLeaseStore store = store(Duration.ofMillis(600));
    ExclusiveLease first = store.acquire("writer:lost", "first");
    CountDownLatch lostSignal = new CountDownLatch(1);
    first.onLost(lostSignal::countDown);
    assertThat(lostSignal.getCount()).isOne(); // held: not run
    // Simulates a long pause of the first holder (GC, partition): its row expires and is taken over.
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      st.execute("update ledgerlake_coord_leases set expires_at = now() - interval '1 second' where name = 'writer:lost'");
    }
    try (ExclusiveLease second = store.acquire("writer:lost", "second")) {
      Thread.sleep(700); // the first holder's next renewal finds the token changed
      assertThat(first.held()).isFalse();
      assertThat(lostSignal.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      first.close();
      assertThatThrownBy(() -> store.acquire("writer:lost", "third")).hasMessageContaining("second");
    }
  }
}
