package org.epiloop.platform;

import io.swagger.v3.oas.annotations.Hidden;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.epiloop.shared.ProblemCode;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /js/messages.js}: the words of every error code ({@link ProblemCode}) for the pages, as
 * {@code window.EpiloopMessages = {CODE: [中文, English], …}}. A script rather than JSON so that a
 * page can load it like its other scripts (CSP script-src 'self'); common.js loads it by itself.
 * Made once from the enum, so the pages and the API document read the same table.
 */
@Hidden // a page asset, not part of the API
@RestController
class PageMessages {

  private final String script;

  PageMessages(JsonMapper json) {
    Map<String, List<String>> words = new LinkedHashMap<>();
    Arrays.stream(ProblemCode.values()).forEach(c -> words.put(c.name(), List.of(c.zh(), c.en())));
    this.script = "'use strict';\n// Generated from org.epiloop.shared.ProblemCode: the words of every error code, [中文, English].\n"
        + "window.EpiloopMessages = Object.freeze(" + json.writeValueAsString(words) + ");\n";
  }

  @GetMapping(value = "/js/messages.js", produces = "text/javascript;charset=UTF-8")
  ResponseEntity<String> messages() {
    return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofHours(1))).body(script);
  }
}
