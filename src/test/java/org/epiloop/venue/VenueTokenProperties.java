package org.epiloop.venue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Venue tokens: genuine ones verify, any single changed character or other key fails, nothing throws. */
class VenueTokenProperties {

  static final VenueTokens TOKENS = new VenueTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  static final VenueTokens OTHER_KEY = new VenueTokens("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

  @Provide
  Arbitrary<String> codes() {
    return Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567").ofLength(8).map(s -> "V" + s);
  }

  @Property(tries = 1000)
  void genuineTokensVerify(@ForAll("codes") String code) {
    String token = TOKENS.issue(code);
    assertThat(token).startsWith("VN").hasSize(VenueTokens.TOKEN_LENGTH);
    assertThat(TOKENS.verify(token)).contains(code);
    assertThat(TOKENS.verify(" " + token.toLowerCase() + "\n")).as("scanners may change case and add whitespace").contains(code);
    assertThat(OTHER_KEY.verify(token)).isEmpty();
  }

  @Property(tries = 3000)
  void anySingleChangedCharacterIsRefused(@ForAll("codes") String code, @ForAll @IntRange(min = 0, max = 32) int position,
      @ForAll("replacements") char replacement) {
    String token = TOKENS.issue(code);
    if (Character.toUpperCase(replacement) == token.charAt(position)) {
      return;
    }
    String changed = token.substring(0, position) + replacement + token.substring(position + 1);
    assertThat(TOKENS.verify(changed)).as(changed).isEmpty();
  }

  @Provide
  Arbitrary<Character> replacements() {
    return Arbitraries.chars().with("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567019-+ ");
  }

  @Property(tries = 2000)
  void arbitraryTextIsRefusedWithoutThrowing(@ForAll String text) {
    assertThat(TOKENS.verify(text)).isEmpty();
    assertThat(TOKENS.verify("VN" + text)).isEmpty();
  }

  @Property(tries = 500)
  void newCodesAreWellFormed(@ForAll @IntRange(min = 0, max = 10) int ignored) {
    assertThat(TOKENS.newCode()).matches(VenueTokens.CODE.pattern());
  }
}
