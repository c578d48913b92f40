package org.epiloop.shared;

import com.google.zxing.oned.Code128Writer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Code 128 barcodes (the linear code of tube and box labels, which every keyboard-wedge
 * scanner reads) drawn from ZXing's encoding: a PNG for screens and an SVG that prints sharp at
 * any size. Both keep the ten-module quiet zone on each side that scanners need.
 */
public final class Barcodes {

  private static final int QUIET = 10;

  private Barcodes() {}

  /** The bars of the text: true for a dark module. */
  static boolean[] modules(String text) {
    try {
      return new Code128Writer().encode(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_CODE", "code", "Not printable as Code 128: " + e.getMessage());
    }
  }

  /** A PNG, {@code moduleWidth} pixels per module, {@code height} pixels high. */
  public static byte[] code128Png(String text, int moduleWidth, int height) {
    boolean[] bars = modules(text);
    int width = (bars.length + 2 * QUIET) * moduleWidth;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY);
    var g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    for (int i = 0; i < bars.length; i++) {
      if (bars[i]) {
        g.fillRect((QUIET + i) * moduleWidth, 0, moduleWidth, height);
      }
    }
    g.dispose();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "PNG", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot render barcode", e);
    }
  }

  /** An SVG in module units (one unit per module, 50 high), scaled by whoever shows it; runs of bars are one rectangle. */
  public static String code128Svg(String text) {
    boolean[] bars = modules(text);
    int width = bars.length + 2 * QUIET;
    StringBuilder sb = new StringBuilder()
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(" 50\" preserveAspectRatio=\"none\" shape-rendering=\"crispEdges\">")
        .append("<rect width=\"").append(width).append("\" height=\"50\" fill=\"#fff\"/>");
    for (int i = 0; i < bars.length; i++) {
      if (bars[i]) {
        int start = i;
        while (i + 1 < bars.length && bars[i + 1]) {
          i++;
        }
        sb.append("<rect x=\"").append(QUIET + start).append("\" width=\"").append(i - start + 1).append("\" height=\"50\"/>");
      }
    }
    return sb.append("</svg>").toString();
  }
}
