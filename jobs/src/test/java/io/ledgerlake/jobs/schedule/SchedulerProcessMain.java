package io.ledgerlake.jobs.schedule;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A scheduler in its own process for SchedulerKillTest: on data directory args[0], ticks once with the real clock,
 * starting the due probe runs, writes args[1] when they have started, and waits to be killed.
 */
public final class SchedulerProcessMain {
  private SchedulerProcessMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir));
    SchedulerOptions options = new SchedulerOptions(dir.resolve("schedules.yaml"), true, Duration.ofSeconds(1),
        Duration.ofMinutes(1), Duration.ofMinutes(1), 2, "doomed");
    Scheduler s = new Scheduler(ScheduleStore.forCatalog(lakehouse.options()), SchedulerTest.JOBS, lakehouse, options,
        Clock.systemUTC(), new PrintWriter(System.out, true));
    Scheduler.TickReport report = s.tick();
    Files.writeString(Path.of(args[1]), Integer.toString(report.started()));
    Thread.sleep(Long.MAX_VALUE);
  }
}
