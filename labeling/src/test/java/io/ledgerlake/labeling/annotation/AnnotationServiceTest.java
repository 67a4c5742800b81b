package io.ledgerlake.labeling.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.labeling.AnnotationConflictException;
import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AnnotationServiceTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
  private final AnnotationService service = new AnnotationService(clock, Duration.ofMinutes(30));
  private static final LabelSchema SENTIMENT = new LabelSchema.SingleLabel(List.of("neg", "neu", "pos"));

  private void dataset(int records, int overlap) {
    service.createDataset("ds", SENTIMENT, overlap);
    List<String> cids = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      cids.add("r" + i);
    }
    service.addRecords("ds", cids);
  }

  private Receipt<Annotation> answer(String annotator, String cid, String value) {
    return service.submit(new AnnotationRequest(annotator + ":" + cid, "ds", cid, annotator, List.of(value), 1200));
  }

  @Test
  void overlapIsRespectedAndNoAnnotatorSeesARecordTwice() {
    dataset(4, 2);
    List<AnnotationTask> a = service.nextTasks("ds", "alice", 10);
    assertThat(a).extracting(AnnotationTask::recordCid).containsExactly("r0", "r1", "r2", "r3");
    assertThat(service.nextTasks("ds", "alice", 10)).as("polling returns the same open tasks").isEqualTo(a);
    assertThat(service.nextTasks("ds", "bob", 2)).extracting(AnnotationTask::recordCid).containsExactly("r0", "r1");
    assertThat(service.nextTasks("ds", "bob", 10)).hasSize(4);
    assertThat(service.nextTasks("ds", "carol", 10)).as("every record already has 2 annotators").isEmpty();
    for (AnnotationTask t : a) {
      answer("alice", t.recordCid(), "pos");
    }
    assertThat(service.nextTasks("ds", "alice", 10)).as("answered records are never handed out again").isEmpty();
    assertThat(service.coverage("ds").values()).allSatisfy(c -> assertThat(c).containsExactly(2, 2));
  }

  @Test
  void replayingAnAnnotationIsIdempotentButADifferentPayloadConflicts() {
    dataset(1, 1);
    service.nextTasks("ds", "alice", 1);
    Receipt<Annotation> first = answer("alice", "r0", "neg");
    Receipt<Annotation> again = answer("alice", "r0", "neg");
    assertThat(first.replayed()).isFalse();
    assertThat(again.replayed()).isTrue();
    assertThat(again.value()).isEqualTo(first.value());
    assertThat(service.annotations("ds")).hasSize(1);
    assertThatThrownBy(() -> answer("alice", "r0", "pos"))
        .isInstanceOf(AnnotationConflictException.class).hasMessageContaining("different payload");
    assertThatThrownBy(() -> service.submit(
        new AnnotationRequest("other-id", "ds", "r0", "alice", List.of("pos"), 5)))
        .isInstanceOf(AnnotationConflictException.class).hasMessageContaining("already answered");
  }

  @Test
  void answersMustFitTheSchema() {
    dataset(1, 1);
    service.nextTasks("ds", "alice", 1);
    assertThatThrownBy(() -> answer("alice", "r0", "angry"))
        .isInstanceOf(InvalidLabelingInputException.class).hasMessageContaining("[neg, neu, pos]");
    LabelSchema multi = new LabelSchema.MultiLabel(List.of("a", "b", "c"));
    assertThat(multi.canonicalize(List.of("c", "a", "c"))).containsExactly("a", "c");
    assertThat(new LabelSchema.FreeText(10).canonicalize(List.of("  short "))).containsExactly("short");
    assertThatThrownBy(() -> new LabelSchema.FreeText(3).canonicalize(List.of("too long"))).hasMessageContaining("1..3");
    assertThatThrownBy(() -> service.createDataset("ds", multi, 1))
        .isInstanceOf(AnnotationConflictException.class);
    assertThatThrownBy(() -> service.nextTasks("nope", "alice", 1)).hasMessageContaining("unknown dataset nope");
  }

  @Test
  void expiredLeaseReleasesTheRecordToSomeoneElseButNeverBackToTheSameAnnotator() {
    dataset(1, 1);
    assertThat(service.nextTasks("ds", "alice", 1)).hasSize(1);
    assertThat(service.nextTasks("ds", "bob", 1)).isEmpty();
    clock.advance(Duration.ofMinutes(31));
    assertThat(service.nextTasks("ds", "alice", 1)).isEmpty();
    assertThat(service.nextTasks("ds", "bob", 1)).extracting(AnnotationTask::recordCid).containsExactly("r0");
    assertThatThrownBy(() -> answer("alice", "r0", "pos")).isInstanceOf(AnnotationConflictException.class);
  }

  @Test
  void reviewsAcceptRejectAndRequeue() {
    dataset(2, 1);
    service.nextTasks("ds", "alice", 2);
    Annotation a0 = answer("alice", "r0", "pos").value();
    Annotation a1 = answer("alice", "r1", "neg").value();

    service.review(new Review("rv1", a0.annotationId(), "rita", Review.Decision.ACCEPT, "ok"));
    assertThat(service.gold("ds")).containsEntry("r0", List.of("pos"));
    assertThat(service.review(new Review("rv1", a0.annotationId(), "rita", Review.Decision.ACCEPT, "ok")).replayed())
        .isTrue();
    assertThatThrownBy(() -> service.review(new Review("rv1", a0.annotationId(), "rita", Review.Decision.REJECT, "")))
        .isInstanceOf(AnnotationConflictException.class);
    assertThatThrownBy(() -> service.review(new Review("rv2", a0.annotationId(), "rita", Review.Decision.REJECT, "")))
        .hasMessageContaining("already ACCEPTED");

    service.review(new Review("rv3", a1.annotationId(), "rita", Review.Decision.REJECT, "wrong"));
    assertThat(service.nextTasks("ds", "alice", 5)).as("rejected annotator never gets it back").isEmpty();
    assertThat(service.nextTasks("ds", "bob", 5)).extracting(AnnotationTask::recordCid).containsExactly("r1");
    Annotation b1 = answer("bob", "r1", "neu").value();

    service.review(new Review("rv4", b1.annotationId(), "rita", Review.Decision.REQUEUE, "unsure"));
    assertThat(service.nextTasks("ds", "carol", 5)).extracting(AnnotationTask::recordCid).containsExactly("r1");
    assertThat(service.coverage("ds").get("r1")).containsExactly(2, 2);
    assertThatThrownBy(() -> service.review(new Review("rv5", b1.annotationId(), "bob", Review.Decision.ACCEPT, "")))
        .hasMessageContaining("own annotation");
    assertThat(service.annotations("ds")).extracting(Annotation::status).containsExactly(
        Annotation.Status.ACCEPTED, Annotation.Status.REJECTED, Annotation.Status.SUBMITTED);
  }

  /**
   * Many threads, two per annotator, fetch and answer concurrently; each answer is submitted by both threads of the
   * annotator that hold the task. Afterwards every record has exactly N distinct annotators and nothing was counted
   * twice.
   */
  @Test
  void assignmentRulesHoldUnderConcurrentRequests() throws Exception {
    int records = 300;
    int overlap = 3;
    int annotators = 16;
    dataset(records, overlap);
    ExecutorService pool = Executors.newFixedThreadPool(annotators * 2);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger replays = new AtomicInteger();
    Map<String, Set<String>> handedOut = new ConcurrentHashMap<>();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < annotators * 2; t++) {
      String annotator = "ann" + (t % annotators);
      futures.add(pool.submit(() -> {
        start.await();
        while (true) {
          List<AnnotationTask> tasks = service.nextTasks("ds", annotator, 4);
          if (tasks.isEmpty()) {
            return null;
          }
          for (AnnotationTask task : tasks) {
            handedOut.computeIfAbsent(task.recordCid(), k -> ConcurrentHashMap.newKeySet()).add(annotator);
            String value = List.of("neg", "neu", "pos").get(Math.floorMod((annotator + task.recordCid()).hashCode(), 3));
            try {
              if (answer(annotator, task.recordCid(), value).replayed()) {
                replays.incrementAndGet();
              }
            } catch (AnnotationConflictException e) {
              // the sibling thread answered and this thread saw the task before that: the record is no longer
              // assigned, and the annotation id is the same, so only a replay or this conflict is legal
              assertThat(e.getMessage()).contains("not currently assigned");
            }
          }
        }
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    List<Annotation> all = service.annotations("ds");
    assertThat(all).hasSize(records * overlap);
    Map<String, Set<String>> byRecord = new HashMap<>();
    for (Annotation a : all) {
      assertThat(byRecord.computeIfAbsent(a.recordCid(), k -> new HashSet<>()).add(a.annotatorId()))
          .as("annotator %s answered %s twice", a.annotatorId(), a.recordCid()).isTrue();
    }
    assertThat(byRecord).hasSize(records).allSatisfy((cid, who) -> assertThat(who).hasSize(overlap));
    assertThat(handedOut).allSatisfy((cid, who) -> assertThat(who).hasSize(overlap));
  }
}
