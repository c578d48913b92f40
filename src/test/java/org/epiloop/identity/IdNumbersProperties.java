package org.epiloop.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.epiloop.shared.ApiException;

/** GB 11643 validation: every well-formed number passes, every single-character change fails. */
class IdNumbersProperties {

  static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

  @Provide
  Arbitrary<String> validNumbers() {
    Arbitrary<Integer> region = Arbitraries.integers().between(110000, 829999);
    Arbitrary<LocalDate> born = Arbitraries.integers().between(0, 45000).map(d -> LocalDate.of(1900, 1, 1).plusDays(d))
        .filter(d -> !d.isAfter(TODAY));
    Arbitrary<Integer> seq = Arbitraries.integers().between(0, 999);
    return Combinators.combine(region, born, seq).as((r, b, s) -> {
      String first17 = String.format("%06d%04d%02d%02d%03d", r, b.getYear(), b.getMonthValue(), b.getDayOfMonth(), s);
      return first17 + IdNumbers.checkCharacter(first17);
    });
  }

  @Property(tries = 2000)
  void generatedNumbersAreAccepted(@ForAll("validNumbers") String number) {
    assertThat(IdNumbers.isValidMainland(number, TODAY)).isTrue();
    assertThat(IdNumbers.normalize(IdType.CN_ID, "idNumber", number.toLowerCase(), TODAY)).isEqualTo(number);
  }

  @Property(tries = 3000)
  void anySingleChangedCharacterIsRejected(@ForAll("validNumbers") String number, @ForAll @IntRange(min = 0, max = 17) int position,
      @ForAll("replacements") char replacement) {
    char original = number.charAt(position);
    if (Character.toUpperCase(replacement) == original) {
      return; // not a change (X and x are the same check character)
    }
    String changed = number.substring(0, position) + replacement + number.substring(position + 1);
    assertThat(IdNumbers.isValidMainland(changed, TODAY)).as(changed).isFalse();
    assertThatThrownBy(() -> IdNumbers.normalize(IdType.CN_ID, "idNumber", changed, TODAY))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo("INVALID_ID_NUMBER");
          assertThat(e.field()).isEqualTo("idNumber");
        });
  }

  @Provide
  Arbitrary<Character> replacements() {
    return Arbitraries.of('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', 'x', 'A', ' ', '-');
  }

  @Property(tries = 500)
  void arbitraryTextNeverCrashes(@ForAll String text) {
    try {
      IdNumbers.normalize(IdType.CN_ID, "idNumber", text, TODAY);
    } catch (ApiException e) {
      assertThat(e.code()).isEqualTo("INVALID_ID_NUMBER");
    }
  }

  @Property(tries = 200)
  void datesOfBirthMustBeReal(@ForAll @IntRange(min = 1, max = 12) int month) {
    String first17 = String.format("320102%04d%02d%02d%03d", 1990, month, 32, 1);
    assertThat(IdNumbers.isValidMainland(first17 + IdNumbers.checkCharacter(first17), TODAY)).isFalse();
  }

  @net.jqwik.api.Example
  void knownExamples() {
    // The GB 11643 standard's own example and an X check character.
    assertThat(IdNumbers.isValidMainland("11010519491231002X", TODAY)).isTrue();
    assertThat(IdNumbers.isValidMainland("11010519491231002x", TODAY)).isTrue();
    assertThat(IdNumbers.isValidMainland("110105194912310021", TODAY)).isFalse();
    // Born in the future, 29 February of a non-leap year, wrong length.
    String future = "32010220300101001";
    assertThat(IdNumbers.isValidMainland(future + IdNumbers.checkCharacter(future), TODAY)).isFalse();
    String feb29 = "32010219990229001";
    assertThat(IdNumbers.isValidMainland(feb29 + IdNumbers.checkCharacter(feb29), TODAY)).isFalse();
    assertThat(IdNumbers.isValidMainland("1101051949123100", TODAY)).isFalse();
  }

  @net.jqwik.api.Example
  void otherDocumentsAreCheckedByFormat() {
    assertThat(IdNumbers.normalize(IdType.PASSPORT, "idNumber", "e1234 5678", TODAY)).isEqualTo("E12345678");
    assertThat(IdNumbers.normalize(IdType.HK_MO_PERMIT, "idNumber", "H12345678", TODAY)).isEqualTo("H12345678");
    assertThat(IdNumbers.normalize(IdType.TW_PERMIT, "idNumber", "12345678", TODAY)).isEqualTo("12345678");
    assertThat(IdNumbers.normalize(IdType.FOREIGN_PR, "idNumber", "USA123456789012", TODAY)).isEqualTo("USA123456789012");
    assertThatThrownBy(() -> IdNumbers.normalize(IdType.HK_MO_PERMIT, "idNumber", "X12345678", TODAY))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> IdNumbers.type("idType", "DRIVER")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.code()).isEqualTo("INVALID_ID_TYPE"));
  }
}
