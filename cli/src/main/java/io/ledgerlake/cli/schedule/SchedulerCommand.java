package io.ledgerlake.cli.schedule;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.jobs.schedule.ScheduleStore;
import io.ledgerlake.jobs.schedule.Scheduler;
import io.ledgerlake.jobs.schedule.SchedulerOptions;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "scheduler", mixinStandardHelpOptions = true,
    description = "The embedded scheduler on its own (it also runs under 'ledgerlake up').",
    subcommands = SchedulerCommand.Run.class)
public final class SchedulerCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: run");
  }

  /**
   * A started scheduler with the lakehouse it owns; {@code up} and {@code scheduler run} both start it here. Several
   * may run on one catalog database (each tick runs once).
   */
  public record Running(Scheduler scheduler, Lakehouse lakehouse, SchedulerOptions options, int fileSchedules)
      implements AutoCloseable {
    @Override
    public void close() {
      scheduler.close();
      lakehouse.close();
    }
  }

  public static Running start(LakehouseOptions lakehouseOptions, Settings settings, PrintWriter progress) {
    SchedulerOptions options = SchedulerOptions.from(settings, lakehouseOptions);
    Lakehouse lakehouse = Lakehouse.open(lakehouseOptions);
    try {
      lakehouse.init();
      Scheduler scheduler = new Scheduler(ScheduleStore.forCatalog(lakehouseOptions), ScheduledJobs.catalog(settings),
          lakehouse, options, Clock.systemUTC(), progress);
      int n = scheduler.loadFile();
      return new Running(scheduler.start(), lakehouse, options, n);
    } catch (RuntimeException e) {
      lakehouse.close();
      throw e;
    }
  }

  /** For {@code up}: the scheduler as one of the platform's services, off when disabled. */
  public static io.ledgerlake.platform.PlatformService serviceUnderUp(LakehouseOptions lakehouseOptions,
      Settings settings, PrintWriter progress) {
    Optional<Running> running = startUnderUp(lakehouseOptions, settings, progress);
    if (running.isEmpty()) {
      return io.ledgerlake.platform.PlatformService.off("Scheduler", "");
    }
    Running r = running.get();
    return new io.ledgerlake.platform.PlatformService() {
      @Override
      public String name() {
        return "Scheduler";
      }

      @Override
      public String describe() {
        return r.fileSchedules() + " schedule(s) from " + r.options().schedulesFile() + " plus 'ledgerlake schedule add'";
      }

      @Override
      public void close() {
        r.close();
      }
    };
  }

  /** For {@code up}: the scheduler unless {@code ledgerlake.scheduler.enabled=false}. */
  public static Optional<Running> startUnderUp(LakehouseOptions lakehouseOptions, Settings settings,
      PrintWriter progress) {
    if (!SchedulerOptions.from(settings, lakehouseOptions).enabledUnderUp()) {
      return Optional.empty();
    }
    return Optional.of(start(lakehouseOptions, settings, progress));
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Run the scheduler until Ctrl-C: loads the schedules file, then every",
          "ledgerlake.scheduler.poll-interval-ms plans due cron ticks and new job runs and starts them."})
  static final class Run extends LakehouseCommand {
    @Option(names = "--once", description = "One pass: start what is due now, wait for it, exit.")
    boolean once;

    @Override
    public Integer call() throws Exception {
      CountDownLatch stop = new CountDownLatch(1);
      if (!once) {
        for (String name : new String[] {"INT", "TERM"}) {
          sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.countDown());
        }
      }
      LakehouseOptions lo = lakehouseOptions();
      SchedulerOptions options = SchedulerOptions.from(settings(), lo);
      if (once) {
        try (Lakehouse lakehouse = Lakehouse.open(lo);
            Scheduler scheduler = new Scheduler(ScheduleStore.forCatalog(lo), ScheduledJobs.catalog(settings()),
                lakehouse, options, Clock.systemUTC(), out())) {
          lakehouse.init();
          scheduler.loadFile();
          Scheduler.TickReport report;
          int started = 0;
          do {
            report = scheduler.tick();
            started += report.started();
            scheduler.awaitIdle(Duration.ofDays(1));
          } while (report.started() > 0);
          out().printf("Started %d run(s); see 'ledgerlake schedule history'%n", started);
        }
        return 0;
      }
      try (Running running = start(lo, settings(), out())) {
        out().printf("Scheduler %s: %d schedule(s) from %s, polling every %d ms. Press Ctrl-C to stop.%n",
            options.instanceId(), running.fileSchedules(), options.schedulesFile(), options.pollInterval().toMillis());
        out().flush();
        stop.await();
        out().println("Stopping (runs in progress get 30 s)...");
        out().flush();
      }
      return 0;
    }
  }
}
