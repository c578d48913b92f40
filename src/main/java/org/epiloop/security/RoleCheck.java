package org.epiloop.security;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.method.MethodAuthorizationDeniedHandler;
import org.springframework.security.authorization.method.PreAuthorizeAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * {@code @PreAuthorize} without a SpEL evaluation per call: every endpoint's expression is one of
 * {@code hasRole('X')}, {@code hasAnyRole('X','Y',…)} or {@code !hasRole('X')}, which is read once
 * per method into the set of authorities it asks for; a call then only compares the caller's
 * authorities with that set. Any other expression (or an annotation this cannot find) goes to
 * Spring Security's own {@link PreAuthorizeAuthorizationManager} unchanged, and so does the
 * handling of a refusal (an {@code AuthorizationDeniedException}, 403). See docs/adr/0021.
 */
final class RoleCheck implements AuthorizationManager<MethodInvocation>, MethodAuthorizationDeniedHandler {

  private static final Pattern SIMPLE = Pattern.compile("\\s*(!?)\\s*(hasRole|hasAnyRole)\\s*\\(([^()]*)\\)\\s*");
  private static final Pattern ROLE = Pattern.compile("\\s*'([A-Z][A-Z_]*)'\\s*");

  /** The authorities one method's expression asks for; {@code negate}: any of them refuses. */
  record Roles(Set<String> authorities, boolean negate) {
    boolean allows(Authentication authentication) {
      boolean has = false;
      for (GrantedAuthority a : authentication.getAuthorities()) {
        if (authorities.contains(a.getAuthority())) {
          has = true;
          break;
        }
      }
      return has != negate;
    }
  }

  private static final Roles SPEL = new Roles(Set.of(), false);

  private final PreAuthorizeAuthorizationManager spel;
  private final Map<MethodClassKey, Roles> byMethod = new ConcurrentHashMap<>();

  RoleCheck(PreAuthorizeAuthorizationManager spel) {
    this.spel = spel;
  }

  @Override
  public AuthorizationResult authorize(Supplier<? extends Authentication> authentication, MethodInvocation invocation) {
    Object target = invocation.getThis();
    Class<?> targetClass = target == null ? invocation.getMethod().getDeclaringClass() : AopUtils.getTargetClass(target);
    Roles roles = byMethod.computeIfAbsent(new MethodClassKey(invocation.getMethod(), targetClass),
        k -> roles(invocation.getMethod(), targetClass));
    if (roles == SPEL) {
      return spel.authorize(authentication, invocation);
    }
    return new AuthorizationDecision(roles.allows(authentication.get()));
  }

  @Override
  public Object handleDeniedInvocation(MethodInvocation invocation, AuthorizationResult result) {
    return spel.handleDeniedInvocation(invocation, result);
  }

  /** The method's own annotation, else its class's (as Spring Security looks them up); SPEL when not a simple role check. */
  static Roles roles(Method method, Class<?> targetClass) {
    Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
    PreAuthorize a = AnnotatedElementUtils.findMergedAnnotation(specific, PreAuthorize.class);
    if (a == null) {
      a = AnnotatedElementUtils.findMergedAnnotation(targetClass, PreAuthorize.class);
    }
    return a == null ? SPEL : parse(a.value());
  }

  /** The roles of {@code hasRole('X')}, {@code hasAnyRole('X',…)} or {@code !hasRole('X')}; SPEL for anything else. */
  static Roles parse(String expression) {
    Matcher m = SIMPLE.matcher(expression);
    if (!m.matches()) {
      return SPEL;
    }
    String[] args = m.group(3).split(",", -1);
    if (m.group(2).equals("hasRole") && args.length != 1 || (!m.group(1).isEmpty() && args.length != 1)) {
      return SPEL;
    }
    Set<String> authorities = new java.util.HashSet<>();
    for (String arg : args) {
      Matcher r = ROLE.matcher(arg);
      if (!r.matches()) {
        return SPEL;
      }
      authorities.add("ROLE_" + r.group(1));
    }
    return new Roles(Set.copyOf(authorities), !m.group(1).isEmpty());
  }
}
