package io.ledgerlake.platform;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.ingestion.record.RecordPosition;
import io.ledgerlake.ingestion.record.Rejection;
import io.ledgerlake.ingestion.record.RejectionCode;
import io.ledgerlake.ingestion.status.SubmissionProgress;
import io.ledgerlake.ingestion.status.SubmissionState;
import io.ledgerlake.ingestion.status.SubmissionStatusSource;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.tables.TableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The status API's view of ingestion: the latest {@code ingest.submissions} row of a submission
 * (written by the Flink job when it commits), with a sample of its rejections.
 */
public final class LakehouseSubmissionStatus implements SubmissionStatusSource {
  static final int SAMPLE = 10;

  private final Lakehouse lakehouse;

  public LakehouseSubmissionStatus(Lakehouse lakehouse) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
  }

  @Override
  public Optional<SubmissionProgress> progress(String submissionId) {
    Table submissions = lakehouse.table(TableModel.INGEST_SUBMISSIONS);
    submissions.refresh();
    Record latest = null;
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(submissions).where(Expressions.equal("submission_id", submissionId)).build()) {
      for (Record r : rows) {
        if (latest == null || ((OffsetDateTime) r.getField("updated_at")).isAfter((OffsetDateTime) latest.getField("updated_at"))) {
          latest = r;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (latest == null) {
      return Optional.empty();
    }
    SubmissionState state = SubmissionState.valueOf(((String) latest.getField("status")).toUpperCase(Locale.ROOT));
    return Optional.of(
        new SubmissionProgress(
            state,
            count(latest, "accepted_records"),
            count(latest, "rejected_records"),
            count(latest, "duplicate_records"),
            sample(submissionId),
            latest.getField("error") == null ? "" : (String) latest.getField("error")));
  }

  private List<Rejection> sample(String submissionId) {
    Table rejections = lakehouse.table(TableModel.INGEST_REJECTIONS);
    rejections.refresh();
    List<Rejection> out = new ArrayList<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(rejections).where(Expressions.equal("submission_id", submissionId)).build()) {
      for (Record r : rows) {
        if (out.size() >= SAMPLE) {
          break;
        }
        RejectionCode code;
        try {
          code = RejectionCode.valueOf((String) r.getField("reason_code"));
        } catch (IllegalArgumentException e) {
          continue; // whole-upload rejections carry the error in the status row instead
        }
        out.add(new Rejection(positionOf(r), code, (String) r.getField("reason")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A rejection row's position: its values (schema v2), or for older rows the text they kept. */
  static RecordPosition positionOf(Record r) {
    if (r.getField("record_ordinal") != null) {
      return new RecordPosition(r.getField("entry") == null ? "" : (String) r.getField("entry"),
          (Long) r.getField("record_ordinal"), (Long) r.getField("line_number"), (Long) r.getField("byte_offset"));
    }
    return positionOf(r.getField("position") == null ? "" : (String) r.getField("position"));
  }

  /**
   * Rows written before schema v2 of ingest.rejections kept the position as text only ("line 6 (byte 120)"); recover
   * what it says. Lossy: the record's ordinal is not in the text of a line position (the line stands in for it), and
   * an entry name with a space is cut there.
   */
  static RecordPosition positionOf(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:entry (\\S+) )?(?:line (\\d+)|record (\\d+))(?: \\(byte (\\d+)\\))?").matcher(text);
    if (!m.find()) {
      return RecordPosition.ofRow("", 0);
    }
    String entry = m.group(1) == null ? "" : m.group(1);
    if (m.group(2) != null) {
      long line = Long.parseLong(m.group(2));
      long offset = m.group(4) == null ? -1 : Long.parseLong(m.group(4));
      return RecordPosition.ofLine(entry, line, line, offset);
    }
    return RecordPosition.ofRow(entry, Long.parseLong(m.group(3)));
  }

  private static long count(Record r, String column) {
    Object v = r.getField(column);
    return v == null ? 0 : (Long) v;
  }
}
