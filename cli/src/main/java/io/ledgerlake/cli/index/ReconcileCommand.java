package io.ledgerlake.cli.index;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.cli.ExitCodes;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.jobs.reconcile.ReconcileItem;
import io.ledgerlake.jobs.reconcile.ReconcileReport;
import io.ledgerlake.jobs.reconcile.Reconciler;
import io.ledgerlake.lakehouse.Lakehouse;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description = {
      "Check that the chain, the lakehouse and the content store tell the same story.",
      "Rebuilds each on-chain version's manifest from its lakehouse tag and compares roots,",
      "compares receipts with recomputed shares, checks every publish run is on chain and",
      "every record and upload hashes to its CID. Results go to ops.reconciliation.",
      "Reads the indexed chain: run 'ledgerlake index --once' first.",
      "Exit code 1 if anything differs."
    })
public final class ReconcileCommand extends LakehouseCommand {
  @Option(names = "--all", description = "Print matching items too, not only discrepancies.")
  boolean all;

  @Override
  public Integer call() {
    try (Lakehouse lakehouse = openLakehouse()) {
      ReconcileReport report = new Reconciler(lakehouse, ContentSettings.open(settings())).run();
      List<ReconcileItem> shown = all ? report.items() : report.discrepancies();
      shown.forEach(i -> out().printf("  %s%n", i.describe()));
      String counts = report.counts().entrySet().stream().filter(e -> e.getValue() > 0)
          .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
      out().printf("Reconciled %d item(s): %s (run %s, in ops.reconciliation)%n", report.items().size(),
          counts.isEmpty() ? "nothing to check" : counts, report.runId());
      if (!report.clean()) {
        out().printf("%d discrepancy(ies) found%n", report.discrepancies().size());
        return ExitCodes.FAILURE;
      }
      return ExitCodes.OK;
    }
  }
}
