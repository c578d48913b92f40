package org.epiloop.feverclinic;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Static shells: the hospital's phone-size reporting page ({@code /js/fever-clinic.js}) and the
 * officials' fever-clinic monitoring screen ({@code /js/fever-monitor.js}), and the designated
 * hospitals with their accounts, for officials and administrators ({@code /js/hospitals.js}).
 */
@Controller
class FeverClinicPages {

  @GetMapping("/fever-clinic")
  String report() {
    return "fever-clinic";
  }

  @GetMapping("/hospitals")
  String hospitals() {
    return "hospitals";
  }

  @GetMapping("/fever-monitor")
  String monitor() {
    return "fever-monitor";
  }
}
