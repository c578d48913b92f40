package org.epiloop.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Which address a request comes from: X-Forwarded-For believed only as far as trusted proxies vouch for it. */
class ClientAddressTest {

  private final ClientAddress behindProxies = new ClientAddress(List.of("10.0.0.5", "10.1.0.0/16", "2001:db8::/32"));

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() {
    ClientAddress direct = new ClientAddress(List.of());
    assertThat(direct.of(request("198.51.100.7", "203.0.113.1"))).isEqualTo("198.51.100.7");
  }

  @Test
  void aPeerThatIsNoTrustedProxyIsTheClientWhateverItForwards() {
    assertThat(behindProxies.of(request("198.51.100.7", "203.0.113.1"))).isEqualTo("198.51.100.7");
  }

  @Test
  void behindTrustedProxiesTheRightmostUntrustedHopIsTheClient() {
    assertThat(behindProxies.of(request("10.0.0.5", "203.0.113.1"))).isEqualTo("203.0.113.1");
    // the client wrote the left part itself: it does not choose its own address
    assertThat(behindProxies.of(request("10.0.0.5", "1.2.3.4, 203.0.113.1"))).isEqualTo("203.0.113.1");
    // several of our proxies in a row, one in a CIDR range, and headers split over lines
    assertThat(behindProxies.of(request("10.0.0.5", "1.2.3.4, 203.0.113.1, 10.1.2.3"))).isEqualTo("203.0.113.1");
    assertThat(behindProxies.of(request("10.0.0.5", "1.2.3.4", "203.0.113.1, 10.1.2.3"))).isEqualTo("203.0.113.1");
    assertThat(behindProxies.of(request("2001:db8::1", "2001:db8::2, 2001:db9::7"))).isEqualTo("2001:db9::7");
  }

  @Test
  void onlyTrustedHopsOrNoHeaderFallBackToTheFirstHopOrThePeer() {
    assertThat(behindProxies.of(request("10.0.0.5", "10.1.0.9, 10.1.0.8"))).isEqualTo("10.1.0.9");
    assertThat(behindProxies.of(request("10.0.0.5"))).isEqualTo("10.0.0.5");
  }

  @Test
  void namesAreNeverResolvedAndLongValuesAreCut() {
    assertThat(behindProxies.of(request("10.0.0.5", "localhost"))).isEqualTo("localhost");
    assertThat(behindProxies.of(request("10.0.0.5", "x".repeat(500)))).hasSize(64);
  }

  @Test
  void aMisconfiguredProxyListIsRefusedAtStart() {
    assertThatThrownBy(() -> new ClientAddress(List.of("not-an-address/8")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("epiloop.trusted-proxies");
  }

  private static MockHttpServletRequest request(String peer, String... forwardedFor) {
    MockHttpServletRequest r = new MockHttpServletRequest();
    r.setRemoteAddr(peer);
    for (String header : forwardedFor) {
      r.addHeader("X-Forwarded-For", header);
    }
    return r;
  }
}
