package io.ledgerlake.cli;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.LakehouseInitializer;
import picocli.CommandLine.Command;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create the catalog and all tables (idempotent).",
      "Creates missing tables and adds columns that a newer LedgerLake defines;",
      "running it again changes nothing."
    })
final class InitCommand extends LakehouseCommand {
  @Override
  public Integer call() {
    try (Lakehouse lakehouse = openLakehouse()) {
      LakehouseInitializer.Report report = lakehouse.init();
      out().printf(
          "Catalog %s at %s: %d tables created, %d evolved, %d unchanged.%n",
          lakehouse.options().catalogName(),
          lakehouse.options().catalogType() == io.ledgerlake.lakehouse.LakehouseOptions.CatalogType.SQLITE
              ? lakehouse.options().sqliteFile()
              : lakehouse.options().catalogUri(),
          report.created().size(),
          report.evolved().size(),
          report.unchanged().size());
      report.evolved().forEach(t -> out().printf("  evolved %s%n", t));
      return 0;
    }
  }
}
