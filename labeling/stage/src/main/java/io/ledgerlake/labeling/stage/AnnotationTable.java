package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.labeling.ErrorCategory;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * {@code label.annotations} as annotations. The table is append-only: an annotation is one row; its review appends a
 * new row with the same {@code annotation_id} and the review columns set. The current state of an annotation is its
 * row with the latest {@code coalesce(reviewed_at, created_at)}. {@code value_json} is a JSON array of strings
 * (multi-label), a JSON string (single label or free text), or any other JSON, compared as its text.
 */
public final class AnnotationTable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Lakehouse lakehouse;

  public AnnotationTable(Lakehouse lakehouse) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
  }

  /** The current state of every annotation of {@code datasetId}, ordered by annotation id. */
  public List<Annotation> annotations(String datasetId) {
    Table t = lakehouse.table(TableModel.LABEL_ANNOTATIONS);
    t.refresh();
    Map<String, Record> latest = new TreeMap<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(t).where(Expressions.equal("dataset_id", datasetId)).build()) {
      for (Record r : rows) {
        String id = (String) r.getField("annotation_id");
        Record prev = latest.get(id);
        if (prev == null || at(r).isAfter(at(prev))) {
          latest.put(id, r.copy());
        }
      }
    } catch (IOException e) {
      throw new LabelingStageException(ErrorCategory.EXTERNAL,
          "reading label.annotations failed: " + e.getMessage() + "; check the warehouse and retry", e);
    }
    List<Annotation> out = new ArrayList<>();
    for (Record r : latest.values()) {
      OffsetDateTime created = (OffsetDateTime) r.getField("created_at");
      Long spent = (Long) r.getField("time_spent_ms");
      out.add(new Annotation((String) r.getField("annotation_id"), datasetId, (String) r.getField("record_cid"),
          (String) r.getField("annotator"), values((String) r.getField("value_json")), spent == null ? 0 : spent,
          created.toInstant(), status((String) r.getField("review_status"))));
    }
    return out;
  }

  /** Reviewed gold: the values of accepted annotations per record (the latest acceptance wins). */
  public static Map<String, List<String>> gold(List<Annotation> annotations) {
    Map<String, Annotation> byRecord = new HashMap<>();
    for (Annotation a : annotations) {
      if (a.status() == Annotation.Status.ACCEPTED) {
        byRecord.merge(a.recordCid(), a, (x, y) -> y.submittedAt().isAfter(x.submittedAt()) ? y : x);
      }
    }
    Map<String, List<String>> gold = new LinkedHashMap<>();
    byRecord.forEach((cid, a) -> gold.put(cid, a.values()));
    return gold;
  }

  /**
   * Appends annotations not yet in the table (by annotation id), in one commit: replaying the same annotation is a
   * no-op. Returns how many were new.
   */
  public int append(List<Annotation> annotations) {
    Table t = lakehouse.table(TableModel.LABEL_ANNOTATIONS);
    t.refresh();
    java.util.Set<String> known = new java.util.HashSet<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(t).select("annotation_id").build()) {
      rows.forEach(r -> known.add((String) r.getField("annotation_id")));
    } catch (IOException e) {
      throw new LabelingStageException(ErrorCategory.EXTERNAL,
          "reading label.annotations failed: " + e.getMessage() + "; check the warehouse and retry", e);
    }
    List<Record> rows = new ArrayList<>();
    for (Annotation a : annotations) {
      if (!known.add(a.annotationId())) {
        continue;
      }
      Map<String, Object> v = new HashMap<>();
      v.put("annotation_id", a.annotationId());
      v.put("task_id", a.datasetId() + "/" + a.recordCid());
      v.put("record_cid", a.recordCid());
      v.put("dataset_id", a.datasetId());
      v.put("annotator", a.annotatorId());
      v.put("value_json", json(a.values()));
      v.put("time_spent_ms", a.timeSpentMillis());
      v.put("created_at", OffsetDateTime.ofInstant(a.submittedAt(), ZoneOffset.UTC));
      if (a.status() != Annotation.Status.SUBMITTED) {
        v.put("review_status", a.status().name().toLowerCase(Locale.ROOT));
        v.put("reviewed_at", OffsetDateTime.ofInstant(a.submittedAt(), ZoneOffset.UTC));
      }
      rows.add(Rows.of(t.schema(), v));
    }
    if (!rows.isEmpty()) {
      TableAppender.append(t, rows);
    }
    return rows.size();
  }

  /**
   * Records a review of an existing annotation: appends its row again with the review columns set (the latest row
   * wins). {@code status} SUBMITTED stands for "requeued". Reviewing the same annotation to the same status again is
   * a no-op.
   */
  public void review(String datasetId, String annotationId, String reviewer, Annotation.Status status,
      OffsetDateTime at) {
    Annotation current = annotations(datasetId).stream().filter(a -> a.annotationId().equals(annotationId))
        .findFirst().orElseThrow(() -> new LabelingStageException(ErrorCategory.USER_ERROR, String.format(
            "annotation %s of dataset %s does not exist; list the dataset's annotations and use one of their ids",
            annotationId, datasetId)));
    if (current.status() == status) {
      return;
    }
    Table t = lakehouse.table(TableModel.LABEL_ANNOTATIONS);
    Map<String, Object> v = new HashMap<>();
    v.put("annotation_id", current.annotationId());
    v.put("task_id", current.datasetId() + "/" + current.recordCid());
    v.put("record_cid", current.recordCid());
    v.put("dataset_id", current.datasetId());
    v.put("annotator", current.annotatorId());
    v.put("value_json", json(current.values()));
    v.put("time_spent_ms", current.timeSpentMillis());
    v.put("created_at", OffsetDateTime.ofInstant(current.submittedAt(), ZoneOffset.UTC));
    v.put("review_status", status == Annotation.Status.SUBMITTED ? "requeued" : status.name().toLowerCase(Locale.ROOT));
    v.put("reviewer", reviewer);
    v.put("reviewed_at", at);
    TableAppender.append(t, List.of(Rows.of(t.schema(), v)));
  }

  /**
   * The next records of {@code datasetId} for {@code annotator}: records of {@code ingest.records} in the dataset
   * that this annotator has not answered and that have fewer than {@code overlap} answers that were not rejected, in
   * record-CID order. Answers of others are never returned. This is the stateless, table-backed form of the rules in
   * {@code AnnotationService} (which also holds in-flight assignments); two annotators asking at the same moment may
   * both get a record with one slot left, so a record can end with more than {@code overlap} answers, never fewer.
   */
  public List<String> nextTasks(String datasetId, String annotator, int overlap, int limit) {
    Map<String, Integer> answers = new HashMap<>();
    java.util.Set<String> mine = new java.util.HashSet<>();
    for (Annotation a : annotations(datasetId)) {
      if (a.annotatorId().equalsIgnoreCase(annotator)) {
        mine.add(a.recordCid());
      }
      if (a.status() != Annotation.Status.REJECTED) {
        answers.merge(a.recordCid(), 1, Integer::sum);
      }
    }
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    records.refresh();
    java.util.TreeSet<String> cids = new java.util.TreeSet<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(records)
        .where(Expressions.equal("dataset_id", datasetId)).select("record_cid").build()) {
      rows.forEach(r -> cids.add((String) r.getField("record_cid")));
    } catch (IOException e) {
      throw new LabelingStageException(ErrorCategory.EXTERNAL,
          "reading ingest.records failed: " + e.getMessage() + "; check the warehouse and retry", e);
    }
    List<String> out = new ArrayList<>();
    for (String cid : cids) {
      if (out.size() >= limit) {
        break;
      }
      if (!mine.contains(cid) && answers.getOrDefault(cid, 0) < overlap) {
        out.add(cid);
      }
    }
    return out;
  }

  static String json(List<String> values) {
    try {
      return MAPPER.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a list of strings always serializes
    }
  }

  static List<String> values(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node.isArray()) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
        return out;
      }
      return List.of(node.isTextual() ? node.asText() : node.toString());
    } catch (JsonProcessingException e) {
      return List.of(json);
    }
  }

  private static Annotation.Status status(String reviewStatus) {
    if (reviewStatus == null) {
      return Annotation.Status.SUBMITTED;
    }
    return switch (reviewStatus.toLowerCase(Locale.ROOT)) {
      case "accepted" -> Annotation.Status.ACCEPTED;
      case "rejected" -> Annotation.Status.REJECTED;
      default -> Annotation.Status.SUBMITTED; // requeued: counts as an ordinary answer again
    };
  }

  private static OffsetDateTime at(Record r) {
    OffsetDateTime reviewed = (OffsetDateTime) r.getField("reviewed_at");
    return reviewed != null ? reviewed : (OffsetDateTime) r.getField("created_at");
  }
}
