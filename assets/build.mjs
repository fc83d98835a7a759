// Builds tracker/static/ from GOV.UK Frontend (npm) and the service's own Sass.
// Run by `make assets`; the output is not committed.
import { compile } from "sass";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "tracker", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

const css = compile(join(root, "assets", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "css", "app.css"), css.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "js", "govuk-frontend.min.js"));
for (const script of ["app.mjs", "review.mjs"]) {
  cpSync(join(root, "assets", "js", script), join(out, "js", script));
}
cpSync(join(root, "assets", "favicon.svg"), join(out, "favicon.svg"));
console.log("assets built in tracker/static/");
