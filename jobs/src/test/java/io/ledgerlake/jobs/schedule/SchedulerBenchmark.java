package io.ledgerlake.jobs.schedule;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scheduler overhead (harness, not a test): N schedules with 10 cron fire times a day each, a simulated day on a fake
 * clock advanced minute by minute, on a real SQLite catalog database. The jobs do nothing and skip the runner (the
 * Launcher hook), so the figures are the scheduler's own: planning, claiming, ending attempts, in the database.
 * Args: [schedules, default 1000]. Prints time per due tick, per poll, and peak heap.
 */
public final class SchedulerBenchmark {
  private SchedulerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int schedules = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Path dir = Files.createTempDirectory("scheduler-bench");
    Instant day = Instant.parse("2026-06-01T00:00:00Z");
    SchedulerTest.FakeClock clock = new SchedulerTest.FakeClock(day.minusSeconds(1));
    AtomicInteger launched = new AtomicInteger();
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      lakehouse.init();
      ScheduleStore store = ScheduleStore.forCatalog(lakehouse.options());
      store.init();
      List<ScheduleSpec> specs = new ArrayList<>();
      for (int i = 0; i < schedules; i++) {
        // 10 fire times a day, spread over the minutes: 10,000 due ticks for 1,000 schedules.
        String cron = (i % 60) + " " + (i % 2) + ",3,5,7,9,11,13,15,17,19" + " * * *";
        specs.add(new ScheduleSpec("s" + i, "probe", null, Trigger.Cron.of(cron, "UTC"), SchedulePolicy.DEFAULT));
      }
      long t0 = System.nanoTime();
      store.replaceSource("file", specs, clock.millis());
      long loadNanos = System.nanoTime() - t0;
      SchedulerOptions options = new SchedulerOptions(dir.resolve("schedules.yaml"), true, Duration.ofSeconds(1),
          Duration.ofMinutes(1), Duration.ofMinutes(1), 2, "bench");
      List<Long> polls = new ArrayList<>();
      long start;
      long elapsed;
      try (Scheduler s = new Scheduler(store, SchedulerTest.JOBS, lakehouse, options, clock,
          new PrintWriter(new StringWriter()), (invocation, origin, timeout) -> launched.incrementAndGet())) {
        resetPeaks();
        start = System.nanoTime();
        for (int minute = 0; minute < 24 * 60; minute++) {
          clock.set(day.plus(Duration.ofMinutes(minute)).plusSeconds(5));
          Scheduler.TickReport r;
          do {
            long p = System.nanoTime();
            r = s.tick();
            s.awaitIdle(Duration.ofMinutes(1));
            polls.add(System.nanoTime() - p);
          } while (r.started() > 0);
        }
        elapsed = System.nanoTime() - start;
      }
      long succeeded = store.history(null, Integer.MAX_VALUE).stream().filter(t -> t.status().equals("succeeded"))
          .count();
      Collections.sort(polls);
      System.out.printf("schedules %d, loaded in %.0f ms; due ticks run %d (succeeded %d)%n", schedules,
          loadNanos / 1e6, launched.get(), succeeded);
      System.out.printf("simulated day: %.1f s wall, %.2f ms per due tick, %d polls: p50 %.2f ms, p99 %.2f ms,"
              + " max %.1f ms%n", elapsed / 1e9, elapsed / 1e6 / Math.max(1, launched.get()), polls.size(),
          polls.get(polls.size() / 2) / 1e6, polls.get(polls.size() * 99 / 100) / 1e6,
          polls.get(polls.size() - 1) / 1e6);
      System.out.printf("peak heap used %.0f MB (max heap %.0f MB)%n", peakHeap() / 1e6,
          Runtime.getRuntime().maxMemory() / 1e6);
    }
  }

  private static void resetPeaks() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long peakHeap() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }
}
