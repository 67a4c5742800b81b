package io.ledgerlake.labeling.annotation;

import io.ledgerlake.labeling.AnnotationConflictException;
import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Human annotation: datasets with a label schema and an overlap N, task assignment, annotations and reviews.
 *
 * <p>Assignment rules: those of {@link LeaseBook} (the same code the lakehouse-backed {@code AnnotationWorkflow} of
 * {@code labeling/stage} uses): a record is handed to at most {@code N} annotators at a time (N grows by one per
 * REQUEUE review, and a REJECTed annotation frees its slot); an annotator is never handed the same record twice, even
 * after a lease expired or an answer was rejected. {@link #nextTasks} first returns the caller's still-open tasks, so
 * polling it does not hoard records. A task not answered within the lease is released for someone else.
 *
 * <p>Thread-safety: every operation on a dataset runs under that dataset's lock, so concurrent requests from many
 * annotators cannot over-assign a record; different datasets proceed in parallel. This in-memory service is the
 * in-memory form of the rules (no persistence), for engine-neutral use and tests; the HTTP API and the CLI use
 * {@code AnnotationWorkflow}, which keeps answers in Iceberg and leases in a locked file.
 */
public final class AnnotationService {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AnnotationService.class);

  private final Clock clock;
  private final Duration lease;
  private final Map<String, Dataset> datasets = new ConcurrentHashMap<>();
  /** annotationId -> datasetId, so a review can name just the annotation. */
  private final Map<String, String> annotationDataset = new ConcurrentHashMap<>();

  public AnnotationService(Clock clock, Duration lease) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lease = Objects.requireNonNull(lease, "lease");
    InvalidLabelingInputException.check(!lease.isNegative() && !lease.isZero(), "lease must be positive, got %s",
        lease);
  }

  /** Creates a dataset; repeating the same call is a no-op, a different schema or overlap is a conflict. */
  public void createDataset(String datasetId, LabelSchema schema, int overlap) {
    Objects.requireNonNull(datasetId, "datasetId");
    Objects.requireNonNull(schema, "schema");
    InvalidLabelingInputException.check(overlap >= 1, "overlap must be >= 1, got %s for dataset %s", overlap,
        datasetId);
    Dataset d = datasets.computeIfAbsent(datasetId, id -> {
      LOG.info("Created annotation dataset {} with overlap {} and schema {}", id, overlap, schema);
      return new Dataset(id, schema, overlap);
    });
    if (!d.schema.equals(schema) || d.overlap != overlap) {
      throw new AnnotationConflictException("dataset " + datasetId + " already exists with schema " + d.schema
          + " and overlap " + d.overlap + "; create a new dataset id to change them");
    }
  }

  public LabelSchema schema(String datasetId) {
    return dataset(datasetId).schema;
  }

  /** Adds records to annotate; records already present are ignored. */
  public void addRecords(String datasetId, Collection<String> recordCids) {
    Dataset d = dataset(datasetId);
    synchronized (d) {
      for (String cid : recordCids) {
        d.records.add(Objects.requireNonNull(cid, "recordCid"));
      }
    }
  }

  /**
   * The caller's next tasks ({@code GET /v1/datasets/{id}/tasks}): its unanswered, unexpired tasks first, then new
   * assignments, up to {@code limit} in total.
   */
  public List<AnnotationTask> nextTasks(String datasetId, String annotatorId, int limit) {
    Objects.requireNonNull(annotatorId, "annotatorId");
    Dataset d = dataset(datasetId);
    synchronized (d) {
      List<AnnotationTask> out = new ArrayList<>();
      for (TaskLease l : d.leases.reserve(d.records, d.answers(), d.overlap, annotatorId, limit, clock.instant(),
          lease)) {
        out.add(new AnnotationTask(datasetId, l.recordCid(), annotatorId, d.schema, l.issuedAt()));
      }
      return out;
    }
  }

  /** {@code POST /v1/annotations}. Replaying the same annotation id with the same payload returns the stored one. */
  public Receipt<Annotation> submit(AnnotationRequest request) {
    Dataset d = dataset(request.datasetId());
    List<String> values = d.schema.canonicalize(request.values());
    synchronized (d) {
      Annotation existing = d.annotations.get(request.annotationId());
      if (existing != null) {
        if (existing.samePayload(request, values)) {
          return new Receipt<>(existing, true);
        }
        throw new AnnotationConflictException("annotation " + request.annotationId()
            + " was already submitted with a different payload; use a new annotation id for a new answer");
      }
      if (!d.records.contains(request.recordCid())) {
        throw new InvalidLabelingInputException("record " + request.recordCid() + " is not in dataset " + d.id
            + "; answer a record returned by nextTasks");
      }
      d.leases.checkMayAnswer(request.recordCid(), request.annotatorId(), d.answers(), d.overlap, clock.instant());
      String otherDataset = annotationDataset.putIfAbsent(request.annotationId(), d.id);
      if (otherDataset != null && !otherDataset.equals(d.id)) {
        throw new AnnotationConflictException("annotation id " + request.annotationId()
            + " is already used in dataset " + otherDataset + "; annotation ids must be unique");
      }
      Annotation a = new Annotation(request.annotationId(), d.id, request.recordCid(), request.annotatorId(), values,
          request.timeSpentMillis(), clock.instant(), Annotation.Status.SUBMITTED);
      d.annotations.put(a.annotationId(), a);
      d.leases.answered(request.recordCid(), request.annotatorId());
      LOG.debug("Annotation {} by {} on record {} in dataset {}", a.annotationId(), a.annotatorId(), a.recordCid(), d.id);
      return new Receipt<>(a, false);
    }
  }

  /** {@code POST /v1/reviews}. Replaying the same review id with the same payload is a no-op. */
  public Receipt<Review> review(Review review) {
    String datasetId = annotationDataset.get(review.annotationId());
    if (datasetId == null) {
      throw new InvalidLabelingInputException("no annotation " + review.annotationId() + " to review");
    }
    Dataset d = dataset(datasetId);
    synchronized (d) {
      Review existing = d.reviews.get(review.reviewId());
      if (existing != null) {
        if (existing.equals(review)) {
          return new Receipt<>(existing, true);
        }
        throw new AnnotationConflictException("review " + review.reviewId()
            + " was already recorded with a different payload; use a new review id");
      }
      Annotation a = d.annotations.get(review.annotationId());
      if (a.annotatorId().equals(review.reviewerId())) {
        throw new AnnotationConflictException("reviewer " + review.reviewerId() + " cannot review their own annotation "
            + a.annotationId());
      }
      if (a.status() != Annotation.Status.SUBMITTED) {
        throw new AnnotationConflictException("annotation " + a.annotationId() + " is already " + a.status()
            + "; a final decision cannot be changed by review " + review.reviewId());
      }
      switch (review.decision()) {
        case ACCEPT -> {
          d.annotations.put(a.annotationId(), a.withStatus(Annotation.Status.ACCEPTED));
          d.gold.put(a.recordCid(), a.values());
        }
        case REJECT -> d.annotations.put(a.annotationId(), a.withStatus(Annotation.Status.REJECTED));
        case REQUEUE -> d.requeued.add(a.annotationId());
      }
      d.reviews.put(review.reviewId(), review);
      LOG.info("Review {} by {}: {} annotation {} of record {} in dataset {}", review.reviewId(), review.reviewerId(),
          review.decision(), a.annotationId(), a.recordCid(), d.id);
      return new Receipt<>(review, false);
    }
  }

  /** Every annotation of the dataset (all statuses), in submission order. For consensus and reports, not annotators. */
  public List<Annotation> annotations(String datasetId) {
    Dataset d = dataset(datasetId);
    synchronized (d) {
      return List.copyOf(d.annotations.values());
    }
  }

  public List<Review> reviews(String datasetId) {
    Dataset d = dataset(datasetId);
    synchronized (d) {
      return List.copyOf(d.reviews.values());
    }
  }

  /** Reviewed gold: for each record with an accepted annotation, the accepted answer (latest acceptance wins). */
  public Map<String, List<String>> gold(String datasetId) {
    Dataset d = dataset(datasetId);
    synchronized (d) {
      return Map.copyOf(d.gold);
    }
  }

  /** How many annotators currently hold or have answered (not rejected) each record, and its target. */
  public Map<String, int[]> coverage(String datasetId) {
    Dataset d = dataset(datasetId);
    Instant now = clock.instant();
    synchronized (d) {
      AnswerState answers = d.answers();
      Map<String, int[]> out = new LinkedHashMap<>();
      for (String cid : d.records) {
        int target = answers.target(cid, d.overlap);
        out.put(cid, new int[] {target - d.leases.openSlots(cid, answers, d.overlap, now), target});
      }
      return out;
    }
  }

  private Dataset dataset(String datasetId) {
    Dataset d = datasets.get(Objects.requireNonNull(datasetId, "datasetId"));
    if (d == null) {
      throw new InvalidLabelingInputException("unknown dataset " + datasetId + "; create it first");
    }
    return d;
  }

  private static final class Dataset {
    final String id;
    final LabelSchema schema;
    final int overlap;
    /** Records in the order they were added: the order tasks are handed out. */
    final Set<String> records = new LinkedHashSet<>();
    final LeaseBook leases = new LeaseBook();
    final Map<String, Annotation> annotations = new LinkedHashMap<>();
    final Set<String> requeued = new HashSet<>();
    final Map<String, Review> reviews = new LinkedHashMap<>();
    final Map<String, List<String>> gold = new HashMap<>();

    Dataset(String id, LabelSchema schema, int overlap) {
      this.id = id;
      this.schema = schema;
      this.overlap = overlap;
    }

    AnswerState answers() {
      return AnswerState.of(List.copyOf(annotations.values()), requeued);
    }
  }
}
