package io.ledgerlake.labeling.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.labeling.annotation.AnswerState;
import io.ledgerlake.labeling.annotation.LeaseBook;
import io.ledgerlake.labeling.annotation.TaskLease;
import io.ledgerlake.lakehouse.coordination.CoordinationDatabase;
import io.ledgerlake.lakehouse.coordination.PostgresTestInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Task reservations in the PostgreSQL catalog database (real private PostgreSQL, skipped where it cannot run): 16
 * annotators on two stores (two processes' worth of connections) reserving concurrently never exceed the overlap on a
 * record and never get a record twice.
 */
class JdbcLeaseBookStoreTest {
  private static final int OVERLAP = 2;

  @Test
  void sixteenAnnotatorsOnTwoStoresNeverExceedOverlapNorGetARecordTwice() throws Exception {
    try (PostgresTestInstance pg = PostgresTestInstance.startOrSkip()) {
      CoordinationDatabase db = new CoordinationDatabase(pg.url(), "postgres", "");
      db.migrate();
      List<LeaseBookStore> processes = List.of(new JdbcLeaseBookStore(db), new JdbcLeaseBookStore(db));
      List<String> records = IntStream.range(0, 40).mapToObj(i -> String.format("cid-%02d", i)).toList();
      AnswerState none = AnswerState.of(List.of(), Set.of());
      Instant now = Instant.now();
      ConcurrentLinkedQueue<TaskLease> issued = new ConcurrentLinkedQueue<>();
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<?>> done = new ArrayList<>();
      for (int a = 0; a < 16; a++) {
        String annotator = "0x" + String.format("%040x", a);
        LeaseBookStore store = processes.get(a % 2);
        done.add(pool.submit(() -> {
          go.await();
          for (int round = 0; round < 5; round++) {
            issued.addAll(store.update("ds-1", book ->
                book.reserve(records, none, OVERLAP, annotator, 2, now, Duration.ofMinutes(10))));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();

      // Every reservation handed out, by record: distinct annotators at most OVERLAP.
      Map<String, Set<String>> holders = new HashMap<>();
      for (TaskLease l : issued) {
        holders.computeIfAbsent(l.recordCid(), k -> new HashSet<>()).add(l.annotatorId());
      }
      assertThat(holders.values()).allSatisfy(h -> assertThat(h.size()).isLessThanOrEqualTo(OVERLAP));
      // 16 annotators x 2 tasks fit in 40 records x overlap 2 = 80 slots: all got work, and all slots taken were
      // counted once (a lost update would hand a slot out twice and show up above or here).
      assertThat(holders.values().stream().mapToInt(Set::size).sum()).isEqualTo(32);
      // The stored book agrees with what was handed out.
      LeaseBook stored = processes.get(0).update("ds-1", book -> book);
      assertThat(stored.leases()).hasSize(32);
      assertThat(stored.leases().stream().map(l -> l.recordCid() + "/" + l.annotatorId()).distinct().count())
          .isEqualTo(32);
    }
  }
}
