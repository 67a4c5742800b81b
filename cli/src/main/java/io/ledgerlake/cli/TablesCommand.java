package io.ledgerlake.cli;

import io.ledgerlake.cli.output.ResultFormat;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableStatus;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "tables",
    mixinStandardHelpOptions = true,
    description = "List tables with rows, current snapshot and last commit time.")
final class TablesCommand extends LakehouseCommand {
  @Option(
      names = "--format",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ResultFormat format;

  @Override
  public Integer call() {
    try (Lakehouse lakehouse = openLakehouse()) {
      List<List<Object>> rows = new ArrayList<>();
      List<TableStatus> statuses = lakehouse.status();
      for (TableStatus s : statuses) {
        List<Object> row = new ArrayList<>();
        row.add(s.name());
        row.add(s.exists() ? s.rows() : null);
        row.add(s.snapshotId().isPresent() ? s.snapshotId().getAsLong() : null);
        row.add(s.lastCommit().orElse(null));
        rows.add(row);
      }
      format.print(
          out(), List.of("table", "rows", "current_snapshot", "last_commit"), rows, false);
      if (statuses.stream().anyMatch(s -> !s.exists())) {
        err().println("Some tables do not exist yet: run 'ledgerlake init'.");
      }
      return 0;
    }
  }
}
