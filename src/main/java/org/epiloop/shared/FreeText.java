package org.epiloop.shared;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JSON text field that people write sentences into (a reason, a note): tabs and line
 * breaks are allowed there. Every other text field is one line; control characters are refused
 * everywhere ({@link TextInput}). Put it on the record component; it must also be on records that
 * carry such text through JSON the application reads back (events, stored reasons).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT})
public @interface FreeText {}
