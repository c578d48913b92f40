package org.epiloop.shared;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@link TextInput} at the edges that are not JSON: query parameters are checked by a filter
 * before anything reads them (before security, too), path variables by an interceptor once the
 * handler is known, so each refusal is a 400 naming the parameter. The filter also parses the
 * query string first, so that a malformed percent-escape ({@code ?%zz=1}) is a 400 here instead
 * of an exception wherever a parameter happens to be read. Headers need no check of their own:
 * Tomcat refuses control characters in them, and the security firewall refuses the rest when a
 * header is read (a 400 from {@code ProblemHandler} or the firewall's rejection handler).
 */
@Configuration(proxyBeanMethods = false)
class RequestInputGuard implements WebMvcConfigurer {

  /** After character encoding and observation, before Spring Security (-100). */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

  @Bean
  FilterRegistrationBean<QueryParameters> queryParameters(java.util.List<ErrorFormats> formats) {
    FilterRegistrationBean<QueryParameters> registration = new FilterRegistrationBean<>(new QueryParameters(formats));
    registration.setOrder(ORDER);
    return registration;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new PathVariables());
  }

  static final class QueryParameters extends OncePerRequestFilter {

    /** Paths that answer errors in another format (the FHIR endpoints: OperationOutcome). */
    private final java.util.List<ErrorFormats> formats;

    QueryParameters(java.util.List<ErrorFormats> formats) {
      this.formats = formats;
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code, String detail,
        String field) throws IOException {
      for (ErrorFormats f : formats) {
        if (f.handles(request)) {
          f.write(response, status, code, detail);
          return;
        }
      }
      Problems.write(response, status, code, detail, field);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      Map<String, String[]> parameters;
      try {
        parameters = request.getParameterMap();
      } catch (IllegalStateException e) {
        // Tomcat could not parse the query string (or a form or multipart body, which the API
        // does not take): a bad %-escape, invalid UTF-8, too many parameters
        refuse(request, response, HttpStatus.BAD_REQUEST, "MALFORMED_QUERY",
            "The query string is malformed (check its percent-escapes and UTF-8)", null);
        return;
      }
      String refused = refusedParameter(parameters);
      if (refused != null) {
        ApiException e = TextInput.refused(refused);
        refuse(request, response, e.status(), e.code(), e.getMessage(), e.field());
        return;
      }
      chain.doFilter(request, response);
    }

    private static String refusedParameter(Map<String, String[]> parameters) {
      for (Map.Entry<String, String[]> p : parameters.entrySet()) {
        if (!TextInput.isClean(p.getKey(), false)) {
          return p.getKey();
        }
        for (String value : p.getValue()) {
          if (!TextInput.isClean(value, false)) {
            return p.getKey();
          }
        }
      }
      return null;
    }
  }

  static final class PathVariables implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
      if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
        variables.forEach((name, value) -> TextInput.requireClean((String) name, (String) value, false));
      }
      return true;
    }
  }
}
