package org.epiloop.venue;

import java.util.Arrays;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The venue manager's page (V1): register venues, print a venue's QR poster, and see today's
 * check-ins with their colour mix. A static shell over the venue API; the kinds of venue come
 * from {@link VenueKind} so the form offers exactly what the API accepts.
 */
@Controller
class VenuesPage {

  @GetMapping("/venues")
  String venues(Model model) {
    model.addAttribute("kinds", Arrays.stream(VenueKind.values()).map(Enum::name).toList());
    return "venues";
  }
}
