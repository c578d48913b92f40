package org.epiloop.identity;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.security.ResidentAccounts;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Masks;
import org.epiloop.shared.PiiCrypto;
import org.epiloop.shared.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Persons and their personal data. Document numbers, names and phones are encrypted at rest;
 * a person is found by the keyed hash of document type and number. Everything returned to
 * other modules is masked.
 */
@Service
public class Persons {

  static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

  /** A person as other modules and responses see them: masked. */
  public record PersonView(UUID personId, IdType idType, String nameMasked, String idMasked, String phoneMasked,
      String districtCode) {}

  private final JdbcClient jdbc;
  private final PiiCrypto crypto;
  private final ResidentAccounts accounts;
  private final AuditTrail audit;
  private final Clock clock;

  Persons(JdbcClient jdbc, PiiCrypto crypto, ResidentAccounts accounts, AuditTrail audit, Clock clock) {
    this.jdbc = jdbc;
    this.crypto = crypto;
    this.accounts = accounts;
    this.audit = audit;
    this.clock = clock;
  }

  /** A document read from an ID card or typed in, validated and normalised. */
  public record Document(IdType type, String number, String name) {
    /** Validates raw input; failures are 400s naming {@code idType}, {@code idNumber} or {@code name}. */
    public static Document of(String idType, String idNumber, String name, Clock clock) {
      IdType type = IdNumbers.type("idType", idType);
      String number = IdNumbers.normalize(type, "idNumber", idNumber, LocalDate.now(clock.withZone(CHINA)));
      return new Document(type, number, normalizeName(name));
    }

    @Override
    public String toString() {
      return "Document[" + type + ", " + Masks.idNumber(number) + ", " + Masks.name(name) + "]";
    }
  }

  /**
   * The person with this document, registered now if unknown (an ID card read on site). A
   * known person whose registered name differs is refused with 409 {@code NAME_MISMATCH}.
   */
  @Transactional
  public PersonView findOrRegister(Actor staff, Document doc, String districtCode) {
    return scanned(staff, doc, districtCode).person();
  }

  /** A person found or registered by a scan, and whether this scan registered them (nothing can be on record for them yet). */
  public record Scanned(PersonView person, boolean registeredNow) {}

  /** {@link #findOrRegister}, saying whether the person was registered by this call. */
  @Transactional
  public Scanned scanned(Actor staff, Document doc, String districtCode) {
    Found f = findOrCreate(doc, districtCode, staff.name());
    return new Scanned(new PersonView(f.id(), doc.type(), Masks.name(doc.name()), Masks.idNumber(doc.number()), null, districtCode),
        f.created());
  }

  private record Found(UUID id, byte[] nameHash, boolean created) {}

  /**
   * Finds the person by document or registers them, in one statement in the usual cases; a
   * known person registered under another name is refused.
   */
  private Found findOrCreate(Document doc, String districtCode, String createdBy) {
    byte[] idHash = idHash(doc.type(), doc.number());
    byte[] nameHash = crypto.hash("name", doc.name());
    List<Found> found = jdbc.sql("""
            with ins as (
              insert into persons (id, id_type, id_hash, id_enc, name_hash, name_enc, district_code, created_at, created_by)
              values (:id, :type, :hash, :idEnc, :nameHash, :nameEnc, :district, :at, :by)
              on conflict (id_hash) do nothing returning id, name_hash)
            select id, name_hash, true from ins
            union all
            select id, name_hash, false from persons where id_hash = :hash and not exists (select 1 from ins)""")
        .param("id", UUID.randomUUID()).param("type", doc.type().name()).param("hash", idHash)
        .param("idEnc", crypto.encrypt(doc.number())).param("nameHash", nameHash).param("nameEnc", crypto.encrypt(doc.name()))
        .param("district", districtCode).param("at", clock.instant().atOffset(ZoneOffset.UTC)).param("by", createdBy)
        .query((rs, i) -> new Found(rs.getObject(1, UUID.class), rs.getBytes(2), rs.getBoolean(3))).list();
    if (found.isEmpty()) {
      // registered concurrently by another scan that committed while this insert waited: a new statement sees it
      found = jdbc.sql("select id, name_hash from persons where id_hash = ?").param(idHash)
          .query((rs, i) -> new Found(rs.getObject(1, UUID.class), rs.getBytes(2), false)).list();
    }
    Found f = found.get(0);
    if (!MessageDigest.isEqual(f.nameHash(), nameHash)) {
      throw ApiException.conflict("NAME_MISMATCH", "The name does not match the person registered with this document");
    }
    return f;
  }

