package io.ledgerlake.ingestion.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.InvalidSchemaException;
import io.ledgerlake.ingestion.format.ContentInputs;
import io.ledgerlake.ingestion.format.CsvParser;
import io.ledgerlake.ingestion.format.JsonLinesParser;
import io.ledgerlake.ingestion.format.ParseLimits;
import io.ledgerlake.ingestion.record.Json;
import io.ledgerlake.ingestion.record.ParsedRecord;
import io.ledgerlake.ingestion.record.RecordPosition;
import io.ledgerlake.ingestion.record.RecordRejectedException;
import io.ledgerlake.ingestion.record.RejectionCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetSchemaTest {
  private static final DatasetSchema SCHEMA = new DatasetSchema(List.of(
      new SchemaField("id", FieldType.LONG, true),
      new SchemaField("score", FieldType.DOUBLE, false),
      new SchemaField("ok", FieldType.BOOLEAN, false),
      new SchemaField("at", FieldType.TIMESTAMP, false),
      new SchemaField("name", FieldType.STRING, false),
      new SchemaField("extra", FieldType.JSON, false)), false);

  private static ParsedRecord json(String text) throws IOException {
    return new ParsedRecord(RecordPosition.ofRow("", 1), (ObjectNode) Json.RECORD_MAPPER.readTree(text), false);
  }

  private static ParsedRecord csv(String text) throws IOException {
    return new ParsedRecord(RecordPosition.ofRow("", 1), (ObjectNode) Json.RECORD_MAPPER.readTree(text), true);
  }

  @Test
  void validRecordsAreNormalized() throws IOException {
    assertThat(SCHEMA.validate(json("{\"id\":1.0,\"score\":2,\"at\":\"2026-01-01T01:00:00+01:00\",\"name\":null,"
        + "\"extra\":{\"b\":[1]}}")).toString())
        .isEqualTo("{\"id\":1,\"score\":2,\"at\":\"2026-01-01T00:00:00Z\",\"extra\":{\"b\":[1]}}");
    assertThat(SCHEMA.validate(csv("{\"id\":\"7\",\"score\":\"\",\"ok\":\"true\",\"name\":\"\"}")).toString())
        .isEqualTo("{\"id\":7,\"ok\":true,\"name\":\"\"}");
  }

  @Test
  void mismatchesNameTheFieldAndTheProblem() {
    assertReject("{\"score\":1}", "required field 'id' is missing");
    assertReject("{\"id\":null}", "required field 'id' is null");
    assertReject("{\"id\":\"1\"}", "field 'id': expected long, got string \"1\"");
    assertReject("{\"id\":1.5}", "field 'id': expected long");
    assertReject("{\"id\":1,\"ok\":\"yes\"}", "field 'ok': expected boolean");
    assertReject("{\"id\":1,\"at\":\"yesterday\"}", "'yesterday' is not an ISO-8601 timestamp");
    assertReject("{\"id\":1,\"surprise\":true}", "field 'surprise' is not in the dataset schema");
  }

  private static void assertReject(String record, String message) {
    assertThatThrownBy(() -> SCHEMA.validate(json(record)))
        .isInstanceOf(RecordRejectedException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((RecordRejectedException) e).rejectionCode())
        .isEqualTo(RejectionCode.SCHEMA_MISMATCH);
  }

  @Test
  void jsonFormRoundTrips() {
    assertThat(DatasetSchema.fromJson(SCHEMA.toJson())).isEqualTo(SCHEMA);
    assertThat(SCHEMA.toJson().toString()).startsWith("{\"version\":1,\"fields\":[{\"name\":\"id\",\"type\":\"long\","
        + "\"required\":true}");
  }

  @Test
  void malformedDefinitionsAreRejected() throws IOException {
    assertThatThrownBy(() -> DatasetSchema.fromJson(Json.MAPPER.readTree("{\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}")))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("Unknown field type 'int'");
    assertThatThrownBy(() -> DatasetSchema.fromJson(Json.MAPPER.readTree(
        "{\"fields\":[{\"name\":\"a\",\"type\":\"long\"},{\"name\":\"a\",\"type\":\"string\"}]}")))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> DatasetSchema.fromJson(Json.MAPPER.readTree("{\"version\":2,\"fields\":[]}")))
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("version 2");
  }

  @Test
  void inferenceFromJsonLines() throws IOException {
    String lines = "{\"id\":1,\"v\":1,\"t\":\"2026-01-01T00:00:00Z\",\"tags\":[\"a\"],\"s\":\"x\"}\n"
        + "{\"id\":2,\"v\":2.5,\"t\":\"2026-01-02T00:00:00Z\",\"mixed\":1,\"s\":\"y\"}\n"
        + "not json\n"
        + "{\"id\":3,\"v\":3,\"mixed\":\"one\",\"s\":null}\n";
    SchemaInferrer inferrer = new SchemaInferrer(100);
    new JsonLinesParser(ParseLimits.defaults()).parse(
        ContentInputs.ofBytes(lines.getBytes(StandardCharsets.UTF_8)), "", "", inferrer);
    DatasetSchema schema = inferrer.result();
    assertThat(schema.fields()).containsExactly(
        new SchemaField("id", FieldType.LONG, true),
        new SchemaField("v", FieldType.DOUBLE, true),
        new SchemaField("t", FieldType.TIMESTAMP, false),
        new SchemaField("tags", FieldType.JSON, false),
        new SchemaField("s", FieldType.STRING, false),
        new SchemaField("mixed", FieldType.JSON, false));
    assertThat(inferrer.sampledRecords()).isEqualTo(3);
  }

  @Test
  void inferenceFromCsvTypesCellsAndStopsAtTheSampleSize() throws IOException {
    String csv = "id,price,flag,name\n1,2.5,true,a\n2,3,false,\n3,x,true,c\n";
    SchemaInferrer inferrer = new SchemaInferrer(2);
    new CsvParser(ParseLimits.defaults()).parse(
        ContentInputs.ofBytes(csv.getBytes(StandardCharsets.UTF_8)), "", "", inferrer);
    assertThat(inferrer.sampledRecords()).isEqualTo(2);
    assertThat(inferrer.result().fields()).containsExactly(
        new SchemaField("id", FieldType.LONG, true),
        new SchemaField("price", FieldType.DOUBLE, true),
        new SchemaField("flag", FieldType.BOOLEAN, true),
        new SchemaField("name", FieldType.STRING, false));
  }

  @Test
  void inferenceWithoutRecordsFailsClearly() {
    assertThatThrownBy(() -> new SchemaInferrer(10).result())
        .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("no valid record");
  }
}
