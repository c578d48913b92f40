package org.epiloop.earlywarning;

import io.swagger.v3.oas.annotations.Operation;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Early warnings and the heat layer, for officials and the command centre. */
@RestController
@PreAuthorize("hasAnyRole('OFFICIAL','ADMIN')")
class EarlyWarningController {

  private final EarlyWarnings warnings;
  private final WarningSettings settings;
  private final java.time.Clock clock;
  private final java.time.ZoneId zone;

  EarlyWarningController(EarlyWarnings warnings, WarningSettings settings, java.time.Clock clock,
      org.epiloop.platform.EpiloopProperties epiloop) {
    this.warnings = warnings;
    this.settings = settings;
    this.clock = clock;
    this.zone = epiloop.zone();
  }

  @Operation(summary = "Early warnings: open episodes, or (open=false) also those of the last days, with each rule's reason (OFFICIAL)")
  @GetMapping("/api/v1/early-warnings")
  List<EarlyWarnings.Warning> list(@RequestParam(required = false) String districtCode, @RequestParam(defaultValue = "true") boolean open,
      @RequestParam(defaultValue = "7") int days) {
    return warnings.list(districtCode, open, days);
  }

  @Operation(summary = "The early-warning rules in force, in order, with their thresholds (OFFICIAL)")
  @GetMapping("/api/v1/early-warnings/rules")
  List<EarlyWarnings.Rule> rules() {
    return warnings.describe();
  }

  @Operation(summary = "The early-warning thresholds: value in force, default, range, who changed it and when; and the recent changes (OFFICIAL)")
  @GetMapping("/api/v1/early-warnings/settings")
  WarningSettings.View settings() {
    return settings.view();
  }

  /** A new value for one threshold: a number, as text or as a JSON number (anything else is refused naming the setting). */
  record SettingChange(tools.jackson.databind.JsonNode value) {
    String text() {
      if (value == null || value.isNull() || value.isMissingNode()) {
        return null;
      }
      return value.isNumber() || value.isString() ? value.asString() : value.toString();
    }
  }

  @Operation(summary = "Change one early-warning threshold (OFFICIAL, ADMIN; 400 naming the setting; recorded old → new and audited)")
  @PutMapping("/api/v1/early-warnings/settings/{name}")
  WarningSettings.View change(@PathVariable String name, @RequestBody(required = false) SettingChange body) {
    return settings.change(Actor.current(), name, body == null ? null : body.text());
  }

  @Operation(summary = "Put one early-warning threshold back to its configured default (OFFICIAL, ADMIN; recorded and audited)")
  @DeleteMapping("/api/v1/early-warnings/settings/{name}")
  WarningSettings.View reset(@PathVariable String name) {
    return settings.reset(Actor.current(), name);
  }

  @Operation(summary = "Heat layer: positives, fever-clinic visits and declared fevers per day and district (or grid) (OFFICIAL)")
  @GetMapping("/api/v1/dashboard/heat")
  List<EarlyWarnings.HeatCell> heat(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "DISTRICT") String by) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
    LocalDate t = date("to", to, today);
    LocalDate f = date("from", from, t.minusDays(13));
    boolean grid = switch (by) {
      case "GRID" -> true;
      case "DISTRICT" -> false;
      default -> throw ApiException.badRequest("VALIDATION_FAILED", "by", "by is DISTRICT or GRID");
    };
    return warnings.heat(f, t, grid);
  }

  private static LocalDate date(String field, String value, LocalDate otherwise) {
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("INVALID_DATE", field, field + " must be a date (YYYY-MM-DD)");
    }
  }
}
