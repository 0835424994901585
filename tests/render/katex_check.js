// Render formulas with KaTeX, strictly, and report each one's MathML or its error.
// stdin: JSON [{"id": ..., "tex": ..., "display": true|false}, ...]
// stdout: JSON [{"id": ..., "mathml": ... | null, "error": ... | null}, ...]
// One process renders every formula of the suite (node starts once: ~50 ms).
"use strict";
const katex = require(process.argv[2]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(({ id, tex, display }) => {
    try {
      const mathml = katex.renderToString(tex, {
        displayMode: display, output: "mathml", throwOnError: true, strict: "error",
      });
      return { id, mathml, error: null };
    } catch (error) {
      return { id, mathml: null, error: String(error.message || error) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
