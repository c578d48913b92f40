package org.epiloop.platform;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page's layout (templates/fragments.html) needs from the server: the city's time zone,
 * written into {@code <meta name="epiloop-zone">} so that common.js shows every time as the city
 * reads its clocks, whatever zone the phone or the browser that opens the page is set to.
 */
@ControllerAdvice(annotations = Controller.class)
class PageLayout {

  private final String zone;

  PageLayout(EpiloopProperties epiloop) {
    this.zone = epiloop.zone().getId();
  }

  @ModelAttribute("cityZone")
  String cityZone() {
    return zone;
  }
}
