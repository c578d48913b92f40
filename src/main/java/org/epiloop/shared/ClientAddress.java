package org.epiloop.shared;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * The address of the client behind a request, for rate limits and lockouts per client. The
 * socket's peer is the client unless it is one of the configured trusted proxies
 * ({@code epiloop.trusted-proxies}: addresses or CIDR ranges, e.g. the load balancer's); then
 * {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and the rightmost
 * address that is not a trusted proxy is the client. Entries to the left of it were written by
 * the client itself and are ignored: anyone can send {@code X-Forwarded-For}, so it is believed
 * only as far as our own proxies vouch for it. Without trusted proxies the header is ignored.
 */
@Component
public class ClientAddress {

  /** An IP literal (v4 or v6): anything else in the header is never resolved through DNS. */
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  private static final int MAX_LENGTH = 64;

  private final List<IpAddressMatcher> trusted;

  @Autowired
  ClientAddress(Environment env) {
    // bound, not @Value: a YAML list and a comma-separated EPILOOP_TRUSTED_PROXIES both work
    this(Binder.get(env).bind("epiloop.trusted-proxies", Bindable.listOf(String.class)).orElse(List.of()));
  }

  ClientAddress(List<String> trustedProxies) {
    List<IpAddressMatcher> matchers = new ArrayList<>();
    for (String entry : trustedProxies) {
      if (entry == null || entry.isBlank()) {
        continue;
      }
      try {
        matchers.add(new IpAddressMatcher(entry.strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("epiloop.trusted-proxies: '" + entry.strip()
            + "' is not an IP address or CIDR range (e.g. 10.0.0.5 or 10.0.0.0/8)", e);
      }
    }
    this.trusted = List.copyOf(matchers);
  }

  /** The client's address (as text, at most 64 characters): the subject of per-client limits. */
  public String of(HttpServletRequest request) {
    String peer = request.getRemoteAddr();
    if (!isTrusted(peer)) {
      return peer;
    }
    List<String> hops = new ArrayList<>();
    for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
      for (String hop : header.split(",")) {
        if (!hop.isBlank()) {
          hops.add(hop.strip());
        }
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      if (!isTrusted(hops.get(i))) {
        return bounded(hops.get(i));
      }
    }
    // every hop is one of ours: the leftmost is where the request entered
    return hops.isEmpty() ? peer : bounded(hops.get(0));
  }

  private boolean isTrusted(String address) {
    if (trusted.isEmpty() || address == null || !IP_LITERAL.matcher(address).matches()) {
      return false;
    }
    for (IpAddressMatcher m : trusted) {
      try {
        if (m.matches(address)) {
          return true;
        }
      } catch (IllegalArgumentException notAnAddress) {
        return false;
      }
    }
    return false;
  }

  private static String bounded(String hop) {
    return hop.length() > MAX_LENGTH ? hop.substring(0, MAX_LENGTH) : hop;
  }
}
