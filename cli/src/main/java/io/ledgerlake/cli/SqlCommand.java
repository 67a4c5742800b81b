package io.ledgerlake.cli;

import io.ledgerlake.cli.output.ResultFormat;
import io.ledgerlake.lakehouse.spark.LakehouseSpark;
import io.ledgerlake.lakehouse.spark.QueryResult;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.spark.SqlRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run Spark SQL over the lakehouse (read-only unless --allow-writes).",
      "Tables are named namespace.table, e.g. ingest.records. A dataset version reads",
      "as: select ... from ingest.records VERSION AS OF '<dataset>-v<n>'."
    })
final class SqlCommand extends LakehouseCommand {
  @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL statement (quote it).")
  String query;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ResultFormat format;

  @Option(
      names = "--max-rows",
      defaultValue = "1000",
      description = "Print at most this many rows (default: ${DEFAULT-VALUE}).")
  int maxRows;

  @Option(
      names = "--allow-writes",
      description = {"Allow DDL and DML (DROP, DELETE, INSERT, ALTER, CREATE, ...). Administrators only: a dropped or",
          "rewritten table loses the platform's record of contributions and payouts. Also ledgerlake.sql.allow-writes."})
  boolean allowWrites;

  @Override
  public Integer call() {
    var settings = settings();
    var lakehouse = io.ledgerlake.lakehouse.LakehouseOptions.from(settings);
    // Open the catalog once through the Java API first: it creates the data directory and gives
    // clear errors for a locked or corrupt catalog before Spark starts.
    openLakehouse().close();
    SparkOptions spark = SparkOptions.from(settings);
    SqlRunner runner = new SqlRunner(LakehouseSpark.session(lakehouse, spark), allowWrites || spark.sqlAllowWrites());
    QueryResult result = runner.run(query, maxRows);
    format.print(out(), result.columns(), result.rows(), result.truncated());
    return 0;
  }
}
