package io.ledgerlake.ingestion.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerlake.ingestion.InvalidContentException;
import io.ledgerlake.ingestion.format.ContentInput;
import io.ledgerlake.ingestion.format.DataFormat;
import io.ledgerlake.ingestion.format.FormatParser;
import io.ledgerlake.ingestion.record.ParsedRecord;
import io.ledgerlake.ingestion.record.RecordPosition;
import io.ledgerlake.ingestion.record.RecordVisitor;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Parquet files, one record per row, read row group by row group (only one row group's pages in memory). Needs random
 * access for the footer, so it reads through {@link ContentInput#openChannel()}. Values map to JSON as: logical
 * strings/enums/JSON to strings, DATE to ISO dates, TIMESTAMP/INT96 to ISO instants, DECIMAL to exact numbers, other
 * binary to base64, LIST to arrays, MAP and groups to objects.
 */
public final class ParquetFormatParser implements FormatParser {
  private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

  @Override
  public DataFormat format() {
    return DataFormat.PARQUET;
  }

  @Override
  public boolean parse(ContentInput input, String entry, String mediaType, RecordVisitor visitor) throws IOException {
    return parseRowGroups(input, entry, 0, Integer.MAX_VALUE, visitor);
  }

  /**
   * Consecutive row groups of a plain Parquet upload: {@code count} groups from {@code first}, of about
   * {@code compressedBytes} on disk together. The natural ranges of a Parquet file for parallel parsing: each is
   * decoded independently from the footer's offsets.
   */
  public record RowGroups(int first, int count, long compressedBytes) {}

  /**
   * The upload's row groups, gathered into runs of at least {@code targetBytes} compressed bytes (the last run may be
   * smaller). Reads only the footer.
   */
  public static java.util.List<RowGroups> rowGroupRanges(ContentInput input, long targetBytes) throws IOException {
    long length = checkMagic(input, "");
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    java.util.List<RowGroups> out = new java.util.ArrayList<>();
    try (ParquetFileReader reader = ParquetFileReader.open(new ChannelInputFile(input, length), options)) {
      var blocks = reader.getFooter().getBlocks();
      int first = 0;
      long bytes = 0;
      for (int i = 0; i < blocks.size(); i++) {
        bytes += blocks.get(i).getCompressedSize();
        if (bytes >= targetBytes || i == blocks.size() - 1) {
          out.add(new RowGroups(first, i - first + 1, bytes));
          first = i + 1;
          bytes = 0;
        }
      }
    } catch (ParquetDecodingException | IllegalArgumentException | IllegalStateException e) {
      throw corrupt("", "has a corrupt footer (" + e.getMessage() + ")", e);
    }
    return out;
  }

  /**
   * Parses {@code count} row groups from {@code first} (the others are skipped without reading their pages). Rows are
   * numbered from 1 within what is parsed: for a range, the dedup step renumbers them after the ranges before it
   * (positions are ordinals), so a range's rows get the numbers the whole file's parse gives them.
   */
  public boolean parseRowGroups(ContentInput input, String entry, int first, int count, RecordVisitor visitor)
      throws IOException {
    long length = checkMagic(input, entry);
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    long row = 0;
    try (ParquetFileReader reader = ParquetFileReader.open(new ChannelInputFile(input, length), options)) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      MessageColumnIO columnIO = new ColumnIOFactory().getColumnIO(schema);
      for (int skipped = 0; skipped < first; skipped++) {
        if (!reader.skipNextRowGroup()) {
          throw corrupt(entry, "has no row group " + first, null);
        }
      }
      PageReadStore pages;
      for (int read = 0; read < count && (pages = reader.readNextRowGroup()) != null; read++) {
        RecordReader<Group> records = columnIO.getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          row++;
          ObjectNode value = toObject(records.read(), schema);
          if (!visitor.onRecord(new ParsedRecord(RecordPosition.ofRow(entry, row), value, false))) {
            return false;
          }
        }
      }
    } catch (ParquetDecodingException | IllegalArgumentException | IllegalStateException e) {
      throw corrupt(entry, "is corrupt at row " + (row + 1) + (first == 0 ? "" : " of row group " + first + " on")
          + " (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      if (e instanceof java.io.EOFException || String.valueOf(e.getMessage()).contains("not a Parquet file")) {
        throw corrupt(entry, "is truncated or corrupt (" + e.getMessage() + ")", e);
      }
      throw e;
    }
    return true;
  }

  private static long checkMagic(ContentInput input, String entry) throws IOException {
    try (SeekableByteChannel channel = input.openChannel()) {
      long size = channel.size();
      if (size < 12) {
        throw corrupt(entry, "is only " + size + " bytes; a Parquet file has at least 12", null);
      }
      ByteBuffer head = ByteBuffer.allocate(4);
      readFully(channel, head, 0);
      ByteBuffer tail = ByteBuffer.allocate(8);
      readFully(channel, tail, size - 8);
      if (!java.util.Arrays.equals(head.array(), MAGIC)) {
        throw corrupt(entry, "does not start with the PAR1 magic: it is not a Parquet file", null);
      }
      if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(tail.array(), 4, 8), MAGIC)) {
        throw corrupt(entry, "does not end with the PAR1 magic: the file is truncated (" + size
            + " bytes); upload it completely", null);
      }
      long footerLength = tail.order(ByteOrder.LITTLE_ENDIAN).getInt(0) & 0xffffffffL;
      if (footerLength + 12 > size) {
        throw corrupt(entry, "has a footer length of " + footerLength + " bytes but is only " + size
            + " bytes: the file is truncated or corrupt", null);
      }
      return size;
    }
  }

  private static void readFully(SeekableByteChannel channel, ByteBuffer buffer, long position) throws IOException {
    channel.position(position);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new java.io.EOFException("unexpected end of file at " + channel.position());
      }
    }
  }

  private static InvalidContentException corrupt(String entry, String what, Throwable cause) {
    return new InvalidContentException("CORRUPT_PARQUET",
        "Parquet " + (entry.isEmpty() ? "upload" : "entry " + entry) + " " + what, cause);
  }

  private static ObjectNode toObject(Group group, GroupType type) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < type.getFieldCount(); i++) {
      Type field = type.getType(i);
      int count = group.getFieldRepetitionCount(i);
      if (count == 0) {
        continue; // null / absent optional
      }
      if (field.isRepetition(Type.Repetition.REPEATED)) {
        ArrayNode array = out.putArray(field.getName());
        for (int j = 0; j < count; j++) {
          array.add(value(group, i, j, field));
        }
      } else {
        out.set(field.getName(), value(group, i, 0, field));
      }
    }
    return out;
  }

  private static JsonNode value(Group group, int field, int index, Type type) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (!type.isPrimitive()) {
      Group child = group.getGroup(field, index);
      GroupType groupType = type.asGroupType();
      LogicalTypeAnnotation logical = groupType.getLogicalTypeAnnotation();
      if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && groupType.getFieldCount() == 1) {
        return listValue(child, groupType);
      }
      if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation && groupType.getFieldCount() == 1) {
        return mapValue(child, groupType);
      }
      return toObject(child, groupType);
    }
    PrimitiveType primitive = type.asPrimitiveType();
    LogicalTypeAnnotation logical = primitive.getLogicalTypeAnnotation();
    switch (primitive.getPrimitiveTypeName()) {
      case BOOLEAN:
        return nodes.booleanNode(group.getBoolean(field, index));
      case INT32: {
        int v = group.getInteger(field, index);
        if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          return nodes.textNode(LocalDate.ofEpochDay(v).toString());
        }
        if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
          return nodes.numberNode(BigDecimal.valueOf(v, d.getScale()));
        }
        return nodes.numberNode(v);
      }
      case INT64: {
        long v = group.getLong(field, index);
        if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t) {
          Instant instant = switch (t.getUnit()) {
            case MILLIS -> Instant.ofEpochMilli(v);
            case MICROS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1000);
            case NANOS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
          };
          return nodes.textNode(instant.toString());
        }
        if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
          return nodes.numberNode(BigDecimal.valueOf(v, d.getScale()));
        }
        return nodes.numberNode(v);
      }
      case FLOAT:
        return nodes.numberNode(new BigDecimal(Float.toString(group.getFloat(field, index))));
      case DOUBLE: {
        double d = group.getDouble(field, index);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          return nodes.textNode(Double.toString(d)); // JSON has no NaN/Infinity
        }
        return nodes.numberNode(new BigDecimal(Double.toString(d)));
      }
      case INT96:
        return nodes.textNode(int96ToInstant(group.getInt96(field, index)).toString());
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY: {
        Binary binary = group.getBinary(field, index);
        if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          return nodes.textNode(binary.toStringUsingUTF8());
        }
        if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
          return nodes.numberNode(new BigDecimal(new BigInteger(binary.getBytes()), d.getScale()));
        }
        return nodes.textNode(Base64.getEncoder().encodeToString(binary.getBytes()));
      }
      default:
        throw new IllegalStateException("Unsupported Parquet type " + primitive);
    }
  }

  private static JsonNode listValue(Group list, GroupType listType) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    Type repeated = listType.getType(0);
    int count = list.getFieldRepetitionCount(0);
    for (int j = 0; j < count; j++) {
      if (repeated.isPrimitive() || repeated.asGroupType().getFieldCount() != 1) {
        array.add(value(list, 0, j, repeated)); // legacy two-level list
      } else {
        Group element = list.getGroup(0, j);
        Type elementType = repeated.asGroupType().getType(0);
        array.add(element.getFieldRepetitionCount(0) == 0
            ? JsonNodeFactory.instance.nullNode() : value(element, 0, 0, elementType));
      }
    }
    return array;
  }

  private static JsonNode mapValue(Group map, GroupType mapType) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    GroupType keyValue = mapType.getType(0).asGroupType();
    for (int j = 0; j < map.getFieldRepetitionCount(0); j++) {
      Group pair = map.getGroup(0, j);
      String key = value(pair, 0, 0, keyValue.getType(0)).asText();
      out.set(key, pair.getFieldRepetitionCount(1) == 0
          ? JsonNodeFactory.instance.nullNode() : value(pair, 1, 0, keyValue.getType(1)));
    }
    return out;
  }

  private static Instant int96ToInstant(Binary binary) {
    ByteBuffer buffer = binary.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = buffer.getLong();
    int julianDay = buffer.getInt();
    long epochDay = julianDay - 2_440_588L;
    return Instant.ofEpochSecond(epochDay * 86_400L, nanosOfDay);
  }
}
