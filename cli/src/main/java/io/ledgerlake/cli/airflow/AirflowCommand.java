package io.ledgerlake.cli.airflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.common.Categorized;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.jobs.airflow.AirflowClient;
import io.ledgerlake.jobs.airflow.AirflowOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "airflow",
    mixinStandardHelpOptions = true,
    description = {
      "Apache Airflow 3 integration through its REST API (/api/v2): trigger LedgerLake's DAGs (jobs/airflow/) and",
      "follow their runs. Configure ledgerlake.airflow.url, .username and .password (env LEDGERLAKE_AIRFLOW_*)."
    },
    subcommands = {AirflowCommand.Trigger.class, AirflowCommand.Status.class, AirflowCommand.Clear.class,
        AirflowCommand.AssetEvent.class})
public final class AirflowCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: trigger, status, clear or asset-event");
  }

  /** Not configured is the user's to fix: one line naming the key. */
  static final class NotConfigured extends RuntimeException implements Categorized {
    NotConfigured() {
      super("Airflow is not configured: set " + AirflowOptions.URL + " (env LEDGERLAKE_AIRFLOW_URL), "
          + AirflowOptions.USERNAME + " and " + AirflowOptions.PASSWORD);
    }

    @Override
    public ErrorCategory errorCategory() {
      return ErrorCategory.USER_ERROR;
    }
  }

  /**
   * After {@code publish}: an asset event on {@link AirflowOptions#PUBLISH_ASSET_ID} when configured. The version is
   * published already, so a failure here is reported on one line and is not the command's failure.
   */
  public static void notifyPublished(io.ledgerlake.common.config.Settings settings, java.io.PrintWriter out,
      String dataset, String tag, String manifestCid) {
    AirflowOptions options = AirflowOptions.from(settings).orElse(null);
    if (options == null || options.publishAssetId() == null) {
      return;
    }
    ObjectNode extra = new ObjectMapper().createObjectNode().put("dataset", dataset).put("version", tag)
        .put("manifest_cid", manifestCid);
    try {
      AirflowClient.AssetEvent e = new AirflowClient(options).assetEvent(options.publishAssetId(), extra);
      out.printf("Airflow: asset event %d on asset %d%n", e.id(), e.assetId());
    } catch (RuntimeException e) {
      out.printf("Airflow not notified: %s%n", e.getMessage());
    }
  }

  abstract static class ClientCommand extends LakehouseCommand {
    AirflowClient client() {
      return new AirflowClient(AirflowOptions.from(settings()).orElseThrow(NotConfigured::new));
    }
  }

  @Command(name = "trigger", mixinStandardHelpOptions = true, description = "Trigger a DAG run with conf.")
  static final class Trigger extends ClientCommand {
    @Parameters(index = "0", paramLabel = "DAG_ID") String dagId;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A conf entry (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--run-id", description = "Run id (default: Airflow names it); an existing id is an error.")
    String runId;

    @Override
    public Integer call() {
      ObjectNode c = new ObjectMapper().createObjectNode();
      conf.forEach(c::put);
      AirflowClient.DagRun run = client().trigger(dagId, runId, c, "triggered by ledgerlake");
      out().printf("Triggered %s run %s (%s)%n", run.dagId(), run.runId(), run.state());
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "A DAG run's state and its task instances.")
  static final class Status extends ClientCommand {
    @Parameters(index = "0", paramLabel = "DAG_ID") String dagId;

    @Parameters(index = "1", paramLabel = "RUN_ID") String runId;

    @Override
    public Integer call() {
      AirflowClient client = client();
      AirflowClient.DagRun run = client.dagRun(dagId, runId);
      out().printf("%s run %s: %s (%s, queued %s, started %s, ended %s)%n", run.dagId(), run.runId(), run.state(),
          run.runType(), run.queuedAt(), run.startDate(), run.endDate());
      for (AirflowClient.TaskInstance t : client.taskInstances(dagId, runId)) {
        out().printf("  %-24s %-16s try %d/%d%s%n", t.taskId() + (t.mapIndex() >= 0 ? "[" + t.mapIndex() + "]" : ""),
            t.state() == null ? "none" : t.state(), t.tryNumber(), t.maxTries() + 1,
            t.duration() == null ? "" : String.format("  %.1f s", t.duration()));
      }
      return run.state().equals("failed") ? 1 : 0;
    }
  }

  @Command(name = "clear", mixinStandardHelpOptions = true, description = "Clear a DAG run so Airflow runs it again.")
  static final class Clear extends ClientCommand {
    @Parameters(index = "0", paramLabel = "DAG_ID") String dagId;

    @Parameters(index = "1", paramLabel = "RUN_ID") String runId;

    @Option(names = "--only-failed", description = "Only the failed tasks.") boolean onlyFailed;

    @Override
    public Integer call() {
      client().clear(dagId, runId, onlyFailed);
      out().printf("Cleared %s run %s%s%n", dagId, runId, onlyFailed ? " (failed tasks)" : "");
      return 0;
    }
  }

  @Command(name = "asset-event", mixinStandardHelpOptions = true,
      description = {"Tell Airflow an asset changed, e.g. a published dataset version (DAGs scheduled on it run).",
          "ASSET_ID is Airflow's numeric asset id (see GET /api/v2/assets)."})
  static final class AssetEvent extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ASSET_ID") long assetId;

    @Option(names = "--extra", paramLabel = "KEY=VALUE", description = "Event extra, e.g. version=ds1-v2 (repeatable).")
    Map<String, String> extra = new LinkedHashMap<>();

    @Override
    public Integer call() {
      ObjectNode e = new ObjectMapper().createObjectNode();
      extra.forEach(e::put);
      AirflowClient.AssetEvent event = client().assetEvent(assetId, e);
      out().printf("Asset event %d on asset %d at %s%n", event.id(), event.assetId(), event.timestamp());
      return 0;
    }
  }
}
