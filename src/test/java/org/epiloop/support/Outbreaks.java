package org.epiloop.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small outbreak set up through the API, for the tests of tracing: a venue, a resident
 * family whose members all check in there one after the other (the first is the one who will
 * be confirmed as a case, the others become close contacts).
 */
public final class Outbreaks {

  private Outbreaks() {}

  /**
   * @param caseIdNumber the document number of the person to confirm as a case
   * @param casePersonId their person id
   * @param contactIds the contacts' person ids, in check-in order
   * @param contactNames their names, in the same order
   * @param contactIdNumbers their document numbers, in the same order
   * @param phone the first family account's phone (its members' phone, masked on the tracing list)
   */
  public record Outbreak(String caseIdNumber, String casePersonId, List<String> contactIds, List<String> contactNames,
      List<String> contactIdNumbers, String venueName, String phone, Api family) {}

  /** Persons per family account: below the hourly limit on links an account may ask for, with room for more. */
  private static final int PER_FAMILY = 6;

  /**
   * A venue in the district and {@code contacts + 1} persons who check in there now, in families
   * of up to {@value #PER_FAMILY}; {@code family} is the last one, which has room for a person more.
   */
  public static Outbreak at(Api anonymous, Api admin, Api venueManager, String district, int contacts) {
    String venueName = "疫点餐厅 " + Long.toHexString(System.nanoTime()).substring(6);
    String venueToken = ok(venueManager.post("/api/v1/venues", Api.obj("name", venueName, "districtCode", district, "kind",
        "RESTAURANT", "latitude", 33.96, "longitude", 118.27)), 201).str("venueToken");
    String phone = Ids.phone();
    Api family = Residents.login(anonymous, admin, phone);
    int held = 1;
    String caseId = Ids.next();
    String casePerson = person(family, admin, caseId, "病例甲", district);
    ok(family.post("/api/v1/resident/persons/" + casePerson + "/check-ins", Map.of("venueToken", venueToken)), 200);
    List<String> ids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < contacts; i++) {
      String name = "密接" + (char) ('甲' + i) + "某";
      String number = Ids.next();
      if (held == PER_FAMILY) {
        // diners at a restaurant are several families; an account may also add only so many persons an hour
        family = Residents.login(anonymous, admin, Ids.phone());
        held = 0;
      }
      String id = person(family, admin, number, name, district);
      held++;
      numbers.add(number);
      ok(family.post("/api/v1/resident/persons/" + id + "/check-ins", Map.of("venueToken", venueToken)), 200);
      ids.add(id);
      names.add(name);
    }
    return new Outbreak(caseId, casePerson, ids, names, numbers, venueName, phone, family);
  }

  /** Registers a person on the family account (the link confirmed with the texted code); returns their person id. */
  public static String person(Api family, Api admin, String idNumber, String name, String district) {
    return Residents.addNewPerson(family, admin, idNumber, name, district);
  }

  private static Api.Res ok(Api.Res r, int expected) {
    return Flows.ok(r, expected);
  }
}
