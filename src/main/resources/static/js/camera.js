/*
 * Optional camera scanning of QR codes, shared by the resident page (a venue's code) and the venue
 * gate (a resident's health code). It exists so that a phone without a wedge scanner can still
 * scan — using only the browser's own BarcodeDetector API: no library is fetched from anywhere.
 * Where the API or a camera is missing, available() is false and the pages keep their text field,
 * which is always the main way in. Plain ES2020, no inline script. Exposes window.EpiloopCamera.
 */
'use strict';

(() => {
  const SCAN_EVERY_MS = 200;

  function available() {
    return 'BarcodeDetector' in window && !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  /**
   * Shows the back camera in the <video> and calls onText(text) with the first QR code it sees,
   * then stops; onError(error) when there is no camera, no permission or no QR support.
   * Returns {stop} to end scanning early.
   */
  function scan(video, onText, onError) {
    let stopped = false;
    let stream = null;
    let timer = null;

    function stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (stream) for (const t of stream.getTracks()) t.stop();
      stream = null;
      video.srcObject = null;
      video.hidden = true;
    }

    (async () => {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (!formats.includes('qr_code')) throw new Error('QR codes are not supported here');
        const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped) { stop(); return; }
        video.srcObject = stream;
        video.hidden = false;
        await video.play();
        const tick = async () => {
          if (stopped) return;
          try {
            const found = await detector.detect(video);
            const text = found.length ? found[0].rawValue : '';
            if (text) { stop(); onText(text); return; }
          } catch (e) { /* a frame that could not be read: try the next one */ }
          timer = setTimeout(tick, SCAN_EVERY_MS);
        };
        tick();
      } catch (e) {
        stop();
        onError(e);
      }
    })();

    return { stop };
  }

  window.EpiloopCamera = Object.freeze({ available, scan });
})();
