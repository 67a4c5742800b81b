package io.ledgerlake.labeling.flink;

import static java.util.Objects.requireNonNull;

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
 * Reads a split with Iceberg's own row reader and tags every row with the data file it came from. The source does not
 * say which snapshot a row belongs to; the file does (ingestion only appends, so each file is added by exactly one
 * snapshot), and the labeling operator needs that to label whole snapshots at a time. (The files in a split carry no
 * sequence numbers once the split is serialized, so the path it is.)
 */
final class FileTaggingReaderFunction implements ReaderFunction<FileRecord> {
  private final ReaderFunction<RowData> rows;
  private final int datasetPos;
  private final int cidPos;
  private final int jsonPos;

  /** {@code rows} reads {@code projected}, which must hold dataset_id, record_cid and record_json. */
  FileTaggingReaderFunction(ReaderFunction<RowData> rows, Schema projected) {
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
  public CloseableIterator<RecordsWithSplitIds<RecordAndPosition<FileRecord>>> apply(IcebergSourceSplit split) {
    List<FileScanTask> files = List.copyOf(split.task().files());
    CloseableIterator<RecordsWithSplitIds<RecordAndPosition<RowData>>> batches = rows.apply(split);
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public RecordsWithSplitIds<RecordAndPosition<FileRecord>> next() {
        return new Tagged(batches.next(), files);
      }

      @Override
      public void close() throws java.io.IOException {
        batches.close();
      }
    };
  }

  private final class Tagged implements RecordsWithSplitIds<RecordAndPosition<FileRecord>> {
    private final RecordsWithSplitIds<RecordAndPosition<RowData>> delegate;
    private final List<FileScanTask> files;
    private final RecordAndPosition<FileRecord> out = new RecordAndPosition<>();

    Tagged(RecordsWithSplitIds<RecordAndPosition<RowData>> delegate, List<FileScanTask> files) {
      this.delegate = delegate;
      this.files = files;
    }

    @Override
    public String nextSplit() {
      return delegate.nextSplit();
    }

    @Override
    public RecordAndPosition<FileRecord> nextRecordFromSplit() {
      RecordAndPosition<RowData> r = delegate.nextRecordFromSplit();
      if (r == null) {
        return null;
      }
      RowData row = r.record();
      out.set(new FileRecord(files.get(r.fileOffset()).file().location(), row.getString(datasetPos).toString(),
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
}
