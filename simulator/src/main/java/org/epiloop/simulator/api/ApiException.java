package org.epiloop.simulator.api;

/** A setup call that did not get the answer it needs. */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient ApiResponse response;

  public ApiException(String request, ApiResponse response) {
    super(request + " -> " + response.errorKey() + (response.detail() == null ? "" : ": " + response.detail()));
    this.response = response;
  }

  public ApiResponse response() {
    return response;
  }
}
