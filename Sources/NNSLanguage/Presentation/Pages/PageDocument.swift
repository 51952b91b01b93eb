import NNEngine

/// One self-contained HTML file: the style, the data as JSON and the script inline, nothing
/// fetched. Shared by the explanation and the replay pages; each brings its own script.
enum PageDocument {
    /// The whole page. `data` is embedded in a `<script type="application/json">`; `</` is
    /// written `<\/` (the same string to JSON) so no value can end the element early.
    static func html(title: String, data: JSONValue, body: String, script: String) -> String {
        let json = data.serialized.replacingOccurrences(of: "</", with: "<\\/")
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>\(style)</style>
        </head>
        <body>
        <header><h1>\(escape(title))</h1></header>
        \(body)
        <script type="application/json" id="page-data">\(json)</script>
        <script>\(shared)\(script)</script>
        </body>
        </html>

        """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Large type and high contrast for a projector; a visible focus ring for keyboard use.
    static let style = """
    :root { --blue: #1f5fa8; --orange: #c85200; --ink: #111; --paper: #fff; --soft: #f2f2f2; }
    * { box-sizing: border-box; }
    body { margin: 0; font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: var(--ink); background: var(--paper); font-size: 20px; }
    header { padding: 8px 20px; background: #111; color: #fff; }
    h1 { font-size: 22px; margin: 0; font-family: "DejaVu Sans Mono", Consolas, monospace; font-weight: normal; overflow-wrap: anywhere; }
    h2 { font-size: 24px; margin: 0 0 8px 0; }
    main { display: flex; gap: 16px; padding: 12px 20px; align-items: flex-start; }
    #drawing { flex: 3 1 0; min-width: 0; }
    #drawing svg { width: 100%; height: auto; max-height: calc(100vh - 90px); display: block; }
    svg text.value { paint-order: stroke; stroke: #fff; stroke-width: 6px; stroke-linejoin: round; }
    #side { flex: 2 1 0; min-width: 0; }
    .panel { border: 2px solid #111; border-radius: 6px; padding: 10px 14px; margin-bottom: 12px; background: var(--paper); }
    #lines div { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 19px; line-height: 1.45; overflow-wrap: anywhere; }
    #detail { min-height: 3.5em; font-size: 18px; }
    #detail div { font-family: "DejaVu Sans Mono", Consolas, monospace; overflow-wrap: anywhere; }
    .bar { display: flex; gap: 12px; align-items: center; margin-bottom: 12px; flex-wrap: wrap; }
    button { font-size: 20px; padding: 6px 18px; border: 2px solid #111; border-radius: 6px; background: #fff; color: #111; cursor: pointer; }
    button:disabled { opacity: 0.4; cursor: default; }
    :focus-visible { outline: 4px solid #7a1fa2; outline-offset: 2px; }
    .unit:focus, .edge:focus { outline: none; }
    .unit:focus circle, .unit.sel circle, .block:focus rect, .block.sel rect { stroke: #7a1fa2; stroke-width: 6; }
    .edge:focus .seen, .edge.sel .seen { stroke: #7a1fa2 !important; }
    .hint { font-size: 16px; color: #333; }
    input[type=range] { width: 100%; height: 28px; }
    .legend { font-size: 16px; }
    .swatch { display: inline-block; width: 18px; height: 18px; vertical-align: middle; border: 1px solid #111; }
    """

    /// Helpers both pages use: escaping, reading the data, drawing a heat-map image.
    static let shared = """
    'use strict';
    const DATA = JSON.parse(document.getElementById('page-data').textContent);
    function esc(s) { return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'); }
    function paletteColor(palette, v) {
      if (palette === 'gray') return [v, v, v];
      const t = (v - 128) / 127;
      const blue = [31, 95, 168], orange = [200, 82, 0];
      const c = t < 0 ? blue : orange, s = Math.min(1, Math.abs(t));
      return [0, 1, 2].map(function (k) { return Math.round(255 + (c[k] - 255) * s); });
    }
    function imageURL(img) {
      const text = atob(img.data.replace(/-/g, '+').replace(/_/g, '/'));
      const canvas = document.createElement('canvas');
      canvas.width = img.w; canvas.height = img.h;
      const ctx = canvas.getContext('2d');
      const pixels = ctx.createImageData(img.w, img.h);
      for (let i = 0; i < img.w * img.h; i++) {
        const c = paletteColor(img.palette, text.charCodeAt(i));
        pixels.data[4 * i] = c[0]; pixels.data[4 * i + 1] = c[1]; pixels.data[4 * i + 2] = c[2]; pixels.data[4 * i + 3] = 255;
      }
      ctx.putImageData(pixels, 0, 0);
      return canvas.toDataURL();
    }

    """
}
