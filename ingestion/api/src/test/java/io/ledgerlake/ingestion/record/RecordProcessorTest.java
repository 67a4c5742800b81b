package io.ledgerlake.ingestion.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.ingestion.format.ContentInputs;
import io.ledgerlake.ingestion.format.CsvParser;
import io.ledgerlake.ingestion.format.JsonLinesParser;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.schema.DatasetSchema;
import io.ledgerlake.ingestion.schema.FieldType;
import io.ledgerlake.ingestion.schema.SchemaField;
import io.ledgerlake.ingestion.testing.CollectingVisitor;
import io.ledgerlake.ingestion.testing.Sha256RawCids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordProcessorTest {
  private static final DatasetSchema SCHEMA = new DatasetSchema(List.of(
      new SchemaField("id", FieldType.LONG, true), new SchemaField("score", FieldType.DOUBLE, false)), false);
  private final RecordProcessor processor = new RecordProcessor(SCHEMA, Sha256RawCids::cidOf);

  @Test
  void sameRowFromCsvAndJsonGetsTheSameName() throws IOException {
    CollectingVisitor fromJson = new CollectingVisitor();
    new JsonLinesParser(ParseLimits.defaults()).parse(ContentInputs.ofBytes(
        "{\"score\":2.50,\"id\":7}\n{\"id\":1e30}\n{\"id\":8,\"score\":12345678901234567890.5}\n"
            .getBytes(StandardCharsets.UTF_8)), "", "", fromJson);
    CollectingVisitor fromCsv = new CollectingVisitor();
    new CsvParser(ParseLimits.defaults()).parse(ContentInputs.ofBytes(
        "id,score\n7,2.5\n".getBytes(StandardCharsets.UTF_8)), "", "", fromCsv);

    RecordProcessor.Outcome json = processor.process(fromJson.records.get(0));
    RecordProcessor.Outcome csv = processor.process(fromCsv.records.get(0));
    assertThat(json.isAccepted()).isTrue();
    assertThat(new String(json.accepted().canonicalJson(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":7,\"score\":2.5}");
    assertThat(csv.accepted().name()).isEqualTo(json.accepted().name());
    assertThat(csv.accepted().canonicalJson()).isEqualTo(json.accepted().canonicalJson());

    RecordProcessor.Outcome notLong = processor.process(fromJson.records.get(1));
    assertThat(notLong.rejection().code()).isEqualTo(RejectionCode.SCHEMA_MISMATCH);
    assertThat(notLong.rejection().position().line()).isEqualTo(2);
    RecordProcessor.Outcome tooPrecise = processor.process(fromJson.records.get(2));
    assertThat(tooPrecise.rejection().code()).isEqualTo(RejectionCode.NUMBER_NOT_REPRESENTABLE);
  }
}
