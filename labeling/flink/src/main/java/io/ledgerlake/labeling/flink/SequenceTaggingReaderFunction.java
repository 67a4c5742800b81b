package io.ledgerlake.labeling.flink;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.labeling.ErrorCategory;
import io.ledgerlake.labeling.stage.LabelingStageException;
import java.util.List;
import java.util.Set;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.source.reader.ReaderFunction;
import org.apache.iceberg.flink.source.reader.RecordAndPosition;
import org.apache.iceberg.flink.source.split.IcebergSourceSplit;
import org.apache.iceberg.io.CloseableIterator;

/**
 * Reads a split with Iceberg's own row reader and tags every row with the sequence number of the data file it came
 * from. The source does not say which snapshot a row belongs to; the file's sequence number does (each append
 * snapshot gets its own), and the labeling operator needs it to label whole snapshots at a time.
 */
final class SequenceTaggingReaderFunction implements ReaderFunction<SequencedRecord> {
  private final ReaderFunction<RowData> rows;
  private final int datasetPos;
  private final int cidPos;
  private final int jsonPos;

  /** {@code rows} reads {@code projected}, which must hold dataset_id, record_cid and record_json. */
  SequenceTaggingReaderFunction(ReaderFunction<RowData> rows, Schema projected) {
    this.rows = requireNonNull(rows, "rows");
    List<String> names = projected.columns().stream().map(c -> c.name()).toList();
    this.datasetPos = names.indexOf("dataset_id");
    this.cidPos = names.indexOf("record_cid");
    this.jsonPos = names.indexOf("record_json");
    if (datasetPos < 0 || cidPos < 0 || jsonPos < 0) {
      throw new IllegalArgumentException("projection must hold dataset_id, record_cid, record_json: " + names);
    }
  }

  @Override
  public CloseableIterator<RecordsWithSplitIds<RecordAndPosition<SequencedRecord>>> apply(IcebergSourceSplit split) {
    List<FileScanTask> files = List.copyOf(split.task().files());
    CloseableIterator<RecordsWithSplitIds<RecordAndPosition<RowData>>> batches = rows.apply(split);
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public RecordsWithSplitIds<RecordAndPosition<SequencedRecord>> next() {
        return new Tagged(batches.next(), files);
      }

      @Override
      public void close() throws java.io.IOException {
        batches.close();
      }
    };
  }

  private final class Tagged implements RecordsWithSplitIds<RecordAndPosition<SequencedRecord>> {
    private final RecordsWithSplitIds<RecordAndPosition<RowData>> delegate;
    private final List<FileScanTask> files;
    private final RecordAndPosition<SequencedRecord> out = new RecordAndPosition<>();

    Tagged(RecordsWithSplitIds<RecordAndPosition<RowData>> delegate, List<FileScanTask> files) {
      this.delegate = delegate;
      this.files = files;
    }

    @Override
    public String nextSplit() {
      return delegate.nextSplit();
    }

    @Override
    public RecordAndPosition<SequencedRecord> nextRecordFromSplit() {
      RecordAndPosition<RowData> r = delegate.nextRecordFromSplit();
      if (r == null) {
        return null;
      }
      RowData row = r.record();
      out.set(new SequencedRecord(sequenceNumber(files.get(r.fileOffset())), row.getString(datasetPos).toString(),
          row.getString(cidPos).toString(), row.getString(jsonPos).toString()), r.fileOffset(), r.recordOffset());
      return out;
    }

    @Override
    public Set<String> finishedSplits() {
      return delegate.finishedSplits();
    }

    @Override
    public void recycle() {
      delegate.recycle();
    }
  }

  private static long sequenceNumber(FileScanTask task) {
    Long seq = task.file().fileSequenceNumber();
    if (seq == null) {
      seq = task.file().dataSequenceNumber();
    }
    if (seq == null) {
      throw new LabelingStageException(ErrorCategory.INTERNAL, "data file " + task.file().location()
          + " of ingest.records has no sequence number: the labeling job needs a format-version 2 table "
          + "(run 'ledgerlake init' on a fresh warehouse, or upgrade the table)");
    }
    return seq;
  }
}
