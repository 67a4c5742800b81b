package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.pii.PiiLabeler;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * A record's text as people other than its contributor may see it (annotators, the web console): the stored
 * PII-redacted copy ({@code pii.redacted_text}) when the labeling stage made one, otherwise the record's text redacted
 * on the fly, so a record not labeled yet is never shown unredacted.
 */
public final class RedactedTexts {
  /** The text and whether anything in it was redacted. */
  public record Text(String text, boolean redacted) {
    public Text {
      requireNonNull(text, "text");
    }
  }

  private final Lakehouse lakehouse;
  private final PiiLabeler pii;

  public RedactedTexts(Lakehouse lakehouse, LabelingOptions options) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.pii = new PiiLabeler(options.piiDefaultRegion(), options.piiMaxRedactedFraction());
  }

  /** Text per record CID of {@code datasetId}; CIDs not in the dataset are absent. */
  public Map<String, Text> of(String datasetId, Collection<String> cids) {
    Map<String, Text> out = new HashMap<>();
    if (cids.isEmpty()) {
      return out;
    }
    // The stage writes a redacted_text row only when it redacted something: for labeled records the fallback below
    // changes nothing.
    Table labels = lakehouse.table(TableModel.LABEL_LABELS);
    labels.refresh();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(labels).where(Expressions.and(
        Expressions.equal("dataset_id", datasetId), Expressions.equal("label_key", LabelRows.REDACTED_TEXT_KEY),
        Expressions.in("record_cid", cids.toArray()))).select("record_cid", "value").build()) {
      for (Record r : rows) {
        out.put((String) r.getField("record_cid"), new Text((String) r.getField("value"), true));
      }
    } catch (IOException e) {
      throw external("label.labels", e);
    }
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    records.refresh();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(records).where(Expressions.and(
        Expressions.equal("dataset_id", datasetId), Expressions.in("record_cid", cids.toArray())))
        .select("record_cid", "record_json").build()) {
      for (Record r : rows) {
        String cid = (String) r.getField("record_cid");
        if (!out.containsKey(cid)) {
          var redaction = pii.redact(RecordText.of((String) r.getField("record_json")));
          out.put(cid, new Text(redaction.redactedText(), !redaction.matches().isEmpty()));
        }
      }
    } catch (IOException e) {
      throw external("ingest.records", e);
    }
    return out;
  }

  private static LabelingStageException external(String table, IOException e) {
    return new LabelingStageException(ErrorCategory.EXTERNAL, "reading " + table + " failed: " + e.getMessage()
        + "; check the warehouse and retry", e);
  }
}
