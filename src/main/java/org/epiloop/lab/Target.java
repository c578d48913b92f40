package org.epiloop.lab;

import java.util.Locale;
import java.util.Optional;

/**
 * A PCR target read per well. The SARS-CoV-2 assays used in mass testing amplify two viral
 * genes (ORF1ab and N) and a human internal control; interpretation needs all three, so they
 * are named here once instead of as free text. Instrument exports spell them in many ways
 * ("ORF1a/b", "N gene", "RNase P"…), which {@link #parse(String)} maps onto these constants.
 */
enum Target {
  /** The ORF1ab gene of SARS-CoV-2. */
  ORF1AB("ORF1ab"),
  /** The nucleocapsid (N) gene of SARS-CoV-2. */
  N("N"),
  /** The internal control: a human gene (RNase P, β-actin) showing the sample was taken and extracted. */
  IC("IC");

  private final String label;

  Target(String label) {
    this.label = label;
  }

  /** The name used in the API and in messages: {@code ORF1ab}, {@code N}, {@code IC}. */
  String label() {
    return label;
  }

  /**
   * Recognises a target name as instruments and assay kits write it, ignoring case, spaces,
   * hyphens, slashes and a trailing "gene": {@code ORF1ab}, {@code ORF1a/b}, {@code ORF-1ab},
   * {@code ORF}; {@code N}, {@code N gene}; {@code IC}, {@code Internal Control}, {@code RP},
   * {@code RNase P}, {@code β-actin}, {@code beta-actin}. Anything else (for example the passive
   * reference dye {@code ROX}, or null) is empty, so callers can skip it.
   */
  static Optional<Target> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    StringBuilder key = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        key.append(c);
      }
    }
    String k = key.toString().toLowerCase(Locale.ROOT);
    if (k.length() > 4 && k.endsWith("gene")) {
      k = k.substring(0, k.length() - 4);
    }
    return Optional.ofNullable(switch (k) {
      case "orf1ab", "orf", "orf1" -> ORF1AB;
      case "n" -> N;
      case "ic", "internalcontrol", "rp", "rnasep", "βactin", "betaactin" -> IC;
      default -> null;
    });
  }
}
