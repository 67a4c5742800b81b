package io.ledgerlake.rag;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/** Writes ingest.records and label.labels rows the way ingestion and the labeling stage do, for the rag tests. */
public final class RagFixture {
  public static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 22, 0, 0, 0, 0, ZoneOffset.UTC);

  private RagFixture() {}

  public static String contributorOf(String cid) {
    return "0x" + Integer.toHexString(Math.abs(cid.hashCode()) % 256 | 0x100).substring(1).repeat(20);
  }

  /** Appends records {@code cid -> text} of {@code dataset} to ingest.records in one commit. */
  public static void ingest(Lakehouse lakehouse, String dataset, Map<String, String> cidToText) {
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    List<Record> rows = new ArrayList<>();
    cidToText.forEach((cid, text) -> {
      String json = "{\"text\":" + com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(text) + "}";
      Map<String, Object> v = new HashMap<>();
      v.put("record_cid", cid);
      v.put("dataset_id", dataset);
      v.put("submission_id", "sub-1");
      v.put("contributor", contributorOf(cid));
      v.put("content_cid", "bafybeicontent");
      v.put("record_json", json);
      v.put("byte_size", json.length());
      v.put("ingested_at", T0);
      rows.add(Rows.of(records.schema(), v));
    });
    TableAppender.append(records, rows);
  }

  /** The curation row of the labeling stage: {@code included} or {@code excluded}. */
  public static void curate(Lakehouse lakehouse, String dataset, String cid, boolean included, OffsetDateTime at) {
    label(lakehouse, dataset, cid, "curation", "1+harmful", "curation", included ? "included" : "excluded", at);
  }

  /** The PII labeler's redacted copy of a record's text. */
  public static void redact(Lakehouse lakehouse, String dataset, String cid, String redacted) {
    label(lakehouse, dataset, cid, "pii", "1", "pii.redacted_text", redacted, T0);
  }

  static void label(Lakehouse lakehouse, String dataset, String cid, String labeler, String version, String key,
      String value, OffsetDateTime at) {
    Table labels = lakehouse.table(TableModel.LABEL_LABELS);
    Map<String, Object> v = new HashMap<>();
    v.put("record_cid", cid);
    v.put("dataset_id", dataset);
    v.put("labeler", labeler);
    v.put("labeler_version", version);
    v.put("label_key", key);
    v.put("value", value);
    v.put("score", 1.0);
    v.put("labeled_at", at);
    TableAppender.append(labels, List.of(Rows.of(labels.schema(), v)));
  }

  /** Tags the current ingest.records snapshot as {@code tag}. */
  public static void tag(Lakehouse lakehouse, String tag) {
    lakehouse.versions(TableModel.INGEST_RECORDS).tagCurrent(tag);
  }
}
