/*
 * Where a population flow comes from (issue 18 item 5): an origin is a region code (GB/T 2260,
 * six digits, or a street code of nine or twelve) without geometry of its own. The command
 * centre's map needs a point and a name for it, and a point good to a province or a large city
 * is enough: an origin outside the city is drawn as an arrow entering from the map's edge in
 * its direction, so only the bearing matters. The points are public facts — the approximate
 * longitude and latitude of each province's capital (省会) and of the largest cities — keyed by
 * the code's two-digit (province) and four-digit (city) prefixes; a county or street is placed
 * at its city when the city is listed, else at its province's capital. Exposes window.EpiloopRegions.
 */
'use strict';

(() => {
  /** Province-level divisions: code prefix → [name, lon, lat of the capital]. */
  const PROVINCES = {
    11: ['北京市', 116.41, 39.90], 12: ['天津市', 117.20, 39.08], 13: ['河北省', 114.51, 38.04], 14: ['山西省', 112.55, 37.87],
    15: ['内蒙古自治区', 111.75, 40.84], 21: ['辽宁省', 123.43, 41.80], 22: ['吉林省', 125.32, 43.82], 23: ['黑龙江省', 126.53, 45.80],
    31: ['上海市', 121.47, 31.23], 32: ['江苏省', 118.80, 32.06], 33: ['浙江省', 120.16, 30.27], 34: ['安徽省', 117.23, 31.82],
    35: ['福建省', 119.30, 26.08], 36: ['江西省', 115.86, 28.68], 37: ['山东省', 117.12, 36.65], 41: ['河南省', 113.63, 34.75],
    42: ['湖北省', 114.31, 30.59], 43: ['湖南省', 112.94, 28.23], 44: ['广东省', 113.26, 23.13], 45: ['广西壮族自治区', 108.37, 22.82],
    46: ['海南省', 110.20, 20.04], 50: ['重庆市', 106.55, 29.56], 51: ['四川省', 104.07, 30.57], 52: ['贵州省', 106.63, 26.65],
    53: ['云南省', 102.83, 24.88], 54: ['西藏自治区', 91.14, 29.65], 61: ['陕西省', 108.94, 34.34], 62: ['甘肃省', 103.83, 36.06],
    63: ['青海省', 101.78, 36.62], 64: ['宁夏回族自治区', 106.23, 38.49], 65: ['新疆维吾尔自治区', 87.62, 43.83],
    71: ['台湾省', 121.56, 25.04], 81: ['香港特别行政区', 114.17, 22.32], 82: ['澳门特别行政区', 113.54, 22.19],
  };

  /** Provincial capitals and other large cities: four-digit prefix → [name, lon, lat]. */
  const CITIES = {
    1301: ['石家庄市', 114.51, 38.04], 1302: ['唐山市', 118.18, 39.63], 1401: ['太原市', 112.55, 37.87], 1501: ['呼和浩特市', 111.75, 40.84],
    2101: ['沈阳市', 123.43, 41.80], 2102: ['大连市', 121.61, 38.91], 2201: ['长春市', 125.32, 43.82], 2301: ['哈尔滨市', 126.53, 45.80],
    3201: ['南京市', 118.80, 32.06], 3202: ['无锡市', 120.31, 31.49], 3203: ['徐州市', 117.28, 34.20], 3204: ['常州市', 119.97, 31.81],
    3205: ['苏州市', 120.58, 31.30], 3206: ['南通市', 120.89, 31.98], 3207: ['连云港市', 119.22, 34.60], 3208: ['淮安市', 119.01, 33.61],
    3209: ['盐城市', 120.16, 33.35], 3210: ['扬州市', 119.41, 32.39], 3211: ['镇江市', 119.43, 32.19], 3212: ['泰州市', 119.92, 32.46],
    3213: ['宿迁市', 118.28, 33.96], 3301: ['杭州市', 120.16, 30.27], 3302: ['宁波市', 121.55, 29.87], 3303: ['温州市', 120.70, 28.00],
    3401: ['合肥市', 117.23, 31.82], 3501: ['福州市', 119.30, 26.08], 3502: ['厦门市', 118.09, 24.48], 3601: ['南昌市', 115.86, 28.68],
    3701: ['济南市', 117.12, 36.65], 3702: ['青岛市', 120.38, 36.07], 3713: ['临沂市', 118.36, 35.10], 4101: ['郑州市', 113.63, 34.75],
    4201: ['武汉市', 114.31, 30.59], 4301: ['长沙市', 112.94, 28.23], 4401: ['广州市', 113.26, 23.13], 4403: ['深圳市', 114.06, 22.54],
    4501: ['南宁市', 108.37, 22.82], 4601: ['海口市', 110.20, 20.04], 5101: ['成都市', 104.07, 30.57], 5201: ['贵阳市', 106.63, 26.65],
    5301: ['昆明市', 102.83, 24.88], 5401: ['拉萨市', 91.14, 29.65], 6101: ['西安市', 108.94, 34.34], 6201: ['兰州市', 103.83, 36.06],
    6301: ['西宁市', 101.78, 36.62], 6401: ['银川市', 106.23, 38.49], 6501: ['乌鲁木齐市', 87.62, 43.83],
  };

  const CODE = /^[1-9]\d{5}(\d{3}(\d{3})?)?$/;

  /**
   * The place an origin code stands for: {code, name, lon, lat, level: 'province'|'city'|'county'},
   * or null when the code is no region code or its province is not one of China's.
   */
  function place(code) {
    const c = String(code || '');
    if (!CODE.test(c)) return null;
    const province = PROVINCES[c.slice(0, 2)];
    if (!province) return null;
    const city = CITIES[c.slice(0, 4)];
    const six = c.slice(0, 6);
    if (six.endsWith('0000')) return { code: c, name: province[0], lon: province[1], lat: province[2], level: 'province' };
    if (six.endsWith('00')) {
      return city ? { code: c, name: city[0], lon: city[1], lat: city[2], level: 'city' }
        : { code: c, name: province[0] + ' ' + c, lon: province[1], lat: province[2], level: 'city' };
    }
    // a county or a street: named by the city (or province) it lies in and its own code
    const around = city || province;
    return { code: c, name: around[0] + ' ' + c, lon: around[1], lat: around[2], level: 'county' };
  }

  window.EpiloopRegions = Object.freeze({ place });
})();
