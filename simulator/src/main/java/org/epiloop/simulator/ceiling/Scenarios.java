package org.epiloop.simulator.ceiling;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.epiloop.simulator.data.ChineseNames;
import org.epiloop.simulator.data.IdNumberGenerator;
import org.epiloop.simulator.lab.Fixture;

/** The workers of each scenario of the {@code ceiling} command: what they send and what a success is. */
final class Scenarios {

  private Scenarios() {}

  /** GET a resource again and again; a success is {@code expected}. */
  static LoadDriver.Step get(URI uri, String token, int expected) {
    return new LoadDriver.Step() {
      @Override
      public LoadDriver.Call next() {
        HttpGet get = new HttpGet(uri);
        get.setHeader("Accept", "application/json, */*");
        if (token != null) {
          get.setHeader("Authorization", "Bearer " + token);
        }
        return new LoadDriver.Call(get, true);
      }

      @Override
      public boolean answered(LoadDriver.Call call, int status, byte[] body) {
        return status == expected;
      }
    };
  }

  static HttpPost post(URI uri, String token, String json) {
    HttpPost post = new HttpPost(uri);
    post.setHeader("Accept", "application/json");
    post.setHeader("Authorization", "Bearer " + token);
    post.setEntity(new ByteArrayEntity(json.getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON));
    return post;
  }

  static boolean contains(byte[] body, String text) {
    return new String(body, StandardCharsets.UTF_8).contains(text);
  }

  /**
   * A collector's terminal: opens a tube of {@code capacity}, binds that many new persons by ID card
   * (each with a fresh Idempotency-Key), opens the next. Only bindings count; a success is 201.
   */
  static LoadDriver.Step bindings(URI base, Fixture.Collector collector, String tubePrefix, AtomicLong tubeCounter, int capacity,
      IdNumberGenerator ids, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return new LoadDriver.Step() {
      String tube;
      int bound = -1; // -1: no tube open

      @Override
      public LoadDriver.Call next() {
        if (bound < 0) {
          tube = tubePrefix + Long.toString(tubeCounter.incrementAndGet(), 36);
          return new LoadDriver.Call(post(base.resolve("/api/v1/tubes"), collector.token(),
              "{\"tubeCode\":\"" + tube + "\",\"capacity\":" + capacity + "}"), false);
        }
        HttpPost bind = post(base.resolve("/api/v1/tubes/" + tube + "/bindings"), collector.token(),
            "{\"idType\":\"CN_ID\",\"idNumber\":\"" + ids.next() + "\",\"name\":\"" + ChineseNames.next(random) + "\"}");
        bind.setHeader("Idempotency-Key", Fixture.fastUuid().toString());
        return new LoadDriver.Call(bind, true);
      }

      @Override
      public boolean answered(LoadDriver.Call call, int status, byte[] body) {
        if (!call.counted()) {
          bound = status == 201 ? 0 : -1;
          return status == 201;
        }
        if (status != 201) {
          bound = -1; // start afresh with a new tube
          return false;
        }
        bound++;
        boolean sealed = contains(body, "SEALED");
        if (bound >= capacity) {
          bound = -1;
          return sealed;
        }
        return !sealed;
      }
    };
  }

  /**
   * A lab bench: takes the next delivered box from the shared queue, opens its receipt, scans each of
   * its tubes (these count; a success is 200 RECEIVED), closes it. Null when the queue is empty.
   */
  static LoadDriver.Step receipts(URI base, String lab, String techToken, Queue<Fixture.Box> boxes) {
    String receipts = "/api/v1/labs/" + lab + "/receipts";
    return new LoadDriver.Step() {
      Fixture.Box box;
      int next = -1; // -1: box not opened; size: all scanned, close it

      @Override
      public LoadDriver.Call next() {
        if (box == null) {
          box = boxes.poll();
          next = -1;
          if (box == null) {
            return null;
          }
        }
        if (next < 0) {
          return new LoadDriver.Call(post(base.resolve(receipts), techToken, "{\"boxCode\":\"" + box.boxCode() + "\"}"), false);
        }
        if (next >= box.tubes().size()) {
          return new LoadDriver.Call(post(base.resolve(receipts + "/" + box.boxCode() + "/close"), techToken, "{}"), false);
        }
        return new LoadDriver.Call(post(base.resolve(receipts + "/" + box.boxCode() + "/tubes"), techToken,
            "{\"tubeCode\":\"" + box.tubes().get(next) + "\"}"), true);
      }

      @Override
      public boolean answered(LoadDriver.Call call, int status, byte[] body) {
        if (!call.counted()) {
          if (next < 0) {
            if (status == 200) {
              next = 0;
            } else {
              box = null; // cannot open it: leave it
            }
          } else {
            box = null; // closed (or not: the next box either way)
          }
          return status == 200;
        }
        boolean ok = status == 200 && contains(body, "RECEIVED");
        next++; // a failed scan is not repeated: the window counts it as an error and moves on
        return ok;
      }
    };
  }

  /** Checkpoint verification of one health-code token, again and again; a success is 200 with valid:true. */
  static LoadDriver.Step verifications(URI base, String staffToken, AtomicReference<String> codeToken) {
    URI uri = base.resolve("/api/v1/health-codes/verification");
    return new LoadDriver.Step() {
      @Override
      public LoadDriver.Call next() {
        return new LoadDriver.Call(post(uri, staffToken, "{\"token\":\"" + codeToken.get() + "\"}"), true);
      }

      @Override
      public boolean answered(LoadDriver.Call call, int status, byte[] body) {
        return status == 200 && contains(body, "\"valid\":true");
      }
    };
  }

  static <T> T pick(List<T> list, int i) {
    return list.get(i % list.size());
  }
}
