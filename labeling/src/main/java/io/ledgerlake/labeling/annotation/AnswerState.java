package io.ledgerlake.labeling.annotation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the durable store says about a dataset's answers, as the assignment rules need it: who answered each record
 * (any status: an annotator never gets a record twice), how many answers count towards its overlap (not rejected), and
 * how many extra opinions REQUEUE reviews asked for.
 */
public final class AnswerState {
  private final Map<String, Set<String>> answeredBy = new HashMap<>();
  private final Map<String, Integer> counted = new HashMap<>();
  private final Map<String, Integer> requeues = new HashMap<>();

  /**
   * @param annotations current state of every annotation of the dataset
   * @param requeuedAnnotationIds annotations that received a REQUEUE review (each raises its record's target once)
   */
  public static AnswerState of(List<Annotation> annotations, Set<String> requeuedAnnotationIds) {
    AnswerState s = new AnswerState();
    for (Annotation a : annotations) {
      s.answeredBy.computeIfAbsent(a.recordCid(), k -> new HashSet<>()).add(a.annotatorId());
      if (a.status() != Annotation.Status.REJECTED) {
        s.counted.merge(a.recordCid(), 1, Integer::sum);
      }
      if (requeuedAnnotationIds.contains(a.annotationId())) {
        s.requeues.merge(a.recordCid(), 1, Integer::sum);
      }
    }
    return s;
  }

  public boolean answered(String recordCid, String annotatorId) {
    return answeredBy.getOrDefault(Objects.requireNonNull(recordCid), Set.of()).contains(annotatorId);
  }

  /** Answers that count towards the record's overlap (not rejected). */
  public int counted(String recordCid) {
    return counted.getOrDefault(recordCid, 0);
  }

  /** The record's overlap target: the dataset overlap plus one per requeued answer. */
  public int target(String recordCid, int overlap) {
    return overlap + requeues.getOrDefault(recordCid, 0);
  }
}
