package io.ledgerlake.lakehouse.flink;

import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * Builds Flink {@code RowData} for an Iceberg table by column name, so the job follows the
 * table's actual (possibly evolved) schema instead of hard-coded positions. Columns the job does
 * not know stay null, which is what added optional columns need. The labeling job (labeling/flink)
 * builds its label.labels rows with it too.
 */
public final class RowLayout implements Serializable {
  private final Map<String, Integer> positions;
  private final int arity;

  public RowLayout(Schema schema) {
    List<Types.NestedField> columns = schema.columns();
    Map<String, Integer> p = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      p.put(columns.get(i).name(), i);
    }
    this.positions = Map.copyOf(p);
    this.arity = columns.size();
  }

  public Row row() {
    return new Row(new GenericRowData(arity));
  }

  /** A row under construction. */
  public final class Row {
    private final GenericRowData data;

    private Row(GenericRowData data) {
      this.data = data;
    }

    public Row set(String column, Object value) {
      data.setField(position(column), convert(value));
      return this;
    }

    /**
     * A string column from its UTF-8 bytes, kept as they are: a string made from them would be encoded back to the
     * same bytes, one character at a time, when Flink copies or writes the row.
     */
    public Row setUtf8(String column, byte[] utf8) {
      data.setField(position(column), StringData.fromBytes(utf8));
      return this;
    }

    private int position(String column) {
      Integer pos = positions.get(column);
      if (pos == null) {
        throw new IllegalStateException("table has no column " + column + "; run 'ledgerlake init'");
      }
      return pos;
    }

    public GenericRowData build() {
      return data;
    }
  }

  private static Object convert(Object value) {
    if (value instanceof String s) {
      return StringData.fromString(s);
    }
    if (value instanceof Instant t) {
      return TimestampData.fromInstant(t);
    }
    return value;
  }
}
