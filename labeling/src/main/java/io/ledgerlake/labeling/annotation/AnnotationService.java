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
import java.util.Iterator;
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
 * <p>Assignment rules: a record is handed to at most {@code N} annotators at a time (N grows by one per REQUEUE review,
 * and a REJECTed annotation frees its slot); an annotator is never handed the same record twice, even after a lease
 * expired or an answer was rejected. {@link #nextTasks} first returns the caller's still-open tasks, so polling it does
 * not hoard records. A task not answered within the lease is released for someone else.
 *
 * <p>Thread-safety: every operation on a dataset runs under that dataset's lock, so concurrent requests from many
 * annotators cannot over-assign a record; different datasets proceed in parallel. This in-memory service is the
 * reference implementation of the rules; the HTTP layer persists its writes (annotations, reviews) to Iceberg.
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
        if (!d.records.containsKey(Objects.requireNonNull(cid, "recordCid"))) {
          d.records.put(cid, new RecordState(d.overlap));
          d.open.add(cid);
        }
      }
    }
  }

  /**
   * The caller's next tasks ({@code GET /v1/datasets/{id}/tasks}): its unanswered, unexpired tasks first, then new
   * assignments, up to {@code limit} in total.
   */
  public List<AnnotationTask> nextTasks(String datasetId, String annotatorId, int limit) {
    Objects.requireNonNull(annotatorId, "annotatorId");
    InvalidLabelingInputException.check(limit >= 1 && limit <= 1000, "limit must be in 1..1000, got %s", limit);
    Dataset d = dataset(datasetId);
    Instant now = clock.instant();
    synchronized (d) {
      expireLeases(d, now);
      List<AnnotationTask> out = new ArrayList<>();
      Map<String, Instant> mine = d.activeByAnnotator.getOrDefault(annotatorId, Map.of());
      for (Map.Entry<String, Instant> e : mine.entrySet()) {
        if (out.size() == limit) {
          return out;
        }
        out.add(new AnnotationTask(datasetId, e.getKey(), annotatorId, d.schema, e.getValue()));
      }
      Iterator<String> it = d.open.iterator();
      while (it.hasNext() && out.size() < limit) {
        String cid = it.next();
        RecordState r = d.records.get(cid);
        if (r.openSlots() <= 0) {
          it.remove();
          continue;
        }
        if (r.everAssigned.contains(annotatorId)) {
          continue;
        }
        r.everAssigned.add(annotatorId);
        r.active.put(annotatorId, now);
        d.activeByAnnotator.computeIfAbsent(annotatorId, k -> new LinkedHashMap<>()).put(cid, now);
        if (r.openSlots() <= 0) {
          it.remove();
        }
        out.add(new AnnotationTask(datasetId, cid, annotatorId, d.schema, now));
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
      RecordState r = d.records.get(request.recordCid());
      Instant assignedAt = r == null ? null : r.active.get(request.annotatorId());
      if (assignedAt == null) {
        throw new AnnotationConflictException("record " + request.recordCid() + " in dataset " + d.id
            + " is not currently assigned to annotator " + request.annotatorId()
            + " (never assigned, already answered, or the lease expired); fetch tasks again");
      }
      String otherDataset = annotationDataset.putIfAbsent(request.annotationId(), d.id);
      if (otherDataset != null && !otherDataset.equals(d.id)) {
        throw new AnnotationConflictException("annotation id " + request.annotationId()
            + " is already used in dataset " + otherDataset + "; annotation ids must be unique");
      }
      Annotation a = new Annotation(request.annotationId(), d.id, request.recordCid(), request.annotatorId(), values,
          request.timeSpentMillis(), clock.instant(), Annotation.Status.SUBMITTED);
      d.annotations.put(a.annotationId(), a);
      LOG.debug("Annotation {} by {} on record {} in dataset {}", a.annotationId(), a.annotatorId(), a.recordCid(), d.id);
      r.active.remove(request.annotatorId());
      r.answered++;
      Map<String, Instant> mine = d.activeByAnnotator.get(request.annotatorId());
      if (mine != null) {
        mine.remove(request.recordCid());
      }
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
      if (a.status() != Annotation.Status.SUBMITTED && review.decision() != Review.Decision.REQUEUE) {
        throw new AnnotationConflictException("annotation " + a.annotationId() + " is already " + a.status()
            + "; a final decision cannot be changed by review " + review.reviewId());
      }
      RecordState r = d.records.get(a.recordCid());
      switch (review.decision()) {
        case ACCEPT -> {
          d.annotations.put(a.annotationId(), a.withStatus(Annotation.Status.ACCEPTED));
          d.gold.put(a.recordCid(), a.values());
        }
        case REJECT -> {
          d.annotations.put(a.annotationId(), a.withStatus(Annotation.Status.REJECTED));
          r.answered--;
          d.open.add(a.recordCid());
        }
        case REQUEUE -> {
          r.target++;
          d.open.add(a.recordCid());
        }
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
    synchronized (d) {
      Map<String, int[]> out = new LinkedHashMap<>();
      d.records.forEach((cid, r) -> out.put(cid, new int[] {r.active.size() + r.answered, r.target}));
      return out;
    }
  }

  private void expireLeases(Dataset d, Instant now) {
    Instant cutoff = now.minus(lease);
    for (Map.Entry<String, Map<String, Instant>> e : d.activeByAnnotator.entrySet()) {
      Iterator<Map.Entry<String, Instant>> it = e.getValue().entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, Instant> task = it.next();
        if (task.getValue().isBefore(cutoff)) {
          it.remove();
          d.records.get(task.getKey()).active.remove(e.getKey());
          d.open.add(task.getKey());
        }
      }
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
    final Map<String, RecordState> records = new LinkedHashMap<>();
    /** Records that may have open slots, in insertion order (lazily pruned). */
    final Set<String> open = new LinkedHashSet<>();
    final Map<String, Map<String, Instant>> activeByAnnotator = new HashMap<>();
    final Map<String, Annotation> annotations = new LinkedHashMap<>();
    final Map<String, Review> reviews = new LinkedHashMap<>();
    final Map<String, List<String>> gold = new HashMap<>();

    Dataset(String id, LabelSchema schema, int overlap) {
      this.id = id;
      this.schema = schema;
      this.overlap = overlap;
    }
  }

  private static final class RecordState {
    int target;
    int answered;
    final Map<String, Instant> active = new HashMap<>();
    final Set<String> everAssigned = new HashSet<>();

    RecordState(int target) {
      this.target = target;
    }

    int openSlots() {
      return target - answered - active.size();
    }
  }
}
