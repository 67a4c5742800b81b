package io.ledgerlake.labeling.stage;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.labeling.LabelingException;
import io.ledgerlake.labeling.LabelingState;
import io.ledgerlake.labeling.LabelingStateSerializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LabelingState} files a cursor names ({@link LabelCursor#stateFile()}): written with
 * {@link LabelingStateSerializer} under {@code <label.labels location>/labeling-state/}, by both writers.
 */
public final class LabelingStateFiles {
  private static final Logger LOG = LoggerFactory.getLogger(LabelingStateFiles.class);

  private LabelingStateFiles() {}

  /** Writes {@code state}, the state after records snapshot {@code upTo}, to a new file; returns its path. */
  public static String write(Table labels, LabelingState state, long upTo) {
    String path = labels.location() + "/" + LabelCursor.STATE_DIR + "/state-" + upTo + "-" + UUID.randomUUID() + ".bin";
    byte[] bytes = LabelingStateSerializer.serialize(state);
    try (OutputStream out = labels.io().newOutputFile(path).create()) {
      out.write(bytes);
    } catch (IOException | UncheckedIOException e) {
      throw new LabelingStageException(ErrorCategory.EXTERNAL, String.format(
          "writing the labeling state to %s failed: %s; check the warehouse and retry", path, e.getMessage()), e);
    }
    return path;
  }

  public static LabelingState load(Table labels, String path) {
    try (InputStream in = labels.io().newInputFile(path).newStream()) {
      return LabelingStateSerializer.deserialize(in.readAllBytes());
    } catch (IOException | RuntimeException e) {
      if (e instanceof LabelingException le) {
        throw le;
      }
      throw new LabelingStageException(ErrorCategory.INTERNAL, String.format(
          "reading the labeling state %s named by label.labels' last commit failed: %s; restore the file or "
              + "relabel into a fresh label.labels", path, e.getMessage()), e);
    }
  }

  public static void deleteQuietly(Table labels, String path) {
    try {
      labels.io().deleteFile(path);
    } catch (RuntimeException e) {
      LOG.warn("Could not delete the labeling state file {}: {}", path, e.getMessage());
    }
  }
}
