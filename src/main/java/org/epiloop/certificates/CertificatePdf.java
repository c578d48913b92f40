package org.epiloop.certificates;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.epiloop.shared.QrCodes;

/**
 * Renders a result certificate as a one-page A5 PDF with PDFBox. The text is set in Noto Sans SC
 * (SIL Open Font License 1.1; {@code fonts/NotoSansSC-Regular.ttf}, put into the classes by the
 * build from the npm package {@code @expo-google-fonts/noto-sans-sc}, ADR 0025; the licence in the
 * sources), embedded as a subset:
 * a certificate must print the same on any reader, which has no CJK font of its own, and the
 * subset keeps the file at tens of kilobytes instead of the font's ten megabytes.
 */
final class CertificatePdf {

  private CertificatePdf() {}

  /** What a certificate shows. */
  record Content(String name, String idMasked, Instant sampledAt, String site, String lab, String resultZh, String resultEn,
      Instant reportedAt, String resultId, Instant issuedAt, String token) {}

  private static final byte[] FONT = loadFont();
  private static final float MARGIN = 36;

  private static byte[] loadFont() {
    try (InputStream in = CertificatePdf.class.getResourceAsStream("/fonts/NotoSansSC-Regular.ttf")) {
      if (in == null) {
        throw new IllegalStateException("The bundled font fonts/NotoSansSC-Regular.ttf is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] render(Content c, ZoneId zone) {
    DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
    try (PDDocument doc = new PDDocument()) {
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setTitle("核酸检测结果证明 Test result certificate");
      info.setCreator("Epiloop");
      PDType0Font font = PDType0Font.load(doc, new ByteArrayInputStream(FONT), true);
      PDPage page = new PDPage(PDRectangle.A5);
      doc.addPage(page);
      float width = page.getMediaBox().getWidth();
      float top = page.getMediaBox().getHeight() - MARGIN;
      PDImageXObject qr = PDImageXObject.createFromByteArray(doc, QrCodes.png(c.token(), 600), "qr.png");
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        text(cs, font, 17, MARGIN, top - 8, "新冠病毒核酸检测结果证明");
        text(cs, font, 10, MARGIN, top - 26, "SARS-CoV-2 RNA test result certificate");
        cs.moveTo(MARGIN, top - 36);
        cs.lineTo(width - MARGIN, top - 36);
        cs.stroke();
        List<String[]> rows = List.of(
            new String[] {"姓名 Name", c.name()},
            new String[] {"证件号码 ID number", c.idMasked()},
            new String[] {"采样时间 Sampled", time.format(c.sampledAt())},
            new String[] {"采样点 Sampling site", c.site()},
            new String[] {"检测机构 Laboratory", c.lab()},
            new String[] {"检测结果 Result", c.resultZh() + " " + c.resultEn()},
            new String[] {"报告时间 Released", time.format(c.reportedAt())});
        float y = top - 60;
        for (String[] row : rows) {
          text(cs, font, 9, MARGIN, y, row[0]);
          text(cs, font, 12, MARGIN + 118, y, row[1]);
          y -= 22;
        }
        float size = 170;
        float qrY = y - size - 4;
        cs.drawImage(qr, (width - size) / 2, qrY, size, size);
        float note = qrY - 16;
        text(cs, font, 8, MARGIN, note, "扫描二维码或在 /verify 页面粘贴验证码即可核验；结果被更正或被新结果取代后显示“已撤销”。");
        text(cs, font, 8, MARGIN, note - 12, "Scan the QR code, or paste its text at /verify, to check this certificate; it reads REVOKED");
        text(cs, font, 8, MARGIN, note - 23, "once the result was corrected or superseded by a newer one.");
        text(cs, font, 7, MARGIN, MARGIN, "证明编号 Certificate of result " + c.resultId() + " · 出具时间 Issued " + time.format(c.issuedAt()));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot render a certificate", e);
    }
  }

  private static void text(PDPageContentStream cs, PDType0Font font, float size, float x, float y, String s) throws IOException {
    cs.beginText();
    cs.setFont(font, size);
    cs.newLineAtOffset(x, y);
    cs.showText(printable(font, s));
    cs.endText();
  }

  /**
   * The text with every character the font cannot draw replaced by "?": a rare character in a
   * name must not make the certificate fail (PDFBox refuses text it has no glyph for).
   */
  static String printable(PDType0Font font, String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      String ch = new String(Character.toChars(cp));
      try {
        font.encode(ch);
        out.append(ch);
      } catch (IOException | IllegalArgumentException e) {
        out.append('?');
      }
    });
    return out.toString();
  }
}
