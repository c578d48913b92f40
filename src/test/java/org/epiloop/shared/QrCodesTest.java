package org.epiloop.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Every QR Epiloop renders is found by ZXing's detector and reads back to the exact text. */
class QrCodesTest {

  private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /** Texts shaped like health-code tokens (three base64url parts, 380–440 characters). */
  private static List<String> tokenLikeTexts(int n) {
    Random random = new Random(1);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int length = 380 + random.nextInt(60);
      StringBuilder text = new StringBuilder();
      for (int k = 0; k < length; k++) {
        text.append(k == 100 || k == 300 ? '.' : BASE64URL.charAt(random.nextInt(64)));
      }
      texts.add(text.toString());
    }
    return texts;
  }

  @Test
  void everyRenderingIsDetectedAndReadBack() throws Exception {
    List<String> texts = tokenLikeTexts(150);
    int preferredMaskUnreadable = 0;
    for (String text : texts) {
      if (!QrCodes.readsBack(QrCodes.encode(text, 360, null), text)) {
        preferredMaskUnreadable++;
      }
      byte[] png = QrCodes.png(text, 360);
      var image = ImageIO.read(new ByteArrayInputStream(png));
      String read = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
          Map.of(DecodeHintType.TRY_HARDER, true)).getText();
      assertThat(read).isEqualTo(text);
      assertThat(image.getWidth()).isEqualTo(360);
    }
    assertThat(preferredMaskUnreadable).as("these texts include some that ZXing's preferred mask makes unreadable").isPositive();
  }
}
