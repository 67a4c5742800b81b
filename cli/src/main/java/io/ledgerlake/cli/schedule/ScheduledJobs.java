package io.ledgerlake.cli.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.cli.label.LabelSettings;
import io.ledgerlake.jobs.maintenance.LabelConsensusJob;
import io.ledgerlake.jobs.maintenance.LabelRunJob;
import io.ledgerlake.jobs.maintenance.LineageRefreshJob;
import io.ledgerlake.jobs.reconcile.Reconciler;
import io.ledgerlake.jobs.reconcile.ReconcileJob;
import io.ledgerlake.jobs.schedule.JobCatalog;
import io.ledgerlake.jobs.schedule.JobInvocation;
import io.ledgerlake.jobs.schedule.SchedulableJob;
import io.ledgerlake.lakehouse.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.rag.RagOptions;
import io.ledgerlake.rag.embed.EmbedJob;
import io.ledgerlake.rag.index.IndexBuildJob;
import io.ledgerlake.rag.index.IndexStore;
import io.ledgerlake.training.Algorithm;
import io.ledgerlake.training.LabelSource;
import io.ledgerlake.training.TrainJob;
import io.ledgerlake.training.TrainParams;
import io.ledgerlake.training.TrainingOptions;
import java.util.Set;

/**
 * The jobs schedules may name, wired with this process's settings: the same jobs and parameters as the commands that
 * run them by hand ({@code reconcile}, {@code train}, {@code embed}, {@code rag build}, {@code label run},
 * {@code label consensus}, {@code lineage refresh}). Parameters are strings in a
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
                p.has("max_depth") ? Integer.parseInt(p.get("max_depth").asText()) : 0))));
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
