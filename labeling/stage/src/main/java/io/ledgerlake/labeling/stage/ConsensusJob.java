package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.consensus.ConsensusLabel;
import io.ledgerlake.labeling.consensus.DatasetConsensus;
import io.ledgerlake.labeling.consensus.DawidSkene;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * {@code ledgerlake label consensus --dataset ID}: reads the dataset's annotations, computes majority vote and
 * Dawid-Skene consensus, and appends both to {@code label.consensus} in one commit under one {@code run_id}. Earlier
 * runs stay (history); the current consensus is the latest run per dataset (query in docs/labeling.md).
 */
public final class ConsensusJob {
  /** The one label key of a dataset's annotation schema (schemas have one field). */
  public static final String LABEL_KEY = "label";
  public static final String RUN_KEY = "ledgerlake.labeling.consensus-run";

  /** What one run computed and wrote. */
  public record Result(String runId, Map<DatasetConsensus.Method, DatasetConsensus> byMethod, int rows) {}

  private final Lakehouse lakehouse;
  private final DawidSkene dawidSkene;

  public ConsensusJob(Lakehouse lakehouse, LabelingOptions options) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.dawidSkene = new DawidSkene(options.dawidSkeneMaxIterations(), options.dawidSkeneTolerance(), 0.01);
  }

  /** Computes without writing (for the quality report). */
  public DatasetConsensus compute(List<Annotation> annotations, DatasetConsensus.Method method) {
    return DatasetConsensus.compute(annotations, AnnotationTable.gold(annotations), method, dawidSkene);
  }

  public Result run(String datasetId) {
    return run(datasetId, UUID.randomUUID().toString());
  }

  /** As {@link #run(String)}, writing {@code runId} (the Job runner's run id when it runs this). */
  public Result run(String datasetId, String runId) {
    List<Annotation> annotations = new AnnotationTable(lakehouse).annotations(datasetId);
    Map<String, Integer> counts = new HashMap<>();
    for (Annotation a : annotations) {
      if (a.status() != Annotation.Status.REJECTED) {
        counts.merge(a.recordCid(), 1, Integer::sum);
      }
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    Table t = lakehouse.table(TableModel.LABEL_CONSENSUS);
    Map<DatasetConsensus.Method, DatasetConsensus> byMethod = new EnumMap<>(DatasetConsensus.Method.class);
    List<Record> rows = new ArrayList<>();
    for (DatasetConsensus.Method m : DatasetConsensus.Method.values()) {
      DatasetConsensus c = compute(annotations, m);
      byMethod.put(m, c);
      for (ConsensusLabel l : c.consensus().values()) {
        Map<String, Object> v = new HashMap<>();
        v.put("record_cid", l.itemId());
        v.put("dataset_id", datasetId);
        v.put("label_key", LABEL_KEY);
        v.put("value", l.label());
        v.put("method", l.method());
        v.put("confidence", l.confidence());
        v.put("annotator_count", counts.getOrDefault(l.itemId(), 0));
        v.put("run_id", runId);
        v.put("computed_at", now);
        rows.add(Rows.of(t.schema(), v));
      }
    }
    if (!rows.isEmpty()) {
      TableAppender.append(t, rows, Map.of(RUN_KEY, runId, "ledgerlake.labeling.dataset", datasetId));
    }
    return new Result(runId, byMethod, rows.size());
  }
}
