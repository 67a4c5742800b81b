package io.ledgerlake.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacesContentAndLeavesNoTemporaryFiles() throws Exception {
    Path target = dir.resolve("sub").resolve("state.json");
    AtomicFiles.write(target, "one".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(target, "two".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(target)).isEqualTo("two");
    try (var files = Files.list(target.getParent())) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void categoryIsFoundThroughCauses() {
    class UserMistake extends RuntimeException implements Categorized {
      @Override
      public ErrorCategory errorCategory() {
        return ErrorCategory.USER_ERROR;
      }
    }
    assertThat(ErrorCategory.of(new IllegalStateException(new UserMistake()))).isEqualTo(ErrorCategory.USER_ERROR);
    assertThat(ErrorCategory.of(new IllegalStateException("bug"))).isEqualTo(ErrorCategory.INTERNAL);
  }
}
