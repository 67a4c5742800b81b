package io.ledgerlake.jobs.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.content.Profile;
import io.ledgerlake.content.RecordCids;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.lineage.IngestionLineage;
import io.ledgerlake.lakehouse.spark.QueryResult;
import io.ledgerlake.lakehouse.spark.SqlRunner;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.SparkSession;

/**
 * The demo job on the embedded defaults: a small generated dataset from three contributors goes
 * into {@code ingest.submissions} and {@code ingest.records}, is tagged as a dataset version and
 * queried with Spark SQL.
 *
 * <p>Deterministic: the same record count produces the same bytes, hence the same CIDs, so a
 * second run recognises its submissions and writes nothing.
 */
public final class Demo {
  public static final String DATASET = "demo";
  /** Steps of the whole demo, including those the CLI runs after {@link #run}. */
  public static final int STEPS = 8;
  public static final String QUERY =
      "select contributor, count(*) as records, sum(byte_size) as bytes from ingest.records"
          + " where dataset_id = 'demo' group by contributor order by contributor";

  static final List<String> CONTRIBUTORS =
      List.of(
          "0x1111111111111111111111111111111111111111",
          "0x2222222222222222222222222222222222222222",
          "0x3333333333333333333333333333333333333333");
  private static final String[] TOPICS = {
    "soil moisture", "river levels", "solar output", "bird counts", "air quality", "traffic flow"
  };

  private final Lakehouse lakehouse;
  private final ContentStore content;
  private final PrintWriter out;
  private final ObjectMapper json =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /** What the run did. */
  public record Result(int submissionsWritten, int recordsWritten, long datasetRecords) {}