  /**
   * Registers a person not known yet, with a phone when the account holder adds themself (the
   * code sent to that phone proved it); empty when the document was registered meanwhile.
   */
  Optional<UUID> registerNew(Document doc, String districtCode, String phone, String createdBy) {
    return jdbc.sql("""
            insert into persons (id, id_type, id_hash, id_enc, name_hash, name_enc, phone_hash, phone_enc, district_code, created_at, created_by)
            values (:id, :type, :hash, :idEnc, :nameHash, :nameEnc, :phoneHash, :phoneEnc, :district, :at, :by)
            on conflict (id_hash) do nothing returning id""")
        .param("id", UUID.randomUUID()).param("type", doc.type().name()).param("hash", idHash(doc.type(), doc.number()))
        .param("idEnc", crypto.encrypt(doc.number())).param("nameHash", crypto.hash("name", doc.name()))
        .param("nameEnc", crypto.encrypt(doc.name()))
        .param("phoneHash", phone == null ? null : crypto.hash("phone", phone)).param("phoneEnc", crypto.encrypt(phone))
        .param("district", districtCode).param("at", clock.instant().atOffset(ZoneOffset.UTC)).param("by", createdBy)
        .query(UUID.class).optional();
  }

  /** A person as the link rules see them: the name's hash, and whether a phone of their own is on record. */
  record OnRecord(UUID id, byte[] nameHash, String phone) {}

  /**
   * The person registered with this document hash, if any; {@code lock} holds the row until the
   * transaction ends (two links of one person are decided one after the other).
   */
  Optional<OnRecord> onRecord(byte[] idHash, boolean lock) {
    return jdbc.sql("select id, name_hash, phone_enc from persons where id_hash = ?" + (lock ? " for update" : ""))
        .param(idHash)
        .query((rs, i) -> new OnRecord(rs.getObject(1, UUID.class), rs.getBytes(2), crypto.decrypt(rs.getBytes(3))))
        .optional();
  }

  /** The accounts that hold the person (confirmed links only). */
  List<UUID> holdersOf(UUID personId) {
    return jdbc.sql("select account_id from account_persons where person_id = ? order by added_at").param(personId)
        .query(UUID.class).list();
  }

  /** Gives the person a phone when they have none; a phone on record is never replaced. */
  void setPhoneIfNone(UUID personId, String phone) {
    jdbc.sql("update persons set phone_hash = ?, phone_enc = ? where id = ? and phone_hash is null")
        .params(crypto.hash("phone", phone), crypto.encrypt(phone), personId).update();
  }

  /** The person with this document and name; a wrong name answers as if nobody matched. */
  public Optional<UUID> find(Document doc) {
    return jdbc.sql("select id, name_hash from persons where id_hash = ?").param(idHash(doc.type(), doc.number()))
        .query((rs, i) -> MessageDigest.isEqual(rs.getBytes(2), crypto.hash("name", doc.name())) ? rs.getObject(1, UUID.class) : null)
        .optional();
  }

  /**
   * The person with this document, without a name check: for officials who know only the
   * document (a confirmed case). The number must already be normalised ({@link IdNumbers#normalize}).
   */
  public Optional<UUID> findByDocument(IdType type, String normalizedNumber) {
    return jdbc.sql("select id from persons where id_hash = ?").param(idHash(type, normalizedNumber))
        .query(UUID.class).optional();
  }

