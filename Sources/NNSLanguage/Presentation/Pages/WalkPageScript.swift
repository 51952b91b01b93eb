/// The explanation page's markup and script: draws the network once as SVG, then at each step
/// fills the values revealed so far, the step's formulas and the hovered element's details.
/// Written without `//` comments or links so that the file holds no URL of any kind.
enum WalkPageScript {
    static let body = """
    <main>
    <div id="drawing" aria-label="the network"></div>
    <div id="side">
    <div class="bar">
    <button id="prev" type="button">◀ Previous</button>
    <button id="next" type="button">Next ▶</button>
    <span id="counter" aria-live="polite"></span>
    </div>
    <div class="panel" id="step" aria-live="polite"><h2 id="title"></h2><div id="lines"></div></div>
    <div class="panel" id="detail"><span class="hint">Hover or Tab to a unit or a connection to see its value, gradient and formula.</span></div>
    <div class="legend"><span class="swatch" style="background: var(--orange)"></span> positive weight &nbsp;
    <span class="swatch" style="background: var(--blue)"></span> negative weight &nbsp; thickness: |w|</div>
    <p class="hint">Keys: → or Space next · ← back · Home start · End last step</p>
    </div>
    </main>
    """

    static let script = """
    const cols = DATA.columns, steps = DATA.steps;
    const R = 28, BLOCK = 170, W = Math.min(1100, 240 + 300 * Math.max(1, cols.length - 1));
    const maxUnits = Math.max.apply(null, cols.map(function (c) { return c.block ? 0 : c.units; }).concat([1]));
    const GAP = Math.max(62, Math.min(104, 640 / maxUnits));
    const H = Math.max(BLOCK + 230, maxUnits * GAP + 90);
    const x0 = cols[0].block ? BLOCK / 2 + 8 : 130;
    const colX = cols.map(function (c, k) { return cols.length === 1 ? W / 2 : x0 + k * (W - 170 - x0) / (cols.length - 1); });
    function unitY(k, j) { const n = cols[k].units; return H / 2 + (j - (n - 1) / 2) * GAP; }
    let svg = '<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="network drawing">';
    let maxW = 0;
    DATA.edges.forEach(function (e) { if (e.weights) e.weights.forEach(function (w) { maxW = Math.max(maxW, Math.abs(w)); }); });
    function edgeStyle(w) {
      const width = maxW > 0 ? 1 + 8 * Math.abs(w) / maxW : 2;
      return 'stroke:' + (w < 0 ? 'var(--blue)' : 'var(--orange)') + ';stroke-width:' + width.toFixed(2);
    }
    DATA.edges.forEach(function (e) {
      const x1 = colX[e.from], x2 = colX[e.to];
      if (e.weights) {
        for (let j = 0; j < e.rows; j++) for (let i = 0; i < e.cols; i++) {
          const slot = 'l' + e.layer + 'w' + j + '_' + i, y1 = unitY(e.from, i), y2 = unitY(e.to, j);
          svg += '<g class="edge" tabindex="0" data-info="' + slot + '">' +
            '<line class="seen" id="' + slot + '" x1="' + (x1 + R) + '" y1="' + y1 + '" x2="' + (x2 - R) + '" y2="' + y2 + '" style="' + edgeStyle(e.weights[j * e.cols + i]) + '"/>' +
            '<line x1="' + (x1 + R) + '" y1="' + y1 + '" x2="' + (x2 - R) + '" y2="' + y2 + '" stroke="transparent" stroke-width="14"/></g>';
        }
      } else {
        const left = cols[e.from].block ? BLOCK / 2 : R + 80, right = cols[e.to].block ? BLOCK / 2 : R;
        const cx = (x1 + left + x2 - right) / 2, w = Math.max(30, Math.min(110, x2 - x1 - left - right - 24)), h = BLOCK;
        svg += '<g class="block" tabindex="0" data-info="E' + e.layer + '"><rect x="' + (cx - w / 2) + '" y="' + (H / 2 - h / 2) + '" width="' + w + '" height="' + h + '" fill="#fff" stroke="#111" stroke-width="2"/>' +
          '<image href="' + imageURL(e.image) + '" x="' + (cx - w / 2) + '" y="' + (H / 2 - h / 2) + '" width="' + w + '" height="' + h + '" preserveAspectRatio="none" style="image-rendering: pixelated"/>' +
          '<text x="' + cx + '" y="' + (H / 2 + h / 2 + 24) + '" text-anchor="middle" font-size="18">' + esc(e.label) + '</text></g>';
      }
    });
    cols.forEach(function (c, k) {
      const x = colX[k];
      svg += '<text x="' + x + '" y="30" text-anchor="middle" font-size="24" font-weight="bold">' + esc(c.label) + '</text>';
      if (c.block) {
        const top = H / 2 - BLOCK / 2;
        svg += '<g class="block" tabindex="0" data-info="c' + k + '"><rect x="' + (x - BLOCK / 2) + '" y="' + top + '" width="' + BLOCK + '" height="' + BLOCK + '" fill="#eee" stroke="#111" stroke-width="2"/>' +
          '<image id="c' + k + '-img" x="' + (x - BLOCK / 2 + 4) + '" y="' + (top + 4) + '" width="' + (BLOCK - 8) + '" height="' + (BLOCK - 8) + '" preserveAspectRatio="none" style="image-rendering: pixelated"/></g>' +
          '<text x="' + x + '" y="' + (top - 10) + '" text-anchor="middle" font-size="17">' + c.units + ' units</text>';
        svg += '<text id="c' + k + '-label" x="' + x + '" y="' + (top + BLOCK + 28) + '" text-anchor="middle" font-size="20" font-weight="bold"></text>';
        ['mean', 'std', 'min', 'max'].forEach(function (kind, r) {
          svg += '<text id="c' + k + '-' + kind + '" x="' + x + '" y="' + (top + BLOCK + 54 + r * 24) + '" text-anchor="middle" font-size="19" class="value"></text>';
        });
      } else {
        for (let j = 0; j < c.units; j++) {
          const y = unitY(k, j), slot = 'c' + k + 'u' + j;
          svg += '<g class="unit" tabindex="0" data-info="' + slot + '"><circle cx="' + x + '" cy="' + y + '" r="' + R + '" fill="#fff" stroke="#111" stroke-width="3"/>' +
            '<text x="' + x + '" y="' + (y + 8) + '" text-anchor="middle" font-size="22">' + (j + 1) + '</text></g>';
          [['x', -10, '#111'], ['z', -10, '#111'], ['a', 16, '#111'], ['d', 42, '#7a1fa2']].forEach(function (s) {
            const left = k === 0, tx = left ? x - R - 8 : x + R + 6, ty = left ? y + 8 : y + s[1];
            svg += '<text class="value" id="' + slot + '-' + s[0] + '" x="' + tx + '" y="' + ty + '"' + (left ? ' text-anchor="end"' : '') + ' font-size="22" fill="' + s[2] + '" font-weight="bold"></text>';
          });
        }
      }
    });
    svg += '</svg>';
    document.getElementById('drawing').innerHTML = svg;

    let current = 0, selected = null;
    function slotElement(slot) { return document.getElementById(slot.replace('.', '-')); }
    function render() {
      document.querySelectorAll('svg text[id]').forEach(function (t) { t.textContent = ''; });
      const shown = {}, said = {};
      for (let s = 0; s <= current; s++) {
        steps[s].reveal.forEach(function (r) {
          const el = slotElement(r[0]);
          if (el) el.textContent = r[1];
          else said[r[0].split('.')[0]] = r[1];
        });
        steps[s].images.forEach(function (r) { shown[r[0].split('.')[0]] = r[1]; });
      }
      Object.keys(said).forEach(function (block) {
        const parts = said[block].split(':'), label = document.getElementById(block + '-label');
        if (label) label.textContent = 'showing ' + parts[0];
        const words = parts.slice(1).join(':').trim().split(/ +/);
        for (let i = 0; i + 1 < words.length; i += 2) {
          const el = document.getElementById(block + '-' + words[i]);
          if (el) el.textContent = words[i] + ' ' + words[i + 1];
        }
      });
      Object.keys(shown).forEach(function (block) {
        const el = document.getElementById(block + '-img');
        if (el) el.setAttribute('href', imageURL(shown[block]));
      });
      DATA.edges.forEach(function (e) {
        if (!e.weights) return;
        let w = e.weights;
        for (let s = 0; s <= current; s++) steps[s].weights.forEach(function (u) { if (u[0] === e.layer) w = u[1]; });
        for (let j = 0; j < e.rows; j++) for (let i = 0; i < e.cols; i++) {
          document.getElementById('l' + e.layer + 'w' + j + '_' + i).setAttribute('style', edgeStyle(w[j * e.cols + i]));
        }
      });
      const step = steps[current];
      document.getElementById('title').textContent = step.title;
      document.getElementById('lines').innerHTML = step.lines.map(function (l) { return '<div>' + esc(l) + '</div>'; }).join('');
      document.getElementById('counter').textContent = 'step ' + (current + 1) + ' of ' + steps.length;
      document.getElementById('prev').disabled = current === 0;
      document.getElementById('next').disabled = current === steps.length - 1;
      showDetail();
    }
    function showDetail() {
      const box = document.getElementById('detail');
      if (!selected) return;
      const notes = (DATA.info[selected] || []).filter(function (n) { return n[0] <= current; });
      box.innerHTML = notes.length ? notes.map(function (n) { return '<div>' + esc(n[1]) + '</div>'; }).join('')
        : '<span class="hint">nothing computed here yet</span>';
    }
    function go(k) { current = Math.max(0, Math.min(steps.length - 1, k)); render(); }
    document.getElementById('next').addEventListener('click', function () { go(current + 1); });
    document.getElementById('prev').addEventListener('click', function () { go(current - 1); });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowRight' || e.key === ' ') go(current + 1);
      else if (e.key === 'ArrowLeft') go(current - 1);
      else if (e.key === 'Home') go(0);
      else if (e.key === 'End') go(steps.length - 1);
      else return;
      e.preventDefault();
    });
    document.querySelectorAll('[data-info]').forEach(function (el) {
      function pick() {
        document.querySelectorAll('.sel').forEach(function (o) { o.classList.remove('sel'); });
        el.classList.add('sel');
        selected = el.getAttribute('data-info');
        showDetail();
      }
      el.addEventListener('mouseenter', pick);
      el.addEventListener('focus', pick);
    });
    render();
    """
}
