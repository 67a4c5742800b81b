package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.curation.CurationDecision;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.consensus.DatasetConsensus;
import io.ledgerlake.labeling.report.QualityReport;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/** {@code ledgerlake quality --dataset ID}: the {@link QualityReport} from label.labels and label.annotations. */
public final class QualityReports {
  private final Lakehouse lakehouse;
  private final LabelingOptions options;

  public QualityReports(Lakehouse lakehouse, LabelingOptions options) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.options = requireNonNull(options, "options");
  }

  /**
   * @param topN annotators listed at each end
   * @param minAnswers annotators with fewer answers compared with consensus are not ranked
   */
  public QualityReport build(String datasetId, int topN, int minAnswers) {
    Table t = lakehouse.table(TableModel.LABEL_LABELS);
    t.refresh();
    List<Label> labels = new ArrayList<>();
    Map<String, List<Label>> curation = new TreeMap<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(t).where(Expressions.equal("dataset_id", datasetId)).build()) {
      for (Record r : rows) {
        Label l = LabelRows.fromRow(r);
        if (l.labelerId().startsWith(LabelRows.CURATION + "@")) {
          curation.computeIfAbsent(l.recordCid(), k -> new ArrayList<>()).add(l);
        } else {
          labels.add(l);
        }
      }
    } catch (IOException e) {
      throw new LabelingStageException(ErrorCategory.EXTERNAL,
          "reading label.labels failed: " + e.getMessage() + "; check the warehouse and retry", e);
    }
    List<CurationDecision> decisions = new ArrayList<>();
    curation.forEach((cid, rows) -> decisions.add(LabelRows.decisionOf(cid, rows)));
    DatasetConsensus consensus = new ConsensusJob(lakehouse, options)
        .compute(new AnnotationTable(lakehouse).annotations(datasetId), DatasetConsensus.Method.DAWID_SKENE);
    return QualityReport.build(labels, decisions, consensus, topN, minAnswers);
  }
}
