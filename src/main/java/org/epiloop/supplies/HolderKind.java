package org.epiloop.supplies;

/** Who holds stock: a warehouse of the supplies module, a sampling site or a lab of the directory. */
public enum HolderKind {
  WAREHOUSE,
  SITE,
  LAB;

  static HolderKind parse(String field, String value) {
    String v = org.epiloop.shared.ApiException.required(field, value);
    for (HolderKind k : values()) {
      if (k.name().equals(v)) {
        return k;
      }
    }
    throw org.epiloop.shared.ApiException.badRequest("VALIDATION_FAILED", field, field + " must be WAREHOUSE, SITE or LAB");
  }
}
