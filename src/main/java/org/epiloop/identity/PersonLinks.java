package org.epiloop.identity;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
import org.epiloop.shared.RateLimits;
import org.epiloop.shared.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Linking persons to resident accounts (ADR 0014). Knowing a person's ID number and name is not
 * enough to see their results: a link takes a one-time code from the phone that speaks for the
 * person — their own, else the accounts that already hold them; the requester's own phone only
 * for a person new to Epiloop, or for one registered on site with neither phone nor holder (a
 * guardian's link, audited, showing only later samplings). Every request answers the same, does
 * the same work and is counted per account and per document, so the answer tells nothing about
 * who is registered under which name.
 */
@Service
class PersonLinks {

  static final Duration CODE_TTL = Duration.ofMinutes(10);
  static final int MAX_ATTEMPTS = 5;
  static final RateLimits.Limit REQUESTS_PER_ACCOUNT = new RateLimits.Limit("person-link-account", 10, Duration.ofHours(1));
  static final RateLimits.Limit REQUESTS_PER_PERSON = new RateLimits.Limit("person-link-person", 5, Duration.ofHours(1));
  static final RateLimits.Limit REQUESTS_PER_PERSON_DAY = new RateLimits.Limit("person-link-person-day", 10, Duration.ofDays(1));
  static final RateLimits.Limit CONFIRMATIONS_PER_ACCOUNT = new RateLimits.Limit("person-link-confirm", 30, Duration.ofHours(1));
  static final String RATE_LIMITED = "LINK_RATE_LIMITED";

  /** Stands in for "no person" so that the holder query runs on every path. */
  private static final UUID NOBODY = new UUID(0, 0);

  private final JdbcClient jdbc;
  private final PiiCrypto crypto;
  private final Persons persons;
  private final Directory directory;
  private final ResidentAccounts accounts;
  private final RateLimits limits;
  private final AuditTrail audit;
  private final LinkMessages messages;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  PersonLinks(JdbcClient jdbc, PiiCrypto crypto, Persons persons, Directory directory, ResidentAccounts accounts, RateLimits limits,
      AuditTrail audit, LinkMessages messages, Clock clock) {
    this.jdbc = jdbc;
    this.crypto = crypto;
    this.persons = persons;
    this.directory = directory;
    this.accounts = accounts;
    this.limits = limits;
    this.audit = audit;
    this.messages = messages;
    this.clock = clock;
  }

  /** The answer to every link request, whatever is on record. */
  record Requested(UUID linkId, Instant expiresAt) {}

  /**
   * Asks to link the person with this document to the resident's account. The code goes where
   * {@link LinkRoute} says, after commit; the answer is the same for every route.
   */
  @Transactional
  Requested request(Actor resident, Persons.Document doc, String districtCode, Relation relation) {
    UUID account = accountOf(resident);
    directory.requireDistrict("districtCode", districtCode);
    if (relation == Relation.SELF && hasSelf(account)) {
      throw ApiException.conflict("SELF_ALREADY_ON_ACCOUNT", "Your own person is already on this account; add others as FAMILY");
    }
    limits.acquire(REQUESTS_PER_ACCOUNT, account.toString(), RATE_LIMITED, "Too many persons added from this account; try again later");
    String document = doc.type() + ":" + doc.number();
    limits.acquire(REQUESTS_PER_PERSON, document, RATE_LIMITED, "Too many requests for this document; try again later");
    limits.acquire(REQUESTS_PER_PERSON_DAY, document, RATE_LIMITED, "Too many requests for this document today; try again tomorrow");

    // The same hashes, queries and insert on every route: only the decision differs.
    byte[] idHash = persons.idHash(doc.type(), doc.number());
    byte[] nameHash = crypto.hash("name", doc.name());
    Optional<Persons.OnRecord> known = persons.onRecord(idHash, false);
    List<UUID> holders = persons.holdersOf(known.map(Persons.OnRecord::id).orElse(NOBODY));
    List<String> holderPhones = List.copyOf(accounts.phones(holders).values());
    String ownPhone = accounts.phone(account).orElseThrow(() -> ApiException.outOfScope("Only a resident account holds persons"));
    boolean nameMatches = known.isPresent() && MessageDigest.isEqual(known.get().nameHash(), nameHash);
    LinkRoute route = known.isEmpty() ? LinkRoute.NEW_PERSON
        : !nameMatches ? LinkRoute.NONE
        : known.get().phone() != null || !holders.isEmpty() ? LinkRoute.HOLDER
        : LinkRoute.GUARDIAN;

    UUID linkId = UUID.randomUUID();
    String code = String.format("%06d", random.nextInt(1_000_000));
    Instant now = clock.instant();
    Instant expiresAt = now.plus(CODE_TTL).truncatedTo(ChronoUnit.SECONDS);
    jdbc.sql("""
            insert into person_links (id, account_id, person_id, route, relation, id_type, id_hash, id_enc, name_hash, name_enc,
              district_code, code_hash, expires_at, attempts, status, requested_at)
            values (:id, :account, :person, :route, :relation, :type, :idHash, :idEnc, :nameHash, :nameEnc, :district, :code,
              :expires, 0, 'PENDING', :now)""")
        .param("id", linkId).param("account", account)
        .param("person", route == LinkRoute.NONE ? null : known.map(Persons.OnRecord::id).orElse(null))
        .param("route", route.name()).param("relation", relation.name()).param("type", doc.type().name())
        .param("idHash", idHash).param("idEnc", crypto.encrypt(doc.number())).param("nameHash", nameHash)
        .param("nameEnc", crypto.encrypt(doc.name())).param("district", districtCode).param("code", codeHash(linkId, code))
        .param("expires", utc(expiresAt)).param("now", utc(now))
        .update();
    audit.record(resident, "PERSON_LINK_REQUESTED", "person_link", linkId.toString(), "route " + route + ", " + relation);

    String who = Masks.name(doc.name());
    String ref = ref(linkId);
    List<String> to = switch (route) {
      case NEW_PERSON, GUARDIAN -> List.of(ownPhone);
      case HOLDER -> known.get().phone() != null ? List.of(known.get().phone()) : holderPhones;
      case NONE -> List.of();
    };
    String text = route == LinkRoute.HOLDER
        ? "Epiloop: the account " + Masks.phone(ownPhone) + " asks to add " + who + " and see their results (ref " + ref
            + "). Only if you agree, give them this code: " + code + ". Valid for 10 minutes."
        : "Epiloop: code " + code + " adds " + who + " to your account (ref " + ref + "). Valid for 10 minutes. Never share it.";
    messages.afterCommit(to, text);
    return new Requested(linkId, expiresAt);
  }

  /** A confirmed link: the person now on the account, and what the account sees of them. */
  record Confirmed(Persons.PersonView person, Relation relation, LinkRoute confirmedBy, Instant resultsFrom) {}

  private record Link(UUID id, UUID personId, LinkRoute route, Relation relation, Persons.Document doc, String districtCode,
      byte[] codeHash, Instant expiresAt, int attempts, String status, Instant requestedAt) {}

  /**
   * Confirms a link with the code sent for it. A wrong, used or expired code, or the sixth try,
   * is 422 {@code INVALID_CODE} (a wrong try is counted even though the request fails); a link of
   * another account is 404 {@code LINK_NOT_FOUND}; a link overtaken by a change on record (the
   * person got a holder meanwhile) is 409 {@code LINK_CHANGED} and must be asked for again.
   */
  @Transactional(noRollbackFor = ApiException.class)
  Confirmed confirm(Actor resident, UUID linkId, String code) {
    UUID account = accountOf(resident);
    limits.acquire(CONFIRMATIONS_PER_ACCOUNT, account.toString(), RATE_LIMITED, "Too many codes tried from this account; try again later");
    Link link = jdbc.sql("""
            select id, person_id, route, relation, id_type, id_enc, name_enc, district_code, code_hash, expires_at, attempts, status,
              requested_at
            from person_links where id = ? and account_id = ? for update""")
        .params(linkId, account)
        .query((rs, i) -> new Link(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), LinkRoute.valueOf(rs.getString(3)),
            Relation.valueOf(rs.getString(4)), new Persons.Document(IdType.valueOf(rs.getString(5)), crypto.decrypt(rs.getBytes(6)),
                crypto.decrypt(rs.getBytes(7))), rs.getString(8), rs.getBytes(9), rs.getObject(10, OffsetDateTime.class).toInstant(),
            rs.getInt(11), rs.getString(12), rs.getObject(13, OffsetDateTime.class).toInstant()))
        .optional()
        .orElseThrow(() -> ApiException.notFound("LINK_NOT_FOUND", "No such link request on this account"));
    Instant now = clock.instant();
    if (!"PENDING".equals(link.status()) || !link.expiresAt().isAfter(now) || link.attempts() >= MAX_ATTEMPTS) {
      throw invalidCode();
    }
    String typed = code == null ? "" : code.strip();
    if (link.route() == LinkRoute.NONE || !MessageDigest.isEqual(link.codeHash(), codeHash(linkId, typed))) {
      jdbc.sql("update person_links set attempts = attempts + 1 where id = ?").param(linkId).update();
      throw invalidCode();
    }
    if (link.relation() == Relation.SELF && hasSelf(account)) {
      throw ApiException.conflict("SELF_ALREADY_ON_ACCOUNT", "Your own person is already on this account; add others as FAMILY");
    }
    String ownPhone = accounts.phone(account).orElseThrow();
    LinkRoute confirmedBy = link.route();
    UUID personId = link.personId();
    if (link.route() == LinkRoute.NEW_PERSON) {
      Optional<UUID> created = persons.registerNew(link.doc(), link.districtCode(),
          link.relation() == Relation.SELF ? ownPhone : null, resident.name());
      if (created.isPresent()) {
        personId = created.get();
      } else {
        // registered meanwhile (on site, or by another account): decided like a request made now
        confirmedBy = LinkRoute.GUARDIAN;
      }
    }
    if (confirmedBy == LinkRoute.GUARDIAN) {
      Persons.OnRecord on = persons.onRecord(persons.idHash(link.doc().type(), link.doc().number()), true).orElseThrow();
      boolean nameMatches = MessageDigest.isEqual(on.nameHash(), crypto.hash("name", link.doc().name()));
      List<UUID> others = persons.holdersOf(on.id()).stream().filter(h -> !h.equals(account)).toList();
      if (!nameMatches || on.phone() != null || !others.isEmpty()) {
        jdbc.sql("update person_links set attempts = ? where id = ?").params(MAX_ATTEMPTS, linkId).update();
        throw ApiException.conflict("LINK_CHANGED", "Something changed on record since you asked; add the person again");
      }
      personId = on.id();
    }
    List<UUID> formerHolders = persons.holdersOf(personId).stream().filter(h -> !h.equals(account)).toList();
    // a code from the person's or a holder's phone vouches for the whole history; the
    // requester's own phone only for what happens from the request on
    Instant resultsFrom = confirmedBy == LinkRoute.HOLDER ? null : link.requestedAt();
    int inserted = jdbc.sql("""
            insert into account_persons (account_id, person_id, added_at, relation, confirmed_by, results_from, link_id)
            values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")
        .params(account, personId, utc(now), link.relation().name(), confirmedBy.name(), resultsFrom == null ? null : utc(resultsFrom),
            linkId)
        .update();
    if (inserted == 0 && !persons.holdersOf(personId).contains(account)) {
      throw ApiException.conflict("SELF_ALREADY_ON_ACCOUNT", "Your own person is already on this account; add others as FAMILY");
    }
    if (link.relation() == Relation.SELF && confirmedBy == LinkRoute.HOLDER) {
      // the holder agreed that this account is the person themself
      persons.setPhoneIfNone(personId, ownPhone);
    }
    jdbc.sql("update person_links set status = 'CONFIRMED', confirmed_at = ?, person_id = ? where id = ?")
        .params(utc(now), personId, linkId).update();
    audit.record(resident, "PERSON_LINKED", "person", personId.toString(),
        confirmedBy + " link " + linkId + " to account " + account + ", " + link.relation()
            + (resultsFrom == null ? "" : ", samplings from " + resultsFrom));

    Persons.PersonView view = persons.view(personId).orElseThrow();
    // whoever spoke for the person hears of every link made to them
    List<String> tell = new ArrayList<>(accounts.phones(formerHolders).values());
    persons.onRecord(persons.idHash(link.doc().type(), link.doc().number()), false).map(Persons.OnRecord::phone)
        .filter(p -> !p.equals(ownPhone)).ifPresent(tell::add);
    messages.afterCommit(tell.stream().distinct().filter(p -> !p.equals(ownPhone)).toList(),
        "Epiloop: " + view.nameMasked() + " was added to the account " + Masks.phone(ownPhone) + " (ref " + ref(linkId)
            + "). If you did not agree to this, call 12320.");
    return new Confirmed(view, link.relation(), confirmedBy, resultsFrom);
  }

  /** A link request waiting for its code, as the requester typed it (masked). */
  record Pending(UUID linkId, String nameMasked, String idMasked, Relation relation, Instant expiresAt) {}

  /** The account's link requests whose codes are still valid, newest first. */
  @Transactional(readOnly = true)
  List<Pending> pending(Actor resident) {
    UUID account = accountOf(resident);
    return jdbc.sql("""
            select id, name_enc, id_enc, relation, expires_at from person_links
            where account_id = ? and status = 'PENDING' and expires_at > ? and attempts < ? order by requested_at desc limit 20""")
        .params(account, utc(clock.instant()), MAX_ATTEMPTS)
        .query((rs, i) -> new Pending(rs.getObject(1, UUID.class), Masks.name(crypto.decrypt(rs.getBytes(2))),
            Masks.idNumber(crypto.decrypt(rs.getBytes(3))), Relation.valueOf(rs.getString(4)),
            rs.getObject(5, OffsetDateTime.class).toInstant()))
        .list();
  }

  /** Unconfirmed requests hold a typed document and name: gone a day after their code expired. */
  @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
  void purge() {
    jdbc.sql("delete from person_links where status = 'PENDING' and expires_at < ?")
        .param(utc(clock.instant().minus(Duration.ofDays(1)))).update();
  }

  private boolean hasSelf(UUID account) {
    return jdbc.sql("select exists (select 1 from account_persons where account_id = ? and relation = 'SELF')").param(account)
        .query(Boolean.class).single();
  }

  private static UUID accountOf(Actor resident) {
    if (resident.role() != Role.RESIDENT || resident.accountId() == null) {
      throw ApiException.outOfScope("Only a resident account holds persons");
    }
    return resident.accountId();
  }

  private byte[] codeHash(UUID linkId, String code) {
    return crypto.hash("link-code", linkId + ":" + code);
  }

  /** A short reference in the texts, so that a person with several requests can tell them apart. */
  static String ref(UUID linkId) {
    return linkId.toString().substring(0, 6).toUpperCase();
  }

  private static ApiException invalidCode() {
    return ApiException.unprocessable("INVALID_CODE", "code", "The code is wrong, used or expired; add the person again for a new one");
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
