package org.epiloop.simulator.day;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One resident of the synthetic city and what happened to them today, as the simulator knows it.
 *
 * <p>A city of a million residents keeps a million of these, so the state is packed: the ID
 * number and the name as numbers (as text only if they do not fit), times as epoch nanoseconds,
 * the binding ids as two longs each (UUIDs) and the tubes in exact-size arrays.
 */
final class Person {

  private static final long NONE = Long.MIN_VALUE;
  private static final long[] NO_IDS = {};
  private static final Tube[] NO_TUBES = {};

  final int index;
  /** The 17 digits of an 18-character ID number × 11 + its check character (X = 10); -1 if {@link #otherId} holds it. */
  private final long packedId;
  /** Up to 3 characters of a name, 16 bits each, and its length in bits 48..49; -1 if {@link #otherName} holds it. */
  private final long packedName;
  /** The ID number or name as given when it could not be packed (a hand-made test person, say), else null. */
  private final String otherId;
  private final String otherName;
  final int site;
  final boolean infected;
  /** Sampled in a single tube in the first round (elderly, alone …). */
  final boolean single;

  /** Set when pre-registered on a resident account. */
  volatile Account account;
  volatile String personId;
  volatile String appointmentCode;

  /** Distinct bindings the server answered with 201 for this person (replays add nothing): UUIDs as msb, lsb pairs. */
  private long[] bindingUuids = NO_IDS;
  /** Binding ids that are not canonical UUIDs (none from the server), in order; null while none. */
  private List<String> otherBindings;
  /** The tubes the person was bound to, in order. */
  private Tube[] tubes = NO_TUBES;
  private volatile long firstSampledAt = NONE;
  private volatile long finalAt = NONE;
  /** The final status the simulator expects: NEGATIVE or POSITIVE (null until final). */
  volatile String finalStatus;
  /** A scan of this person failed for good: not counted as sampled. */
  volatile boolean failed;
  /** How many times this person was recalled (pool positive, tube missing or rejected). */
  volatile int recalls;
  /** Whether a resident check of the final result was done. */
  volatile boolean residentChecked;

  Person(int index, String idNumber, String name, int site, boolean infected, boolean single) {
    this.index = index;
    this.packedId = packId(idNumber);
    this.otherId = packedId < 0 ? idNumber : null;
    this.packedName = packName(name);
    this.otherName = packedName < 0 ? name : null;
    this.site = site;
    this.infected = infected;
    this.single = single;
  }

  String idNumber() {
    if (packedId < 0) {
      return otherId;
    }
    long check = packedId % 11;
    String digits = Long.toString(packedId / 11);
    StringBuilder b = new StringBuilder(18);
    for (int i = digits.length(); i < 17; i++) {
      b.append('0');
    }
    return b.append(digits).append(check == 10 ? 'X' : (char) ('0' + check)).toString();
  }

  String name() {
    if (packedName < 0) {
      return otherName;
    }
    int length = (int) (packedName >>> 48);
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = (char) (packedName >>> (16 * i));
    }
    return new String(c);
  }

  /** 17 digits and a check character 0-9 or X, as a number; -1 for anything else. */
  static long packId(String id) {
    if (id == null || id.length() != 18) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < 17; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    char last = id.charAt(17);
    if (last == 'X') {
      return v * 11 + 10;
    }
    return last >= '0' && last <= '9' ? v * 11 + (last - '0') : -1;
  }

  /** 0 to 3 characters as a number; -1 for null or a longer name. */
  static long packName(String name) {
    if (name == null || name.length() > 3) {
      return -1;
    }
    long v = (long) name.length() << 48;
    for (int i = 0; i < name.length(); i++) {
      v |= (long) name.charAt(i) << (16 * i);
    }
    return v;
  }

  /** Records a 201; true if it is a new binding, false for a replay of a known one. */
  synchronized boolean bound(String bindingId, Tube tube) {
    UUID uuid = canonicalUuid(bindingId);
    if (uuid != null) {
      for (int i = 0; i < bindingUuids.length; i += 2) {
        if (bindingUuids[i] == uuid.getMostSignificantBits() && bindingUuids[i + 1] == uuid.getLeastSignificantBits()) {
          return false;
        }
      }
      long[] ids = Arrays.copyOf(bindingUuids, bindingUuids.length + 2);
      ids[ids.length - 2] = uuid.getMostSignificantBits();
      ids[ids.length - 1] = uuid.getLeastSignificantBits();
      bindingUuids = ids;
    } else {
      if (otherBindings == null) {
        otherBindings = new ArrayList<>(1);
      }
      if (otherBindings.stream().anyMatch(b -> Objects.equals(b, bindingId))) {
        return false;
      }
      otherBindings.add(bindingId);
    }
    Tube[] t = Arrays.copyOf(tubes, tubes.length + 1);
    t[t.length - 1] = tube;
    tubes = t;
    if (firstSampledAt == NONE) {
      firstSampledAt = nanos(Instant.now());
    }
    return true;
  }

  /** The UUID whose text is exactly this (lower-case, canonical), else null: then the text itself is the id. */
  private static UUID canonicalUuid(String id) {
    if (id == null || id.length() != 36) {
      return null;
    }
    try {
      UUID u = UUID.fromString(id);
      return u.toString().equals(id) ? u : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  synchronized int bindings() {
    return bindingUuids.length / 2 + (otherBindings == null ? 0 : otherBindings.size());
  }

  synchronized Tube latestTube() {
    return tubes.length == 0 ? null : tubes[tubes.length - 1];
  }

  synchronized List<Tube> tubes() {
    return List.of(tubes);
  }

  boolean sampled() {
    return bindings() > 0;
  }

  /** When the person's first binding was answered; null before. */
  Instant firstSampledAt() {
    return instant(firstSampledAt);
  }

  /** When the result of the person's latest sampling was published final (NEGATIVE or POSITIVE); null before. */
  Instant finalAt() {
    return instant(finalAt);
  }

  void finalAt(Instant at) {
    finalAt = at == null ? NONE : nanos(at);
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private static Instant instant(long nanos) {
    return nanos == NONE ? null : Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
