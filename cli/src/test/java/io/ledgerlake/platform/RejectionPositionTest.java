package io.ledgerlake.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.ingestion.record.RecordPosition;
import io.ledgerlake.lakehouse.tables.TableModel;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/** Positions of ingest.rejections rows: values in schema v2, the text of older rows still read. */
class RejectionPositionTest {
  private static Record row(String text) {
    Record r = GenericRecord.create(TableModel.INGEST_REJECTIONS.schema());
    r.setField("position", text);
    return r;
  }

  @Test
  void valuesAreReadAsTheyWereWritten() {
    RecordPosition written = RecordPosition.ofLine("data/part 2.jsonl", 7, 9, 1234);
    Record r = row(written.toString());
    r.setField("entry", written.entry());
    r.setField("record_ordinal", written.ordinal());
    r.setField("line_number", written.line());
    r.setField("byte_offset", written.byteOffset());
    // the entry name has a space, and the record is not on the line of the same number: the text could not say so
    assertThat(LakehouseSubmissionStatus.positionOf(r)).isEqualTo(written);
    RecordPosition parquetRow = RecordPosition.ofRow("", 42);
    Record p = row(parquetRow.toString());
    p.setField("entry", "");
    p.setField("record_ordinal", 42L);
    p.setField("line_number", 0L);
    p.setField("byte_offset", -1L);
    assertThat(LakehouseSubmissionStatus.positionOf(p)).isEqualTo(parquetRow);
  }

  @Test
  void rowsWrittenBeforeVersionTwoAreReadFromTheirText() {
    assertThat(LakehouseSubmissionStatus.positionOf(row("line 6 (byte 120)")))
        .isEqualTo(RecordPosition.ofLine("", 6, 6, 120));
    assertThat(LakehouseSubmissionStatus.positionOf(row("entry a/b.csv line 3 (byte 40)")))
        .isEqualTo(RecordPosition.ofLine("a/b.csv", 3, 3, 40));
    assertThat(LakehouseSubmissionStatus.positionOf(row("record 17"))).isEqualTo(RecordPosition.ofRow("", 17));
    assertThat(LakehouseSubmissionStatus.positionOf(row(""))).isEqualTo(RecordPosition.ofRow("", 0));
  }
}
