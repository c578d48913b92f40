package org.epiloop.certificates;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The public certificate check (P3): scan a certificate's QR code or paste its text; checked
 * online (the result now) and, without network, with the published key. A static shell over
 * {@code POST /api/v1/certificates/verify} and {@code GET /api/v1/certificates/keys}.
 */
@Controller
class VerifyPage {

  @GetMapping("/verify")
  String verify() {
    return "verify";
  }
}
