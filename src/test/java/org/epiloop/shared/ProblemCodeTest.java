package org.epiloop.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * {@link ProblemCode} is complete: every code the sources throw (as a literal passed to
 * {@code ApiException}, {@code Problems.of/write} or {@code RateLimits.acquire}, directly or
 * through a local {@code String} or constant) is listed, with the status it is thrown with; and
 * every listed code is still used somewhere.
 */
class ProblemCodeTest {

  private static final Path SOURCES = Path.of("src", "main", "java");
  private static final Pattern CALL = Pattern.compile(
      "(ApiException\\s*\\.\\s*(\\w+)|new\\s+ApiException|Problems\\s*\\.\\s*(?:of|write)|\\.acquire)\\s*\\(");
  private static final Pattern CODE = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)\"");
  private static final Pattern STATUS = Pattern.compile("HttpStatus\\.(\\w+)");
  private static final Map<String, HttpStatus> FACTORIES = Map.of("badRequest", HttpStatus.BAD_REQUEST,
      "unprocessable", HttpStatus.UNPROCESSABLE_CONTENT, "notFound", HttpStatus.NOT_FOUND, "conflict", HttpStatus.CONFLICT,
      "tooManyRequests", HttpStatus.TOO_MANY_REQUESTS);

  /** A code thrown somewhere: the code, the status when the call shows it, and where. */
  record Thrown(String code, HttpStatus status, String where) {}

  @Test
  void everyThrownCodeIsListedWithItsStatus() {
    Set<String> listed = Arrays.stream(ProblemCode.values()).map(Enum::name).collect(Collectors.toSet());
    var thrown = thrown();
    assertThat(thrown).as("the scan finds the codes (is the working directory the project?)").hasSizeGreaterThan(50);
    assertThat(thrown.stream().map(Thrown::code)).contains("FIELD_REQUIRED", "OUT_OF_SCOPE", "UNAUTHORIZED", "FORBIDDEN",
        "IDEMPOTENCY_KEY_REQUIRED", "INVALID_INSTRUMENT_FILE");

    Map<String, String> missing = new TreeMap<>();
    Map<String, String> wrongStatus = new TreeMap<>();
    for (Thrown t : thrown) {
      if (!listed.contains(t.code())) {
        missing.put(t.code(), t.where());
      } else if (t.status() != null && !ProblemCode.valueOf(t.code()).statuses().contains(t.status())) {
        wrongStatus.put(t.code(), t.status() + " in " + t.where());
      }
    }
    assertThat(missing).as("codes thrown but missing from ProblemCode (add them, with words for the pages)").isEmpty();
    assertThat(wrongStatus).as("codes thrown with a status ProblemCode does not list").isEmpty();
  }

  @Test
  void everyListedCodeIsStillUsedAndHasWords() throws IOException {
    String all;
    try (Stream<Path> files = javaFiles()) {
      all = files.filter(p -> !p.endsWith("ProblemCode.java")).map(ProblemCodeTest::read).collect(Collectors.joining("\n"));
    }
    Set<String> unused = new TreeSet<>();
    for (ProblemCode c : ProblemCode.values()) {
      if (!all.contains("\"" + c.name() + "\"")) {
        unused.add(c.name());
      }
      assertThat(c.zh()).as(c.name()).isNotBlank();
      assertThat(c.en()).as(c.name()).isNotBlank().matches(".*[.?]$");
      assertThat(c.statuses()).as(c.name()).isNotEmpty().allMatch(s -> s.isError());
    }
    assertThat(unused).as("codes listed in ProblemCode that no source throws any more").isEmpty();
  }

  private static Set<Thrown> thrown() {
    Set<Thrown> out = new java.util.HashSet<>();
    try (Stream<Path> files = javaFiles()) {
      files.filter(p -> !p.endsWith("ProblemCode.java")).forEach(p -> scan(p, read(p), out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static void scan(Path file, String source, Set<Thrown> out) {
    Matcher call = CALL.matcher(source);
    while (call.find()) {
      String args = arguments(source, call.end());
      String factory = call.group(2);
      Matcher s = STATUS.matcher(args);
      HttpStatus status = s.find() ? HttpStatus.valueOf(s.group(1))
          : call.group(1).startsWith(".acquire") ? HttpStatus.TOO_MANY_REQUESTS : factory == null ? null : FACTORIES.get(factory);
      String where = file.getFileName() + ":" + (source.substring(0, call.start()).split("\n", -1).length);
      Matcher code = CODE.matcher(args);
      boolean any = false;
      while (code.find()) {
        out.add(new Thrown(code.group(1), status, where));
        any = true;
      }
      if (!any) {
        // the code in a variable or constant declared in the same file: String code = … ? "A" : "B";
        for (String name : identifiers(args)) {
          Matcher decl = Pattern.compile("\\bString\\s+" + name + "\\s*=\\s*([^;]*);").matcher(source);
          while (decl.find()) {
            Matcher c = CODE.matcher(decl.group(1));
            while (c.find()) {
              out.add(new Thrown(c.group(1), status, where));
            }
          }
        }
      }
    }
  }

  /** The text between the parenthesis at {@code from} and its match, strings skipped. */
  private static String arguments(String s, int from) {
    int depth = 1;
    boolean inString = false;
    int i = from;
    for (; i < s.length() && depth > 0; i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
    }
    return s.substring(from, Math.max(from, i - 1));
  }

  private static Set<String> identifiers(String args) {
    Set<String> names = new TreeSet<>();
    for (String a : args.split(",")) {
      String t = a.strip();
      if (t.matches("[A-Za-z_]\\w*") && !t.equals("null")) {
        names.add(t);
      }
    }
    return names;
  }

  private static Stream<Path> javaFiles() throws IOException {
    return Files.walk(SOURCES).filter(p -> p.toString().endsWith(".java"));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
