package io.ledgerlake.cli;

import io.ledgerlake.cli.output.ResultFormat;
import io.ledgerlake.jobs.demo.Demo;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.spark.LakehouseSpark;
import io.ledgerlake.lakehouse.spark.QueryResult;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the main job end to end on the embedded defaults.",
      "Creates the catalog, ingests a small generated dataset into ingest.records, tags it",
      "as a dataset version and queries it with Spark SQL. Running it again adds nothing:",
      "the same content is recognised by its CIDs."
    })
final class DemoCommand extends LakehouseCommand {
  @Option(
      names = "--records",
      defaultValue = "300",
      description = "Records to generate (default: ${DEFAULT-VALUE}).")
  int records;

  @Override
  public Integer call() {
    var settings = settings();
    try (Lakehouse lakehouse = openLakehouse()) {
      Demo demo = new Demo(lakehouse, out());
      Demo.Result result = demo.run(records);
      out().println();
      out().printf("Step 4/4: query with Spark SQL%n  %s%n", Demo.QUERY);
      QueryResult rows =
          Demo.query(LakehouseSpark.session(lakehouse.options(), SparkOptions.from(settings)));
      ResultFormat.table.print(out(), rows.columns(), rows.rows(), rows.truncated());
      out().println();
      out().printf(
          "Done: dataset '%s' has %d records in ingest.records (version tag %s).%n",
          Demo.DATASET, result.datasetRecords(), result.tag());
      out().printf("Try: ./ledgerlake sql \"select count(*) from ingest.records\"%n");
      return 0;
    }
  }
}
