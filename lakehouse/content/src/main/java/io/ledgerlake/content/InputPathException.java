package io.ledgerlake.content;

import io.ledgerlake.common.ErrorCategory;
import java.nio.file.Path;

/** An input path given by the user cannot be imported (missing, unreadable, or a directory without -r). */
public final class InputPathException extends ContentException {
  private final transient Path path;

  public InputPathException(Path path, String problem, String remedy) {
    super(ErrorCategory.USER_ERROR, "Cannot import " + path + ": " + problem + ". " + remedy, null);
    this.path = path;
  }

  public Path path() {
    return path;
  }
}
