// Opens HTML pages in headless Chromium at a phone's width and says, for each, how wide the page
// is and which tables (or their frames) scroll sideways. Used by tests/test_navigateur.py.
// Usage: node largeur.mjs WIDTH HEIGHT USER_DATA_DIR [--captures DIR] FILE.html...
// Needs playwright-core in the node_modules folder ESSAIMAGE_PLAYWRIGHT names, and CHROMIUM, the
// browser's path.
import { createRequire } from "node:module";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const { chromium } = createRequire(join(resolve(process.env.ESSAIMAGE_PLAYWRIGHT), "index.js"))("playwright-core");

const args = process.argv.slice(2);
const [width, height] = args.splice(0, 2).map(Number);
const userDataDir = args.shift();
let captures = null;
if (args[0] === "--captures") { args.shift(); captures = args.shift(); }
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  viewport: { width, height },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const results = [];
try {
  for (const file of args) {
    const page = await context.newPage();
    const external = [];
    page.on("request", (r) => { if (!/^(file|data):/.test(r.url())) external.push(r.url()); });
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    const measured = await page.evaluate(() => {
      const name = (element) => {
        const region = element.closest("[aria-labelledby]");
        const label = region && document.getElementById(region.getAttribute("aria-labelledby"));
        const caption = element.querySelector("caption") || label;
        return `${element.tagName.toLowerCase()}${caption ? ` « ${caption.textContent.trim()} »` : ""}`;
      };
      const wide = [];
      for (const element of document.querySelectorAll("table, .tableau")) {
        if (element.scrollWidth > element.clientWidth) {
          wide.push({ element: name(element), scrollWidth: element.scrollWidth, clientWidth: element.clientWidth });
        }
      }
      return { scrollWidth: document.documentElement.scrollWidth, tables: document.querySelectorAll("table").length, wide };
    });
    if (captures) await page.screenshot({ path: `${captures}/${basename(resolve(file, ".."))}-${basename(file, ".html")}.png`, fullPage: true });
    results.push({ file, ...measured, external });
    await page.close();
  }
} finally {
  await context.close();
}
process.stdout.write(JSON.stringify(results));
