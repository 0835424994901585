// Typeset the formulas pymdownx.arithmatex marks (generic mode) with the KaTeX that
// ships with the site (assets/katex/): no CDN, so the pages work offline.
(function () {
  "use strict";
  function typeset() {
    document.querySelectorAll(".arithmatex").forEach(function (element) {
      var tex = element.textContent.trim();
      var display = element.tagName === "DIV";
      // arithmatex wraps inline math in \( \) and display math in \[ \]
      tex = tex.replace(/^\\[\(\[]/, "").replace(/\\[\)\]]$/, "");
      try {
        katex.render(tex, element, { displayMode: display, throwOnError: false });
      } catch (error) {
        element.title = String(error);
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", typeset);
  } else {
    typeset();
  }
})();
