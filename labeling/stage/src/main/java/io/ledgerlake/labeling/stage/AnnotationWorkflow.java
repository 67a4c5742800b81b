package io.ledgerlake.labeling.stage;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.labeling.AnnotationConflictException;
import io.ledgerlake.labeling.InvalidLabelingInputException;
import io.ledgerlake.labeling.LabelingOptions;
import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.annotation.AnnotationRequest;
import io.ledgerlake.labeling.annotation.AnswerState;
import io.ledgerlake.labeling.annotation.LabelSchema;
import io.ledgerlake.labeling.annotation.LeaseBook;
import io.ledgerlake.labeling.annotation.Receipt;
import io.ledgerlake.labeling.annotation.Review;
import io.ledgerlake.labeling.annotation.TaskLease;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Human annotation on the lakehouse: the one path for {@code GET /v1/datasets/{id}/tasks}, {@code POST
 * /v1/annotations}, {@code POST /v1/reviews} and {@code ledgerlake label tasks|annotate|review}.
 *
 * <ul>
 *   <li>Answers and reviews live in {@code label.annotations} ({@link AnnotationTable}); in-flight reservations in a
 *       {@link LeaseBook} per dataset under {@code <lakehouse data dir>/labeling/leases} ({@link LeaseFiles}).
 *   <li>Every step runs under the dataset's lease lock and re-reads the table, so concurrent callers (threads of the
 *       API, CLI processes) see each other's answers: a record never exceeds its overlap target and no annotator gets
 *       it twice. An answer is appended to the table before its lease is dropped, so a crash loses no answer.
 *   <li>Answers and reviews are validated against the dataset's label schema ({@link LabelSchemaSource}) before
 *       anything is stored.
 *   <li>Tasks carry the record's text as training reads it: the stored PII-redacted copy when the labeling stage made
 *       one, otherwise the record's text redacted on the fly (a record not yet labeled is never shown unredacted).
 *       Never anyone's answers.
 * </ul>
 *
 * Annotator and reviewer ids are EVM addresses, compared in lower case.
 */
public final class AnnotationWorkflow {
  private static final Logger LOG = LoggerFactory.getLogger(AnnotationWorkflow.class);

  /** One task: a record reserved for the caller until {@code leaseExpiresAt}, with the text to label. */
  public record Task(String datasetId, String recordCid, String text, boolean redacted, Instant leaseExpiresAt) {
    public Task {
      requireNonNull(datasetId, "datasetId");
      requireNonNull(recordCid, "recordCid");
      requireNonNull(text, "text");
      requireNonNull(leaseExpiresAt, "leaseExpiresAt");
    }
  }

  private final Lakehouse lakehouse;
  private final AnnotationTable table;
  private final LabelSchemaSource schemas;
  private final LeaseBookStore leases;
  private final int overlap;
  private final Duration leaseTtl;
  private final RedactedTexts texts;
  private final Clock clock;

  public AnnotationWorkflow(Lakehouse lakehouse, LabelSchemaSource schemas, LabelingOptions options, Clock clock) {
    this(lakehouse, schemas, options, leaseStore(lakehouse), clock);
  }

  /**
   * The selection point for task reservations: the PostgreSQL catalog database when the catalog is one (every process
   * on it shares them), else the lease files in the data directory.
   */
  private static LeaseBookStore leaseStore(Lakehouse lakehouse) {
    return io.ledgerlake.lakehouse.coordination.CoordinationDatabase.forCatalog(lakehouse.options())
        .<LeaseBookStore>map(JdbcLeaseBookStore::new)
        .orElseGet(() -> new LeaseFiles(leaseDir(lakehouse)));
  }

  public AnnotationWorkflow(Lakehouse lakehouse, LabelSchemaSource schemas, LabelingOptions options, Path leaseDir,
      Clock clock) {
    this(lakehouse, schemas, options, new LeaseFiles(leaseDir), clock);
  }

