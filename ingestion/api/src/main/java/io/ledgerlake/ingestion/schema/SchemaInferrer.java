package io.ledgerlake.ingestion.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerlake.ingestion.InvalidSchemaException;
import io.ledgerlake.ingestion.record.ParsedRecord;
import io.ledgerlake.ingestion.record.RecordVisitor;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.record.BoundedNumbers;
import io.ledgerlake.ingestion.record.RecordRejectedException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Infers a {@link DatasetSchema} from the first records of the first upload. Feed it as a {@link RecordVisitor}; it
 * stops the parse after {@code sampleSize} records.
 *
 * <p>Rules: a field is required if it is present and not null in every sampled record; its type is the narrowest that
 * fits every sampled value, widening long to double; values of disagreeing kinds make the field {@code json} (or
 * {@code string} when they were all strings). CSV cells are typed by trying long, double, boolean, timestamp in turn.
 * The inferred schema forbids additional fields.
 */
public final class SchemaInferrer implements RecordVisitor {
  private final long sampleSize;
  private final Map<String, Set<FieldType>> seenTypes = new LinkedHashMap<>();
  private final Map<String, Long> presentCount = new LinkedHashMap<>();
  private long records;

  public SchemaInferrer(long sampleSize) {
    if (sampleSize <= 0) {
      throw new IllegalArgumentException("sampleSize must be positive: " + sampleSize);
    }
    this.sampleSize = sampleSize;
  }

  @Override
  public boolean onRecord(ParsedRecord record) {
    records++;
    for (Iterator<Map.Entry<String, JsonNode>> it = record.value().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      JsonNode value = member.getValue();
      Set<FieldType> types = seenTypes.computeIfAbsent(member.getKey(), k -> EnumSet.noneOf(FieldType.class));
      boolean emptyCell = record.textual() && value.isTextual() && value.textValue().isEmpty();
      if (value.isNull() || emptyCell) {
        continue;
      }
      presentCount.merge(member.getKey(), 1L, Long::sum);
      types.add(record.textual() && value.isTextual() ? typeOfCell(value.textValue()) : typeOf(value));
    }
    return records < sampleSize;
  }

  @Override
  public boolean onRejection(Rejection rejection) {
    return true; // rejected lines say nothing about the schema
  }

  public long sampledRecords() {
    return records;
  }

  /** @throws InvalidSchemaException when no record could be sampled */
  public DatasetSchema result() {
    if (records == 0) {
      throw new InvalidSchemaException(
          "Cannot infer a schema: the first upload has no valid record; fix the upload or give the schema explicitly");
    }
    List<SchemaField> fields = new ArrayList<>();
    seenTypes.forEach((name, types) -> fields.add(
        new SchemaField(name, merge(types), presentCount.getOrDefault(name, 0L) == records)));
    return new DatasetSchema(fields, false);
  }

  private static FieldType merge(Set<FieldType> types) {
    if (types.isEmpty()) {
      return FieldType.STRING; // only nulls seen: the most permissive scalar
    }
    if (types.size() == 1) {
      return types.iterator().next();
    }
    if (types.equals(EnumSet.of(FieldType.LONG, FieldType.DOUBLE))) {
      return FieldType.DOUBLE;
    }
    if (types.equals(EnumSet.of(FieldType.STRING, FieldType.TIMESTAMP))) {
      return FieldType.STRING;
    }
    return FieldType.JSON;
  }

  private static FieldType typeOf(JsonNode value) {
    if (value.isIntegralNumber()) {
      return FieldType.LONG;
    }
    if (value.isNumber()) {
      try {
        BigDecimal number = BoundedNumbers.checked(value.decimalValue());
        return BoundedNumbers.exactLongOrNull(number) != null ? FieldType.LONG : FieldType.DOUBLE;
      } catch (RecordRejectedException outOfRange) {
        return FieldType.DOUBLE; // its records are rejected one by one at ingestion, with their positions
      }
    }
    if (value.isBoolean()) {
      return FieldType.BOOLEAN;
    }
    if (value.isTextual()) {
      return isTimestamp(value.textValue()) ? FieldType.TIMESTAMP : FieldType.STRING;
    }
    return FieldType.JSON;
  }

  private static FieldType typeOfCell(String cell) {
    try {
      BigDecimal number = BoundedNumbers.parseOrNull(cell);
      if (number != null) {
        return BoundedNumbers.exactLongOrNull(number) != null && cell.trim().matches("[-+]?\\d+")
            ? FieldType.LONG : FieldType.DOUBLE;
      }
    } catch (RecordRejectedException outOfRange) {
      return FieldType.DOUBLE;
    }
    if (cell.equals("true") || cell.equals("false")) {
      return FieldType.BOOLEAN;
    }
    return isTimestamp(cell) ? FieldType.TIMESTAMP : FieldType.STRING;
  }

  private static boolean isTimestamp(String text) {
    if (text.length() < 20 || !Character.isDigit(text.charAt(0))) {
      return false;
    }
    try {
      OffsetDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
