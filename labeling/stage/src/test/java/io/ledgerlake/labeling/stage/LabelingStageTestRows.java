package io.ledgerlake.labeling.stage;

import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** Test rows of ingest.records (one append = one ingestion snapshot) and reads of label.labels. */
final class LabelingStageTestRows {
  private LabelingStageTestRows() {}

  static void ingest(Table records, String dataset, String... cidAndText) {
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < cidAndText.length; i += 2) {
      Map<String, Object> v = new HashMap<>();
      String json = "{\"text\":\"" + cidAndText[i + 1] + "\"}";
      v.put("record_cid", cidAndText[i]);
      v.put("dataset_id", dataset);
      v.put("submission_id", "sub-1");
      v.put("contributor", "0x" + "ab".repeat(20));
      v.put("content_cid", "bafybeicontent");
      v.put("position", "line " + i);
      v.put("record_json", json);
      v.put("byte_size", json.length());
      v.put("ingested_at", OffsetDateTime.of(2026, 11, 22, 0, 0, 0, 0, ZoneOffset.UTC));
      rows.add(Rows.of(records.schema(), v));
    }
    TableAppender.append(records, rows);
  }

  static List<Record> labels(Table labels) {
    labels.refresh();
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(labels).build()) {
      rows.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
