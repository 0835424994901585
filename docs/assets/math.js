// Typeset the site's mathematics with the KaTeX that ships with it (assets/katex/): no
// CDN, so the pages work offline.
// * Markdown pages: the formulas pymdownx.arithmatex marks (generic mode: \( \) inline,
//   \[ \] display, in elements of class "arithmatex");
// * notebook pages (mkdocs-jupyter): TeX in Markdown cells and in LaTeX outputs, found
//   by KaTeX's auto-render between $$ $$, $ $, \[ \] and \( \).
(function () {
  "use strict";
  function typesetArithmatex() {
    document.querySelectorAll(".arithmatex").forEach(function (element) {
      var tex = element.textContent.trim();
      var display = element.tagName === "DIV";
      tex = tex.replace(/^\\[\(\[]/, "").replace(/\\[\)\]]$/, "");
      try {
        katex.render(tex, element, { displayMode: display, throwOnError: false });
      } catch (error) {
        element.title = String(error);
      }
    });
  }
  function typesetNotebooks() {
    if (typeof renderMathInElement !== "function") return;
    var selector = ".jp-RenderedLatex, .jp-RenderedMarkdown, .jp-MarkdownOutput";
    document.querySelectorAll(selector).forEach(function (element) {
      renderMathInElement(element, {
        delimiters: [
          { left: "$$", right: "$$", display: true },
          { left: "\\[", right: "\\]", display: true },
          { left: "\\(", right: "\\)", display: false },
          { left: "$", right: "$", display: false },
        ],
        throwOnError: false,
      });
    });
  }
  function typeset() {
    typesetArithmatex();
    typesetNotebooks();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", typeset);
  } else {
    typeset();
  }
})();
