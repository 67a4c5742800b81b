package io.ledgerlake.labeling.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.labeling.annotation.Annotation;
import io.ledgerlake.labeling.annotation.Review;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotationTableTest {
  @TempDir Path dir;

  @Test
  void aReviewStampedWithTheAnswersTimeStillWinsAndIsListed() {
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir))) {
      lakehouse.init();
      AnnotationTable table = new AnnotationTable(lakehouse);
      Instant t = Instant.parse("2026-11-22T00:00:00Z");
      Annotation a = new Annotation("a1", "ds", "cid", "0x" + "aa".repeat(20), List.of("pos"), 5, t,
          Annotation.Status.SUBMITTED);
      table.append(List.of(a));
      table.appendReview(a, "0x" + "bb".repeat(20), Review.Decision.ACCEPT, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
      AnnotationTable.Ledger ledger = table.ledger("ds");
      assertThat(ledger.annotations()).singleElement()
          .satisfies(x -> assertThat(x.status()).isEqualTo(Annotation.Status.ACCEPTED));
      assertThat(ledger.reviews()).singleElement().satisfies(r -> {
        assertThat(r.decision()).isEqualTo(Review.Decision.ACCEPT);
        assertThat(r.reviewer()).isEqualTo("0x" + "bb".repeat(20));
      });
      assertThat(table.ledgerAt("ds", null).annotations()).as("before the first commit").isEmpty();
    }
  }
}
