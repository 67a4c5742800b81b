package io.ledgerlake.labeling.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.labeling.AnnotationConflictException;
import io.ledgerlake.labeling.StateFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaseBookTest {
  static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
  static final Duration TTL = Duration.ofMinutes(10);
  static final List<String> RECORDS = List.of("r1", "r2", "r3");

  static Annotation answer(String id, String cid, String who, Annotation.Status status) {
    return new Annotation(id, "ds", cid, who, List.of("x"), 1, T0, status);
  }

  static List<String> cids(List<TaskLease> leases) {
    return leases.stream().map(TaskLease::recordCid).toList();
  }

  @Test
  void overlapAndNoRepeatsAndOwnLeasesFirst() {
    LeaseBook book = new LeaseBook();
    AnswerState none = AnswerState.of(List.of(), Set.of());
    assertThat(cids(book.reserve(RECORDS, none, 2, "a", 2, T0, TTL))).containsExactly("r1", "r2");
    assertThat(cids(book.reserve(RECORDS, none, 2, "a", 3, T0, TTL))).as("polling returns the same leases first")
        .containsExactly("r1", "r2", "r3");
    assertThat(cids(book.reserve(RECORDS, none, 2, "b", 5, T0, TTL))).containsExactly("r1", "r2", "r3");
    assertThat(book.reserve(RECORDS, none, 2, "c", 5, T0, TTL)).as("every record is held twice").isEmpty();
    assertThat(book.openSlots("r1", none, 2, T0)).isZero();
  }

  @Test
  void answersKeepTheirSlotRejectionsFreeItRequeuesAddOne() {
    LeaseBook book = new LeaseBook();
    AnswerState none = AnswerState.of(List.of(), Set.of());
    book.reserve(List.of("r1"), none, 1, "a", 1, T0, TTL);
    book.checkMayAnswer("r1", "a", none, 1, T0);
    book.answered("r1", "a");
    AnswerState answered = AnswerState.of(List.of(answer("x", "r1", "a", Annotation.Status.SUBMITTED)), Set.of());
    assertThat(book.reserve(List.of("r1"), answered, 1, "b", 1, T0, TTL)).isEmpty();
    assertThatThrownBy(() -> book.checkMayAnswer("r1", "a", answered, 1, T0))
        .isInstanceOf(AnnotationConflictException.class).hasMessageContaining("already answered");
    AnswerState rejected = AnswerState.of(List.of(answer("x", "r1", "a", Annotation.Status.REJECTED)), Set.of());
    assertThat(cids(book.reserve(List.of("r1"), rejected, 1, "b", 1, T0, TTL))).containsExactly("r1");
    assertThat(book.reserve(List.of("r1"), rejected, 1, "a", 1, T0, TTL)).as("never twice, even when rejected")
        .isEmpty();
    AnswerState requeued = AnswerState.of(List.of(answer("x", "r1", "a", Annotation.Status.SUBMITTED)), Set.of("x"));
    assertThat(requeued.target("r1", 1)).isEqualTo(2);
  }

  @Test
  void expiredLeasesAreReissuedButNotToTheSameAnnotator() {
    LeaseBook book = new LeaseBook();
    AnswerState none = AnswerState.of(List.of(), Set.of());
    book.reserve(List.of("r1"), none, 1, "a", 1, T0, TTL);
    Instant later = T0.plus(TTL);
    assertThat(book.reserve(List.of("r1"), none, 1, "a", 1, later, TTL)).isEmpty();
    assertThat(cids(book.reserve(List.of("r1"), none, 1, "b", 1, later, TTL))).containsExactly("r1");
    assertThatThrownBy(() -> book.checkMayAnswer("r1", "a", none, 1, later)).hasMessageContaining("expired");
    assertThatThrownBy(() -> book.checkMayAnswer("r1", "c", none, 1, later)).hasMessageContaining("not reserved");
    LeaseBook lone = new LeaseBook();
    lone.reserve(List.of("r1"), none, 1, "a", 1, T0, TTL);
    lone.checkMayAnswer("r1", "a", none, 1, later); // late, but the slot is still open: kept rather than wasted
  }

  @Test
  void persistedFormRoundTrips() {
    LeaseBook book = new LeaseBook();
    AnswerState none = AnswerState.of(List.of(), Set.of());
    book.reserve(RECORDS, none, 2, "b", 2, T0, TTL);
    book.reserve(RECORDS, none, 2, "a", 3, T0.plusSeconds(5), TTL);
    byte[] bytes = book.toBytes();
    LeaseBook back = LeaseBook.fromBytes(bytes);
    assertThat(back.toBytes()).isEqualTo(bytes);
    assertThat(back.leases()).isEqualTo(book.leases()).hasSize(5);
    List<String> next = new ArrayList<>(cids(back.reserve(RECORDS, none, 2, "c", 3, T0, TTL)));
    assertThat(next).as("same future behaviour").isEqualTo(cids(book.reserve(RECORDS, none, 2, "c", 3, T0, TTL)));
    assertThat(new String(LeaseBook.fromBytes(new byte[0]).toBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"version\":1,\"leases\":[]}");
    assertThatThrownBy(() -> LeaseBook.fromBytes("{\"version\":7}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(StateFormatException.class).hasMessageContaining("version 7");
  }
}
