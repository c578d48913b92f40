package org.epiloop.security;

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

  /** The phone numbers (in clear, for sending messages only) of these accounts. */
  public java.util.Map<UUID, String> phones(java.util.Collection<UUID> accountIds) {
    java.util.Map<UUID, String> out = new java.util.HashMap<>();
    if (accountIds.isEmpty()) {
      return out;
    }
    jdbc.sql("select id, phone_enc from resident_accounts where id = any(?)").param(accountIds.toArray(UUID[]::new))
        .query((rs, i) -> java.util.Map.entry(rs.getObject(1, UUID.class), crypto.decrypt(rs.getBytes(2))))
        .list().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** The account's phone number in clear, for the person records it creates. */
  public Optional<String> phone(UUID accountId) {
    return jdbc.sql("select phone_enc from resident_accounts where id = ?").param(accountId)
        .query((rs, i) -> crypto.decrypt(rs.getBytes(1))).optional();
  }
}
