package org.epiloop.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** An unexpected failure is one bounded line: classes and where, never a message or a stack. */
class FailuresTest {

  @Test
  void oneLineWithRootCauseSqlStateAndOurFrameButNoMessage() {
    SQLException root = new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00 in 320102198001011234", "22021");
    RuntimeException e = new IllegalStateException("wrapped: 张三 320102198001011234", root);

    String line = Failures.describe(e);

    assertThat(line).matches("Unexpected failure: java.lang.IllegalStateException, root cause java.sql.SQLException"
        + " \\(SQL state 22021\\), at org.epiloop.shared.FailuresTest.oneLineWithRootCauseSqlStateAndOurFrameButNoMessage:\\d+");
    assertThat(line).doesNotContain("320102", "张三", "\n");
  }

  @Test
  void withoutOurFrameOrCauseStillOneLine() {
    RuntimeException e = new RuntimeException("secret");
    e.setStackTrace(new StackTraceElement[] {new StackTraceElement("org.apache.X", "y", "X.java", 1)});

    assertThat(Failures.describe(e)).isEqualTo("Unexpected failure: java.lang.RuntimeException, at (no Epiloop frame)");
  }

  @Test
  void aLongCauseChainIsCutShort() {
    Throwable e = new RuntimeException("0");
    for (int i = 1; i < 500; i++) {
      e = new RuntimeException(Integer.toString(i), e);
    }
    assertThat(Failures.describe(e).length()).isLessThan(300);
  }
}
