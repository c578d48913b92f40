package org.epiloop.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The command-centre screen (指挥大屏): a static shell whose script ({@code /js/command.js})
 * logs an official in and polls the dashboard API, drawing the charts with ECharts served
 * from the jar (WebJars).
 */
@Controller
class CommandCentrePage {

  @GetMapping("/command")
  String command() {
    return "command";
  }
}
