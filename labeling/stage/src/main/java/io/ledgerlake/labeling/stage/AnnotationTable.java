package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.annotation.Review;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.lakehouse.write.Rows;
import io.ledgerlake.lakehouse.write.TableAppender;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  /** One review as recorded in the table: a row with {@code reviewer} set. */
  public record ReviewRow(String annotationId, String recordCid, String annotator, String reviewer,
      Review.Decision decision, Instant reviewedAt) {}

  /** Everything the table holds about one dataset's annotations: current state and every review. */
  public record Ledger(List<Annotation> annotations, List<ReviewRow> reviews) {
    public Ledger {
      annotations = List.copyOf(annotations);
      reviews = List.copyOf(reviews);
    }

    public Optional<Annotation> annotation(String annotationId) {
      return annotations.stream().filter(a -> a.annotationId().equals(annotationId)).findFirst();
    }

    /** Annotations that received a REQUEUE review: each raises its record's overlap target by one. */
    public Set<String> requeued() {
      Set<String> out = new HashSet<>();
      reviews.stream().filter(r -> r.decision() == Review.Decision.REQUEUE).forEach(r -> out.add(r.annotationId()));
      return out;
    }

    /** The reviews in the form the contribution weights take, ids made of annotation, reviewer and time. */
    public List<Review> asReviews() {
      List<Review> out = new ArrayList<>();
      for (ReviewRow r : reviews) {
        out.add(new Review(r.annotationId() + "/" + r.reviewer() + "/" + r.reviewedAt(), r.annotationId(),
            r.reviewer(), r.decision(), ""));
      }
      return out;
    }
  }

  /** The current state of every annotation of {@code datasetId}, ordered by annotation id. */
  public List<Annotation> annotations(String datasetId) {
    return ledger(datasetId).annotations();
  }

  /** Annotations and reviews of {@code datasetId} from one scan of the current snapshot. */
  public Ledger ledger(String datasetId) {
    Table t = lakehouse.table(TableModel.LABEL_ANNOTATIONS);
    t.refresh();
    return ledger(t, datasetId, null);
  }

  /** As {@link #ledger(String)} at a given snapshot of {@code label.annotations} (null: an empty table). */
  public Ledger ledgerAt(String datasetId, Long snapshotId) {
    Table t = lakehouse.table(TableModel.LABEL_ANNOTATIONS);
    t.refresh();
    if (snapshotId == null) {
      return new Ledger(List.of(), List.of());
    }
    return ledger(t, datasetId, snapshotId);
  }

  /** The current snapshot id of {@code label.annotations}, or null while it is empty. */
  public Long currentSnapshotId() {
    Table t = lakehouse.table(TableModel.LABEL_ANNOTATIONS);
    t.refresh();
    return t.currentSnapshot() == null ? null : t.currentSnapshot().snapshotId();
  }

  private static Ledger ledger(Table t, String datasetId, Long snapshotId) {
    Map<String, Record> latest = new TreeMap<>();
    List<ReviewRow> reviews = new ArrayList<>();
    var scan = IcebergGenerics.read(t).where(Expressions.equal("dataset_id", datasetId));
    if (snapshotId != null) {
      scan = scan.useSnapshot(snapshotId);
    }
    try (CloseableIterable<Record> rows = scan.build()) {
      for (Record r : rows) {
        String id = (String) r.getField("annotation_id");
        Record prev = latest.get(id);
        // Ties (a review stamped in the same microsecond as the answer) go to the review row.
        if (prev == null || at(r).isAfter(at(prev))
            || at(r).isEqual(at(prev)) && prev.getField("review_status") == null) {
          latest.put(id, r.copy());
        }
        String reviewer = (String) r.getField("reviewer");
        String reviewStatus = (String) r.getField("review_status");
        if (reviewer != null && reviewStatus != null) {
          reviews.add(new ReviewRow(id, (String) r.getField("record_cid"), (String) r.getField("annotator"),
              reviewer, decision(reviewStatus), ((OffsetDateTime) r.getField("reviewed_at")).toInstant()));
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
    reviews.sort(java.util.Comparator.comparing(ReviewRow::reviewedAt).thenComparing(ReviewRow::annotationId)
        .thenComparing(ReviewRow::reviewer));
    return new Ledger(out, reviews);
  }

  private static Review.Decision decision(String reviewStatus) {
    return switch (reviewStatus.toLowerCase(Locale.ROOT)) {
      case "accepted" -> Review.Decision.ACCEPT;
      case "rejected" -> Review.Decision.REJECT;
      default -> Review.Decision.REQUEUE;
    };
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
    appendReview(current, reviewer, status == Annotation.Status.SUBMITTED ? Review.Decision.REQUEUE
        : status == Annotation.Status.ACCEPTED ? Review.Decision.ACCEPT : Review.Decision.REJECT, at);
  }

  /** Appends the review row of {@code current} (its values unchanged, review columns set); the latest row wins. */
  public void appendReview(Annotation current, String reviewer, Review.Decision decision, OffsetDateTime at) {
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
    v.put("review_status", switch (decision) {
      case ACCEPT -> "accepted";
      case REJECT -> "rejected";
      case REQUEUE -> "requeued";
    });
    v.put("reviewer", reviewer);
    v.put("reviewed_at", at);
    TableAppender.append(t, List.of(Rows.of(t.schema(), v)));
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
