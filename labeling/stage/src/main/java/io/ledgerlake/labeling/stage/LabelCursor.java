package io.ledgerlake.labeling.stage;

import io.ledgerlake.common.ErrorCategory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * How far {@code label.labels} has labeled {@code ingest.records}: the last records snapshot labeled and the file
 * holding the {@link io.ledgerlake.labeling.LabelingState} after it. Both writers of the table keep it, atomically with
 * their rows, so either can take over from the other (docs/decisions/labeling-flink-job.md):
 *
 * <ul>
 *   <li>the batch stage puts {@link #CURSOR_KEY} and {@link #STATE_KEY} in the summary of its own commit;
 *   <li>the Flink job's Iceberg sink can only add fixed summary properties, but it records its job id and checkpoint
 *       id in every commit ({@link #FLINK_JOB_ID}, {@link #FLINK_CHECKPOINT_ID}); the labeling operator writes the same
 *       two keys, before that checkpoint completes, to a small file named by the pair ({@link #flinkCursorPath}).
 * </ul>
 *
 * The newest commit that names a cursor wins; a Flink commit whose cursor file is absent carries no rows of its own
 * (the cursor did not move), so the search goes on to its ancestors.
 */
public record LabelCursor(Long recordsSnapshot, String stateFile, Long labelsSnapshot, Origin origin) {
  public static final String CURSOR_KEY = "ledgerlake.labeling.records-snapshot";
  public static final String STATE_KEY = "ledgerlake.labeling.state-file";
  public static final String STATE_DIR = "labeling-state";
  /** Summary keys Iceberg's Flink committer writes on every commit (IcebergFilesCommitter; not public constants). */
  public static final String FLINK_JOB_ID = "flink.job-id";
  public static final String FLINK_CHECKPOINT_ID = "flink.max-committed-checkpoint-id";

  /** Which writer committed the cursor. */
  public enum Origin { NONE, BATCH, FLINK }

  /** The newest cursor committed to {@code label.labels} (all nulls and {@link Origin#NONE} before the first). */
  public static LabelCursor read(Table labels) {
    Snapshot head = labels.currentSnapshot();
    if (head == null) {
      return new LabelCursor(null, null, null, Origin.NONE);
    }
    for (Snapshot s : SnapshotUtil.ancestorsOf(head.snapshotId(), labels::snapshot)) {
      Map<String, String> summary = s.summary();
      String v = summary.get(CURSOR_KEY);
      if (v != null) {
        return new LabelCursor(Long.parseLong(v), summary.get(STATE_KEY), head.snapshotId(), Origin.BATCH);
      }
      String job = summary.get(FLINK_JOB_ID);
      String checkpoint = summary.get(FLINK_CHECKPOINT_ID);
      if (job != null && checkpoint != null) {
        Properties p = readFlinkCursor(labels, flinkCursorPath(labels, job, Long.parseLong(checkpoint)));
        if (p != null) {
          return new LabelCursor(Long.parseLong(p.getProperty(CURSOR_KEY)), p.getProperty(STATE_KEY),
              head.snapshotId(), Origin.FLINK);
        }
      }
    }
    return new LabelCursor(null, null, head.snapshotId(), Origin.NONE);
  }

  /** Where the Flink job's labeling operator writes the cursor of checkpoint {@code checkpointId} of job {@code jobId}. */
  public static String flinkCursorPath(Table labels, String jobId, long checkpointId) {
    return labels.location() + "/" + STATE_DIR + "/flink-" + jobId + "-chk-" + checkpointId + ".cursor";
  }

  /** Writes (or rewrites, on a retried checkpoint) the cursor file of one Flink checkpoint. */
  public static void writeFlinkCursor(Table labels, String path, long recordsSnapshot, String stateFile) {
    String text = CURSOR_KEY + "=" + recordsSnapshot + "\n" + STATE_KEY + "=" + stateFile.replace("\\", "\\\\") + "\n";
    try (OutputStream out = labels.io().newOutputFile(path).createOrOverwrite()) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | UncheckedIOException e) {
      throw new LabelingStageException(ErrorCategory.EXTERNAL, String.format(
          "writing the labeling cursor %s failed: %s; check the warehouse (the checkpoint is retried)", path,
          e.getMessage()), e);
    }
  }

  private static Properties readFlinkCursor(Table labels, String path) {
    try (InputStream in = labels.io().newInputFile(path).newStream()) {
      Properties p = new Properties();
      p.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      return p.getProperty(CURSOR_KEY) == null || p.getProperty(STATE_KEY) == null ? null : p;
    } catch (NotFoundException | java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
      return null;
    } catch (IOException | UncheckedIOException e) {
      if (e.getCause() instanceof java.io.FileNotFoundException) {
        return null;
      }
      throw new LabelingStageException(ErrorCategory.EXTERNAL, String.format(
          "reading the labeling cursor %s failed: %s; check the warehouse and retry", path, e.getMessage()), e);
    }
  }
}
