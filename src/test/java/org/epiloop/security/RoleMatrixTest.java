package org.epiloop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.epiloop.shared.Role;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;

/**
 * X1: every endpoint × every role (and no token). An allowed role gets
 * past authorisation (any answer but 401/403); a role that is not allowed gets 403, and a
 * request without a token gets 401 unless the endpoint is public.
 */
class RoleMatrixTest extends IntegrationTest {

  record Endpoint(String method, String path, Object body, Set<Role> allowed, boolean isPublic) {}

  @Test
  void everyEndpointDeclaresItsRoles() {
    Corner c = corner();
    Map<Role, Api> as = new LinkedHashMap<>();
    as.put(Role.ADMIN, admin());
    as.put(Role.OFFICIAL, staff("OFFICIAL", null, null));
    as.put(Role.COLLECTOR, c.collector());
    as.put(Role.COURIER, staff("COURIER", null, null));
    as.put(Role.LAB_TECH, staff("LAB_TECH", null, c.lab()));
    as.put(Role.LAB_REVIEWER, staff("LAB_REVIEWER", null, c.lab()));
    as.put(Role.VENUE_MANAGER, staff("VENUE_MANAGER", null, null));
    as.put(Role.LAB_DIRECTOR, staff("LAB_DIRECTOR", null, c.lab()));
    as.put(Role.PARTNER, staff("PARTNER", null, null));
    String grid = unique("G");
    ok(admin().post("/api/v1/grids", Api.obj("code", grid, "name", "网格 " + grid, "districtCode", c.district())), 201);
    as.put(Role.GRID_WORKER, gridWorker(grid));
    String hospital = unique("H");
    ok(admin().post("/api/v1/hospitals", Api.obj("code", hospital, "name", "定点医院 " + hospital, "districtCode", c.district())), 201);
    as.put(Role.HOSPITAL, hospitalStaff(hospital));
    Api resident = Residents.login(api(), admin(), Ids.phone());
    as.put(Role.RESIDENT, resident);
    String personId = Residents.addPerson(resident, admin(),
        Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "矩阵", "districtCode", c.district())).str("personId");
    String tube = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 20)), 201);

    Set<Role> all = EnumSet.allOf(Role.class);
    Set<Role> staffRoles = EnumSet.complementOf(EnumSet.of(Role.RESIDENT));
    // people at work: a partner is a system, it scans no codes at a door and reads no directory
    Set<Role> people = EnumSet.complementOf(EnumSet.of(Role.PARTNER));
    Set<Role> staffPeople = EnumSet.complementOf(EnumSet.of(Role.RESIDENT, Role.PARTNER));
    List<Endpoint> endpoints = List.of(
        new Endpoint("POST", "/api/v1/auth/token", Api.obj("username", "x-nobody"), all, true),
        new Endpoint("POST", "/api/v1/admin/users", Api.obj("username", "m"), EnumSet.of(Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/admin/users", null, EnumSet.of(Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/admin/users/x-nobody/disable", null, EnumSet.of(Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/admin/users/x-nobody/enable", null, EnumSet.of(Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/admin/users/x-nobody/password", Map.of(), EnumSet.of(Role.ADMIN), false),
        // an empty body: 400 for every staff role, nothing changes
        new Endpoint("POST", "/api/v1/auth/password", Map.of(), staffRoles, false),
        new Endpoint("POST", "/api/v1/districts", Api.obj("code", "!"), EnumSet.of(Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/sites", Api.obj("code", "!"), EnumSet.of(Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/labs", Api.obj("code", "!"), EnumSet.of(Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/districts", null, people, false),
        // the city map's district outlines: set and removed by ADMIN (an empty body, an unknown district), read by staff
        new Endpoint("PUT", "/api/v1/districts/" + c.district() + "/outline", Map.of(), EnumSet.of(Role.ADMIN), false),
        new Endpoint("DELETE", "/api/v1/districts/x-nowhere/outline", null, EnumSet.of(Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/districts/outlines", null, EnumSet.of(Role.ADMIN, Role.OFFICIAL, Role.COLLECTOR, Role.COURIER, Role.LAB_TECH, Role.LAB_REVIEWER), false),
        new Endpoint("GET", "/api/v1/sites", null, EnumSet.of(Role.ADMIN, Role.OFFICIAL, Role.COLLECTOR, Role.COURIER, Role.LAB_TECH, Role.LAB_REVIEWER), false),
        new Endpoint("GET", "/api/v1/labs", null, EnumSet.of(Role.ADMIN, Role.OFFICIAL, Role.COLLECTOR, Role.COURIER, Role.LAB_TECH, Role.LAB_REVIEWER), false),
        new Endpoint("GET", "/api/v1/sites/nearby?latitude=1&longitude=1", null, all, true),
        new Endpoint("GET", "/api/v1/admin/sms-outbox?phone=13900000000", null, EnumSet.of(Role.ADMIN), false),
        // public for the SMS provider, but signed (here: no provider configured, 404)
        new Endpoint("POST", "/api/v1/sms/receipts", Api.obj("messageId", "x"), all, true),
        new Endpoint("POST", "/api/v1/resident/otp", Api.obj("phone", "1"), all, true),
        new Endpoint("POST", "/api/v1/resident/session", Api.obj("phone", "1", "code", "1"), all, true),
        new Endpoint("POST", "/api/v1/resident/persons", Api.obj("idType", "X"), EnumSet.of(Role.RESIDENT), false),
        new Endpoint("GET", "/api/v1/resident/persons", null, EnumSet.of(Role.RESIDENT), false),
        new Endpoint("GET", "/api/v1/resident/persons/links", null, EnumSet.of(Role.RESIDENT), false),
        new Endpoint("POST", "/api/v1/resident/persons/links/00000000-0000-0000-0000-000000000000/confirmation", Api.obj("code", "1"),
            EnumSet.of(Role.RESIDENT), false),
        new Endpoint("GET", "/api/v1/resident/persons/" + personId + "/appointment", null, EnumSet.of(Role.RESIDENT), false),
        new Endpoint("GET", "/api/v1/resident/persons/" + personId + "/appointment.png", null, EnumSet.of(Role.RESIDENT), false),
        new Endpoint("POST", "/api/v1/tubes", Api.obj("tubeCode", "!"), EnumSet.of(Role.COLLECTOR), false),
        new Endpoint("GET", "/api/v1/tubes", null, EnumSet.of(Role.COLLECTOR), false),
        new Endpoint("GET", "/api/v1/tubes/" + tube, null, EnumSet.of(Role.COLLECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "X"), EnumSet.of(Role.COLLECTOR), false),
        new Endpoint("DELETE", "/api/v1/tubes/" + tube + "/bindings/00000000-0000-0000-0000-000000000000?reason=x", null, EnumSet.of(Role.COLLECTOR), false),
        new Endpoint("POST", "/api/v1/tubes/" + unique("T") + "/seal", Map.of(), EnumSet.of(Role.COLLECTOR), false),
        // transport
        new Endpoint("POST", "/api/v1/boxes", Api.obj("boxCode", "!"), EnumSet.of(Role.COLLECTOR), false),
        new Endpoint("POST", "/api/v1/boxes/" + unique("B") + "/tubes", Api.obj("tubeCode", "x"), EnumSet.of(Role.COLLECTOR), false),
        new Endpoint("POST", "/api/v1/boxes/" + unique("B") + "/seal", Map.of(), EnumSet.of(Role.COLLECTOR), false),
        new Endpoint("POST", "/api/v1/boxes/" + unique("B") + "/handover", Map.of(), EnumSet.of(Role.COURIER), false),
        new Endpoint("POST", "/api/v1/boxes/" + unique("B") + "/locations", Api.obj("latitude", 1.0, "longitude", 1.0), EnumSet.of(Role.COURIER), false),
        new Endpoint("POST", "/api/v1/boxes/" + unique("B") + "/arrival", Api.obj("labCode", c.lab()), EnumSet.of(Role.COURIER), false),
        new Endpoint("GET", "/api/v1/boxes/" + unique("B"), null,
            EnumSet.of(Role.COLLECTOR, Role.COURIER, Role.LAB_TECH, Role.LAB_REVIEWER, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/transport/overdue", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/boxes/" + unique("B") + "/label.png", null, EnumSet.of(Role.COLLECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/boxes/" + unique("B") + "/label.svg", null, EnumSet.of(Role.COLLECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/transport/pickups?siteCode=" + c.site(), null, EnumSet.of(Role.COURIER, Role.COLLECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/transport/deliveries", null, EnumSet.of(Role.COURIER), false),
        new Endpoint("GET", "/api/v1/custody?tubeCode=" + tube, null,
            EnumSet.of(Role.COLLECTOR, Role.COURIER, Role.LAB_TECH, Role.LAB_REVIEWER, Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        // lab
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/receipts", Api.obj("boxCode", unique("B")), EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER), false),
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/receipts/" + unique("B") + "/tubes", Api.obj("tubeCode", "x"), EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER), false),
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/receipts/" + unique("B") + "/tubes/x/rejection", Api.obj("reason", "x"), EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER), false),
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/receipts/" + unique("B") + "/close", Map.of(), EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/receipts/" + unique("B"), null, EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER), false),
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/runs", Api.obj("plateCode", "p"), EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/incoming", null, EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/receipts", null, EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/tubes", null, EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/runs", null, EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/runs/" + UUID.randomUUID() + "/results", Api.obj("wells", List.of()), EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER), false),
        new Endpoint("POST", "/api/v1/runs/" + UUID.randomUUID() + "/approval", Map.of(), EnumSet.of(Role.LAB_REVIEWER), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/released-results?tubeCode=" + tube, null, EnumSet.of(Role.LAB_REVIEWER), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/amendments", null, EnumSet.of(Role.LAB_REVIEWER), false),
        new Endpoint("POST", "/api/v1/amendments", Map.of(), EnumSet.of(Role.LAB_REVIEWER), false),
        new Endpoint("POST", "/api/v1/amendments/" + UUID.randomUUID() + "/approve", Map.of(), EnumSet.of(Role.LAB_REVIEWER), false),
        new Endpoint("POST", "/api/v1/amendments/" + UUID.randomUUID() + "/reject", Map.of(), EnumSet.of(Role.LAB_REVIEWER), false),
        new Endpoint("GET", "/api/v1/admin/province", null, EnumSet.of(Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/admin/province/deliveries?state=DEAD", null, EnumSet.of(Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/admin/province/deliveries/999999999/requeue", Map.of(), EnumSet.of(Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/runs/" + UUID.randomUUID(), null, EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.OFFICIAL, Role.ADMIN), false),
        // lab quality (issue 17 items 1–3): the director keeps lots and instruments, the bench reads them
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/qc/lots", Api.obj("material", "x"), EnumSet.of(Role.LAB_DIRECTOR), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/qc/lots", null, EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/qc/chart?lot=NONE&target=N", null,
            EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/qc/runs", null, EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/runs/" + UUID.randomUUID() + "/qc/corrective-action", Api.obj("action", "x"), EnumSet.of(Role.LAB_REVIEWER), false),
        new Endpoint("GET", "/api/v1/runs/" + UUID.randomUUID() + "/qc", null, EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/reagent-lots", Api.obj("item", "x"), EnumSet.of(Role.LAB_DIRECTOR), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/reagent-lots", null, EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/reagent-lots/NONE/movements", Api.obj("kind", "x"), EnumSet.of(Role.LAB_DIRECTOR), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/reagent-lots/NONE/movements", null,
            EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/instruments", Api.obj("code", "x"), EnumSet.of(Role.LAB_DIRECTOR), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/instruments", null, EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        // results and alerts
        new Endpoint("GET", "/api/v1/resident/persons/" + personId + "/results", null, EnumSet.of(Role.RESIDENT), false),
        new Endpoint("POST", "/api/v1/results/query", Api.obj("idType", "X"), all, true),
        new Endpoint("GET", "/api/v1/results/runs/" + UUID.randomUUID(), null, EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/recalls?siteCode=" + c.site(), null, EnumSet.of(Role.COLLECTOR, Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/recalls/board?siteCode=" + c.site(), null, EnumSet.of(Role.COLLECTOR, Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/persons/history", Api.obj("idType", "X"), EnumSet.of(Role.OFFICIAL), false),
        // command centre: officials only
        new Endpoint("GET", "/api/v1/dashboard/alerts", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/dashboard/summary", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/dashboard/districts", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/dashboard/labs", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/dashboard/labs/" + c.lab() + "/pending", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/dashboard/sites", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/dashboard/turnaround", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/dashboard/trend", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/dashboard/settings", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/dashboard/export/sites.csv", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/dashboard/export/labs.csv", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/results/lookup", Api.obj("persons", List.of()), EnumSet.of(Role.OFFICIAL), false),
        // health codes
        new Endpoint("GET", "/api/v1/resident/persons/" + personId + "/health-code", null, EnumSet.of(Role.RESIDENT), false),
        new Endpoint("GET", "/api/v1/resident/persons/" + personId + "/health-code.png", null, EnumSet.of(Role.RESIDENT), false),
        new Endpoint("POST", "/api/v1/health-codes/verification", Api.obj("token", "x"), staffPeople, false),
        new Endpoint("GET", "/api/v1/health-codes/keys", null, all, true),
        new Endpoint("POST", "/api/v1/health-codes/offline-scans", Map.of("scans", List.of()), staffPeople, false),
        new Endpoint("POST", "/api/v1/health-codes/overrides", Api.obj("color", "RED"), EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/health-codes/rules", null, EnumSet.of(Role.ADMIN, Role.OFFICIAL), false),
        new Endpoint("PUT", "/api/v1/health-codes/rules/nope", Api.obj("value", "1"), EnumSet.of(Role.ADMIN, Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/resident/persons/" + personId + "/check-ins", Api.obj("venueToken", "x"), EnumSet.of(Role.RESIDENT), false),
        // venues and cases
        new Endpoint("POST", "/api/v1/venues", Api.obj("name", ""), EnumSet.of(Role.VENUE_MANAGER, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/venues", null, EnumSet.of(Role.VENUE_MANAGER, Role.ADMIN, Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/venues/VNOPE0000", null, EnumSet.of(Role.VENUE_MANAGER, Role.ADMIN, Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/venues/VNOPE0000/qr.png", null, EnumSet.of(Role.VENUE_MANAGER, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/venues/VNOPE0000/check-ins/today", null, EnumSet.of(Role.VENUE_MANAGER, Role.ADMIN, Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/cases", Api.obj("idType", "X"), EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/cases/" + UUID.randomUUID(), null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/cases/" + UUID.randomUUID() + "/contacts", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/resident/persons/" + personId + "/exposures", null, EnumSet.of(Role.RESIDENT), false),
        // the officials' workbench
        new Endpoint("GET", "/api/v1/cases?limit=1", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/cases/" + UUID.randomUUID() + "/contacts.csv", null, EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/cases/" + UUID.randomUUID() + "/contacts/" + UUID.randomUUID() + "/reached", Map.of(),
            EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/officials/person-lookups", Api.obj("idType", "X"), EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/dashboard/alerts/999999999/acknowledgement", Api.obj("note", "x"), EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/dashboard/alerts/999999999/resolution", Api.obj("note", "x"), EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/dashboard/alerts/stream-tickets", Map.of(), EnumSet.of(Role.OFFICIAL), false),
        // risk areas, declarations, grid follow-up
        new Endpoint("POST", "/api/v1/grids", Api.obj("code", "!"), EnumSet.of(Role.ADMIN, Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/grids?districtCode=" + c.district(), null, all, false),
        new Endpoint("POST", "/api/v1/risk-areas", Api.obj("regionCode", "!"), EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/risk-areas/999999999/end", Map.of(), EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/risk-areas", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN, Role.GRID_WORKER, Role.RESIDENT), false),
        new Endpoint("GET", "/api/v1/risk-areas/level?regionCode=420106", null,
            EnumSet.of(Role.OFFICIAL, Role.ADMIN, Role.GRID_WORKER, Role.RESIDENT), false),
        new Endpoint("POST", "/api/v1/resident/persons/" + personId + "/declarations", Api.obj("gridCode", "nope"), EnumSet.of(Role.RESIDENT), false),
        new Endpoint("GET", "/api/v1/resident/persons/" + personId + "/declarations", null, EnumSet.of(Role.RESIDENT), false),
        new Endpoint("GET", "/api/v1/resident/persons/" + personId + "/observation", null, EnumSet.of(Role.RESIDENT), false),
        new Endpoint("POST", "/api/v1/resident/persons/" + personId + "/observation/diary", Api.obj("temperature", 36.5),
            EnumSet.of(Role.RESIDENT), false),
        new Endpoint("POST", "/api/v1/grid/uploads", Api.obj("idType", "X"), EnumSet.of(Role.GRID_WORKER), false),
        new Endpoint("GET", "/api/v1/grid/grids", null, EnumSet.of(Role.GRID_WORKER), false),
        new Endpoint("GET", "/api/v1/grid/tasks?gridCode=" + grid, null, EnumSet.of(Role.GRID_WORKER, Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/grid/tasks/" + UUID.randomUUID(), null, EnumSet.of(Role.GRID_WORKER, Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/grid/tasks/" + UUID.randomUUID() + "/follow-ups", Api.obj("method", "CALL"), EnumSet.of(Role.GRID_WORKER), false),
        new Endpoint("POST", "/api/v1/grid/tasks/" + UUID.randomUUID() + "/diary", Api.obj("temperature", 36.5), EnumSet.of(Role.GRID_WORKER), false),
        // fever clinics (issue 18 item 4): hospitals report, officials monitor
        new Endpoint("POST", "/api/v1/hospitals", Api.obj("code", "!"), EnumSet.of(Role.ADMIN, Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/hospitals", null, EnumSet.of(Role.ADMIN, Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/fever-clinic/visits", Api.obj("idType", "X"), EnumSet.of(Role.HOSPITAL), false),
        new Endpoint("GET", "/api/v1/fever-clinic/visits?hospitalCode=" + hospital, null, EnumSet.of(Role.HOSPITAL, Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/fever-clinic/visits/" + UUID.randomUUID() + "/test", Map.of(), EnumSet.of(Role.HOSPITAL), false),
        new Endpoint("GET", "/api/v1/fever-clinic/monitor", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN), false),
        // early warning and the heat layer (issue 18 item 7)
        new Endpoint("GET", "/api/v1/early-warnings", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/early-warnings/rules", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/dashboard/heat", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN), false),
        // early-warning thresholds, hospital designation and accounts, PPE use (ADR 0035): unknown names and codes, nothing changes
        new Endpoint("GET", "/api/v1/early-warnings/settings", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("PUT", "/api/v1/early-warnings/settings/no-such-setting", Map.of("value", "3"), EnumSet.of(Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("DELETE", "/api/v1/early-warnings/settings/no-such-setting", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/hospitals/x-nowhere/undesignation", Map.of(), EnumSet.of(Role.ADMIN, Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/hospitals/x-nowhere/designation", Map.of(), EnumSet.of(Role.ADMIN, Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/hospitals/x-nowhere/accounts", Map.of(), EnumSet.of(Role.ADMIN, Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/hospitals/x-nowhere/accounts", null, EnumSet.of(Role.ADMIN, Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/supplies/ppe-use", Api.obj("quantity", 0), EnumSet.of(Role.COLLECTOR), false),
        new Endpoint("GET", "/api/v1/supplies/ppe-use?siteCode=" + c.site(), null, EnumSet.of(Role.COLLECTOR, Role.OFFICIAL, Role.ADMIN), false),
        // environment monitoring, sample bank, bookings, turnaround (issue 17, L6–L9)
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/environment", null, EnumSet.of(Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/environment/rooms", Api.obj("code", "!"), EnumSet.of(Role.LAB_DIRECTOR, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/environment/devices", Api.obj("code", "!"), EnumSet.of(Role.LAB_DIRECTOR, Role.ADMIN), false),
        new Endpoint("PUT", "/api/v1/labs/" + c.lab() + "/environment/thresholds", Api.obj("roomCode", "nope"), EnumSet.of(Role.LAB_DIRECTOR, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/environment/gateways", Api.obj("name", ""), EnumSet.of(Role.LAB_DIRECTOR, Role.ADMIN), false),
        new Endpoint("DELETE", "/api/v1/labs/" + c.lab() + "/environment/gateways/" + UUID.randomUUID(), null, EnumSet.of(Role.LAB_DIRECTOR, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/environment/devices/NOPE/chart?measure=TEMPERATURE", null,
            EnumSet.of(Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        // sensor gateways: no token, a gateway key (none here: 400)
        new Endpoint("POST", "/api/v1/environment/readings", Map.of("readings", List.of()), all, true),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/bank", null,
            EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/bank/storage", Api.obj("tubeCode", "x"), EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.LAB_DIRECTOR), false),
        new Endpoint("POST", "/api/v1/labs/" + c.lab() + "/bank/disposals", Api.obj("tubeCodes", List.of()), EnumSet.of(Role.LAB_DIRECTOR), false),
        new Endpoint("POST", "/api/v1/bookings", Api.obj("labCode", c.lab()), EnumSet.of(Role.COLLECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/bookings", null,
            EnumSet.of(Role.LAB_TECH, Role.LAB_REVIEWER, Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/bookings/routing", null, EnumSet.of(Role.COURIER, Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/labs/" + c.lab() + "/performance", null, EnumSet.of(Role.LAB_DIRECTOR, Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/dashboard/lab-network", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN), false),
        // an endless event stream: only its status is read
        new Endpoint("STREAM", "/api/v1/dashboard/alerts/stream", null, EnumSet.of(Role.OFFICIAL), false),
        // certificates (ADR 0025): residents and officials download, anyone verifies
        new Endpoint("GET", "/api/v1/certificates/" + UUID.randomUUID(), null, EnumSet.of(Role.RESIDENT, Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/certificates/verify", Api.obj("token", "x"), all, true),
        new Endpoint("GET", "/api/v1/certificates/keys", null, all, true),
        // FHIR exchange: partners send, officials and partners read (refusals are OperationOutcomes)
        new Endpoint("POST", "/fhir/Bundle", Map.of(), EnumSet.of(Role.PARTNER), false),
        new Endpoint("GET", "/fhir/DiagnosticReport?patient.identifier=urn:epiloop:id:CN_ID%7C" + Ids.next(), null,
            EnumSet.of(Role.OFFICIAL, Role.PARTNER), false),
        new Endpoint("GET", "/fhir/DiagnosticReport/" + UUID.randomUUID(), null, EnumSet.of(Role.OFFICIAL, Role.PARTNER), false),
        // supplies (G1) and population flow (M5), issue 18 items 5 and 6
        new Endpoint("POST", "/api/v1/supplies/warehouses", Api.obj("code", "!"), EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/supplies/warehouses", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/supplies/stock/receipts", Api.obj("holderKind", "!"), EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("GET", "/api/v1/supplies/stock", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN, Role.COLLECTOR), false),
        new Endpoint("POST", "/api/v1/supplies/settlement", Map.of(), EnumSet.of(Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("POST", "/api/v1/supplies/requests", Api.obj("item", "!"), EnumSet.of(Role.COLLECTOR), false),
        new Endpoint("GET", "/api/v1/supplies/requests", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN, Role.COLLECTOR, Role.COURIER), false),
        new Endpoint("POST", "/api/v1/supplies/requests/" + UUID.randomUUID() + "/approval", Map.of(), EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/supplies/requests/" + UUID.randomUUID() + "/decline", Map.of(), EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/supplies/requests/" + UUID.randomUUID() + "/dispatch", Map.of(), EnumSet.of(Role.OFFICIAL), false),
        new Endpoint("POST", "/api/v1/supplies/requests/" + UUID.randomUUID() + "/pickup", Map.of(), EnumSet.of(Role.COURIER), false),
        new Endpoint("POST", "/api/v1/supplies/requests/" + UUID.randomUUID() + "/receipt", Map.of(), EnumSet.of(Role.COLLECTOR), false),
        new Endpoint("POST", "/api/v1/supplies/forecast", Map.of(), EnumSet.of(Role.OFFICIAL, Role.ADMIN), false),
        new Endpoint("GET", "/api/v1/population-flow", null, EnumSet.of(Role.OFFICIAL, Role.ADMIN), false));

    List<String> violations = new ArrayList<>();
    for (Endpoint e : endpoints) {
      Function<Api, Api.Res> call = a -> switch (e.method()) {
        case "GET" -> a.get(e.path());
        case "STREAM" -> a.open(e.path());
        case "DELETE" -> a.delete(e.path());
        case "PUT" -> a.put(e.path(), e.body());
        default -> a.scan(e.path(), e.body());
      };
      int anonymous = call.apply(api()).status();
      if (e.isPublic() ? (anonymous == 401 || anonymous == 403) : anonymous != 401) {
        violations.add(e.method() + " " + e.path() + " without token → " + anonymous);
      }
      for (var entry : as.entrySet()) {
        Api.Res r = call.apply(entry.getValue());
        boolean allowed = e.allowed().contains(entry.getKey());
        boolean passed = r.status() != 401 && r.status() != 403;
        // a refusal's code: problem JSON's, or for the FHIR endpoints the OperationOutcome's (read only when refused)
        java.util.function.Supplier<String> code = () -> e.path().startsWith("/fhir/") ? outcomeCode(r) : r.code();
        if (allowed != passed || (!allowed && !"FORBIDDEN".equals(code.get()) && !"OUT_OF_SCOPE".equals(code.get()))) {
          violations.add(e.method() + " " + e.path() + " as " + entry.getKey() + " → " + r.status() + " " + r.code());
        }
        if (r.status() >= 500) {
          violations.add(e.method() + " " + e.path() + " as " + entry.getKey() + " → server error " + r);
        }
      }
    }
    // logout revokes the token it is sent with: every role may, each with a token of its own
    assertThat(api().post("/api/v1/auth/logout", null).status()).isEqualTo(401);
    Map<Role, Api> fresh = new LinkedHashMap<>();
    fresh.put(Role.ADMIN, staff("ADMIN", null, null));
    fresh.put(Role.OFFICIAL, staff("OFFICIAL", null, null));
    fresh.put(Role.COLLECTOR, staff("COLLECTOR", c.site(), null));
    fresh.put(Role.COURIER, staff("COURIER", null, null));
    fresh.put(Role.LAB_TECH, staff("LAB_TECH", null, c.lab()));
    fresh.put(Role.LAB_REVIEWER, staff("LAB_REVIEWER", null, c.lab()));
    fresh.put(Role.VENUE_MANAGER, staff("VENUE_MANAGER", null, null));
    fresh.put(Role.LAB_DIRECTOR, staff("LAB_DIRECTOR", null, c.lab()));
    fresh.put(Role.PARTNER, staff("PARTNER", null, null));
    fresh.put(Role.GRID_WORKER, gridWorker(grid));
    fresh.put(Role.HOSPITAL, hospitalStaff(hospital));
    fresh.put(Role.RESIDENT, Residents.login(api(), admin(), Ids.phone()));
    assertThat(fresh.keySet()).isEqualTo(all);
    fresh.forEach((role, a) -> {
      int status = a.post("/api/v1/auth/logout", null).status();
      if (status != 204) {
        violations.add("POST /api/v1/auth/logout as " + role + " → " + status);
      }
    });
    // the matrix covers every operation the OpenAPI document lists, so a new endpoint cannot be left out
    var paths = api().get("/v3/api-docs").json().path("paths");
    for (var path : paths.properties()) {
      String pattern = path.getKey().replaceAll("\\{[^}]+}", "[^/?]+") + "(\\?.*)?";
      for (var operation : path.getValue().properties()) {
        String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
        boolean covered = "/api/v1/auth/logout".equals(path.getKey())
            || endpoints.stream().anyMatch(e -> (e.method().equals(method) || ("STREAM".equals(e.method()) && "GET".equals(method)))
                && e.path().matches(pattern));
        if (!covered && (path.getKey().startsWith("/api/") || path.getKey().startsWith("/fhir/"))) {
          violations.add(method + " " + path.getKey() + " is not in the role matrix");
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  /** A new grid worker of the grid, logged in. */
  private Api gridWorker(String grid) {
    String name = unique("grid-worker").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "GRID_WORKER", "gridCode", grid)), 201);
    return api().as(token(name, PASSWORD));
  }

  /** A new fever-clinic account of the hospital, logged in. */
  private Api hospitalStaff(String hospital) {
    String name = unique("hospital").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "HOSPITAL", "hospitalCode", hospital)), 201);
    return api().as(token(name, PASSWORD));
  }

  /** The Epiloop code of a FHIR endpoint's refusal: its OperationOutcome's first issue's detail code. */
  private static String outcomeCode(Api.Res r) {
    if (r.contentType() == null || !r.contentType().startsWith("application/fhir+json")) {
      return "not an OperationOutcome: " + r.contentType();
    }
    return r.json().path("issue").path(0).path("details").path("coding").path(0).path("code").asString();
  }
}
