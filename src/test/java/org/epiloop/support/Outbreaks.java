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
   * @param phone the family account's phone (the contacts' phone, masked on the tracing list)
   */
  public record Outbreak(String caseIdNumber, String casePersonId, List<String> contactIds, List<String> contactNames,
      List<String> contactIdNumbers, String venueName, String phone, Api family) {}

  /** A venue in the district and {@code contacts + 1} persons of one family who check in there now. */
  public static Outbreak at(Api anonymous, Api admin, Api venueManager, String district, int contacts) {
    String venueName = "疫点餐厅 " + Long.toHexString(System.nanoTime()).substring(6);
    String venueToken = ok(venueManager.post("/api/v1/venues", Api.obj("name", venueName, "districtCode", district, "kind",
        "RESTAURANT", "latitude", 33.96, "longitude", 118.27)), 201).str("venueToken");
    String phone = Ids.phone();
    Api family = Residents.login(anonymous, admin, phone);
    String caseId = Ids.next();
    String casePerson = person(family, caseId, "病例甲", district);
    ok(family.post("/api/v1/resident/persons/" + casePerson + "/check-ins", Map.of("venueToken", venueToken)), 200);
    List<String> ids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < contacts; i++) {
      String name = "密接" + (char) ('甲' + i) + "某";
      String number = Ids.next();
      String id = person(family, number, name, district);
      numbers.add(number);
      ok(family.post("/api/v1/resident/persons/" + id + "/check-ins", Map.of("venueToken", venueToken)), 200);
      ids.add(id);
      names.add(name);
    }
    return new Outbreak(caseId, casePerson, ids, names, numbers, venueName, phone, family);
  }

  /** Registers a person on the family account; returns their person id. */
  public static String person(Api family, String idNumber, String name, String district) {
    return ok(family.post("/api/v1/resident/persons", Api.obj("idType", "CN_ID", "idNumber", idNumber, "name", name,
        "districtCode", district)), 201).str("personId");
  }

  private static Api.Res ok(Api.Res r, int expected) {
    return Flows.ok(r, expected);
  }
}
