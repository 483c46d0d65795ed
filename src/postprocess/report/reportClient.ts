/**
 * The report page's own script, as text inlined into report.html after Leaflet and uPlot. It
 * reads the data (collectReportData.ts) and the basemap from two JSON script tags and builds
 * the map, the filters, the plant table and a plant's charts. Plain ES2020 with no imports,
 * so the page needs no bundler and no network; `window.co2satReport` exposes the state for
 * tests (test/postprocess/report.test.ts drives the page through it and the DOM).
 */
export const REPORT_CLIENT_JS = String.raw`
(function () {
  'use strict';
  // Milliseconds since navigation start at the end of each setup step (bench/reportLoad.ts reads them).
  var phases = { start: performance.now() };
  var D = JSON.parse(document.getElementById('report-data').textContent);
  phases.parsed = performance.now();
  // The bulky parts come gzipped as base64 (a third of the bytes for the HTML parser),
  // inflated natively: the basemap while the map draws, each plant's overpasses (one line
  // per site) only when the plant is opened.
  function inflateJson(b64) {
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).json();
  }
  var seriesText = document.getElementById('report-series').textContent.trim().split('\n');
  D.series = new Array(D.sites.length);
  function loadSeries(i) {
    return D.series[i] ? Promise.resolve(D.series[i]) : inflateJson(seriesText[i]).then(function (s) { D.series[i] = s; return s; });
  }
  var FUEL_COLOURS = { lignite: '#8c510a', coal: '#3c3c3c', gas: '#2171b5', oil: '#cb181d' };
  var OTHER_COLOUR = '#7a7a7a';
  var UNKNOWN = '(unknown)';
  function colourOf(fuel) { return FUEL_COLOURS[fuel] || OTHER_COLOUR; }
  function fuelKey(s) { return s.fuel === null ? UNKNOWN : s.fuel; }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  // One formatter per digit count: toLocaleString with options builds a new one per call,
  // which costs seconds over a 2,000-row table.
  var FORMATS = [0, 1, 2, 3].map(function (d) { return new Intl.NumberFormat('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }); });
  function fmt(v, digits) { return v === null || v === undefined ? '–' : FORMATS[digits].format(v); }
  function day(iso) { return iso.slice(0, 10); }

  var nW = D.windows.length;
  var state = { w: Math.max(0, nW - 1), fuels: {}, country: '', sortKey: 'co2', sortDir: -1, selected: null, allRows: false };
  var fuelKeys = D.fuels.slice();
  if (D.sites.some(function (s) { return s.fuel === null; })) fuelKeys.push(UNKNOWN);
  fuelKeys.forEach(function (f) { state.fuels[f] = true; });

  // Marker area is proportional to CO2 (t/h), on one scale for every window so sizes compare.
  var co2Max = 0;
  D.agg.co2_t_per_h.forEach(function (row) { row.forEach(function (v) { if (v !== null && v > co2Max) co2Max = v; }); });
  var R_MAX = 22;
  function radiusOf(v) { return v === null || co2Max <= 0 ? 3 : Math.max(1.5, R_MAX * Math.sqrt(v / co2Max)); }

  // ---- map ----
  var map = L.map('map', { zoomSnap: 0.25, worldCopyJump: true, attributionControl: true });
  map.createPane('basemap').style.zIndex = 150;
  var baseRenderer = L.canvas({ pane: 'basemap', padding: 0.3 });
  var offline = L.layerGroup().addTo(map);
  var basemapReady = inflateJson(document.getElementById('report-basemap').textContent.trim()).then(function (base) {
    offline.addLayer(L.geoJSON(base.land, { pane: 'basemap', renderer: baseRenderer, interactive: false, style: { color: '#7d9bb0', weight: 0.8, fillColor: '#f3f0e7', fillOpacity: 1 } }));
    offline.addLayer(L.geoJSON(base.borders, { pane: 'basemap', renderer: baseRenderer, interactive: false, style: { color: '#a99f8e', weight: 0.7, dashArray: '4 3', fill: false } }));
    phases.basemap = performance.now();
  });
  map.attributionControl.addAttribution('Basemap: Natural Earth 1:50m (public domain)');
  if (D.tiles_url) {
    var online = L.tileLayer(D.tiles_url, { attribution: D.tiles_attribution || '', maxZoom: 19 });
    L.control.layers(null, { 'Natural Earth (offline)': offline, 'Online tiles': online }, { collapsed: false }).addTo(map);
  }
  L.control.scale({ imperial: false }).addTo(map);

  var markerLayer = L.layerGroup().addTo(map);
  // Bigger plants first so small ones stay clickable on top.
  var order = D.sites.map(function (_, i) { return i; }).sort(function (a, b) { return (D.sites[b].capacity_mw || 0) - (D.sites[a].capacity_mw || 0); });
  var markers = new Array(D.sites.length);
  order.forEach(function (i) {
    var s = D.sites[i];
    var m = L.circleMarker([s.lat, s.lon], { radius: 3, color: '#ffffff', weight: 1, fillColor: colourOf(s.fuel), fillOpacity: 0.8, className: 'site-marker' });
    m.bindTooltip(function () { return tooltipOf(i); }, { sticky: true });
    m.on('click', function () { select(i, false); });
    markers[i] = m;
  });
  if (D.sites.length > 0) {
    var bounds = L.latLngBounds(D.sites.map(function (s) { return [s.lat, s.lon]; }));
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) map.setView(bounds.getCenter(), 8);
    else map.fitBounds(bounds.pad(0.15));
  } else {
    map.setView([30, 0], 2);
  }

  function visible(i) {
    var s = D.sites[i];
    return state.fuels[fuelKey(s)] && (state.country === '' || s.country === state.country);
  }
  function tooltipOf(i) {
    var s = D.sites[i], w = state.w, a = D.agg;
    return '<b>' + esc(s.name || s.id) + '</b> (' + esc(s.fuel || 'unknown fuel') + ', ' + fmt(s.capacity_mw, 0) + ' MW)<br>' +
      'CO₂ ' + fmt(a.co2_t_per_h[w][i], 1) + ' t/h · generation ' + fmt(a.generation_mw[w][i], 0) + ' MW · P(on) ' + fmt(a.p_on[w][i], 2);
  }
  // Each marker's last radius and style, so a redraw touches only markers that change.
  var drawn = markers.map(function () { return { r: -1, style: '' }; });
  function styleMarker(i) {
    var m = markers[i], v = nW > 0 ? D.agg.co2_t_per_h[state.w][i] : null;
    var r = radiusOf(v);
    if (drawn[i].r !== r) { m.setRadius(r); drawn[i].r = r; }
    var key = (v === null ? 'n' : 'v') + (state.selected === i ? 's' : '');
    if (drawn[i].style !== key) {
      m.setStyle({ fillOpacity: v === null ? 0 : 0.8, color: v === null ? colourOf(D.sites[i].fuel) : (state.selected === i ? '#ffdd00' : '#ffffff'), weight: state.selected === i ? 3 : 1 });
      drawn[i].style = key;
    }
  }
  function drawMarkers() {
    markers.forEach(function (m, i) {
      styleMarker(i);
      var on = visible(i);
      if (on && !markerLayer.hasLayer(m)) {
        markerLayer.addLayer(m);
        m.getElement().setAttribute('data-site', D.sites[i].id);
      }
      if (!on && markerLayer.hasLayer(m)) markerLayer.removeLayer(m);
    });
  }

  // ---- legend ----
  var legend = L.control({ position: 'bottomright' });
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'legend');
    var html = '<div class="legend-title">CO₂ (t/h), disc area ∝ rate</div><svg width="160" height="' + (2 * R_MAX + 20) + '">';
    var steps = co2Max > 0 ? [co2Max, co2Max / 4, co2Max / 16] : [];
    var x = 4;
    steps.forEach(function (v) {
      var r = radiusOf(v), cx = x + Math.max(r, 14);
      html += '<circle cx="' + cx + '" cy="' + (2 * R_MAX + 4 - r) + '" r="' + r + '" fill="none" stroke="#333"/>';
      html += '<text x="' + cx + '" y="' + (2 * R_MAX + 17) + '" font-size="10" text-anchor="middle">' + fmt(v, v >= 100 ? 0 : 1) + '</text>';
      x = cx + Math.max(r, 14) + 8;
    });
    html += '</svg><div class="legend-title">Fuel</div>';
    fuelKeys.forEach(function (f) { html += '<div><span class="swatch" style="background:' + colourOf(f === UNKNOWN ? null : f) + '"></span>' + esc(f) + '</div>'; });
    html += '<div><span class="swatch hollow"></span>no estimate in window</div>';
    div.innerHTML = html;
    return div;
  };
  legend.addTo(map);

  // ---- controls ----
  var slider = document.getElementById('window');
  slider.max = String(Math.max(0, nW - 1));
  slider.value = String(state.w);
  slider.disabled = nW <= 1;
  slider.addEventListener('input', function () { state.w = Number(slider.value); update(); });
  var fuelBox = document.getElementById('fuels');
  fuelBox.innerHTML = fuelKeys.map(function (f) {
    return '<label><input type="checkbox" data-fuel="' + esc(f) + '" checked><span class="swatch" style="background:' + colourOf(f === UNKNOWN ? null : f) + '"></span>' + esc(f) + '</label>';
  }).join('');
  fuelBox.addEventListener('change', function (e) { state.fuels[e.target.getAttribute('data-fuel')] = e.target.checked; update(); });
  var countrySel = document.getElementById('country');
  countrySel.innerHTML = '<option value="">all countries (' + D.countries.length + ')</option>' +
    D.countries.map(function (c) { return '<option value="' + esc(c) + '">' + esc(c) + '</option>'; }).join('') +
    (D.sites.some(function (s) { return s.country === null; }) ? '<option value="\u0000">none (at sea or unknown)</option>' : '');
  countrySel.addEventListener('change', function () { state.country = countrySel.value === '\u0000' ? null : countrySel.value; update(); });

  // ---- table ----
  var COLUMNS = [
    { key: 'name', label: 'Plant', get: function (i) { return (D.sites[i].name || D.sites[i].id).toLowerCase(); } },
    { key: 'fuel', label: 'Fuel', get: function (i) { return D.sites[i].fuel || ''; } },
    { key: 'country', label: 'Country', get: function (i) { return D.sites[i].country || ''; } },
    { key: 'capacity', label: 'Capacity (MW)', num: true, get: function (i) { return D.sites[i].capacity_mw; } },
    { key: 'co2', label: 'CO₂ (t/h)', num: true, get: function (i) { return D.agg.co2_t_per_h[state.w][i]; } },
    { key: 'gen', label: 'Generation (MW)', num: true, get: function (i) { return D.agg.generation_mw[state.w][i]; } },
    { key: 'p_on', label: 'P(on)', num: true, get: function (i) { return D.agg.p_on[state.w][i]; } },
    { key: 'obs', label: 'Obs. valid/ cloudy/all', num: true, get: function (i) { return D.agg.n_obs[state.w][i]; } },
  ];
  var thead = document.querySelector('#plants thead tr');
  thead.innerHTML = COLUMNS.map(function (c) { return '<th data-key="' + c.key + '"' + (c.num ? ' class="num"' : '') + '>' + c.label + '<span class="arrow"></span></th>'; }).join('');
  thead.addEventListener('click', function (e) {
    var th = e.target.closest('th');
    if (!th) return;
    var key = th.getAttribute('data-key');
    if (state.sortKey === key) state.sortDir = -state.sortDir;
    else { state.sortKey = key; state.sortDir = COLUMNS.some(function (c) { return c.key === key && c.num; }) ? -1 : 1; }
    drawTable();
  });
  var tbody = document.querySelector('#plants tbody');
  var TABLE_ROWS = 300;
  document.getElementById('more').addEventListener('click', function () { state.allRows = true; drawTable(); });
  tbody.addEventListener('click', function (e) {
    var tr = e.target.closest('tr');
    if (tr) select(Number(tr.getAttribute('data-site')), true);
  });
  function drawTable() {
    if (nW === 0) { tbody.innerHTML = ''; return; }
    var col = COLUMNS.filter(function (c) { return c.key === state.sortKey; })[0] || COLUMNS[4];
    var rows = [];
    for (var i = 0; i < D.sites.length; i++) if (visible(i)) rows.push(i);
    rows.sort(function (a, b) {
      var x = col.get(a), y = col.get(b);
      if (x === null && y === null) return 0;
      if (x === null) return 1;  // unknown values last in either direction
      if (y === null) return -1;
      return (x < y ? -1 : x > y ? 1 : 0) * state.sortDir;
    });
    var w = state.w, a = D.agg;
    // A table of thousands of rows costs seconds of layout: show the first TABLE_ROWS in the
    // current order (sorting and totals use every row) until the reader asks for all.
    var shownRows = state.allRows ? rows : rows.slice(0, TABLE_ROWS);
    tbody.innerHTML = shownRows.map(function (i) {
      var s = D.sites[i];
      return '<tr data-site="' + i + '"' + (state.selected === i ? ' class="selected"' : '') + '><td>' + esc(s.name || s.id) + '</td><td><span class="swatch" style="background:' + colourOf(s.fuel) + '"></span>' + esc(s.fuel || '–') +
        '</td><td>' + esc(s.country || '–') + '</td><td class="num">' + fmt(s.capacity_mw, 0) + '</td><td class="num">' + fmt(a.co2_t_per_h[w][i], 1) +
        '</td><td class="num">' + fmt(a.generation_mw[w][i], 0) + '</td><td class="num">' + fmt(a.p_on[w][i], 2) +
        '</td><td class="num">' + a.n_valid[w][i] + ' / ' + a.n_cloudy[w][i] + ' / ' + a.n_obs[w][i] + '</td></tr>';
    }).join('');
    thead.querySelectorAll('th').forEach(function (th) {
      th.querySelector('.arrow').textContent = th.getAttribute('data-key') === state.sortKey ? (state.sortDir < 0 ? ' ▼' : ' ▲') : '';
    });
    document.getElementById('shown').textContent = rows.length + ' of ' + D.sites.length + ' plants';
    var more = document.getElementById('more');
    more.hidden = shownRows.length === rows.length;
    more.textContent = 'table shows the first ' + shownRows.length + ' of ' + rows.length + '; show all';
    var total = 0, known = 0;
    rows.forEach(function (i) { var v = a.co2_t_per_h[w][i]; if (v !== null) { total += v; known++; } });
    document.getElementById('total').textContent = 'Σ CO₂ ' + fmt(total, 0) + ' t/h over ' + known + ' plants with estimates';
  }

  function windowLabel() {
    if (nW === 0) return 'no windows (no predictions)';
    var win = D.windows[state.w];
    return 'window ' + (state.w + 1) + ' of ' + nW + ' (' + D.window_rule + '): ' + day(win.start) + ' to ' + day(win.end) + ' (UTC, end exclusive)';
  }

  // ---- charts ----
  var charts = [];
  var detail = document.getElementById('detail');
  document.getElementById('close').addEventListener('click', function () { state.selected = null; detail.hidden = true; document.getElementById('hint').hidden = false; destroyCharts(); drawMarkers(); drawTable(); });
  function destroyCharts() { charts.forEach(function (c) { c.destroy(); }); charts = []; }
  var STATUS_TEXT = ['clear', 'cloudy', 'invalid'];

  // The x values: every overpass, every window start and the last window end, so the window
  // series can be drawn as steps on the same axis.
  function chartX(i) {
    var xs = D.series[i].t.slice();
    D.windows.forEach(function (w) { xs.push(Date.parse(w.start) / 1000); });
    if (nW > 0) xs.push(Date.parse(D.windows[nW - 1].end) / 1000);
    xs.sort(function (a, b) { return a - b; });
    return xs.filter(function (x, k) { return k === 0 || x !== xs[k - 1]; });
  }
  function windowAt(x) {
    for (var k = 0; k < nW; k++) if (x < Date.parse(D.windows[k].end) / 1000) return x >= Date.parse(D.windows[k].start) / 1000 ? k : -1;
    return nW - 1;
  }
  // Per overpass, per status: value where the overpass has that status, null elsewhere.
  function byStatus(i, xs, field, status) {
    var s = D.series[i], at = {};
    s.t.forEach(function (t, k) { if (s.status[k] === status) at[t] = status === 2 && s[field][k] === null ? 0 : s[field][k]; });
    return xs.map(function (x) { return x in at ? at[x] : null; });
  }
  function perOverpass(i, xs, field) {
    var s = D.series[i], at = {};
    s.t.forEach(function (t, k) { at[t] = s[field][k]; });
    return xs.map(function (x) { return x in at ? at[x] : null; });
  }
  function perWindow(i, xs, field) {
    return xs.map(function (x) { var k = windowAt(x); return k < 0 ? null : D.agg[field][k][i]; });
  }
  function pointSeries(label, colour, shape) {
    return { label: label, stroke: colour, fill: shape === 'hollow' ? '#ffffff' : colour, width: 0, paths: function () { return null; },
      points: { show: true, size: shape === 'small' ? 6 : 8, width: 1.5, stroke: colour, fill: shape === 'hollow' ? '#ffffff' : colour } };
  }
  function stepSeries(label, colour, dash) {
    return { label: label, stroke: colour, width: dash ? 1 : 2, dash: dash ? [4, 3] : undefined, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false }, spanGaps: false };
  }
  // Draws each overpass's 90% interval as a whisker and shades the window picked by the slider.
  function overlayHook(xs, lo, hi, colour) {
    return function (u) {
      var ctx = u.ctx;
      ctx.save();
      if (nW > 0) {
        var w = D.windows[state.w];
        var x0 = u.valToPos(Date.parse(w.start) / 1000, 'x', true), x1 = u.valToPos(Date.parse(w.end) / 1000, 'x', true);
        ctx.fillStyle = 'rgba(255, 221, 0, 0.12)';
        ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
      }
      if (lo) {
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.2;
        for (var k = 0; k < xs.length; k++) {
          if (lo[k] === null || hi[k] === null) continue;
          var x = u.valToPos(xs[k], 'x', true);
          var y0 = u.valToPos(lo[k], 'y', true), y1 = u.valToPos(hi[k], 'y', true);
          ctx.beginPath(); ctx.moveTo(x, y0); ctx.lineTo(x, y1); ctx.moveTo(x - 3, y0); ctx.lineTo(x + 3, y0); ctx.moveTo(x - 3, y1); ctx.lineTo(x + 3, y1); ctx.stroke();
        }
      }
      ctx.restore();
    };
  }
  function makeChart(el, title, unit, xs, series, data, yMax, hook) {
    var width = Math.max(320, el.clientWidth - 8);
    var opts = {
      title: title, width: width, height: 210,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      scales: { x: { time: true }, y: { range: function (u, lo, hi) { return [0, Math.max(yMax || 0, hi || 0, 1e-9) * 1.08]; } } },
      axes: [{ label: 'overpass time (UTC)', labelSize: 18 }, { label: unit, labelSize: 18, size: 60 }],
      series: [{ label: 'time (UTC)' }].concat(series),
      bands: series[0].bandWith ? [{ series: [1, 2], fill: series[0].bandWith }] : [],
      legend: { live: false },
      hooks: { draw: [hook] },
    };
    var chart = new uPlot(opts, [xs].concat(data), el);
    charts.push(chart);
    return chart;
  }
  function quantityChart(el, i, xs, q, title, axisLabel, unit, colour) {
    var lo = perOverpass(i, xs, q + '_p05'), hi = perOverpass(i, xs, q + '_p95');
    var wLo = perWindow(i, xs, q + '_p05'), wHi = perWindow(i, xs, q + '_p95');
    var series = [
      { label: 'window 90% high (' + unit + ')', stroke: colour, width: 0, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false }, bandWith: 'rgba(120,120,120,0.16)' },
      { label: 'window 90% low (' + unit + ')', stroke: colour, width: 0, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } },
      stepSeries('window mean (' + unit + ')', colour, false),
      pointSeries('clear overpass (' + unit + ', bar: 90%)', colour, 'filled'),
      pointSeries('cloudy overpass (' + unit + ')', '#8a8a8a', 'hollow'),
      pointSeries('invalid overpass, not used (' + unit + ')', '#d62728', 'small'),
    ];
    var data = [wHi, wLo, perWindow(i, xs, q), byStatus(i, xs, q, 0), byStatus(i, xs, q, 1), byStatus(i, xs, q, 2)];
    var yMax = 0;
    hi.concat(wHi).forEach(function (v) { if (v !== null && v > yMax) yMax = v; });
    if (D.has_labels) {
      var label = perOverpass(i, xs, 'label_' + q);
      series.push(pointSeries('label (' + unit + ')', '#000000', 'small'));
      series[series.length - 1].points.fill = '#000000';
      data.push(label);
      label.forEach(function (v) { if (v !== null && v > yMax) yMax = v; });
    }
    return makeChart(el, title, axisLabel, xs, series, data, yMax, overlayHook(xs, lo, hi, colour));
  }
  function pOnChart(el, i, xs, colour) {
    var series = [
      stepSeries('window P(on)', colour, false),
      pointSeries('clear overpass P(on)', colour, 'filled'),
      pointSeries('cloudy overpass P(on)', '#8a8a8a', 'hollow'),
      pointSeries('invalid overpass P(on)', '#d62728', 'small'),
    ];
    var data = [perWindow(i, xs, 'p_on'), byStatus(i, xs, 'p_on', 0), byStatus(i, xs, 'p_on', 1), byStatus(i, xs, 'p_on', 2)];
    if (D.has_labels) { series.push(pointSeries('label: running (1) / off (0)', '#000000', 'small')); data.push(perOverpass(i, xs, 'label_active')); }
    var chart = makeChart(el, 'Probability the plant is running', 'P(on) (0–1)', xs, series, data, 1, overlayHook(xs, null, null, colour));
    chart.setScale('y', { min: 0, max: 1.05 });
    return chart;
  }
  function select(i, pan) {
    if (!D.series[i]) {
      loadSeries(i).then(function () { select(i, pan); }, function (err) { console.error('co2sat report: could not read the overpasses of ' + D.sites[i].id + ': ' + err); });
      return;
    }
    var previous = state.selected;
    state.selected = i;
    var s = D.sites[i], ser = D.series[i];
    detail.hidden = false;
    document.getElementById('hint').hidden = true;
    var counts = [0, 0, 0];
    ser.status.forEach(function (st) { counts[st]++; });
    document.getElementById('detail-title').innerHTML = esc(s.name || s.id) + ' <small>' + esc(s.id) + ' · ' + esc(s.fuel || 'unknown fuel') + ' · ' + fmt(s.capacity_mw, 0) + ' MW · ' +
      esc(s.country || 'no country') + ' · ' + s.lat.toFixed(4) + '°, ' + s.lon.toFixed(4) + '° · ' + ser.t.length + ' overpasses (' + counts[0] + ' clear, ' + counts[1] + ' cloudy, ' + counts[2] + ' invalid)</small>';
    destroyCharts();
    var xs = chartX(i), colour = colourOf(s.fuel);
    quantityChart(document.getElementById('chart-gen'), i, xs, 'generation_mw', 'Electricity generation', 'generation (MW)', 'MW', colour);
    quantityChart(document.getElementById('chart-co2'), i, xs, 'co2_t_per_h', 'CO₂ emission rate', 'CO₂ (t/h)', 't/h', colour);
    pOnChart(document.getElementById('chart-pon'), i, xs, colour);
    if (pan) map.panTo([s.lat, s.lon]);
    if (previous !== null) styleMarker(previous);
    styleMarker(i);
    if (state.selected === i && markerLayer.hasLayer(markers[i])) markers[i].bringToFront();
    tbody.querySelectorAll('tr.selected').forEach(function (tr) { tr.classList.remove('selected'); });
    var row = tbody.querySelector('tr[data-site="' + i + '"]');
    if (row) row.classList.add('selected');
  }

  function update() {
    document.getElementById('window-label').textContent = windowLabel();
    drawMarkers();
    drawTable();
    charts.forEach(function (c) { c.redraw(false); });
  }
  phases.markers = performance.now();
  update();
  phases.drawn = performance.now();
  window.co2satReport = { data: D, state: state, map: map, markers: markers, charts: function () { return charts; }, select: select, loadSeries: loadSeries, ready: false, phases: phases };
  basemapReady.then(function () {
    phases.ready = performance.now();
    window.co2satReport.readyAt = phases.ready;
    window.co2satReport.ready = true;
  }, function (err) { console.error('co2sat report: could not read its embedded data: ' + err); });
})();
`;
