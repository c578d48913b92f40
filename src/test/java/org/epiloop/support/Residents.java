package org.epiloop.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Logs a resident in through the real one-time-code flow, reading the code from the dev SMS outbox. */
public final class Residents {

  private static final Pattern CODE = Pattern.compile("(\\d{6})");

  private Residents() {}

  /** The latest code sent to the phone. */
  public static String lastCode(Api admin, String phone) {
    Api.Res box = admin.get("/api/v1/admin/sms-outbox?phone=" + phone);
    Matcher m = CODE.matcher(box.json().get(0).path("text").asString());
    if (!m.find()) {
      throw new AssertionError("no code in " + box);
    }
    return m.group(1);
  }

  /** A logged-in resident client for a new phone. */
  public static Api login(Api anonymous, Api admin, String phone) {
    Api.Res sent = anonymous.post("/api/v1/resident/otp", Api.obj("phone", phone));
    if (sent.status() != 202) {
      throw new AssertionError("otp: " + sent);
    }
    Api.Res session = anonymous.post("/api/v1/resident/session", Api.obj("phone", phone, "code", lastCode(admin, phone)));
    if (session.status() != 200) {
      throw new AssertionError("session: " + session);
    }
    return anonymous.as(session.str("accessToken"));
  }
}
