package io.ledgerlake.cli.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.cli.chain.ChainSettings;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.cli.index.IndexSettings;
import io.ledgerlake.cli.label.LabelSettings;
import io.ledgerlake.indexer.Indexer;
import io.ledgerlake.jobs.attribution.AttributionOptions;
import io.ledgerlake.jobs.attribution.SettleJob;
import io.ledgerlake.jobs.maintenance.ChainIndexJob;
import io.ledgerlake.jobs.maintenance.LabelConsensusJob;
import io.ledgerlake.jobs.maintenance.LabelRunJob;
import io.ledgerlake.jobs.maintenance.LineageRefreshJob;
import io.ledgerlake.jobs.maintenance.TableMaintenanceJob;
import io.ledgerlake.jobs.reconcile.Reconciler;
import io.ledgerlake.jobs.reconcile.ReconcileJob;
import io.ledgerlake.jobs.schedule.JobCatalog;
import io.ledgerlake.jobs.schedule.JobInvocation;
import io.ledgerlake.jobs.schedule.SchedulableJob;
import io.ledgerlake.jobs.schedule.SchedulesFile;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.rag.RagOptions;
import io.ledgerlake.rag.embed.EmbedJob;
import io.ledgerlake.rag.index.IndexBuildJob;
import io.ledgerlake.rag.index.IndexStore;
import io.ledgerlake.training.Algorithm;
import io.ledgerlake.training.BaseModel;
import io.ledgerlake.training.LabelSource;
import io.ledgerlake.training.TrainJob;
import io.ledgerlake.training.TrainParams;
import io.ledgerlake.training.TrainingOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The jobs schedules may name, wired with this process's settings: the same jobs and parameters as the commands that
 * run them by hand ({@code reconcile}, {@code train}, {@code finetune}, {@code embed}, {@code rag build},
 * {@code label run}, {@code label consensus}, {@code lineage refresh}, {@code index --once},
 * {@code attribution settle}) and table maintenance (compaction and snapshot expiry of chosen tables). Parameters are strings in a
 * schedule; {@code ${dataset}} and {@code ${version}} are bound from the run that triggered an event schedule.
 */
public final class ScheduledJobs {
  private ScheduledJobs() {}

  public static JobCatalog catalog(Settings settings) {
    return JobCatalog.of(
        new SchedulableJob(ReconcileJob.NAME, Set.of(), Set.of(), (p, lakehouse) -> new JobInvocation<>(
            new ReconcileJob(new Reconciler(lakehouse, ContentSettings.open(settings))), new ReconcileJob.Params())),
        new SchedulableJob(TrainJob.NAME, Set.of("dataset", "version"),
            Set.of("label", "algorithm", "seed", "include_excluded", "text_field", "features", "max_iter",
                "test_percent"),
            (p, lakehouse) -> new JobInvocation<>(new TrainJob(ContentSettings.open(settings),
                SparkOptions.from(settings)), train(p, TrainingOptions.from(settings)))),
        new SchedulableJob(EmbedJob.NAME, Set.of("dataset", "version"), Set.of(), (p, lakehouse) ->
            new JobInvocation<>(new EmbedJob(SparkOptions.from(settings), RagOptions.from(settings)),
                new EmbedJob.Params(p.get("dataset").asText(), p.get("version").asText()))),
        new SchedulableJob(IndexBuildJob.NAME, Set.of("dataset", "version"), Set.of(), (p, lakehouse) ->
            new JobInvocation<>(new IndexBuildJob(SparkOptions.from(settings), RagOptions.from(settings),
                IndexStore.inDataDir(ContentSettings.open(settings), lakehouse.options().dataDir())),
                new IndexBuildJob.Params(p.get("dataset").asText(), p.get("version").asText()))),
        // The platform's own steps (io.ledgerlake.jobs.maintenance).
        new SchedulableJob(LabelRunJob.NAME, Set.of(), Set.of(), (p, lakehouse) -> new JobInvocation<>(
            new LabelRunJob(LabelSettings.options(settings), LabelSettings.stageOptions(settings)),
            new LabelRunJob.Params())),
        new SchedulableJob(LabelConsensusJob.NAME, Set.of("dataset"), Set.of(), (p, lakehouse) -> new JobInvocation<>(
            new LabelConsensusJob(LabelSettings.options(settings)), new LabelConsensusJob.Params(p.get("dataset").asText()))),
        new SchedulableJob(LineageRefreshJob.NAME, Set.of(), Set.of("max_depth"), (p, lakehouse) -> new JobInvocation<>(
            new LineageRefreshJob(), new LineageRefreshJob.Params(
                p.has("max_depth") ? Integer.parseInt(p.get("max_depth").asText()) : 0))),
        // A warm start of a trained mlp model; base "latest": the dataset's newest mlp model at run time.
        new SchedulableJob(FINETUNE, Set.of("base", "dataset", "version"),
            Set.of("incremental", "label", "seed", "include_excluded", "max_iter"),
            (p, lakehouse) -> new JobInvocation<>(new TrainJob(ContentSettings.open(settings),
                SparkOptions.from(settings)), finetune(p, lakehouse, TrainingOptions.from(settings)))),
        // Chain jobs: the client or indexer opened for the run is closed by the scheduler when the attempt ends.
        new SchedulableJob(ChainIndexJob.NAME, Set.of(), Set.of(), (p, lakehouse) -> {
          Indexer indexer = IndexSettings.connect(lakehouse, settings);
          return new JobInvocation<>(new ChainIndexJob(indexer), new ChainIndexJob.Params(), indexer);
        }),
        new SchedulableJob(SettleJob.NAME, Set.of(), Set.of("epoch"), (p, lakehouse) -> {
          ProvenanceClient chain = ChainSettings.client(settings, false);
          return new JobInvocation<>(new SettleJob(chain, AttributionOptions.from(settings)),
              new SettleJob.Params(p.has("epoch") ? p.get("epoch").asText() : null), chain);
        }),
        new SchedulableJob(TableMaintenanceJob.NAME, Set.of("tables"),
            Set.of("compact", "min_input_files", "max_group_bytes", "expire_older_than", "retain_last"),
            (p, lakehouse) -> new JobInvocation<>(new TableMaintenanceJob(), maintenance(p))));
  }

