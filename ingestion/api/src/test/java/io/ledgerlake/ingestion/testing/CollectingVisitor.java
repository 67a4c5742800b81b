package io.ledgerlake.ingestion.testing;

import io.ledgerlake.ingestion.record.ParsedRecord;
import io.ledgerlake.ingestion.record.RecordVisitor;
import io.ledgerlake.ingestion.record.Rejection;
import java.util.ArrayList;
import java.util.List;

/** Test helper: keeps everything a parser emits. */
public final class CollectingVisitor implements RecordVisitor {
  public final List<ParsedRecord> records = new ArrayList<>();
  public final List<Rejection> rejections = new ArrayList<>();

  @Override
  public boolean onRecord(ParsedRecord record) {
    records.add(record);
    return true;
  }

  @Override
  public boolean onRejection(Rejection rejection) {
    rejections.add(rejection);
    return true;
  }
}
