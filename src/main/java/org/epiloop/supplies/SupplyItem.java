package org.epiloop.supplies;

/** What is stocked. Tubes are kinds of their own by capacity: a 20-in-1 tube is no use for a 1:1 sample. */
public enum SupplyItem {
  SWAB("采样拭子", "swab", "支"),
  TUBE_1("单管(1:1)", "tube 1:1", "支"),
  TUBE_5("5混1采样管", "tube 5-in-1", "支"),
  TUBE_10("10混1采样管", "tube 10-in-1", "支"),
  TUBE_20("20混1采样管", "tube 20-in-1", "支"),
  /** One set of protective equipment for one collector's shift (gown, mask, face shield, gloves). */
  PPE_SET("防护用品(套)", "PPE set", "套"),
  /** One PCR reaction of extraction and amplification reagent: one well of a plate, controls included. */
  PCR_REACTION("检测试剂(人份)", "PCR reaction", "人份");

  private final String zh;
  private final String en;
  private final String unit;

  SupplyItem(String zh, String en, String unit) {
    this.zh = zh;
    this.en = en;
    this.unit = unit;
  }

  public String zh() {
    return zh;
  }

  public String en() {
    return en;
  }

  public String unit() {
    return unit;
  }

  /** Protective equipment: what a site records as used at the end of a shift (the loop records no use of it by itself). */
  public boolean protective() {
    return this == PPE_SET;
  }

  /** The tube item of a capacity (1, 5, 10 or 20). */
  public static SupplyItem tube(int capacity) {
    return switch (capacity) {
      case 1 -> TUBE_1;
      case 5 -> TUBE_5;
      case 10 -> TUBE_10;
      case 20 -> TUBE_20;
      default -> throw new IllegalArgumentException("no tube of capacity " + capacity);
    };
  }

  /** The item named, or a 400 naming the field. */
  static SupplyItem parse(String field, String value) {
    String v = org.epiloop.shared.ApiException.required(field, value);
    for (SupplyItem i : values()) {
      if (i.name().equals(v)) {
        return i;
      }
    }
    throw org.epiloop.shared.ApiException.badRequest("VALIDATION_FAILED", field,
        field + " must be one of SWAB, TUBE_1, TUBE_5, TUBE_10, TUBE_20, PPE_SET, PCR_REACTION");
  }
}
