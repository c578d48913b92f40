package org.epiloop.shared;

import com.fasterxml.jackson.annotation.Nulls;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * JSON is read as written: a text field takes a JSON string and nothing else, a number field a
 * number of its kind, a boolean field a boolean. Loose coercion made a district named "true"
 * from {@code {"code": true}} and a tube "Infinity" from {@code 1e309}; a wrong type is now
 * 400 MALFORMED_REQUEST naming the field, and so is a null inside a list. Every string is checked by {@link TextInput} (no NUL
 * reaches PostgreSQL). One mapper does this for the whole application, so request bodies,
 * stored events and stored reasons follow the same rule.
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

  @Bean
  JsonMapperBuilderCustomizer strictJsonMapper() {
    return builder -> builder
        .addModule(new SimpleModule("epiloop-text").addDeserializer(String.class, new CheckedString(false)))
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        // a null inside a list ({"persons":[null]}) is refused where it is read, naming persons[0]
        .changeDefaultNullHandling(n -> n.withContentNulls(Nulls.FAIL))
        .withCoercionConfig(LogicalType.Integer, c -> refuse(c, CoercionInputShape.String, CoercionInputShape.EmptyString,
            CoercionInputShape.Float, CoercionInputShape.Boolean))
        .withCoercionConfig(LogicalType.Float, c -> refuse(c, CoercionInputShape.String, CoercionInputShape.EmptyString,
            CoercionInputShape.Boolean))
        .withCoercionConfig(LogicalType.Boolean, c -> refuse(c, CoercionInputShape.String, CoercionInputShape.EmptyString,
            CoercionInputShape.Integer, CoercionInputShape.Float));
  }

  private static void refuse(MutableCoercionConfig config, CoercionInputShape... shapes) {
    for (CoercionInputShape shape : shapes) {
      config.setCoercion(shape, CoercionAction.Fail);
    }
  }

  /** Reads a JSON string only, refusing control characters (line breaks only in {@link FreeText}). */
  static final class CheckedString extends StdScalarDeserializer<String> {

    private final boolean freeText;

    CheckedString(boolean freeText) {
      super(String.class);
      this.freeText = freeText;
    }

    @Override
    public ValueDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
      boolean free = property != null && property.getAnnotation(FreeText.class) != null;
      return free == freeText ? this : new CheckedString(free);
    }

    @Override
    public LogicalType logicalType() {
      return LogicalType.Textual;
    }

    @Override
    public boolean isCachable() {
      return true;
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
      if (!p.hasToken(JsonToken.VALUE_STRING)) {
        // numbers, booleans, objects and arrays are not text
        return (String) ctxt.handleUnexpectedToken(String.class, p);
      }
      String text = p.getString();
      if (!TextInput.isClean(text, freeText)) {
        throw new ForbiddenText(p);
      }
      return text;
    }
  }

  /** A string with a refused character; the message never quotes it. */
  static final class ForbiddenText extends MismatchedInputException {
    ForbiddenText(JsonParser p) {
      super(p, "Text contains a control character or invalid Unicode", String.class);
    }
  }
}
