package org.epiloop.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.RateLimits;
import org.epiloop.shared.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Checks a staff login: password, and for ADMIN a one-time code (TOTP), with throttling kept in
 * the database so that every copy counts against the same numbers (ASVS 2.2.1):
 * <ul>
 *   <li>an account gets {@link #ACCOUNT} attempts per window; past that it is locked until the
 *       window ends (429 {@code LOGIN_LOCKED}, without looking at the password, so the answer
 *       does not tell whether it was right); a successful login clears its count. The attempt is
 *       counted before the password is checked, so parallel guesses cannot slip past the limit.
 *   <li>a client address gets {@link #ADDRESS} failed attempts per window, over all accounts
 *       (429 {@code LOGIN_RATE_LIMITED}): password spraying across many usernames.
 * </ul>
 * A wrong or replayed one-time code counts as a failure. Unknown usernames are counted like
 * real ones, so a lockout does not reveal which exist.
 */
@Service
class StaffLogin {

  private static final Logger log = LoggerFactory.getLogger(StaffLogin.class);

  static final RateLimits.Limit ACCOUNT = new RateLimits.Limit("staff-login-account", 5, Duration.ofMinutes(15));
  static final RateLimits.Limit ADDRESS = new RateLimits.Limit("staff-login-address", 20, Duration.ofMinutes(15));

  private final StaffUsers users;
  private final RateLimits limits;
  private final Clock clock;

  StaffLogin(StaffUsers users, RateLimits limits, Clock clock) {
    this.users = users;
    this.limits = limits;
    this.clock = clock;
  }

  /** The account for valid credentials (and, for ADMIN, a fresh one-time code); else 401 or 429. */
  StaffUsers.Account login(String username, String password, String totp, String clientAddress) {
    StaffUsers.Account account = checkPassword(username, password, clientAddress);
    if (account.role() == Role.ADMIN) {
      checkTotp(account, totp, clientAddress);
    }
    limits.reset(ACCOUNT, username);
    return account;
  }

  /**
   * Checks an account's password under the same throttling as a login (a password change with a
   * stolen token must not become a way to guess it); does not clear the count.
   */
  StaffUsers.Account checkPassword(String username, String password, String clientAddress) {
    RateLimits.Decision address = limits.peek(ADDRESS, clientAddress);
    if (!address.allowed()) {
      throw ApiException.tooManyRequests("LOGIN_RATE_LIMITED", "Too many failed logins from this address; try again later",
          address.retryAfter());
    }
    RateLimits.Decision attempt = limits.hit(ACCOUNT, username);
    if (!attempt.allowed()) {
      if (attempt.hits() == ACCOUNT.max() + 1) {
        // only a real account by name: what was typed may be anything (a phone, an ID number)
        log.warn("Staff account {} locked after {} failed logins", users.exists(username) ? "'" + username + "'" : "(unknown username)",
            ACCOUNT.max());
      }
      throw ApiException.tooManyRequests("LOGIN_LOCKED", "Too many failed logins for this account; try again later",
          attempt.retryAfter());
    }
    Optional<StaffUsers.Account> account = users.account(username);
    if (!users.passwordMatches(account, password) || !account.get().enabled()) {
      limits.hit(ADDRESS, clientAddress);
      throw new ApiException(HttpStatus.UNAUTHORIZED, "BAD_CREDENTIALS", "Wrong username or password", null);
    }
    return account.get();
  }

  /**
   * Checks the current password before a password change: counted like a login, a wrong one is
   * 400 {@code WRONG_PASSWORD} (the caller's token is fine; a 401 would log the page out).
   */
  void confirmPassword(String username, String password, String clientAddress) {
    try {
      checkPassword(username, password, clientAddress);
    } catch (ApiException e) {
      if ("BAD_CREDENTIALS".equals(e.code())) {
        throw ApiException.badRequest("WRONG_PASSWORD", "currentPassword", "The current password is wrong");
      }
      throw e;
    }
    limits.reset(ACCOUNT, username);
  }

  private void checkTotp(StaffUsers.Account account, String totp, String clientAddress) {
    if (totp == null || totp.isBlank()) {
      // the password was right: the form asks for the code and sends both again
      throw new ApiException(HttpStatus.UNAUTHORIZED, "TOTP_REQUIRED", "Enter the one-time code from your authenticator app", "totp");
    }
    byte[] secret = users.totpSecret(account);
    OptionalLong step = secret == null ? OptionalLong.empty() : Totp.matchingStep(secret, totp, clock.instant());
    if (step.isEmpty() || !users.useTotpStep(account.username(), step.getAsLong())) {
      limits.hit(ADDRESS, clientAddress);
      throw new ApiException(HttpStatus.UNAUTHORIZED, "INVALID_TOTP", "The one-time code is wrong or was already used; wait for the next one",
          "totp");
    }
  }
}
