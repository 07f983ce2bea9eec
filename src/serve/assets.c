/* The review app's only assets, compiled into the binary so that nothing is loaded from
 * anywhere else: an icon, one style sheet and one small hand-written script (keyboard shortcuts: m,
 * n, u decide the pair on screen; j and k go to the next and previous pair). Every page works
 * without the script. */
#include "serve_private.h"

const char serve_css[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}\n"
    "header{display:flex;gap:1.5em;align-items:center;padding:.5em 1em;background:#263238}\n"
    "header a{color:#eceff1;text-decoration:none}header a.here{font-weight:bold;"
    "border-bottom:2px solid #ffca28}\n"
    ".brand{font-weight:bold;letter-spacing:.05em}nav{display:flex;gap:1em;flex:1}\n"
    ".who{color:#eceff1;display:flex;gap:.5em;align-items:center;margin:0}\n"
    "main{padding:1em 2em;max-width:80em}h1{font-size:1.4em}\n"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border-bottom:1px solid #ddd;"
    "padding:.25em .6em;text-align:left;vertical-align:top}th{background:#eceff1}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".side{display:grid;grid-template-columns:1fr 1fr;gap:1em}\n"
    ".card{background:#fff;border:1px solid #ddd;border-radius:4px;padding:.5em 1em}\n"
    ".error{color:#b71c1c;font-weight:bold}.note{color:#555}\n"
    ".decide{display:flex;gap:.5em;align-items:center;margin:1em 0;flex-wrap:wrap}\n"
    ".decide button{font-size:1em;padding:.4em 1em}kbd{border:1px solid #999;"
    "border-radius:3px;padding:0 .3em;font-size:.85em}\n"
    "button.match{background:#c8e6c9}button.nonmatch{background:#ffcdd2}"
    "button.unsure{background:#fff9c4}\n"
    "svg .pos{fill:#43a047}svg .neg{fill:#e53935}svg .base{fill:#78909c}"
    "svg .total{fill:#1e88e5}svg text{font-size:11px;fill:#222}svg line{stroke:#999}\n"
    "input[type=text],input[type=search],textarea{font-size:1em;padding:.3em}\n"
    ".pager{display:flex;gap:1em}.conflict{background:#fff3e0;border:1px solid #fb8c00;"
    "padding:.5em 1em}\n"
    "@media print{header,form{display:none}}\n";

const char serve_js[] =
    "/* reckon review: keyboard shortcuts. m, n, u press the match, not-a-match and unsure\n"
    "   buttons; j and k follow the next and previous links. Typing in a field is left alone. */\n"
    "'use strict';\n"
    "document.addEventListener('keydown', function (e) {\n"
    "  if (e.ctrlKey || e.metaKey || e.altKey) return;\n"
    "  var t = e.target;\n"
    "  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable))\n"
    "    return;\n"
    "  var k = e.key;\n"
    "  if (k === 'j' || k === 'k') {\n"
    "    var a = document.querySelector(k === 'j' ? 'a[rel=next]' : 'a[rel=prev]');\n"
    "    if (a) { e.preventDefault(); window.location.href = a.href; }\n"
    "    return;\n"
    "  }\n"
    "  if (k !== 'm' && k !== 'n' && k !== 'u') return;\n"
    "  var b = document.querySelector('button[data-key=\"' + k + '\"]');\n"
    "  if (b) { e.preventDefault(); b.click(); }\n"
    "});\n";

const char serve_icon[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">"
    "<rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#263238\"/>"
    "<path d=\"M4 12V4h5a2 2 0 0 1 0 4H4m4 0 4 4\" stroke=\"#ffca28\" stroke-width=\"2\" "
    "fill=\"none\"/></svg>\n";
