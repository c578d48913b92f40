package org.epiloop.bare;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot MVC application with nothing in it: {@code GET /ping} and the static file
 * {@code /css/epiloop.css} (a copy of Epiloop's). The simulator's {@code ceiling} command measures it
 * next to Epiloop with the same client, so Epiloop's figures become ratios to "a Spring endpoint
 * that does no work" on the same machine in the same minute.
 */
@SpringBootApplication
@RestController
public class BareApplication {

  @GetMapping("/ping")
  String ping() {
    return "pong";
  }

  public static void main(String[] args) {
    SpringApplication.run(BareApplication.class, args);
  }
}
