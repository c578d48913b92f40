package org.epiloop.security;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.epiloop.shared.PiiCrypto;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Read access to resident accounts for other modules. */
@Component
public class ResidentAccounts {

  private final JdbcClient jdbc;
  private final PiiCrypto crypto;

  ResidentAccounts(JdbcClient jdbc, PiiCrypto crypto) {
    this.jdbc = jdbc;
    this.crypto = crypto;
  }

  /** The account's phone number in clear, for the person records it creates. */
  public Optional<String> phone(UUID accountId) {
    return jdbc.sql("select phone_enc from resident_accounts where id = ?").param(accountId)
        .query((rs, i) -> crypto.decrypt(rs.getBytes(1))).optional();
  }

  /**
   * The phone numbers in clear of several accounts, for messages only. The query runs even for no
   * accounts, so that a caller's work does not depend on how many there are (ADR 0014).
   */
  public Map<UUID, String> phones(Collection<UUID> accountIds) {
    Map<UUID, String> out = new HashMap<>();
    jdbc.sql("select id, phone_enc from resident_accounts where id = any(?)").param(accountIds.toArray(UUID[]::new))
        .query((rs, i) -> Map.entry(rs.getObject(1, UUID.class), crypto.decrypt(rs.getBytes(2))))
        .list().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