  /**
   * Documents and names in clear, for the one disclosure the seeds require: results shared with
   * the provincial platform over TLS (issue 16, P2). Nothing else may call this; the caller
   * audits the disclosure. Unknown ids are left out.
   */
  public Map<UUID, Document> documentsForProvince(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    Map<UUID, Document> out = new HashMap<>();
    jdbc.sql("select id, id_type, id_enc, name_enc from persons where id = any(?)").param(ids.toArray(UUID[]::new))
        .query((rs, i) -> Map.entry(rs.getObject(1, UUID.class), new Document(IdType.valueOf(rs.getString(2)),
            crypto.decrypt(rs.getBytes(3)), crypto.decrypt(rs.getBytes(4)))))
        .list().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /**
   * The person's name in clear, for the one document made for the person themself: a result
   * certificate (ADR 0025), printed with the masked document number. The caller has checked that
   * the reader holds the person (or is an official, audited).
   */
  public Optional<String> nameForCertificate(UUID personId) {
    return jdbc.sql("select name_enc from persons where id = ?").param(personId)
        .query((rs, i) -> crypto.decrypt(rs.getBytes(1))).optional();
  }

  public Optional<PersonView> view(UUID id) {
    return jdbc.sql("select id, id_type, name_enc, id_enc, phone_enc, district_code from persons where id = ?").param(id)
        .query((rs, i) -> new PersonView(rs.getObject(1, UUID.class), IdType.valueOf(rs.getString(2)),
            Masks.name(crypto.decrypt(rs.getBytes(3))), Masks.idNumber(crypto.decrypt(rs.getBytes(4))),
            Masks.phone(crypto.decrypt(rs.getBytes(5))), rs.getString(6)))
        .optional();
  }

  /**
   * Several persons by id. The phone is the person's own, else that of the first account that
   * holds them (for staff to call about a child or an elder).
   */
  public Map<UUID, PersonView> views(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    Map<UUID, PersonView> out = new HashMap<>();
    jdbc.sql("select id, id_type, name_enc, id_enc, phone_enc, district_code from persons where id = any(?)")
        .param(ids.toArray(UUID[]::new))
        .query((rs, i) -> new PersonView(rs.getObject(1, UUID.class), IdType.valueOf(rs.getString(2)),
            Masks.name(crypto.decrypt(rs.getBytes(3))), Masks.idNumber(crypto.decrypt(rs.getBytes(4))),
            Masks.phone(crypto.decrypt(rs.getBytes(5))), rs.getString(6)))
        .list().forEach(p -> out.put(p.personId(), p));
    // staff who call a person without a phone (a recall, a contact) reach the account that holds them
    List<UUID> withoutPhone = out.values().stream().filter(p -> p.phoneMasked() == null || p.phoneMasked().isEmpty())
        .map(PersonView::personId).toList();
    if (!withoutPhone.isEmpty()) {
      Map<UUID, UUID> firstHolder = new HashMap<>();
      jdbc.sql("select distinct on (person_id) person_id, account_id from account_persons where person_id = any(?) order by person_id, added_at")
          .param(withoutPhone.toArray(UUID[]::new))
          .query((rs, i) -> Map.entry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
          .list().forEach(e -> firstHolder.put(e.getKey(), e.getValue()));
      Map<UUID, String> phones = accounts.phones(firstHolder.values());
      firstHolder.forEach((person, account) -> {
        PersonView p = out.get(person);
        out.put(person, new PersonView(p.personId(), p.idType(), p.nameMasked(), p.idMasked(), Masks.phone(phones.get(account)),
            p.districtCode()));
      });
    }
    return out;
  }

  /**
   * Where a message about a person's sample goes: a phone and the first sampling time it may hear
   * about ({@code from} null: all).
   */
  public record Recipient(String phone, Instant from) {
    /** Whether a message about a sample taken at {@code sampledAt} may go to this phone. */
    public boolean mayHearOf(Instant sampledAt) {
      return from == null || !sampledAt.isBefore(from);
    }
  }

  /**
   * The phones (in clear, for sending messages only) to tell about each person's results: the
   * person's own phone, or, for a person without one (a child, an elder), the phones of the
   * accounts that hold them — a guardian only about samples taken after the link. A phone is
   * never taken from an account that merely asked for a link.
   */
  public Map<UUID, List<Recipient>> recipients(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    Map<UUID, List<Recipient>> out = new HashMap<>();
    record Holder(UUID person, UUID account, Instant from) {}
    List<Holder> holders = new ArrayList<>();
    jdbc.sql("""
            select p.id, p.phone_enc, ap.account_id, ap.results_from
            from persons p left join account_persons ap on ap.person_id = p.id and p.phone_enc is null
            where p.id = any(?) and (p.phone_enc is not null or ap.account_id is not null)""")
        .param(ids.toArray(UUID[]::new))
        .query((rs, i) -> {
          UUID person = rs.getObject(1, UUID.class);
          byte[] own = rs.getBytes(2);
          if (own != null) {
            out.put(person, List.of(new Recipient(crypto.decrypt(own), null)));
          } else {
            OffsetDateTime from = rs.getObject(4, OffsetDateTime.class);
            holders.add(new Holder(person, rs.getObject(3, UUID.class), from == null ? null : from.toInstant()));
          }
          return person;
        })
        .list();
    Map<UUID, String> accountPhones = accounts.phones(holders.stream().map(Holder::account).distinct().toList());
    for (Holder h : holders) {
      String phone = accountPhones.get(h.account());
      if (phone != null) {
        out.computeIfAbsent(h.person(), k -> new ArrayList<>()).add(new Recipient(phone, h.from()));
      }
    }
    return out;
  }

  /**
   * A person on an account and how the link came about: who confirmed it ({@code NEW_PERSON},
   * {@code HOLDER}, {@code GUARDIAN}, or {@code LEGACY} for links made before codes were asked)
   * and from when the account sees the person's samplings (null: all).
   */
  record AccountPerson(PersonView person, Relation relation, String confirmedBy, Instant resultsFrom) {}

  /** The persons a resident account holds (confirmed links only), in the order they were added. */
  List<AccountPerson> ofAccount(UUID accountId) {
    return jdbc.sql("""
            select p.id, p.id_type, p.name_enc, p.id_enc, p.phone_enc, p.district_code, a.relation, a.confirmed_by, a.results_from
            from account_persons a join persons p on p.id = a.person_id where a.account_id = ? order by a.added_at, p.id""")
        .param(accountId)
        .query((rs, i) -> {
          OffsetDateTime from = rs.getObject(9, OffsetDateTime.class);
          return new AccountPerson(new PersonView(rs.getObject(1, UUID.class), IdType.valueOf(rs.getString(2)),
              Masks.name(crypto.decrypt(rs.getBytes(3))), Masks.idNumber(crypto.decrypt(rs.getBytes(4))),
              Masks.phone(crypto.decrypt(rs.getBytes(5))), rs.getString(6)), Relation.valueOf(rs.getString(7)), rs.getString(8),
              from == null ? null : from.toInstant());
        })
        .list();
  }

  /** Fails with 403 {@code OUT_OF_SCOPE} unless the resident's account holds the person. */
  public void requireHeldBy(Actor actor, UUID personId) {
    if (actor.role() != Role.RESIDENT || actor.accountId() == null) {
      throw ApiException.outOfScope("Only the person's own account may do this");
    }
    boolean held = jdbc.sql("select exists (select 1 from account_persons where account_id = ? and person_id = ?)")
        .params(actor.accountId(), personId).query(Boolean.class).single();
    if (!held) {
      throw ApiException.outOfScope("This person is not on your account");
    }
  }

  /**
   * What a resident account may see of a person it holds: the masked name, and the first
   * sampling time it may see results of ({@code resultsFrom} null: all; a guardian link sees
   * only samplings after the link).
   */
  public record Held(String nameMasked, Instant resultsFrom) {
    /** Whether the account may see a sampling taken at {@code sampledAt}. */
    public boolean shows(Instant sampledAt) {
      return resultsFrom == null || !sampledAt.isBefore(resultsFrom);
    }
  }

  /**
   * The person as the resident's account holds them, in one query that also checks the account
   * holds the person (a link waiting for its code does not); only the name is decrypted. Fails
   * with 403 {@code OUT_OF_SCOPE} otherwise.
   */
  public Held held(Actor actor, UUID personId) {
    if (actor.role() != Role.RESIDENT || actor.accountId() == null) {
      throw ApiException.outOfScope("Only the person's own account may do this");
    }
    return jdbc.sql("""
            select p.name_enc, ap.results_from from account_persons ap join persons p on p.id = ap.person_id
            where ap.account_id = ? and ap.person_id = ?""")
        .params(actor.accountId(), personId)
        .query((rs, i) -> {
          OffsetDateTime from = rs.getObject(2, OffsetDateTime.class);
          return new Held(Masks.name(crypto.decrypt(rs.getBytes(1))), from == null ? null : from.toInstant());
        })
        .optional()
        .orElseThrow(() -> ApiException.outOfScope("This person is not on your account"));
  }

  /** Records that staff read a person's data, and why. */
  public void auditRead(Actor staff, UUID personId, String why) {
    audit.record(staff, "PERSON_READ", "person", personId.toString(), why);
  }

  byte[] idHash(IdType type, String number) {
    return crypto.hash("id", type.name() + ":" + number);
  }

  static String normalizeName(String raw) {
    String name = ApiException.required("name", raw).replaceAll("\\s+", " ");
    if (name.length() > 64 || name.codePoints().anyMatch(Character::isISOControl)) {
      throw ApiException.badRequest("INVALID_NAME", "name", "name must be 1–64 printable characters");
    }
    return name;
  }
}
