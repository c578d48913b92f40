package org.epiloop.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** A reading's time is read exactly as Instant.parse reads it: the same instant, the same refusals. */
class ReadingTimesProperties {

  @Provide
  Arbitrary<Instant> instants() {
    // 1970 to 9999, to the nanosecond
    return Arbitraries.longs().between(0, 253_402_300_799L).flatMap(s -> Arbitraries.integers().between(0, 999_999_999)
        .map(nanos -> Instant.ofEpochSecond(s, nanos)));
  }

  @Property(tries = 5000)
  void everyWidthOfFractionReadsAsInstantParseReadsIt(@ForAll("instants") Instant at, @ForAll @IntRange(min = 0, max = 9) int digits) {
    String text = at.toString().substring(0, 19) + (digits == 0 ? "" : "." + String.format("%09d", at.getNano()).substring(0, digits)) + "Z";
    assertThat(ReadingTimes.parse(text)).isEqualTo(Instant.parse(text));
  }

  @Property(tries = 5000)
  void aTimeIsWrittenAsInstantToStringWritesIt(@ForAll("instants") Instant at, @ForAll @IntRange(min = 0, max = 3) int precision) {
    // whole seconds, milliseconds, microseconds and nanoseconds: toString's three widths of fraction and none
    Instant t = at.truncatedTo(new java.time.temporal.ChronoUnit[] {java.time.temporal.ChronoUnit.SECONDS,
        java.time.temporal.ChronoUnit.MILLIS, java.time.temporal.ChronoUnit.MICROS, java.time.temporal.ChronoUnit.NANOS}[precision]);
    assertThat(ReadingTimes.format(t)).isEqualTo(t.toString());
    assertThat(ReadingTimes.parse(ReadingTimes.format(t))).isEqualTo(t);
  }

  @Property(tries = 3000)
  void aCorruptedTimeIsReadOrRefusedAsInstantParseDoes(@ForAll("instants") Instant at, @ForAll @IntRange(min = 0, max = 23) int position,
      @ForAll("noise") char c) {
    String text = at.toString();
    int i = Math.min(position, text.length() - 1);
    sameAsInstantParse(text.substring(0, i) + c + text.substring(i + 1));
  }

  private static void sameAsInstantParse(String text) {
    Instant expected;
    try {
      expected = Instant.parse(text);
    } catch (DateTimeParseException e) {
      assertThatThrownBy(() -> ReadingTimes.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
      return;
    }
    assertThat(ReadingTimes.parse(text)).as(text).isEqualTo(expected);
  }

  @Provide
  Arbitrary<Character> noise() {
    return Arbitraries.of('0', '1', '2', '3', '5', '9', ':', '-', '.', 'T', 'Z', ' ', '+', 'x', '/');
  }

  @Example
  void daysThatDoNotExistOutOfRangeFieldsAndOtherFormsAreLeftToInstantParse() {
    for (String text : new String[] {"2026-02-30T08:00:00Z", "2026-13-01T08:00:00Z", "2026-12-07T24:00:00Z", "2026-12-07T08:60:00Z",
        "2026-12-07T23:59:60Z", "2026-12-07T08:00:00.Z", "2026-12-07 08:00:00Z", "2026-12-07T08:00:00.1234567890Z", "", "x",
        "2026-12-07T08:00:00+08:00", "+12026-12-07T08:00:00Z"}) {
      sameAsInstantParse(text);
    }
    assertThat(ReadingTimes.parse("2024-02-29T23:59:59.5Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.500Z"));
  }
}
