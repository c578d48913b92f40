package org.epiloop.shared;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.epiloop.platform.DatabaseAvailability;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Errors that never reach a controller are problem JSON too, without stack traces: an exception
 * that escapes a filter, what the servlet container forwards to {@code /error} (a filter's
 * {@code sendError}) and what Tomcat answers itself before any application code runs (an invalid
 * URI such as {@code /api/v1/a%00b}), which would otherwise be an HTML page.
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrors {

  /** Replaces Spring Boot's error controller, whose JSON is not a problem. */
  @Hidden
  @RestController
  static class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
      // asked for directly, not forwarded by the container: there is nothing here
      HttpStatus status = status(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
          ? code : HttpStatus.NOT_FOUND.value());
      if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable e && status.is5xxServerError()) {
        Failures.log(e);
      }
      write(response, status);
    }
  }

  /** First in the chain after character encoding and observation, so that it sees every filter. */
  @Bean
  FilterRegistrationBean<LastResort> lastResort(DatabaseAvailability database) {
    FilterRegistrationBean<LastResort> registration = new FilterRegistrationBean<>(new LastResort(database));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  /**
   * An exception that escapes the filters would reach Tomcat, which logs its whole stack trace
   * and forwards to {@code /error}: one bounded line and a problem instead.
   */
  static final class LastResort extends OncePerRequestFilter {

    private final DatabaseAvailability database;

    LastResort(DatabaseAvailability database) {
      this.database = database;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException {
      try {
        chain.doFilter(request, response);
      } catch (ServletException | RuntimeException e) {
        // a filter that reads the database (the bearer token's revocation check) meets an outage
        // like a controller does: 503 with Retry-After, so the terminal retries
        boolean outage = DatabaseAvailability.isOutage(e);
        if (outage) {
          database.connectionFailed();
        } else {
          Failures.log(e);
        }
        if (!response.isCommitted()) {
          response.reset();
          if (outage) {
            ApiException unavailable = ProblemHandler.DATABASE_UNAVAILABLE;
            response.setHeader("Retry-After", Long.toString(unavailable.retryAfter().toSeconds()));
            Problems.write(response, unavailable.status(), unavailable.code(), unavailable.getMessage());
          } else {
            write(response, HttpStatus.INTERNAL_SERVER_ERROR);
          }
        }
      }
    }
  }

  /**
   * Puts {@link ProblemReportValve} in place of the host's error report valve (Spring Boot adds
   * one to hide the server's details; it runs first, so this customizer runs last).
   */
  @Bean
  ProblemReportValveInstaller problemReportValve() {
    return new ProblemReportValveInstaller();
  }

  static class ProblemReportValveInstaller implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(context -> {
        Container host = context.getParent();
        for (Valve valve : host.getPipeline().getValves()) {
          if (valve instanceof ErrorReportValve) {
            host.getPipeline().removeValve(valve);
          }
        }
        host.getPipeline().addValve(new ProblemReportValve());
        if (host instanceof StandardHost standard) {
          standard.setErrorReportValveClass(ProblemReportValve.class.getName());
        }
      });
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }

  /** Tomcat's last word on an error nobody else answered: a problem instead of an HTML page. */
  static class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      if (response.getStatus() < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
        return;
      }
      AtomicBoolean ioAllowed = new AtomicBoolean(false);
      response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
      if (!ioAllowed.get()) {
        return;
      }
      HttpStatus status = status(response.getStatus());
      if (throwable != null && status.is5xxServerError()) {
        Failures.log(throwable);
      }
      try {
        write(response, status);
        response.finishResponse();
      } catch (IOException | IllegalStateException e) {
        // the client is gone; nothing to tell it
      }
    }
  }

  static HttpStatus status(int code) {
    HttpStatus status = HttpStatus.resolve(code);
    return status != null && status.isError() ? status : HttpStatus.INTERNAL_SERVER_ERROR;
  }

  static void write(HttpServletResponse response, HttpStatus status) throws IOException {
    boolean ours = status.is5xxServerError();
    Problems.write(response, status, ours ? "INTERNAL_ERROR" : status.name(),
        ours ? "Something went wrong on our side; it has been logged" : status.getReasonPhrase());
  }
}
