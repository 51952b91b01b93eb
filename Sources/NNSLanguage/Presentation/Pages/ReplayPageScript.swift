/// The replay page's markup and script: the decision regions of the chosen snapshot, the
/// curves with a marker at its epoch, a slider, Play, and the keys ← → Home End.
/// Written without `//` comments or links so that the file holds no URL of any kind.
enum ReplayPageScript {
    static let body = """
    <main>
    <div id="drawing"><div id="boundary"></div></div>
    <div id="side">
    <div class="panel">
    <label for="slider" id="which" aria-live="polite"></label>
    <input id="slider" type="range" min="0" value="0" step="1">
    <div class="bar"><button id="play" type="button">▶ Play</button><span id="stats"></span></div>
    </div>
    <div class="panel"><div id="curves"></div></div>
    <div class="legend"><span class="swatch" style="background: #1f5fa8"></span> class 0 (●, blue region) &nbsp;
    <span class="swatch" style="background: #c85200"></span> class 1 (■, orange region)</div>
    <p class="hint">Keys: → next snapshot · ← previous · Home first · End last · Space play/pause</p>
    </div>
    </main>
    """

    static let script = """
    const snaps = DATA.snapshots, slider = document.getElementById('slider');
    slider.max = String(Math.max(0, snaps.length - 1));
    const tints = [[207, 224, 243], [251, 217, 191], [210, 236, 210], [230, 215, 240], [240, 240, 200]];
    const inks = ['#1f5fa8', '#c85200', '#2a7a2a', '#6a3d9a', '#7a6a00'];
    function regionsURL(grid) {
      const n = DATA.grid, canvas = document.createElement('canvas');
      canvas.width = n; canvas.height = n;
      const ctx = canvas.getContext('2d'), img = ctx.createImageData(n, n);
      for (let i = 0; i < n * n; i++) {
        const c = tints[parseInt(grid[i], 36) % tints.length];
        img.data[4 * i] = c[0]; img.data[4 * i + 1] = c[1]; img.data[4 * i + 2] = c[2]; img.data[4 * i + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
      return canvas.toDataURL();
    }
    const S = 520, M = 50;
    function boundarySVG(k) {
      if (!DATA.points) return '<p>' + esc(DATA.note || 'no decision regions for this data') + '</p>';
      const sx = function (x) { return M + (x - DATA.x[0]) / (DATA.x[1] - DATA.x[0]) * S; };
      const sy = function (y) { return M + (DATA.y[1] - y) / (DATA.y[1] - DATA.y[0]) * S; };
      let s = '<svg viewBox="0 0 ' + (S + 2 * M) + ' ' + (S + 2 * M) + '" role="img" aria-label="decision regions">';
      s += '<image id="regions" href="' + regionsURL(snaps[k].grid) + '" x="' + M + '" y="' + M + '" width="' + S + '" height="' + S + '" preserveAspectRatio="none"/>';
      s += '<rect x="' + M + '" y="' + M + '" width="' + S + '" height="' + S + '" fill="none" stroke="#111" stroke-width="2"/>';
      DATA.points.forEach(function (p) {
        const ink = inks[p[2] % inks.length], x = sx(p[0]), y = sy(p[1]);
        s += p[2] % 2 === 0 ? '<circle cx="' + x + '" cy="' + y + '" r="9" fill="' + ink + '" stroke="#fff" stroke-width="2"/>'
          : '<rect x="' + (x - 8) + '" y="' + (y - 8) + '" width="16" height="16" fill="' + ink + '" stroke="#fff" stroke-width="2"/>';
      });
      s += '<text x="' + (M + S / 2) + '" y="' + (S + 2 * M - 12) + '" text-anchor="middle" font-size="22">x₁</text>';
      s += '<text x="6" y="' + (M + S / 2) + '" font-size="22">x₂</text>';
      const tick = function (v) { return String(Number(v.toPrecision(3))); };
      s += '<text x="' + M + '" y="' + (S + M + 22) + '" text-anchor="middle" font-size="17">' + tick(DATA.x[0]) + '</text>';
      s += '<text x="' + (M + S) + '" y="' + (S + M + 22) + '" text-anchor="middle" font-size="17">' + tick(DATA.x[1]) + '</text>';
      s += '<text x="' + (M - 6) + '" y="' + (M + S) + '" text-anchor="end" font-size="17">' + tick(DATA.y[0]) + '</text>';
      s += '<text x="' + (M - 6) + '" y="' + (M + 12) + '" text-anchor="end" font-size="17">' + tick(DATA.y[1]) + '</text>';
      s += '<text x="' + M + '" y="34" font-size="20" font-weight="bold">decision regions at epoch ' + snaps[k].epoch + '</text>';
      return s + '</svg>';
    }
    function curvesSVG(k) {
      const W = 560, H = 300, L = 60, B = 40, T = 20, n = DATA.epochs;
      const series = [['loss', '#111', 'loss'], ['val_loss', '#555', 'val_loss'], ['accuracy', '#c85200', 'accuracy'], ['val_accuracy', '#1f5fa8', 'val_accuracy']]
        .filter(function (s) { return DATA[s[0]]; });
      const top = Math.max.apply(null, [1].concat(DATA.loss.filter(isFinite)));
      const px = function (e) { return L + (n <= 1 ? 0 : (e - 1) / (n - 1)) * (W - L - 10); };
      const py = function (v) { return T + (1 - v / top) * (H - T - B); };
      let s = '<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="loss and accuracy per epoch">';
      s += '<line x1="' + L + '" y1="' + (H - B) + '" x2="' + (W - 10) + '" y2="' + (H - B) + '" stroke="#111"/><line x1="' + L + '" y1="' + T + '" x2="' + L + '" y2="' + (H - B) + '" stroke="#111"/>';
      s += '<text x="' + (L - 8) + '" y="' + (T + 6) + '" text-anchor="end" font-size="17">' + top.toPrecision(3) + '</text><text x="' + (L - 8) + '" y="' + (H - B) + '" text-anchor="end" font-size="17">0</text>';
      s += '<text x="' + ((L + W) / 2) + '" y="' + (H - 8) + '" text-anchor="middle" font-size="17">epoch (1 to ' + n + ')</text>';
      series.forEach(function (sr, r) {
        const pts = DATA[sr[0]].map(function (v, i) { return isFinite(v) ? px(i + 1).toFixed(1) + ',' + py(v).toFixed(1) : ''; }).filter(Boolean).join(' ');
        s += '<polyline points="' + pts + '" fill="none" stroke="' + sr[1] + '" stroke-width="3"' + (r % 2 ? ' stroke-dasharray="8 5"' : '') + '/>';
        s += '<text x="' + (W - 14) + '" y="' + (T + 18 + 20 * r) + '" text-anchor="end" font-size="19" fill="' + sr[1] + '">' + sr[2] + '</text>';
      });
      const e = snaps[k].epoch;
      if (e >= 1) s += '<line x1="' + px(e) + '" y1="' + T + '" x2="' + px(e) + '" y2="' + (H - B) + '" stroke="#7a1fa2" stroke-width="3"/>';
      return s + '</svg>';
    }
    let playing = null;
    function show(k) {
      k = Math.max(0, Math.min(snaps.length - 1, k));
      slider.value = String(k);
      document.getElementById('boundary').innerHTML = boundarySVG(k);
      document.getElementById('curves').innerHTML = curvesSVG(k);
      const e = snaps[k].epoch;
      document.getElementById('which').textContent = 'snapshot ' + (k + 1) + ' of ' + snaps.length + ': epoch ' + e + (e === 0 ? ' (before training)' : '');
      const row = e >= 1 ? e - 1 : -1;
      document.getElementById('stats').textContent = row < 0 ? '' : 'loss ' + DATA.loss[row].toPrecision(3) + (DATA.accuracy ? ', accuracy ' + (100 * DATA.accuracy[row]).toFixed(1) + '%' : '');
    }
    function stop() { if (playing) { clearInterval(playing); playing = null; } document.getElementById('play').textContent = '▶ Play'; }
    function play() {
      if (playing) { stop(); return; }
      if (Number(slider.value) >= snaps.length - 1) show(0);
      document.getElementById('play').textContent = '⏸ Pause';
      playing = setInterval(function () {
        const k = Number(slider.value) + 1;
        if (k >= snaps.length) { stop(); return; }
        show(k);
      }, 500);
    }
    slider.addEventListener('input', function () { stop(); show(Number(slider.value)); });
    document.getElementById('play').addEventListener('click', play);
    document.addEventListener('keydown', function (e) {
      if (e.target === slider && (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'Home' || e.key === 'End')) return;
      if (e.key === 'ArrowRight') show(Number(slider.value) + 1);
      else if (e.key === 'ArrowLeft') show(Number(slider.value) - 1);
      else if (e.key === 'Home') show(0);
      else if (e.key === 'End') show(snaps.length - 1);
      else if (e.key === ' ' && e.target.tagName !== 'BUTTON') play();
      else return;
      e.preventDefault();
    });
    show(0);
    """
}
