package io.ledgerlake.cli;

import io.ledgerlake.cli.output.ResultFormat;
import io.ledgerlake.lakehouse.spark.LakehouseSpark;
import io.ledgerlake.lakehouse.spark.QueryResult;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.spark.SqlRunner;
import io.ledgerlake.sqlserver.SqlServiceOptions;
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

  @Option(
      names = "--url",
      paramLabel = "postgresql://HOST:PORT",
      description = {"Run the query on a SQL service (ledgerlake sql-server) instead of starting Spark here. Without",
          "--url, a service answering on ledgerlake.sql-server.port is used when credentials are at hand (below),",
          "else the query runs in a local Spark session. --allow-writes always runs locally."})
  String url;

  @Option(
      names = "--user",
      paramLabel = "ADDRESS",
      description = {"User for the SQL service: your EVM address (default: env PGUSER, else the service account of",
          "ledgerlake.sql-server.service-user). The password is env PGPASSWORD, else the token of ledgerlake login."})
  String user;

  @Override
  public Integer call() {
    var settings = settings();
    if (!allowWrites) {
      String serviceUrl = serviceUrl(settings);
      if (serviceUrl != null) {
        SqlServiceClient.Credentials credentials = credentials(settings);
        if (credentials == null) {
          throw new io.ledgerlake.lakehouse.LakehouseException(io.ledgerlake.common.ErrorCategory.USER_ERROR,
              "no credentials for the SQL service: pass --user <address> (or set PGUSER) and run ledgerlake login "
                  + "(or set PGPASSWORD)");
        }
        QueryResult result = SqlServiceClient.query(serviceUrl, credentials, query, maxRows);
        format.print(out(), result.columns(), result.rows(), result.truncated());
        return 0;
      }
    }
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

  /** --url, else the configured service when it answers and credentials exist, else null (run locally). */
  private String serviceUrl(io.ledgerlake.common.config.Settings settings) {
    if (url != null) {
      return url;
    }
    if (credentials(settings) == null) {
      return null;
    }
    SqlServiceOptions service = SqlServiceOptions.from(settings);
    String host = SqlServiceClient.connectHost(service.bind());
    return SqlServiceClient.answers(host, service.port()) ? "postgresql://" + host + ":" + service.port() : null;
  }

  private SqlServiceClient.Credentials credentials(io.ledgerlake.common.config.Settings settings) {
    java.util.Map<String, String> env = LedgerLake.environment();
    String who = user != null ? user : env.get("PGUSER");
    SqlServiceOptions service = SqlServiceOptions.from(settings);
    if (who == null && service.serviceUser().isPresent()) {
      return new SqlServiceClient.Credentials(service.serviceUser().get(), service.servicePassword().orElseThrow());
    }
    if (who == null) {
      return null;
    }
    String password = env.get("PGPASSWORD");
    if (password == null) {
      java.nio.file.Path tokenFile = io.ledgerlake.cli.ingest.IngestSettings.tokenFile(settings);
      try {
        password = java.nio.file.Files.isReadable(tokenFile) ? java.nio.file.Files.readString(tokenFile).strip() : null;
      } catch (java.io.IOException e) {
        password = null;
      }
    }
    return password == null ? null : new SqlServiceClient.Credentials(who, password);
  }
}
