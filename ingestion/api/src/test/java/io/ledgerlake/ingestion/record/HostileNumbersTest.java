package io.ledgerlake.ingestion.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.ingestion.format.ContentInputs;
import io.ledgerlake.ingestion.format.CsvParser;
import io.ledgerlake.ingestion.format.JsonLinesParser;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import io.ledgerlake.ingestion.schema.FieldType;
import io.ledgerlake.ingestion.schema.SchemaField;
import io.ledgerlake.ingestion.schema.SchemaInferrer;
import io.ledgerlake.ingestion.testing.CollectingVisitor;
import io.ledgerlake.ingestion.testing.Sha256RawCids;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Numbers whose literal is short but whose value is enormous (or tiny): each must be a per-record rejection with a
 * short message, and the records after it must still be processed. The timeout is a hang guard, not a speed check:
 * before the bounds, one such line took minutes or a billion-character message.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostileNumbersTest {
  private static final DatasetSchema SCHEMA = new DatasetSchema(List.of(
      new SchemaField("id", FieldType.LONG, true),
      new SchemaField("text", FieldType.STRING, false),
      new SchemaField("score", FieldType.DOUBLE, false)), false);
  private final RecordProcessor processor = new RecordProcessor(SCHEMA, Sha256RawCids::cidOf);

  @Test
  void jsonNumbersWithHugeExponentsAreRejectedPerRecordAndTheRestGoesOn() throws IOException {
    String lines = String.join("\n",
        "{\"id\":21,\"text\":\"x\",\"score\":1e-999999999}",
        "{\"id\":1e100000000,\"text\":\"x\"}",
        "{\"id\":-1e-999999999,\"text\":\"x\"}",
        "{\"id\":3,\"score\":-1E+999999999}",
        "{\"id\":4,\"score\":1e400}",
        "{\"id\":5,\"score\":0e-999999999}",
        "{\"id\":1.00000000000000000000000000000000000000e2}",
        "{\"id\":9223372036854775808}",
        "{\"id\":7,\"score\":2.5}") + "\n";
    List<RecordProcessor.Outcome> outcomes = processAll(lines.getBytes(StandardCharsets.UTF_8), false);

    assertThat(outcomes).hasSize(9);
    assertRejected(outcomes.get(0), RejectionCode.NUMBER_OUT_OF_RANGE, 1);
    assertRejected(outcomes.get(1), RejectionCode.NUMBER_OUT_OF_RANGE, 2);
    assertThat(outcomes.get(1).rejection().reason()).contains("1E+100000000").contains("send it as a string");
    assertRejected(outcomes.get(2), RejectionCode.NUMBER_OUT_OF_RANGE, 3);
    assertRejected(outcomes.get(3), RejectionCode.NUMBER_OUT_OF_RANGE, 4);
    assertRejected(outcomes.get(4), RejectionCode.NUMBER_NOT_REPRESENTABLE, 5);
    assertThat(canonical(outcomes.get(5))).isEqualTo("{\"id\":5,\"score\":0}");
    assertThat(canonical(outcomes.get(6))).isEqualTo("{\"id\":100}");
    assertRejected(outcomes.get(7), RejectionCode.SCHEMA_MISMATCH, 8);
    assertThat(outcomes.get(7).rejection().reason()).contains("outside the long range");
    assertThat(canonical(outcomes.get(8))).isEqualTo("{\"id\":7,\"score\":2.5}");
  }

  @Test
  void csvCellsAreBoundedTheSameWay() throws IOException {
    String csv = "id,text,score\n"
        + "1e100000000,x,1\n"
        + "2,x,1e-999999999\n"
        + "3,x," + "9".repeat(200_000) + "\n"
        + "4,x,0.5\n";
    List<RecordProcessor.Outcome> outcomes = processAll(csv.getBytes(StandardCharsets.UTF_8), true);

    assertThat(outcomes).hasSize(4);
    assertRejected(outcomes.get(0), RejectionCode.NUMBER_OUT_OF_RANGE, 2);
    assertRejected(outcomes.get(1), RejectionCode.NUMBER_OUT_OF_RANGE, 3);
    assertRejected(outcomes.get(2), RejectionCode.SCHEMA_MISMATCH, 4); // not parsed as a number at all
    assertThat(canonical(outcomes.get(3))).isEqualTo("{\"id\":4,\"score\":0.5,\"text\":\"x\"}");
  }

  @Test
  void schemaInferenceOnHostileNumbersIsBoundedToo() throws IOException {
    SchemaInferrer inferrer = new SchemaInferrer(10);
    new JsonLinesParser(ParseLimits.defaults()).parse(ContentInputs.ofBytes(
        "{\"a\":1e100000000,\"b\":1e-999999999,\"c\":12}\n".getBytes(StandardCharsets.UTF_8)), "", "", inferrer);
    DatasetSchema inferred = inferrer.result();
    assertThat(inferred.toJson().toString())
        .contains("{\"name\":\"a\",\"type\":\"double\"").contains("{\"name\":\"c\",\"type\":\"long\"");
  }

  @Test
  void processingBugsQuarantineTheRecordNotTheUpload() throws IOException {
    RecordNamer failing = canonical -> {
      if (new String(canonical, StandardCharsets.UTF_8).contains("boom")) {
        throw new IllegalStateException("namer bug");
      }
      return Sha256RawCids.cidOf(canonical);
    };
    RecordProcessor withBug = new RecordProcessor(SCHEMA, failing);
    CollectingVisitor parsed = new CollectingVisitor();
    new JsonLinesParser(ParseLimits.defaults()).parse(ContentInputs.ofBytes(
        "{\"id\":1,\"text\":\"boom\"}\n{\"id\":2,\"text\":\"fine\"}\n".getBytes(StandardCharsets.UTF_8)), "", "", parsed);
    RecordProcessor.Outcome bad = withBug.process(parsed.records.get(0));
    assertRejected(bad, RejectionCode.PROCESSING_ERROR, 1);
    assertThat(withBug.process(parsed.records.get(1)).isAccepted()).isTrue();
  }

  @Test
  void boundedNumbersHelpers() {
    assertThat(BoundedNumbers.describe(new BigDecimal("1e-999999999"))).isEqualTo("1E-999999999");
    assertThat(BoundedNumbers.describe(new BigDecimal("1" + "0".repeat(999) + ".5"))).hasSizeLessThanOrEqualTo(40);
    assertThat(BoundedNumbers.exactLongOrNull(new BigDecimal("9223372036854775807"))).isEqualTo(Long.MAX_VALUE);
    assertThat(BoundedNumbers.exactLongOrNull(new BigDecimal("-9223372036854775808"))).isEqualTo(Long.MIN_VALUE);
    assertThat(BoundedNumbers.exactLongOrNull(new BigDecimal("9223372036854775808"))).isNull();
    assertThat(BoundedNumbers.exactLongOrNull(new BigDecimal("1.5"))).isNull();
    assertThat(BoundedNumbers.exactLongOrNull(new BigDecimal("1e18"))).isEqualTo(1_000_000_000_000_000_000L);
    assertThat(BoundedNumbers.exactLongOrNull(new BigDecimal("0.000e-999999"))).isEqualTo(0L);
    assertThat(BoundedNumbers.parseOrNull("12abc")).isNull();
    assertThatThrownBy(() -> BoundedNumbers.checked(new BigDecimal(new java.math.BigInteger("9".repeat(1200)))))
        .isInstanceOf(RecordRejectedException.class).hasMessageContaining("significant digits");
    assertThat(new Rejection(RecordPosition.ofRow("", 1), RejectionCode.MALFORMED_JSON, "x".repeat(5000)).reason())
        .hasSize(Rejection.MAX_REASON_CHARS);
  }

  private List<RecordProcessor.Outcome> processAll(byte[] content, boolean csv) throws IOException {
    List<RecordProcessor.Outcome> outcomes = new ArrayList<>();
    RecordVisitor visitor = new RecordVisitor() {
      @Override
      public boolean onRecord(ParsedRecord record) {
        outcomes.add(processor.process(record));
        return true;
      }

      @Override
      public boolean onRejection(Rejection rejection) {
        outcomes.add(new RecordProcessor.Outcome(null, rejection));
        return true;
      }
    };
    if (csv) {
      new CsvParser(ParseLimits.defaults()).parse(ContentInputs.ofBytes(content), "", "", visitor);
    } else {
      new JsonLinesParser(ParseLimits.defaults()).parse(ContentInputs.ofBytes(content), "", "", visitor);
    }
    return outcomes;
  }

  private static void assertRejected(RecordProcessor.Outcome outcome, RejectionCode code, long line) {
    assertThat(outcome.isAccepted()).as("accepted: %s", outcome).isFalse();
    assertThat(outcome.rejection().code()).isEqualTo(code);
    assertThat(outcome.rejection().position().line()).isEqualTo(line);
    assertThat(outcome.rejection().reason()).hasSizeLessThan(300);
  }

  private static String canonical(RecordProcessor.Outcome outcome) {
    assertThat(outcome.isAccepted()).as("rejected: %s", outcome.rejection()).isTrue();
    return new String(outcome.accepted().canonicalJson(), StandardCharsets.UTF_8);
  }
}
