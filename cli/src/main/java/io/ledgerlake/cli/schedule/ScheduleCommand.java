package io.ledgerlake.cli.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.jobs.schedule.JobCatalog;
import io.ledgerlake.jobs.schedule.ScheduleException;
import io.ledgerlake.jobs.schedule.SchedulePolicy;
import io.ledgerlake.jobs.schedule.ScheduleSpec;
import io.ledgerlake.jobs.schedule.ScheduleStore;
import io.ledgerlake.jobs.schedule.SchedulerOptions;
import io.ledgerlake.jobs.schedule.SchedulesFile;
import io.ledgerlake.jobs.schedule.Trigger;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = {
      "Scheduled and event-triggered jobs, run by 'ledgerlake up' or 'ledgerlake scheduler run'.",
      "Schedules come from the schedules file (ledgerlake.scheduler.file, default <data-dir>/schedules.yaml)",
      "and from 'schedule add'; both are stored in the catalog database. Every run is an ops.job_runs row",
      "whose params_json.origin names the schedule, the trigger and the attempt."
    },
    subcommands = {
      ScheduleCommand.ListCmd.class,
      ScheduleCommand.Add.class,
      ScheduleCommand.Remove.class,
      ScheduleCommand.Pause.class,
      ScheduleCommand.Resume.class,
      ScheduleCommand.RunNow.class,
      ScheduleCommand.History.class
    })
