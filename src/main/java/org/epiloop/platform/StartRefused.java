package org.epiloop.platform;

/**
 * A configuration that Epiloop refuses to run with (a production start without an SMS
 * gateway, a shared database with generated keys). Reported at start as what is wrong and
 * what to set, without a stack trace to dig through.
 */
public class StartRefused extends IllegalStateException {

  private final String description;
  private final String action;

  /**
   * @param description what is wrong, and why it matters
   * @param action what to set to start
   */
  public StartRefused(String description, String action) {
    super(description + " " + action);
    this.description = description;
    this.action = action;
  }

  public String description() {
    return description;
  }

  public String action() {
    return action;
  }
}
