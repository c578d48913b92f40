package org.epiloop.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.epiloop.shared.Actor;
import org.epiloop.shared.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a GET of a server-sent event stream ({@code …/stream}) that carries a {@code
 * ticket} query parameter ({@link StreamTickets}): the ticket's actor becomes the request's
 * principal, so the stream endpoint's role check applies as to a bearer token. A bad, used,
 * expired or foreign ticket is 401 {@code STREAM_TICKET_INVALID}. The context is kept in a request
 * attribute, where the stream's asynchronous dispatches find it again.
 */
class StreamTicketFilter extends OncePerRequestFilter {

  static final String PARAMETER = "ticket";

  private final StreamTickets tickets;
  private final SecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();

  StreamTicketFilter(StreamTickets tickets) {
    this.tickets = tickets;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"GET".equals(request.getMethod()) || !request.getRequestURI().endsWith("/stream")
        || request.getParameter(PARAMETER) == null;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<Actor> actor = tickets.redeem(request.getParameter(PARAMETER), request.getRequestURI());
    if (actor.isEmpty()) {
      Problems.write(response, HttpStatus.UNAUTHORIZED, "STREAM_TICKET_INVALID",
          "The stream ticket is unknown, used or expired; ask for a new one");
      return;
    }
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(new Tokens.ActorAuthentication(actor.get(), null));
    SecurityContextHolder.setContext(context);
    contexts.saveContext(context, request, response);
    chain.doFilter(request, response);
  }
}