public final class ScheduleCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "missing subcommand: list, add, remove, pause, resume, run-now or history");
  }

  /** Shared by the subcommands: the store, with the schedules file synced into it first (its errors are one line). */
  abstract static class StoreCommand extends LakehouseCommand {
    ScheduleStore store() {
      LakehouseOptions lakehouse = lakehouseOptions();
      try {
        // The embedded catalog's SQLite file lives there; sqlite-jdbc creates the file but not the directory.
        java.nio.file.Files.createDirectories(lakehouse.dataDir());
      } catch (java.io.IOException e) {
        throw new ScheduleException(io.ledgerlake.common.ErrorCategory.USER_ERROR,
            "data directory " + lakehouse.dataDir() + " is not usable: " + e.getMessage(), e);
      }
      ScheduleStore store = ScheduleStore.forCatalog(lakehouse);
      store.init();
      SchedulerOptions options = SchedulerOptions.from(settings(), lakehouse);
      store.replaceSource("file", SchedulesFile.read(options.schedulesFile(), catalog()), System.currentTimeMillis());
      return store;
    }

    JobCatalog catalog() {
      return ScheduledJobs.catalog(settings());
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Schedules with their trigger, the next fire times (in the schedule's time zone) and state.")
  static final class ListCmd extends StoreCommand {
    @Option(names = "--next", defaultValue = "1", paramLabel = "N",
        description = "Next fire times to show per cron schedule. Default: ${DEFAULT-VALUE}.")
    int next;

    @Override
    public Integer call() {
      ScheduleStore store = store();
      List<ScheduleStore.Stored> all = store.list();
      if (all.isEmpty()) {
        out().println("No schedules. Add one with 'ledgerlake schedule add' or in the schedules file.");
        return 0;
      }
      out().printf("%-24s %-16s %-8s %-6s %-36s %s%n", "ID", "JOB", "STATE", "SOURCE", "TRIGGER", "NEXT");
      for (ScheduleStore.Stored s : all) {
        List<String> fires = new ArrayList<>();
        if (s.spec().trigger() instanceof Trigger.Cron cron && s.nextFireMs() != null) {
          Instant f = Instant.ofEpochMilli(s.nextFireMs());
          for (int i = 0; i < Math.max(1, next); i++) {
            fires.add(format(f, cron.zone()));
            f = cron.nextAfter(f);
          }
        } else if (s.spec().trigger() instanceof Trigger.Curated c && s.cursorRun().startsWith("count:")) {
          long at = Long.parseLong(s.cursorRun().substring("count:".length())) + c.records();
          fires.add("when " + at + " records are curated" + (c.dataset() == null ? "" : " in " + c.dataset()));
        } else {
          fires.add("on each event");
        }
        out().printf("%-24s %-16s %-8s %-6s %-36s %s%n", s.spec().id(), s.spec().job(),
            s.paused() ? "paused" : "active", s.source(), s.spec().trigger().describe(), String.join(", ", fires));
      }
      return 0;
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Add a schedule (stored in the catalog database; the schedules file is not changed).",
          "Example: schedule add nightly --job reconcile --cron '0 2 * * *' --timezone Europe/Berlin",
          "         schedule add embed-new --job rag-embed --after publish --dataset ds1 \\",
          "           --param dataset=ds1 --param 'version=$${version}'",
          "         schedule add consensus-1k --job label-consensus --curated 1000 --dataset ds1 \\",
          "           --param 'dataset=$${dataset}'"})
  static final class Add extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Schedule id.") String id;

    @Option(names = "--job", required = true, description = {"Job: reconcile, train, finetune, rag-embed,"
        + " rag-index-build, label-run, label-consensus, lineage-refresh, chain-index, attribution-settle,"
        + " table-maintenance."})
    String job;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A job parameter (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    static final class TriggerOptions {
      @Option(names = "--cron", paramLabel = "EXPR", description = "Five-field cron: minute hour day month weekday.")
      String cron;

      @Option(names = "--after", paramLabel = "JOB",
          description = "Run after each succeeded run of JOB (publish: each new dataset version).")
      String after;

      @Option(names = "--curated", paramLabel = "N",
          description = "Run each time N new records entered the curated view since the last run (with --dataset:"
              + " of that dataset).")
      Long curated;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") TriggerOptions trigger;

    @Option(names = "--timezone", defaultValue = "UTC", description = "Time zone of --cron. Default: ${DEFAULT-VALUE}.")
    String timezone;

    @Option(names = "--dataset",
        description = "With --after: only runs about this dataset; with --curated: only its records.") String dataset;

    @Option(names = "--retries", defaultValue = "0", description = "Attempts after the first. Default: ${DEFAULT-VALUE}.")
    int retries;

    @Option(names = "--backoff", defaultValue = "1m", description = "Before the first retry, doubling. Default: ${DEFAULT-VALUE}.")
    String backoff;

    @Option(names = "--timeout", defaultValue = "0", description = "Stop a run after this long (0: never). Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Option(names = "--max-concurrent", defaultValue = "1", description = "Runs of this schedule at once. Default: ${DEFAULT-VALUE}.")
    int maxConcurrent;

    @Option(names = "--catch-up", defaultValue = "once", description = "After downtime: once, all or none. Default: ${DEFAULT-VALUE}.")
    String catchUp;

    @Override
    public Integer call() {
      ObjectNode p = new ObjectMapper().createObjectNode();
      params.forEach(p::put);
      JobCatalog jobs = catalog();
      jobs.check(job, p);
      if (dataset != null && trigger.cron != null) {
        throw new ScheduleException(io.ledgerlake.common.ErrorCategory.USER_ERROR,
            "--dataset goes with --after or --curated");
      }
      Trigger t = trigger.cron != null ? Trigger.Cron.of(trigger.cron, timezone)
          : trigger.curated != null ? new Trigger.Curated(trigger.curated, dataset)
          : new Trigger.OnJob(trigger.after, dataset);
      ScheduleSpec spec = new ScheduleSpec(id, job, p, t, new SchedulePolicy(retries, SchedulesFile.duration(backoff),
          SchedulesFile.duration(timeout), maxConcurrent, SchedulesFile.catchUp(catchUp)));
      ScheduleStore store = store();
      store.add(spec, "cli", System.currentTimeMillis());
      ScheduleStore.Stored s = store.find(id).orElseThrow();
      out().printf("Added schedule %s: %s %s, next: %s%n", id, job, t.describe(), s.nextFireMs() == null
          ? "on each event" : format(Instant.ofEpochMilli(s.nextFireMs()), ((Trigger.Cron) t).zone()));
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a schedule added with 'schedule add', with its history.")
  static final class Remove extends StoreCommand {
    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() {
      ScheduleStore store = store();
      if (store.find(id).map(s -> s.source().equals("file")).orElse(false)) {
        throw new ScheduleException(io.ledgerlake.common.ErrorCategory.USER_ERROR,
            "schedule '" + id + "' is declared in the schedules file; remove it there (or pause it)");
      }
      store.remove(id);
      out().printf("Removed schedule %s%n", id);
      return 0;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a schedule: nothing new starts until resumed.")
  static final class Pause extends StoreCommand {
    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() {
      store().setPaused(id, true, System.currentTimeMillis());
      out().printf("Paused schedule %s%n", id);
      return 0;
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Resume a schedule; missed cron ticks follow its catch-up policy, missed events all fire.")
  static final class Resume extends StoreCommand {
    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() {
      store().setPaused(id, false, System.currentTimeMillis());
      out().printf("Resumed schedule %s%n", id);
      return 0;
    }
  }

  @Command(name = "run-now", mixinStandardHelpOptions = true,
      description = "Queue a run of a schedule now; a running scheduler starts it at its next poll.")
  static final class RunNow extends StoreCommand {
    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() {
      String tick = store().runNow(id, System.currentTimeMillis());
      out().printf("Queued %s (see 'ledgerlake schedule history %s')%n", tick, id);
      return 0;
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = "Latest ticks of a schedule (or of all): trigger, status, attempts, run id (ops.job_runs), error.")
  static final class History extends StoreCommand {
    @Parameters(paramLabel = "ID", arity = "0..1") String id;

    @Option(names = "--limit", defaultValue = "20", description = "Ticks to show. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public Integer call() {
      ScheduleStore store = store();
      if (id != null && store.find(id).isEmpty()) {
        throw new ScheduleException(io.ledgerlake.common.ErrorCategory.USER_ERROR,
            "no schedule '" + id + "' (see 'ledgerlake schedule list')");
      }
      List<ScheduleStore.Tick> ticks = store.history(id, limit);
      if (ticks.isEmpty()) {
        out().println("No runs yet.");
        return 0;
      }
      out().printf("%-24s %-20s %-9s %-7s %-36s %s%n", "SCHEDULE", "FIRED", "STATUS", "ATTEMPT", "RUN", "TRIGGER / ERROR");
      for (ScheduleStore.Tick t : ticks) {
        out().printf("%-24s %-20s %-9s %-7d %-36s %s%n", t.scheduleId(),
            DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(t.fireMs())), t.status(), t.attempt(),
            t.runId() == null ? "-" : t.runId(), t.error() == null ? t.trigger() : t.error());
      }
      return 0;
    }
  }

  static String format(Instant t, ZoneId zone) {
    return ZonedDateTime.ofInstant(t, zone).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx"));
  }
}
