package io.ledgerlake.labeling.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.labeling.AnnotationConflictException;
import io.ledgerlake.labeling.InvalidLabelingInputException;
import io.ledgerlake.labeling.StateFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Task reservations of one dataset: which annotator holds which record until when. This is the one implementation of
 * the assignment rules used by the HTTP API and the CLI (through {@code labeling/stage}'s {@code AnnotationWorkflow},
 * which keeps the book in a locked file next to the lakehouse):
 *
 * <ul>
 *   <li>a record is held or answered by at most its target (overlap N, plus one per requeued answer) annotators at any
 *       moment: open slots = target - counted answers - unexpired leases of annotators who have not answered it;
 *   <li>an annotator never gets a record twice: not after answering it (any review status) and not after their lease on
 *       it expired (the expired lease stays in the book as history);
 *   <li>an expired lease frees its slot, so the record is reissued to someone else;
 *   <li>{@link #reserve} returns the caller's still-active leases first, so polling does not hoard records.
 * </ul>
 *
 * Not thread-safe: the caller serializes access per dataset. Persisted with {@link #toBytes}/{@link #fromBytes}
 * (versioned JSON).
 */
public final class LeaseBook {
  public static final int VERSION_1 = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** record CID -> annotator -> lease, sorted so the persisted form is deterministic. */
  private final Map<String, Map<String, TaskLease>> leases = new TreeMap<>();

  public LeaseBook() {}

  public List<TaskLease> leases() {
    List<TaskLease> out = new ArrayList<>();
    leases.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  /**
   * The caller's next tasks: its active leases on records it has not answered, then new leases on {@code records}
   * (in that order) with an open slot that the caller never held or answered, up to {@code limit} in total.
   */
  public List<TaskLease> reserve(Collection<String> records, AnswerState answers, int overlap, String annotatorId,
      int limit, Instant now, Duration ttl) {
    Objects.requireNonNull(annotatorId, "annotatorId");
    InvalidLabelingInputException.check(limit >= 1 && limit <= 1000, "limit must be in 1..1000, got %s", limit);
    InvalidLabelingInputException.check(overlap >= 1, "overlap must be >= 1, got %s", overlap);
    InvalidLabelingInputException.check(!ttl.isNegative() && !ttl.isZero(), "lease ttl must be positive, got %s",
        ttl);
    List<TaskLease> out = new ArrayList<>();
    for (Map<String, TaskLease> byAnnotator : leases.values()) {
      TaskLease mine = byAnnotator.get(annotatorId);
      if (mine != null && mine.activeAt(now) && !answers.answered(mine.recordCid(), annotatorId)) {
        out.add(mine);
        if (out.size() == limit) {
          return out;
        }
      }
    }
    for (String cid : records) {
      if (out.size() == limit) {
        break;
      }
      if (answers.answered(cid, annotatorId) || leases.getOrDefault(cid, Map.of()).containsKey(annotatorId)) {
        continue;
      }
      if (openSlots(cid, answers, overlap, now) > 0) {
        TaskLease lease = new TaskLease(cid, annotatorId, now, now.plus(ttl));
        leases.computeIfAbsent(cid, k -> new TreeMap<>()).put(annotatorId, lease);
        out.add(lease);
      }
    }
    return out;
  }

  /**
   * Checks that {@code annotatorId} may answer {@code recordCid} now: it holds an active lease, or its lease expired
   * and the record still has an open slot (a late answer is kept rather than wasted). Throws
   * {@link AnnotationConflictException} saying why not otherwise.
   */
  public void checkMayAnswer(String recordCid, String annotatorId, AnswerState answers, int overlap, Instant now) {
    if (answers.answered(recordCid, annotatorId)) {
      throw new AnnotationConflictException("annotator " + annotatorId + " already answered record " + recordCid
          + "; an annotator answers a record once (replay the same annotation id to retry a lost response)");
    }
    TaskLease lease = leases.getOrDefault(recordCid, Map.of()).get(annotatorId);
    if (lease == null) {
      throw new AnnotationConflictException("record " + recordCid + " is not reserved for annotator " + annotatorId
          + "; fetch tasks first (GET /v1/datasets/{id}/tasks or 'ledgerlake label tasks')");
    }
    if (!lease.activeAt(now) && openSlots(recordCid, answers, overlap, now) <= 0) {
      throw new AnnotationConflictException("the reservation of record " + recordCid + " for annotator " + annotatorId
          + " expired at " + lease.expiresAt() + " and the record was reissued to others; fetch new tasks");
    }
  }

  /** Drops the lease once its answer is stored (the answer itself now keeps the slot and the no-repeat rule). */
  public void answered(String recordCid, String annotatorId) {
    Map<String, TaskLease> byAnnotator = leases.get(recordCid);
    if (byAnnotator != null) {
      byAnnotator.remove(annotatorId);
      if (byAnnotator.isEmpty()) {
        leases.remove(recordCid);
      }
    }
  }

  /** Open slots of a record: its target minus counted answers minus unexpired leases of annotators yet to answer. */
  public int openSlots(String recordCid, AnswerState answers, int overlap, Instant now) {
    int held = 0;
    for (TaskLease l : leases.getOrDefault(recordCid, Map.of()).values()) {
      if (l.activeAt(now) && !answers.answered(recordCid, l.annotatorId())) {
        held++;
      }
    }
    return answers.target(recordCid, overlap) - answers.counted(recordCid) - held;
  }

  // ---- persisted form ------------------------------------------------------------------------------------------

  /** {@code {"version":1,"leases":[{"record","annotator","issuedAt","expiresAt"}...]}}, sorted by record, annotator. */
  public byte[] toBytes() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", VERSION_1);
    ArrayNode list = root.putArray("leases");
    for (TaskLease l : leases()) {
      list.addObject().put("record", l.recordCid()).put("annotator", l.annotatorId())
          .put("issuedAt", l.issuedAt().toString()).put("expiresAt", l.expiresAt().toString());
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static LeaseBook fromBytes(byte[] bytes) {
    LeaseBook book = new LeaseBook();
    if (bytes.length == 0) {
      return book;
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new StateFormatException("lease book is not JSON (" + e.getMessage()
          + "); delete the file to release every reservation");
    }
    int version = root.path("version").asInt(-1);
    if (version != VERSION_1) {
      throw new StateFormatException("lease book version " + version + " is not supported (reads " + VERSION_1
          + "); delete the file to release every reservation");
    }
    for (JsonNode l : root.path("leases")) {
      TaskLease lease = new TaskLease(l.path("record").asText(), l.path("annotator").asText(),
          Instant.parse(l.path("issuedAt").asText()), Instant.parse(l.path("expiresAt").asText()));
      book.leases.computeIfAbsent(lease.recordCid(), k -> new TreeMap<>()).put(lease.annotatorId(), lease);
    }
    return book;
  }
}
