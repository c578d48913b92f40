package org.epiloop.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One HTTP exchange as the simulator sees it: the status and the parsed JSON body. A transport
 * failure (refused connection, timeout, reset) is status 0 with {@code code} naming the exception.
 */
public record ApiResponse(int status, JsonNode body, String code, String detail) {

  public static ApiResponse transportFailure(Throwable e) {
    return new ApiResponse(0, MissingNode.getInstance(), e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
  }

  public boolean is2xx() {
    return status >= 200 && status < 300;
  }

  public boolean isTransportFailure() {
    return status == 0;
  }

  /** A text field of the body, or null. */
  public String text(String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  /** "409 SAMPLED_IN_ROUND", "500 -", "IO ConnectException": how errors are counted. */
  public String errorKey() {
    if (status == 0) {
      return "IO " + code;
    }
    return status + " " + (code == null ? "-" : code);
  }
}