  public Demo(Lakehouse lakehouse, ContentStore content, PrintWriter out) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.content = requireNonNull(content, "content");
    this.out = requireNonNull(out, "out");
  }

  public Result run(int recordCount) {
    if (recordCount < CONTRIBUTORS.size()) {
      throw new IllegalArgumentException("--records must be at least " + CONTRIBUTORS.size());
    }
    out.printf("Step 1/%d: initialise the lakehouse at %s%n", STEPS, lakehouse.options().dataDir());
    var report = lakehouse.init();
    out.printf("  %d tables created, %d already there%n", report.created().size(), report.unchanged().size() + report.evolved().size());

    out.printf("Step 2/%d: generate dataset '%s': %d records from %d contributors%n", STEPS, DATASET, recordCount, CONTRIBUTORS.size());
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    Table submissions = lakehouse.table(TableModel.INGEST_SUBMISSIONS);
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    Set<String> known = existingSubmissions(submissions);

    List<Record> submissionRows = new ArrayList<>();
    List<Record> recordRows = new ArrayList<>();
    int perContributor = recordCount / CONTRIBUTORS.size();
    for (int c = 0; c < CONTRIBUTORS.size(); c++) {
      int count = c == CONTRIBUTORS.size() - 1 ? recordCount - perContributor * c : perContributor;
      List<byte[]> lines = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        lines.add(canonicalJson(generate(c, i)));
      }
      byte[] upload = jsonLines(lines);
      // The upload goes to the content store (synced, pinned) like an API upload would.
      String contentCid = content.add(new java.io.ByteArrayInputStream(upload), Profile.DEFAULT).cid().toString();
      String submissionId = "sub-" + contentCid.substring(contentCid.length() - 16);
      if (known.contains(submissionId)) {
        out.printf("  %s: submission %s already ingested, skipping%n", CONTRIBUTORS.get(c), submissionId);
        continue;
      }
      submissionRows.add(
          Rows.of(
              submissions.schema(),
              mapOf(
                  "submission_id", submissionId,
                  "dataset_id", DATASET,
                  "contributor", CONTRIBUTORS.get(c),
                  "content_cid", contentCid,
                  "byte_count", (long) upload.length,
                  "format", "jsonl",
                  "status", "ingested",
                  "received_at", now,
                  "updated_at", now,
                  "accepted_records", (long) count,
                  "rejected_records", 0L,
                  "duplicate_records", 0L)));
      for (int i = 0; i < lines.size(); i++) {
        byte[] line = lines.get(i);
        recordRows.add(
            Rows.of(
                records.schema(),
                mapOf(
                    "record_cid", RecordCids.of(line),
                    "dataset_id", DATASET,
                    "submission_id", submissionId,
                    "contributor", CONTRIBUTORS.get(c),
                    "content_cid", contentCid,
                    "position", "line " + (i + 1),
                    "record_json", new String(line, StandardCharsets.UTF_8),
                    "byte_size", line.length,
                    "ingested_at", now)));
      }
      out.printf("  %s: %d records, upload %s (%d bytes)%n", CONTRIBUTORS.get(c), count, contentCid, upload.length);
    }

    out.printf("Step 3/%d: commit to Iceberg%n", STEPS);
    if (recordRows.isEmpty()) {
      out.println("  nothing new to commit");
    } else {
      long snapshot = TableAppender.append(records, recordRows);
      TableAppender.append(submissions, submissionRows);
      out.printf("  ingest.records snapshot %d (+%d rows)%n", snapshot, recordRows.size());
    }
    int lineage = new IngestionLineage(lakehouse).catchUp();
    if (lineage > 0) {
      out.printf("  recorded %d OpenLineage run event(s) in lineage.events%n", lineage);
    }
    long total = countDataset(records);
    return new Result(submissionRows.size(), recordRows.size(), total);
  }

  /** Runs {@link #QUERY}. */
  /**
   * The demo's payout, explained from the indexed chain tables: the latest payment, the license it paid for, and
   * what each receipt of the credited version gets. docs/sql.md (section 4) has the full query with royalties.
   */
  public static final String EXPLAIN_PAYOUT =
      "select p.payment_id, l.kind as license, v.asset_id, v.version, r.contributor, r.role, r.share_bps,"
          + " floor(cast(get_json_object(e.args_json, '$.amount') as decimal(38,0)) * r.share_bps / 10000) as credited_wei"
          + " from chain.payments p"
          + " left join chain.licenses l on l.license_id = p.license_id"
          + " join chain.events e on e.tx_hash = p.tx_hash and e.event_name = 'VersionCredited'"
          + " join chain.asset_versions v on v.version_id = get_json_object(e.args_json, '$.versionId')"
          + " join chain.receipts r on r.version_id = v.version_id"
          + " where p.payment_id = (select max_by(payment_id, block_number * 100000 + log_index) from chain.payments where kind <> 'claim')"
          + " order by r.block_number, r.log_index";

  public static QueryResult explainPayout(SparkSession spark) {
    return new SqlRunner(spark).run(EXPLAIN_PAYOUT, 100);
  }

  public static QueryResult query(SparkSession spark) {
    return new SqlRunner(spark).run(QUERY, 100);
  }

  private static Map<String, Object> generate(int contributor, int i) {
    Map<String, Object> rec = new TreeMap<>();
    String topic = TOPICS[(i + contributor) % TOPICS.length];
    rec.put("id", contributor * 1_000_000L + i);
    rec.put("topic", topic);
    rec.put("text", "Observation " + i + " of " + topic + " reported by station " + (contributor + 1)
        + ": value " + ((i * 37 + contributor * 11) % 100) + " within expected range.");
    rec.put("lang", "en");
    return rec;
  }

  private byte[] canonicalJson(Map<String, Object> rec) {
    try {
      return json.writeValueAsBytes(rec);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] jsonLines(List<byte[]> lines) {
    var buf = new java.io.ByteArrayOutputStream();
    for (byte[] line : lines) {
      buf.writeBytes(line);
      buf.write('\n');
    }
    return buf.toByteArray();
  }

  private static Set<String> existingSubmissions(Table submissions) {
    Set<String> ids = new HashSet<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(submissions).where(Expressions.equal("dataset_id", DATASET)).select("submission_id").build()) {
      rows.forEach(r -> ids.add((String) r.getField("submission_id")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ids;
  }

  private static long countDataset(Table records) {
    records.refresh();
    long n = 0;
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(records).where(Expressions.equal("dataset_id", DATASET)).select("record_cid").build()) {
      for (Record ignored : rows) {
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  private static Map<String, Object> mapOf(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
