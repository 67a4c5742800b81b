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

  /**
   * Records and rejections with their full positions (ordinals shifted by {@code ordinalsBefore}, the renumbering of a
   * parse by ranges), sorted: what a parse of a whole upload and of its ranges must agree on.
   */
  public List<String> describe(long ordinalsBefore) {
    List<String> out = new ArrayList<>();
    records.forEach(r -> out.add(at(r.position(), ordinalsBefore) + " " + r.value()));
    rejections.forEach(r -> out.add(at(r.position(), ordinalsBefore) + " " + r.code()));
    out.sort(null);
    return out;
  }

  private static String at(io.ledgerlake.ingestion.record.RecordPosition p, long ordinalsBefore) {
    return String.format("%05d line %d @%d [%s]", p.ordinal() + ordinalsBefore, p.line(), p.byteOffset(), p.entry());
  }
}
