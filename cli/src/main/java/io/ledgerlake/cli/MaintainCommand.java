package io.ledgerlake.cli;

import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.jobs.maintenance.TableMaintenanceJob;
import io.ledgerlake.jobs.schedule.SchedulesFile;
import io.ledgerlake.lakehouse.Lakehouse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "Table maintenance of chosen tables: rewrite the small data files of each partition (at least",
      "--min-input-files of them) into larger ones, then expire snapshots older than --expire-older-than beyond the",
      "newest --retain-last (tagged snapshots, i.e. published versions, are kept). One ops.job_runs row",
      "(table-maintenance); schedule it with 'schedule add ... --job table-maintenance --param tables=...'."
    })
final class MaintainCommand extends LakehouseCommand {
  @Option(names = "--tables", required = true, split = ",", paramLabel = "NS.TABLE",
      description = "Tables, comma-separated, e.g. label.labels,chain.events.")
  List<String> tables;

  @Option(names = "--no-compact", description = "Only expire snapshots.")
  boolean noCompact;

  @Option(names = "--min-input-files", defaultValue = "" + TableMaintenanceJob.MIN_INPUT_FILES_DEFAULT,
      paramLabel = "N", description = "Small files a partition needs to be rewritten. Default: ${DEFAULT-VALUE}.")
  int minInputFiles;

  @Option(names = "--expire-older-than", defaultValue = "7d", paramLabel = "AGE",
      description = "Snapshot age to expire (30s, 5m, 1h, 7d; 0: no expiry). Default: ${DEFAULT-VALUE}.")
  String expireOlderThan;

  @Option(names = "--retain-last", defaultValue = "" + TableMaintenanceJob.RETAIN_LAST_DEFAULT, paramLabel = "N",
      description = "Newest snapshots always kept. Default: ${DEFAULT-VALUE}.")
  int retainLast;

  @Override
  public Integer call() throws Exception {
    TableMaintenanceJob.Params params = new TableMaintenanceJob.Params(
        tables.stream().map(String::strip).filter(t -> !t.isEmpty()).toList(), !noCompact, minInputFiles,
        TableMaintenanceJob.MAX_GROUP_BYTES_DEFAULT, SchedulesFile.duration(expireOlderThan), retainLast);
    try (Lakehouse lakehouse = openLakehouse()) {
      new JobRunner(lakehouse, out()).run(new TableMaintenanceJob(), params);
      return 0;
    }
  }
}