  private AnnotationWorkflow(Lakehouse lakehouse, LabelSchemaSource schemas, LabelingOptions options,
      LeaseBookStore leases, Clock clock) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.table = new AnnotationTable(lakehouse);
    this.schemas = requireNonNull(schemas, "schemas");
    this.leases = requireNonNull(leases, "leases");
    this.overlap = options.annotationOverlap();
    InvalidLabelingInputException.check(overlap >= 1, "option %s must be >= 1, got %s",
        LabelingOptions.ANNOTATION_OVERLAP, overlap);
    this.leaseTtl = options.annotationLease();
    this.texts = new RedactedTexts(lakehouse, options);
    this.clock = requireNonNull(clock, "clock");
  }

  /** Where the lease books live by default: next to the warehouse, so the API and the CLI share them. */
  public static Path leaseDir(Lakehouse lakehouse) {
    return lakehouse.options().dataDir().resolve("labeling").resolve("leases");
  }

  /** The dataset's label schema, or a USER_ERROR saying how to set one. */
  public LabelSchema schema(String datasetId) {
    return schemas.schema(datasetId).orElseThrow(() -> new InvalidLabelingInputException("dataset " + datasetId
        + " has no label schema, so it cannot be annotated; its owner sets one with PUT /v1/datasets/" + datasetId
        + "/label-schema or 'ledgerlake dataset create --label-schema FILE' (format: docs/labeling.md)"));
  }

  /** The caller's next tasks: its unexpired reservations first, then new ones, up to {@code limit}. */
  public List<Task> nextTasks(String datasetId, String annotator, int limit) {
    schema(datasetId);
    String who = normalize(annotator);
    InvalidLabelingInputException.check(limit >= 1 && limit <= 1000, "limit must be in 1..1000, got %s", limit);
    List<TaskLease> reserved = leases.update(datasetId, book -> {
      AnnotationTable.Ledger ledger = table.ledger(datasetId);
      AnswerState answers = AnswerState.of(ledger.annotations(), ledger.requeued());
      return book.reserve(recordCids(datasetId), answers, overlap, who, limit, clock.instant(), leaseTtl);
    });
    if (!reserved.isEmpty()) {
      LOG.debug("Reserved {} task(s) of dataset {} for {}", reserved.size(), datasetId, who);
    }
    Map<String, RedactedTexts.Text> texts = this.texts.of(datasetId,
        reserved.stream().map(TaskLease::recordCid).toList());
    List<Task> out = new ArrayList<>();
    for (TaskLease l : reserved) {
      RedactedTexts.Text text = texts.getOrDefault(l.recordCid(), new RedactedTexts.Text("", false));
      out.add(new Task(datasetId, l.recordCid(), text.text(), text.redacted(), l.expiresAt()));
    }
    return out;
  }

  /**
   * Validates and stores an answer. Replaying the same annotation id with the same payload returns the stored answer
   * ({@code replayed = true}); the same id with another payload is a conflict.
   */
  public Receipt<Annotation> submit(AnnotationRequest request) {
    String datasetId = request.datasetId();
    String who = normalize(request.annotatorId());
    List<String> values = schema(datasetId).canonicalize(request.values());
    return leases.update(datasetId, book -> {
      Instant now = clock.instant();
      AnnotationTable.Ledger ledger = table.ledger(datasetId);
      Optional<Annotation> existing = ledger.annotation(request.annotationId());
      if (existing.isPresent()) {
        Annotation a = existing.get();
        if (a.recordCid().equals(request.recordCid()) && a.annotatorId().equals(who) && a.values().equals(values)
            && a.timeSpentMillis() == request.timeSpentMillis()) {
          return new Receipt<>(a, true);
        }
        throw new AnnotationConflictException("annotation " + request.annotationId()
            + " was already submitted with a different payload; use a new annotation id for a new answer");
      }
      AnswerState answers = AnswerState.of(ledger.annotations(), ledger.requeued());
      book.checkMayAnswer(request.recordCid(), who, answers, overlap, now);
      Annotation a = new Annotation(request.annotationId(), datasetId, request.recordCid(), who, values,
          request.timeSpentMillis(), now, Annotation.Status.SUBMITTED);
      if (table.append(List.of(a)) == 0) {
        throw new AnnotationConflictException("annotation id " + request.annotationId()
            + " is already used in another dataset; annotation ids must be unique (use a UUID)");
      }
      book.answered(request.recordCid(), who);
      LOG.info("Annotation {} by {} on record {} of dataset {} stored", a.annotationId(), who, a.recordCid(),
          datasetId);
      return new Receipt<>(a, false);
    });
  }

  /**
   * Records a review: ACCEPT makes the answer reviewed gold, REJECT removes it from consensus and frees its slot,
   * REQUEUE keeps it and asks for one more opinion. Only pending answers can be reviewed; a reviewer cannot review
   * their own answer. The same reviewer repeating the same decision is a replay.
   */
  public Receipt<Review> review(String datasetId, Review review) {
    schema(datasetId);
    String reviewer = normalize(review.reviewerId());
    Review normalized = new Review(review.reviewId(), review.annotationId(), reviewer, review.decision(),
        review.comment());
    return leases.update(datasetId, book -> {
      AnnotationTable.Ledger ledger = table.ledger(datasetId);
      Annotation a = ledger.annotation(review.annotationId()).orElseThrow(() -> new InvalidLabelingInputException(
          "annotation " + review.annotationId() + " does not exist in dataset " + datasetId
              + "; review an annotation id returned by POST /v1/annotations"));
      boolean replay = ledger.reviews().stream().anyMatch(r -> r.annotationId().equals(a.annotationId())
          && r.reviewer().equals(reviewer) && r.decision() == review.decision());
      if (replay) {
        return new Receipt<>(normalized, true);
      }
      if (a.annotatorId().equals(reviewer)) {
        throw new AnnotationConflictException("reviewer " + reviewer + " cannot review their own annotation "
            + a.annotationId() + "; ask another reviewer");
      }
      if (a.status() != Annotation.Status.SUBMITTED) {
        throw new AnnotationConflictException("annotation " + a.annotationId() + " is already "
            + a.status().name().toLowerCase(Locale.ROOT) + "; accept and reject are final");
      }
      // Strictly after the answer and its earlier reviews (the latest row wins), even within one clock tick.
      Instant at = clock.instant();
      Instant last = ledger.reviews().stream().filter(r -> r.annotationId().equals(a.annotationId()))
          .map(AnnotationTable.ReviewRow::reviewedAt).max(Instant::compareTo).orElse(a.submittedAt());
      Instant floor = (last.isAfter(a.submittedAt()) ? last : a.submittedAt()).plusNanos(1_000);
      table.appendReview(a, reviewer, review.decision(),
          OffsetDateTime.ofInstant(at.isBefore(floor) ? floor : at, ZoneOffset.UTC));
      LOG.info("Review by {}: {} annotation {} of record {} in dataset {}", reviewer, review.decision(),
          a.annotationId(), a.recordCid(), datasetId);
      return new Receipt<>(normalized, false);
    });
  }

  /** Annotators and reviewers are paid through receipts, so they must be EVM addresses; stored in lower case. */
  public static String normalize(String address) {
    String a = requireNonNull(address, "address").strip().toLowerCase(Locale.ROOT);
    InvalidLabelingInputException.check(ADDRESS.matcher(a).matches(),
        "annotator/reviewer '%s' is not an EVM address (0x followed by 40 hex digits); contributions are paid to it",
        address);
    return a;
  }

  private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile("0x[0-9a-f]{40}");

  /** Record CIDs of the dataset in CID order (the order tasks are handed out). */
  /**
   * The dataset's records that can be annotated: every ingested record except those whose curation decision is
   * {@code excluded} (duplicates, harmful content, unredactable PII). Annotators are paid for their work, so it goes to
   * what training reads; records the labeling stage has not reached yet have no decision and are offered.
   */
  private TreeSet<String> recordCids(String datasetId) {
    Table records = lakehouse.table(TableModel.INGEST_RECORDS);
    records.refresh();
    TreeSet<String> cids = new TreeSet<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(records)
        .where(Expressions.equal("dataset_id", datasetId)).select("record_cid").build()) {
      rows.forEach(r -> cids.add((String) r.getField("record_cid")));
    } catch (IOException e) {
      throw external("ingest.records", e);
    }
    cids.removeAll(excluded(datasetId));
    return cids;
  }

  /** Records whose newest curation decision is {@code excluded} (a relabeling with a new policy may reverse one). */
  private TreeSet<String> excluded(String datasetId) {
    Table labels = lakehouse.table(TableModel.LABEL_LABELS);
    labels.refresh();
    Map<String, Record> newest = new HashMap<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(labels).where(Expressions.and(
        Expressions.equal("dataset_id", datasetId), Expressions.equal("labeler", LabelRows.CURATION),
        Expressions.equal("label_key", LabelRows.CURATION))).select("record_cid", "value", "labeled_at").build()) {
      for (Record r : rows) {
        newest.merge((String) r.getField("record_cid"), r.copy(), (a, b) ->
            ((OffsetDateTime) b.getField("labeled_at")).isAfter((OffsetDateTime) a.getField("labeled_at")) ? b : a);
      }
    } catch (IOException e) {
      throw external("label.labels", e);
    }
    TreeSet<String> out = new TreeSet<>();
    newest.forEach((cid, r) -> {
      if (LabelRows.EXCLUDED.equals(r.getField("value"))) {
        out.add(cid);
      }
    });
    return out;
  }

  private static LabelingStageException external(String table, IOException e) {
    return new LabelingStageException(ErrorCategory.EXTERNAL, "reading " + table + " failed: " + e.getMessage()
        + "; check the warehouse and retry", e);
  }
}
