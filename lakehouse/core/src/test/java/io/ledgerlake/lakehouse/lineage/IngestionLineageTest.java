package io.ledgerlake.lakehouse.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.nio.file.Path;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestionLineageTest {
  @TempDir Path dir;

  static List<Record> records(Table t, String contentCid, int n) {
    List<Record> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> v = new HashMap<>();
      v.put("record_cid", contentCid + "-r" + i);
      v.put("dataset_id", "d");
      v.put("submission_id", "s-" + contentCid);
      v.put("contributor", "0x01");
      v.put("content_cid", contentCid);
      v.put("record_json", "{}");
      v.put("byte_size", 2);
      v.put("ingested_at", OffsetDateTime.now(ZoneOffset.UTC));
      out.add(Rows.of(t.schema(), v));
    }
    return out;
  }

  static List<Record> events(Lakehouse lh) throws Exception {
    Table t = lh.table(TableModel.LINEAGE_EVENTS);
    t.refresh();
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
      rows.forEach(out::add);
    }
    return out;
  }

  @Test
  void eachRecordsCommitBecomesOneCompleteEventExactlyOnce() throws Exception {
    try (Lakehouse lh = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      lh.init();
      Table records = lh.table(TableModel.INGEST_RECORDS);
      List<Record> batch = new ArrayList<>(records(records, "bafyA", 3));
      batch.addAll(records(records, "bafyB", 2));
      long first = TableAppender.append(records, batch);
      long second = TableAppender.append(records, records(records, "bafyC", 4));

      IngestionLineage lineage = new IngestionLineage(lh);
      assertThat(lineage.catchUp()).isEqualTo(2);
      assertThat(lineage.catchUp()).as("idempotent").isZero();

      List<Record> events = events(lh);
      assertThat(events).hasSize(2);
      Map<String, Record> byOutput = new HashMap<>();
      events.forEach(e -> byOutput.put(((List<?>) e.getField("outputs")).get(0).toString(), e));
      assertThat(byOutput.get("ingest.records@" + first).getField("input_cids")).isEqualTo(List.of("bafyA", "bafyB"));
      assertThat(byOutput.get("ingest.records@" + second).getField("input_cids")).isEqualTo(List.of("bafyC"));

      JsonNode payload = new ObjectMapper().readTree((String) byOutput.get("ingest.records@" + second).getField("payload"));
      assertThat(payload.path("eventType").asText()).isEqualTo("COMPLETE");
      assertThat(payload.path("job").path("name").asText()).isEqualTo("ingest");
      assertThat(payload.path("inputs").get(0).path("namespace").asText()).isEqualTo("ipfs");
      assertThat(payload.path("outputs").get(0).path("facets").path("version").path("datasetVersion").asText())
          .isEqualTo(Long.toString(second));

      long third = TableAppender.append(records, records(records, "bafyD", 1));
      assertThat(new IngestionLineage(lh).catchUp()).isEqualTo(1);
      assertThat(events(lh)).hasSize(3).extracting(e -> (Object) ((List<?>) e.getField("outputs")).get(0).toString()).contains("ingest.records@" + third);
    }
  }
}
