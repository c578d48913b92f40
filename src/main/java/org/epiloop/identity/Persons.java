package org.epiloop.identity;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.directory.Directory;
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
  private final Directory directory;
  private final ResidentAccounts accounts;
  private final AuditTrail audit;
  private final Clock clock;

  Persons(JdbcClient jdbc, PiiCrypto crypto, Directory directory, ResidentAccounts accounts, AuditTrail audit, Clock clock) {
    this.jdbc = jdbc;
    this.crypto = crypto;
    this.directory = directory;
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
   * Adds a person to a resident's account: the holder or a family member. A person already
   * known (for example registered on site) is linked when the name matches.
   */
  @Transactional
  public PersonView addToAccount(Actor resident, Document doc, String districtCode) {
    if (resident.accountId() == null) {
      throw ApiException.outOfScope("Only a resident account holds persons");
    }
    directory.requireDistrict("districtCode", districtCode);
    String phone = accounts.phone(resident.accountId()).orElse(null);
    UUID id = findOrCreate(doc, districtCode, phone, resident.name());
    jdbc.sql("insert into account_persons (account_id, person_id, added_at) values (?, ?, ?) on conflict do nothing")
        .params(resident.accountId(), id, clock.instant().atOffset(ZoneOffset.UTC)).update();
    jdbc.sql("update persons set phone_hash = coalesce(phone_hash, ?), phone_enc = coalesce(phone_enc, ?), district_code = coalesce(district_code, ?) where id = ?")
        .params(phone == null ? null : crypto.hash("phone", phone), phone == null ? null : crypto.encrypt(phone), districtCode, id)
        .update();
    return view(id).orElseThrow();
  }

  /**
   * The person with this document, registered now if unknown (an ID card read on site). A
   * known person whose registered name differs is refused with 409 {@code NAME_MISMATCH}.
   */
  @Transactional
  public PersonView findOrRegister(Actor staff, Document doc, String districtCode) {
    UUID id = findOrCreate(doc, districtCode, null, staff.name());
    return new PersonView(id, doc.type(), Masks.name(doc.name()), Masks.idNumber(doc.number()), null, districtCode);
  }

  /**
   * Finds the person by document or registers them, in one statement in the usual cases; a
   * known person registered under another name is refused.
   */
  private UUID findOrCreate(Document doc, String districtCode, String phone, String createdBy) {
    byte[] idHash = idHash(doc.type(), doc.number());
    byte[] nameHash = crypto.hash("name", doc.name());
    record Found(UUID id, byte[] nameHash) {}
    List<Found> found = jdbc.sql("""
            with ins as (
              insert into persons (id, id_type, id_hash, id_enc, name_hash, name_enc, phone_hash, phone_enc, district_code, created_at, created_by)
              values (:id, :type, :hash, :idEnc, :nameHash, :nameEnc, :phoneHash, :phoneEnc, :district, :at, :by)
              on conflict (id_hash) do nothing returning id, name_hash)
            select id, name_hash from ins
            union all
            select id, name_hash from persons where id_hash = :hash and not exists (select 1 from ins)""")
        .param("id", UUID.randomUUID()).param("type", doc.type().name()).param("hash", idHash)
        .param("idEnc", crypto.encrypt(doc.number())).param("nameHash", nameHash).param("nameEnc", crypto.encrypt(doc.name()))
        .param("phoneHash", phone == null ? null : crypto.hash("phone", phone)).param("phoneEnc", phone == null ? null : crypto.encrypt(phone))
        .param("district", districtCode).param("at", clock.instant().atOffset(ZoneOffset.UTC)).param("by", createdBy)
        .query((rs, i) -> new Found(rs.getObject(1, UUID.class), rs.getBytes(2))).list();
    if (found.isEmpty()) {
      // registered concurrently by another scan that committed while this insert waited: a new statement sees it
      found = jdbc.sql("select id, name_hash from persons where id_hash = ?").param(idHash)
          .query((rs, i) -> new Found(rs.getObject(1, UUID.class), rs.getBytes(2))).list();
    }
    Found f = found.get(0);
    if (!MessageDigest.isEqual(f.nameHash(), nameHash)) {
      throw ApiException.conflict("NAME_MISMATCH", "The name does not match the person registered with this document");
    }
    return f.id();
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

  public Optional<PersonView> view(UUID id) {
    return jdbc.sql("select id, id_type, name_enc, id_enc, phone_enc, district_code from persons where id = ?").param(id)
        .query((rs, i) -> new PersonView(rs.getObject(1, UUID.class), IdType.valueOf(rs.getString(2)),
            Masks.name(crypto.decrypt(rs.getBytes(3))), Masks.idNumber(crypto.decrypt(rs.getBytes(4))),
            Masks.phone(crypto.decrypt(rs.getBytes(5))), rs.getString(6)))
        .optional();
  }

  /** Several persons in one query, by id. */
  public java.util.Map<UUID, PersonView> views(java.util.Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return java.util.Map.of();
    }
    java.util.Map<UUID, PersonView> out = new java.util.HashMap<>();
    jdbc.sql("select id, id_type, name_enc, id_enc, phone_enc, district_code from persons where id = any(?)")
        .param(ids.toArray(UUID[]::new))
        .query((rs, i) -> new PersonView(rs.getObject(1, UUID.class), IdType.valueOf(rs.getString(2)),
            Masks.name(crypto.decrypt(rs.getBytes(3))), Masks.idNumber(crypto.decrypt(rs.getBytes(4))),
            Masks.phone(crypto.decrypt(rs.getBytes(5))), rs.getString(6)))
        .list().forEach(p -> out.put(p.personId(), p));
    return out;
  }

  /** The phone numbers (in clear, for sending messages only) of the persons that have one. */
  public java.util.Map<UUID, String> phones(java.util.Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return java.util.Map.of();
    }
    java.util.Map<UUID, String> out = new java.util.HashMap<>();
    jdbc.sql("select id, phone_enc from persons where id = any(?) and phone_enc is not null")
        .param(ids.toArray(UUID[]::new))
        .query((rs, i) -> java.util.Map.entry(rs.getObject(1, UUID.class), crypto.decrypt(rs.getBytes(2))))
        .list().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /**
   * Where to text a notice about each person (for sending only, never shown): their own phone,
   * or — for a family member without one — the phones of every resident account that holds
   * them. Persons with neither are absent.
   */
  public java.util.Map<UUID, List<String>> noticePhones(java.util.Collection<UUID> ids) {
    java.util.Map<UUID, List<String>> out = new java.util.HashMap<>();
    phones(ids).forEach((id, phone) -> out.put(id, List.of(phone)));
    List<UUID> without = ids.stream().filter(id -> !out.containsKey(id)).distinct().toList();
    if (without.isEmpty()) {
      return out;
    }
    record Held(UUID person, UUID account) {}
    List<Held> held = jdbc.sql("select person_id, account_id from account_persons where person_id = any(?) order by added_at")
        .param(without.toArray(UUID[]::new))
        .query((rs, i) -> new Held(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))).list();
    java.util.Map<UUID, String> accountPhones = accounts.phones(held.stream().map(Held::account).distinct().toList());
    for (Held h : held) {
      String phone = accountPhones.get(h.account());
      if (phone != null) {
        List<String> list = new java.util.ArrayList<>(out.getOrDefault(h.person(), List.of()));
        if (!list.contains(phone)) {
          list.add(phone);
        }
        out.put(h.person(), List.copyOf(list));
      }
    }
    return out;
  }

  /** The persons a resident account holds, in the order they were added. */
  public List<PersonView> ofAccount(UUID accountId) {
    return jdbc.sql("""
            select p.id, p.id_type, p.name_enc, p.id_enc, p.phone_enc, p.district_code
            from account_persons a join persons p on p.id = a.person_id where a.account_id = ? order by a.added_at, p.id""")
        .param(accountId)
        .query((rs, i) -> new PersonView(rs.getObject(1, UUID.class), IdType.valueOf(rs.getString(2)),
            Masks.name(crypto.decrypt(rs.getBytes(3))), Masks.idNumber(crypto.decrypt(rs.getBytes(4))),
            Masks.phone(crypto.decrypt(rs.getBytes(5))), rs.getString(6)))
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
   * The masked name of a person on the resident's account, in one query that also checks the
   * account holds the person; only the name is decrypted.
   */
  public String heldNameMasked(Actor actor, UUID personId) {
    if (actor.role() != Role.RESIDENT || actor.accountId() == null) {
      throw ApiException.outOfScope("Only the person's own account may do this");
    }
    return jdbc.sql("""
            select p.name_enc from account_persons ap join persons p on p.id = ap.person_id
            where ap.account_id = ? and ap.person_id = ?""")
        .params(actor.accountId(), personId)
        .query((rs, i) -> Masks.name(crypto.decrypt(rs.getBytes(1))))
        .optional()
        .orElseThrow(() -> ApiException.outOfScope("This person is not on your account"));
  }

  /** Records that staff read a person's data, and why. */
  public void auditRead(Actor staff, UUID personId, String why) {
    audit.record(staff, "PERSON_READ", "person", personId.toString(), why);
  }

  private byte[] idHash(IdType type, String number) {
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
