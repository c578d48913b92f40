package org.epiloop.supplies;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Static shells: the officials' supplies page ({@code /js/supplies.js}: stock, request queue,
 * dispatch, forecast) and a site's phone-size supplies page ({@code /js/site-supplies.js}: ask,
 * receive, the site's stock).
 */
@Controller
@EnableConfigurationProperties(SuppliesProperties.class)
class SuppliesPages {

  @GetMapping("/supplies")
  String supplies() {
    return "supplies";
  }

  @GetMapping("/station/supplies")
  String siteSupplies() {
    return "site-supplies";
  }
}