  /** The job name schedules use for a fine-tune; its runs are {@code train} runs with a base model. */
  public static final String FINETUNE = "finetune";

  private static TrainParams finetune(ObjectNode p, Lakehouse lakehouse, TrainingOptions d) {
    String dataset = p.get("dataset").asText();
    String base = p.get("base").asText();
    if (base.equals("latest")) {
      base = BaseModel.latestOf(lakehouse, dataset);
    }
    return new TrainParams(dataset, p.get("version").asText(),
        LabelSource.parse(p.path("label").asText("field:label")), Algorithm.MLP,
        Long.parseLong(p.path("seed").asText("42")), Boolean.parseBoolean(p.path("include_excluded").asText("false")),
        d.textField(), BaseModel.numFeaturesOf(lakehouse, base),
        p.has("max_iter") ? Integer.parseInt(p.get("max_iter").asText()) : d.maxIter(), d.testPercent(), base,
        Boolean.parseBoolean(p.path("incremental").asText("false")));
  }

  /** {@code tables}: comma-separated qualified names; the rest as {@link TableMaintenanceJob.Params}. */
  private static TableMaintenanceJob.Params maintenance(ObjectNode p) {
    List<String> tables = Arrays.stream(p.get("tables").asText().split(",")).map(String::strip)
        .filter(t -> !t.isEmpty()).toList();
    return new TableMaintenanceJob.Params(tables, Boolean.parseBoolean(p.path("compact").asText("true")),
        p.has("min_input_files") ? Integer.parseInt(p.get("min_input_files").asText())
            : TableMaintenanceJob.MIN_INPUT_FILES_DEFAULT,
        p.has("max_group_bytes") ? Long.parseLong(p.get("max_group_bytes").asText())
            : TableMaintenanceJob.MAX_GROUP_BYTES_DEFAULT,
        p.has("expire_older_than") ? SchedulesFile.duration(p.get("expire_older_than").asText())
            : TableMaintenanceJob.EXPIRE_OLDER_THAN_DEFAULT,
        p.has("retain_last") ? Integer.parseInt(p.get("retain_last").asText())
            : TableMaintenanceJob.RETAIN_LAST_DEFAULT);
  }

  private static TrainParams train(ObjectNode p, TrainingOptions d) {
    return new TrainParams(p.get("dataset").asText(), p.get("version").asText(),
        LabelSource.parse(p.path("label").asText("field:label")), Algorithm.of(p.path("algorithm").asText("logreg")),
        Long.parseLong(p.path("seed").asText("42")), Boolean.parseBoolean(p.path("include_excluded").asText("false")),
        p.path("text_field").asText(d.textField()),
        p.has("features") ? Integer.parseInt(p.get("features").asText()) : d.numFeatures(),
        p.has("max_iter") ? Integer.parseInt(p.get("max_iter").asText()) : d.maxIter(),
        p.has("test_percent") ? Integer.parseInt(p.get("test_percent").asText()) : d.testPercent());
  }
}
