package org.epiloop.alerts;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.epiloop.shared.DatabaseNotifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The command screens' live alert stream (server-sent events). Every copy of the application
 * LISTENs on the database channel that {@link Alerts} notifies when an alert is raised or moves;
 * PostgreSQL delivers a notification only after its transaction commits, and to every copy, so a
 * screen connected to any copy sees a CRITICAL_RESULT the moment it is stored, without polling the
 * table. The listening is {@link DatabaseNotifications}' (one connection per copy).
 *
 * <p>Events: {@code ready} once on connect, then {@code alert} with the alert as JSON; a comment
 * every {@link #HEARTBEAT} keeps proxies from closing an idle stream and finds dead screens.
 */
@Component
class LiveAlerts {

  private static final Logger log = LoggerFactory.getLogger(LiveAlerts.class);
  /** How long one stream stays open; the page opens a new one (with a new ticket) after it. */
  static final Duration STREAM_LIFETIME = Duration.ofMinutes(30);
  static final Duration HEARTBEAT = Duration.ofSeconds(20);

  private final DatabaseNotifications notifications;
  private final Alerts alerts;
  private final Set<SseEmitter> screens = new CopyOnWriteArraySet<>();

  LiveAlerts(DatabaseNotifications notifications, Alerts alerts) {
    this.notifications = notifications;
    this.alerts = alerts;
  }

  /** A new stream for one screen. */
  SseEmitter subscribe() {
    SseEmitter emitter = new SseEmitter(STREAM_LIFETIME.toMillis());
    screens.add(emitter);
    emitter.onCompletion(() -> screens.remove(emitter));
    emitter.onTimeout(() -> {
      screens.remove(emitter);
      emitter.complete();
    });
    emitter.onError(e -> screens.remove(emitter));
    send(emitter, SseEmitter.event().name("ready").data("{\"listening\":" + notifications.listening() + "}", MediaType.APPLICATION_JSON));
    return emitter;
  }

  /** How many screens are connected to this copy. */
  int screens() {
    return screens.size();
  }

  @Scheduled(fixedDelayString = "PT20S")
  void heartbeat() {
    screens.forEach(e -> send(e, SseEmitter.event().comment("♥")));
  }

  void broadcast(Alerts.Alert alert) {
    screens.forEach(e -> send(e, SseEmitter.event().name("alert").id(String.valueOf(alert.id())).data(alert, MediaType.APPLICATION_JSON)));
  }

  private void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
    try {
      emitter.send(event);
    } catch (IOException | IllegalStateException e) {
      // the screen went away (or its stream ended): forget it; the page reconnects on its own
      screens.remove(emitter);
      emitter.completeWithError(e);
    }
  }

  @PostConstruct
  void start() {
    notifications.listen(Alerts.CHANNEL, this::deliver);
  }

  /**
   * Ends the streams as soon as the application starts to close: an open stream is an active
   * request, which a graceful shutdown would otherwise wait for until its timeout. The screens
   * reconnect to another copy.
   */
  @EventListener(ContextClosedEvent.class)
  void closing() {
    screens.forEach(SseEmitter::complete);
    screens.clear();
  }

  @PreDestroy
  void stop() {
    screens.forEach(SseEmitter::complete);
  }

  private void deliver(String payload) {
    try {
      Optional<Alerts.Alert> alert = alerts.find(Long.parseLong(payload));
      alert.ifPresent(this::broadcast);
    } catch (NumberFormatException e) {
      log.warn("Ignored a malformed notification on {}", Alerts.CHANNEL);
    }
  }
}
