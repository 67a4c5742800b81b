package io.ledgerlake.lakehouse.lineage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * Builds OpenLineage run events for LedgerLake jobs and stores them in {@code lineage.events},
 * with the full event JSON in {@code payload} and the input CIDs and outputs pulled out as columns
 * so lineage can be queried in SQL without parsing JSON.
 *
 * <p>Dataset naming: content is {@code ipfs://<cid>} (namespace {@code ipfs}, name the CID); a table
 * snapshot is namespace {@code iceberg://<catalog>}, name {@code <namespace.table>}, with the
 * snapshot id as the OpenLineage dataset version. {@code outputs} holds {@code table@snapshot}.
 */
public final class LineageEvents {
  /** The producer URI OpenLineage requires on every event. */
  public static final URI PRODUCER = URI.create("https://github.com/ledgerlake/ledgerlake");

  public static final String JOB_NAMESPACE = "ledgerlake";
  public static final String IPFS_NAMESPACE = "ipfs";

  private static final OpenLineage OL = new OpenLineage(PRODUCER);

  private LineageEvents() {}

  /** One table snapshot written by a run. */
  public record TableOutput(String table, long snapshotId) {
    public TableOutput {
      requireNonNull(table, "table");
    }

    @Override
    public String toString() {
      return table + "@" + snapshotId;
    }
  }

  /** A completed run: its job, inputs (content CIDs) and outputs (table snapshots). */
  public record Run(
      UUID runId,
      String jobName,
      ZonedDateTime eventTime,
      List<String> inputCids,
      List<TableOutput> outputs,
      Map<String, String> runFacts) {
    public Run {
      requireNonNull(runId, "runId");
      requireNonNull(jobName, "jobName");
      requireNonNull(eventTime, "eventTime");
      inputCids = List.copyOf(inputCids);
      outputs = List.copyOf(outputs);
      runFacts = Map.copyOf(runFacts);
    }

    /** Stable id of the COMPLETE event of this run; used to make recording idempotent. */
    public String eventId() {
      return runId + ":COMPLETE";
    }
  }

  /** The OpenLineage COMPLETE event of {@code run}, as JSON. */
  public static String toOpenLineageJson(Run run, String catalogName) {
    List<OpenLineage.InputDataset> inputs = new ArrayList<>();
    for (String cid : run.inputCids()) {
      inputs.add(OL.newInputDatasetBuilder().namespace(IPFS_NAMESPACE).name(cid).build());
    }
    List<OpenLineage.OutputDataset> outputs = new ArrayList<>();
    for (TableOutput out : run.outputs()) {
      outputs.add(
          OL.newOutputDatasetBuilder()
              .namespace("iceberg://" + catalogName)
              .name(out.table())
              .facets(
                  OL.newDatasetFacetsBuilder()
                      .version(OL.newDatasetVersionDatasetFacet(Long.toString(out.snapshotId())))
                      .build())
              .build());
    }
    OpenLineage.RunEvent event =
        OL.newRunEventBuilder()
            .eventType(OpenLineage.RunEvent.EventType.COMPLETE)
            .eventTime(run.eventTime())
            .run(OL.newRunBuilder().runId(run.runId()).build())
            .job(OL.newJobBuilder().namespace(JOB_NAMESPACE).name(run.jobName()).build())
            .inputs(inputs)
            .outputs(outputs)
            .build();
    return OpenLineageClientUtils.toJson(event);
  }

  /**
   * Appends the COMPLETE events of {@code runs} to {@code lineage.events} in one commit.
   *
   * @param summary snapshot-summary properties committed atomically with the events (a cursor)
   * @return the new snapshot id of {@code lineage.events}, or -1 when there was nothing to write
   */
  public static long record(Lakehouse lakehouse, List<Run> runs, Map<String, String> summary) {
    if (runs.isEmpty() && summary.isEmpty()) {
      return -1;
    }
    Table events = lakehouse.table(TableModel.LINEAGE_EVENTS);
    List<Record> rows = new ArrayList<>();
    for (Run run : runs) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("event_id", run.eventId());
      v.put("event_time", OffsetDateTime.ofInstant(run.eventTime().toInstant(), ZoneOffset.UTC));
      v.put("event_type", "COMPLETE");
      v.put("job_namespace", JOB_NAMESPACE);
      v.put("job_name", run.jobName());
      v.put("run_id", run.runId().toString());
      v.put("input_cids", run.inputCids());
      v.put("outputs", run.outputs().stream().map(TableOutput::toString).toList());
      v.put("payload", toOpenLineageJson(run, lakehouse.options().catalogName()));
      rows.add(Rows.of(events.schema(), v));
    }
    return TableAppender.append(events, rows, summary);
  }

  /** A job run's event type, as OpenLineage names them. */
  public enum EventType {
    START,
    COMPLETE,
    FAIL
  }

  /**
   * One event of a Job runner's run: inputs as table snapshots (Iceberg datasets with their snapshot id as version) and
   * content CIDs, outputs likewise, and for FAIL the error message.
   */
  public record JobEvent(UUID runId, String jobName, EventType type, ZonedDateTime eventTime,
      List<TableOutput> inputTables, List<String> inputCids, List<TableOutput> outputTables, List<String> outputCids,
      String error) {
    public JobEvent {
      requireNonNull(runId, "runId");
      requireNonNull(jobName, "jobName");
      requireNonNull(type, "type");
      requireNonNull(eventTime, "eventTime");
      inputTables = List.copyOf(inputTables);
      inputCids = List.copyOf(inputCids);
      outputTables = List.copyOf(outputTables);
      outputCids = List.copyOf(outputCids);
    }

    public String eventId() {
      return runId + ":" + type;
    }
  }

  /** The OpenLineage JSON of {@code event}. */
  public static String toOpenLineageJson(JobEvent event, String catalogName) {
    List<OpenLineage.InputDataset> inputs = new ArrayList<>();
    for (TableOutput in : event.inputTables()) {
      inputs.add(OL.newInputDatasetBuilder().namespace("iceberg://" + catalogName).name(in.table())
          .facets(OL.newDatasetFacetsBuilder().version(OL.newDatasetVersionDatasetFacet(Long.toString(in.snapshotId()))).build())
          .build());
    }
    for (String cid : event.inputCids()) {
      inputs.add(OL.newInputDatasetBuilder().namespace(IPFS_NAMESPACE).name(cid).build());
    }
    List<OpenLineage.OutputDataset> outputs = new ArrayList<>();
    for (TableOutput out : event.outputTables()) {
      outputs.add(OL.newOutputDatasetBuilder().namespace("iceberg://" + catalogName).name(out.table())
          .facets(OL.newDatasetFacetsBuilder().version(OL.newDatasetVersionDatasetFacet(Long.toString(out.snapshotId()))).build())
          .build());
    }
    for (String cid : event.outputCids()) {
      outputs.add(OL.newOutputDatasetBuilder().namespace(IPFS_NAMESPACE).name(cid).build());
    }
    OpenLineage.RunBuilder run = OL.newRunBuilder().runId(event.runId());
    if (event.error() != null) {
      run.facets(OL.newRunFacetsBuilder().errorMessage(OL.newErrorMessageRunFacet(event.error(), "Java", null)).build());
    }
    OpenLineage.RunEvent ol = OL.newRunEventBuilder()
        .eventType(OpenLineage.RunEvent.EventType.valueOf(event.type().name()))
        .eventTime(event.eventTime())
        .run(run.build())
        .job(OL.newJobBuilder().namespace(JOB_NAMESPACE).name(event.jobName()).build())
        .inputs(inputs)
        .outputs(outputs)
        .build();
    return OpenLineageClientUtils.toJson(ol);
  }

  /** Appends one job event to {@code lineage.events}; returns the new snapshot id. */
  public static long record(Lakehouse lakehouse, JobEvent event) {
    Table events = lakehouse.table(TableModel.LINEAGE_EVENTS);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("event_id", event.eventId());
    v.put("event_time", OffsetDateTime.ofInstant(event.eventTime().toInstant(), ZoneOffset.UTC));
    v.put("event_type", event.type().name());
    v.put("job_namespace", JOB_NAMESPACE);
    v.put("job_name", event.jobName());
    v.put("run_id", event.runId().toString());
    List<String> inputCids = new ArrayList<>(event.inputCids());
    v.put("input_cids", inputCids);
    List<String> outs = new ArrayList<>();
    event.outputTables().forEach(o -> outs.add(o.toString()));
    event.outputCids().forEach(c -> outs.add("ipfs://" + c));
    v.put("outputs", outs);
    v.put("payload", toOpenLineageJson(event, lakehouse.options().catalogName()));
    return TableAppender.append(events, List.of(Rows.of(events.schema(), v)));
  }
}
