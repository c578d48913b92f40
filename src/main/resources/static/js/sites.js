/*
 * The public nearest-site page (templates/sites.html). Plain ES2020 on top of common.js.
 *
 * The browser's location is asked for only when the person presses the button, and it is sent
 * only to this server's nearby search. How busy a site is comes from the people it sampled in
 * about the last hour, compared with the other sites listed (a quiet site is worth a longer walk).
 */
'use strict';

(() => {
  const E = window.Epiloop;
  const { $, el, enc, NetworkError } = E;

  const words = E.feedback({
    NO_LOCATION: ['无法获取位置', 'Your location is not available. Allow it, or enter coordinates below.'],
    INVALID_COORDINATES: ['坐标不正确', 'Latitude is -90 to 90, longitude -180 to 180.'],
    NO_SITES: ['附近没有采样点', 'No sampling site was found.'],
  });
  const api = E.client(() => null);

  function busyWords(n, max) {
    if (n === 0) return ['idle', '近一小时无人采样 Nobody sampled in the last hour'];
    if (n < max / 3) return ['quiet', '较空闲 Quiet'];
    if (n < (2 * max) / 3) return ['moderate', '一般 Moderate'];
    return ['busy', '繁忙 Busy'];
  }

  function distance(m) {
    return m < 1000 ? `${m} 米 m` : `${(m / 1000).toFixed(1)} 公里 km`;
  }

  async function search(latitude, longitude) {
    words.hide();
    let r;
    try {
      r = await api('GET', `/api/v1/sites/nearby?latitude=${enc(latitude)}&longitude=${enc(longitude)}&limit=10`);
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
      words.show('error', words.text('NETWORK'), { code: 'NETWORK' });
      return;
    }
    if (!r.ok) {
      words.problem(E.problem(r));
      return;
    }
    const list = $('site-list');
    list.textContent = '';
    if (r.data.length === 0) {
      $('found').hidden = true;
      words.show('info', words.text('NO_SITES'));
      return;
    }
    const max = Math.max(1, ...r.data.map((s) => s.sampledLastHour));
    for (const s of r.data) {
      const [level, busy] = busyWords(s.sampledLastHour, max);
      const li = el('li', 'site-item');
      li.dataset.code = s.code;
      li.dataset.busy = level;
      const head = el('div', 'result-head');
      head.append(el('strong', 'site-name', s.name), el('span', 'result-when', distance(s.distanceMeters)));
      const hours = el('p', 'small-print', '开放时间 Hours: ' + (s.openingHours || '未公布 not published'));
      const load = el('p', 'site-busy');
      const bar = el('span', 'busy-bar');
      const fill = el('span', 'busy-fill busy-' + level);
      fill.style.width = Math.round((100 * s.sampledLastHour) / max) + '%';
      bar.append(fill);
      load.append(bar, el('span', 'busy-words', `${busy} · 近一小时 last hour: ${s.sampledLastHour} 人`));
      li.append(head, hours, load);
      list.append(li);
    }
    $('found').hidden = false;
  }

  $('locate').addEventListener('click', () => {
    if (!navigator.geolocation) {
      words.show('warn', words.text('NO_LOCATION'));
      $('manual').open = true;
      return;
    }
    navigator.geolocation.getCurrentPosition((p) => search(p.coords.latitude, p.coords.longitude), () => {
      words.show('warn', words.text('NO_LOCATION'));
      $('manual').open = true;
    }, { timeout: 10000, maximumAge: 60000 });
  });

  $('coords-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    search($('lat').value.trim(), $('lon').value.trim());
  });
})();
