package io.ledgerlake.lakehouse.write;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/** Builds generic rows by column name, checking that required columns are present. */
public final class Rows {
  private Rows() {}

  /**
   * A row of {@code schema} from {@code values}.
   *
   * @throws LakehouseException naming the column when a value is given for an unknown column or a
   *     required column has none
   */
  public static Record of(Schema schema, Map<String, ?> values) {
    GenericRecord record = GenericRecord.create(schema);
    for (Map.Entry<String, ?> e : values.entrySet()) {
      if (schema.findField(e.getKey()) == null) {
        throw new LakehouseException(
            ErrorCategory.INTERNAL, "no column %s in schema %s", e.getKey(), schema.asStruct());
      }
      record.setField(e.getKey(), e.getValue());
    }
    for (Types.NestedField field : schema.columns()) {
      if (field.isRequired() && record.getField(field.name()) == null) {
        throw new LakehouseException(
            ErrorCategory.INTERNAL, "required column %s has no value", field.name());
      }
    }
    return record;
  }
}
