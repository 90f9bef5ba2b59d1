// Drives `essaimage editer` in headless Chromium as a person would, with the mouse and the
// keyboard, and prints what it saw as JSON. Used by tests/test_editeur_navigateur.py, which
// asserts it.
// Usage: node editeur.mjs ADDRESS FILE PAGES_DIR [--capture PNG]
//   (with --capture, only the picture of docs/editeur.md: the page with one finding showing;
//   made on `essaimage editer innovations/pedibus.yaml --sans-navigateur --port 0` run in a copy
//   of examples/)
//   ADDRESS: the address `essaimage editer` printed (with its one-time token);
//   FILE: the edited file on disk (the conflict step appends a line to it);
//   PAGES_DIR: where the HTML of each page state is written (for the W3C validator).
// Needs playwright-core and axe-core in the node_modules folder ESSAIMAGE_PLAYWRIGHT names, and
// CHROMIUM, the browser's path. Every request is routed: one that leaves 127.0.0.1 is aborted
// and reported.
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const require = createRequire(join(resolve(process.env.ESSAIMAGE_PLAYWRIGHT), "index.js"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const args = process.argv.slice(2);
const [address, file, pagesDir] = args.splice(0, 3);
const capture = args[0] === "--capture" ? args[1] : null;
const origin = new URL(address).origin;
const results = { requests: [], outside: [], dialogs: [], axe: {}, steps: {}, times: {} };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: "fr-FR" });

// Every request of every context and frame: logged, and aborted unless it goes to 127.0.0.1.
async function watch(ctx, label) {
  await ctx.route("**/*", (route) => {
    const url = route.request().url();
    results.requests.push({ context: label, url });
    if (new URL(url).hostname === "127.0.0.1") return route.continue();
    results.outside.push({ context: label, url });
    return route.abort("blockedbyclient");
  });
}
function dialogs(page) {
  page.on("dialog", async (d) => { results.dialogs.push(`${d.type()}: ${d.message()}`); await d.accept(); });
}

// axe-core's WCAG 2.1 A and AA rules on the page as it is now. The page's policy allows no
// inline script, so axe is evaluated by the browser's debugging protocol, not a <script>; the
// kit preview is a sandboxed frame where no script runs: it is checked on its own.
async function axe(page, state) {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, iframes: false });
    return { passes: result.passes.length, violations: result.violations.map((v) => ({ id: v.id,
      impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) })) };
  }, AXE_TAGS);
  results.axe[state] = found;
}
async function save(page, name) {
  writeFileSync(join(pagesDir, `${name}.html`), await page.content());
}
async function step(name, body) {
  const start = Date.now();
  try {
    results.steps[name] = await body();
  } catch (error) {
    results.steps[name] = { error: String(error && error.stack || error) };
  }
  results.times[name] = Date.now() - start;
}

class Capture extends Error {} // the picture taken: nothing else to do
const byId = (id) => `[id="${id}"]`;
const focused = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);
const listText = (page, id) => page.evaluate((i) => {
  const list = document.getElementById(i);
  return list ? list.textContent.trim() : null;
}, id);
// waits until the page shows what `predicate` says (a check's answer put in place)
async function checked(page, predicate, arg) {
  await page.waitForFunction(predicate, arg, { timeout: 10000 });
}

try {
  await watch(context, "avec-script");
  const page = await context.newPage();
  dialogs(page);

  // --capture: only the picture of the documentation, the Pédibus with one finding showing
  if (capture) {
    await page.goto(address);
    const field = page.locator(byId("f-id"));
    await field.fill("Pédibus");
    await checked(page, () => document.getElementById("c-id").children.length > 0);
    await page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, 0); });
    await page.screenshot({ path: capture });
    await field.fill("pedibus");
    await checked(page, () => document.getElementById("c-id").children.length === 0);
    throw new Capture();
  }

  await step("jeton", async () => {
    const first = await page.goto(address);
    const cookies = await context.cookies(origin);
    const after = page.url();
    const reloaded = await page.reload();
    return {
      status: first.status(), url: after, cookies: cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite })),
      reloadStatus: reloaded.status(), reloadHasForm: await page.locator("#formulaire").count() === 1,
      title: await page.title(),
    };
  });
  await save(page, "initial");
  await axe(page, "initial");

  // Tab from the top of the page to the end: every control that is shown is reached, in order.
  await step("tabulation", async () => {
    const expected = await page.evaluate(() => [...document.querySelectorAll(
      "a[href], button, input, select, textarea, summary")]
      .filter((e) => e.checkVisibility() && !e.disabled)
      .map((e) => e.id || `${e.tagName.toLowerCase()}:${(e.value || e.textContent || "").trim().slice(0, 60)}`));
    await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
    const reached = [];
    let stop = "fin";
    const unmarked = [];
    for (let i = 0; i < expected.length + 5; i++) {
      await page.keyboard.press("Tab");
      const [here, outline] = await page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return [null, null];
        const style = getComputedStyle(e);
        return [e.id || `${e.tagName.toLowerCase()}:${(e.value || e.textContent || "").trim().slice(0, 60)}`,
                style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2];
      });
      if (here === null || reached.includes(here)) { stop = here; break; }
      reached.push(here);
      if (!outline) unmarked.push(here); // the focus must show (WCAG 2.4.7)
    }
    return { expected, reached, stop, unmarked };
  });

  // WCAG 1.4.10 (reflow): at 320 px, nothing scrolls sideways, sections open
  await step("etroit", async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    const opened = await page.evaluate(() => {
      const all = [...document.querySelectorAll("details.section")];
      for (const d of all) d.open = true;
      return all.length;
    });
    const measured = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      wide: [...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > 321)
        .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}#${e.id}`),
    }));
    await page.evaluate(() => { for (const d of document.querySelectorAll("details.section")) d.open = false; });
    await page.setViewportSize({ width: 1100, height: 900 });
    return { opened, ...measured };
  });

  // A folded section opens and closes with the keyboard (Enter, then Space, on its summary).
  await step("sections", async () => {
    const summary = page.locator(`${byId("s-etapes")} > summary`);
    const open = () => page.evaluate(() => document.getElementById("s-etapes").open);
    const before = await open();
    await summary.focus();
    await page.keyboard.press("Enter");
    const afterEnter = await open();
    await page.keyboard.press("Space");
    const afterSpace = await open();
    await summary.click();
    const afterClick = await open();
    await summary.click();
    return { before, afterEnter, afterSpace, afterClick, afterSecondClick: await open() };
  });

  // Emptying `nom` shows its finding beside the field and in the summary; the field keeps the
  // focus, its node and its value while the findings come and go; writing a name again clears it.
  await step("saisie", async () => {
    const field = page.locator(byId("f-nom"));
    await field.click();
    await page.evaluate(() => { document.getElementById("f-nom").dataset.marque = "même-nœud"; });
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    await checked(page, () => document.getElementById("c-nom").children.length > 0);
    const shown = {
      beside: await listText(page, "c-nom"),
      summary: await listText(page, "resume"),
      summaryLive: await page.evaluate(() => document.getElementById("resume").getAttribute("aria-live")),
      invalid: await field.getAttribute("aria-invalid"),
      focus: await focused(page),
      value: await field.inputValue(),
    };
    await save(page, "constats");
    await axe(page, "constats");
    // keep typing while checks come back: the answers never take the caret nor the letters
    await page.keyboard.type("Pédibus des écoles", { delay: 60 });
    await checked(page, () => document.getElementById("c-nom").children.length === 0);
    await page.waitForTimeout(700); // the last check's answer too
    // a check that finds the same: the live summary is left alone (a screen reader would read
    // it all again)
    await page.evaluate(() => {
      window.mutations = 0;
      new MutationObserver((m) => { window.mutations += m.length; }).observe(
        document.getElementById("resume"), { childList: true, subtree: true, characterData: true });
    });
    await Promise.all([page.waitForResponse((r) => r.url().endsWith("/verifier")), page.keyboard.type("s")]);
    await Promise.all([page.waitForResponse((r) => r.url().endsWith("/verifier")), page.keyboard.press("Backspace")]);
    await page.waitForTimeout(100);
    const summaryMutations = await page.evaluate(() => window.mutations);
    return {
      summaryMutations,
      shown,
      after: {
        beside: await listText(page, "c-nom"),
        summary: await listText(page, "resume"),
        invalid: await field.getAttribute("aria-invalid"),
        focus: await focused(page),
        value: await field.inputValue(),
        sameNode: await page.evaluate(() => document.getElementById("f-nom").dataset.marque === "même-nœud"),
        caret: await page.evaluate(() => document.getElementById("f-nom").selectionStart),
      },
    };
  });

  // A number that is not one: found beside its field, and the summary's link leads to it, even
  // once its section is folded; put back, it is gone.
  await step("nombre", async () => {
    const id = "f-moyens.humains.0.etp";
    const field = page.locator(byId(id));
    const original = await field.inputValue();
    await page.locator(`${byId("s-moyens")} > summary`).click(); // unfold the section
    await field.fill("beaucoup");
    await checked(page, (i) => document.getElementById(i).children.length > 0, "c-moyens.humains.0.etp");
    const beside = await listText(page, "c-moyens.humains.0.etp");
    const badge = () => page.locator(`${byId("s-moyens")} > summary > .pastille`).textContent();
    const badgeWith = await badge();
    await page.locator(`${byId("s-moyens")} > summary`).click(); // fold the section
    const foldedBefore = !(await page.evaluate(() => document.getElementById("s-moyens").open));
    const link = page.locator(`#resume a[href="#${id}"]`);
    const links = await link.count();
    await link.focus();
    await page.keyboard.press("Enter");
    const focusAfterLink = await focused(page);
    const openAfterLink = await page.evaluate(() => document.getElementById("s-moyens").open);
    await field.fill(original);
    await checked(page, (i) => document.getElementById(i).children.length === 0, "c-moyens.humains.0.etp");
    // leaving the field is a « change », checked too: its answer comes before the next step
    await Promise.all([page.waitForResponse((r) => r.url().endsWith("/verifier")),
                       page.evaluate(() => document.activeElement.blur())]);
    await page.waitForTimeout(100);
    return { original, beside, badgeWith, badgeAfter: await badge(), foldedBefore, links, focusAfterLink, openAfterLink,
             after: await listText(page, "c-moyens.humains.0.etp") };
  });

  // The kit preview for a chosen territory, in its sandboxed frame.
  await step("apercu", async () => {
    await page.locator("#territoire").fill("lannion.yaml");
    await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === "/apercu" && new URL(r.url()).searchParams.get("territoire") === "lannion.yaml"),
      page.locator("#formulaire-apercu button").click(),
    ]);
    const frame = page.frame({ name: "cadre-apercu" });
    await frame.waitForSelector("h1");
    // the kit is reached with the keyboard too: Tab goes from the button into the frame
    await page.locator("#formulaire-apercu button").focus();
    await page.keyboard.press("Tab");
    // the frame is another process: the focus reaches it a moment later
    await page.waitForFunction(() => document.activeElement.tagName === "IFRAME", null, { timeout: 5000 }).catch(() => {});
    await frame.waitForFunction(() => document.activeElement !== document.body, null, { timeout: 5000 }).catch(() => {});
    const tabInto = {
      frame: await page.evaluate(() => `${document.activeElement.tagName.toLowerCase()}#${document.activeElement.id}`),
      inside: await frame.evaluate(() => document.activeElement && document.activeElement.tagName.toLowerCase()),
    };
    return {
      tabInto,
      text: await frame.locator("body").innerText(),
      sandbox: await page.locator("#cadre-apercu").getAttribute("sandbox"),
      url: frame.url(),
      h1: (await frame.locator("h1").first().textContent()).trim(),
      scripts: await frame.locator("script").count(),
    };
  });

  // The preview's kit on its own (its policy lets no script run, so axe runs with the policy
  // set aside, in a context of its own).
  await step("apercu-axe", async () => {
    const kit = await browser.newContext({ bypassCSP: true, viewport: { width: 1100, height: 900 } });
    await watch(kit, "apercu");
    await kit.addCookies(await context.cookies(origin));
    const p = await kit.newPage();
    const response = await p.goto(`${origin}/apercu?territoire=lannion.yaml`);
    const status = response.status();
    const h1 = (await p.locator("h1").first().textContent()).trim();
    await axe(p, "apercu");
    await kit.close();
    return { status, h1 };
  });
  // « Enregistrer » writes the file (the test compares it with the original, line by line).
  await step("enregistrer", async () => {
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Enregistrer", exact: true }).click()]);
    return { status: await page.locator("#etat").textContent(), nom: await page.locator(byId("f-nom")).inputValue() };
  });
  await save(page, "enregistre");
  await axe(page, "enregistre");
  // Once the form changes again, « Enregistré… » no longer holds: the status line empties.
  await step("apres-enregistrement", async () => {
    const field = page.locator(byId("f-nom"));
    const before = await field.inputValue();
    await field.focus();
    await page.keyboard.press("End");
    await page.keyboard.type("!");
    await page.waitForFunction(() => document.getElementById("etat").textContent === "", null, { timeout: 5000 }).catch(() => {});
    const status = await page.locator("#etat").textContent();
    await field.fill(before);
    await page.waitForTimeout(700);
    return { status };
  });

  // The file changes on disk meanwhile: saving writes nothing and asks what to do.
  await step("conflit", async () => {
    appendFileSync(file, "# ajouté ailleurs\n");
    await page.locator(byId("f-accroche")).fill("Une accroche changée dans l'éditeur, assez longue pour passer la vérification.");
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Enregistrer", exact: true }).click()]);
    const prompt = {
      status: await page.locator("#etat").textContent(),
      overwrite: await page.getByRole("button", { name: "Enregistrer quand même" }).count(),
      reload: await page.getByRole("button", { name: "Recharger le fichier du disque" }).count(),
      fileEnd: readFileSync(file, "utf8").slice(-40),
    };
    await save(page, "conflit");
    await axe(page, "conflit");
    // typing on: the status still says what the two buttons are about
    await Promise.all([page.waitForResponse((r) => r.url().endsWith("/verifier")),
                       page.locator(byId("f-accroche")).press("End").then(() => page.keyboard.type("!"))]);
    await page.waitForTimeout(100);
    prompt.statusWhileTyping = await page.locator("#etat").textContent();
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Recharger le fichier du disque" }).click()]);
    return { prompt, afterReload: {
      status: await page.locator("#etat").textContent(),
      accroche: await page.locator(byId("f-accroche")).inputValue(),
      buttons: await page.getByRole("button", { name: "Enregistrer quand même" }).count(),
    } };
  });

  // The list buttons with the keyboard only: each submits the form, the page comes back with
  // the list changed.
  await step("listes", async () => {
    const sectors = () => page.evaluate(() => [...document.querySelectorAll("select[name^='secteurs.']")].map((s) => s.value));
    const press = async (value, key) => {
      const button = page.locator(`button[value="${value}"]`);
      await button.focus();
      await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
    };
    await page.locator(`${byId("s-secteurs")} > summary`).focus();
    if (!(await page.evaluate(() => document.getElementById("s-secteurs").open))) await page.keyboard.press("Enter");
    const before = await sectors();
    await press("descendre:secteurs.0", "Enter");
    const down = await sectors();
    const focusAfterMove = await focused(page);
    await press("monter:secteurs.1", "Space");
    const up = await sectors();
    await press("ajouter:secteurs", "Enter");
    const added = await sectors();
    const focusAfterAdd = await focused(page);
    await press(`retirer:secteurs.${added.length - 1}`, "Enter");
    return { before, down, focusAfterMove, up, added, focusAfterAdd, removed: await sectors() };
  });
  // Without JavaScript: « Vérifier » sends the form and the page comes back with the findings.
  await step("sans-script", async () => {
    const nojs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 }, locale: "fr-FR" });
    await watch(nojs, "sans-script");
    await nojs.addCookies(await context.cookies(origin));
    const p = await nojs.newPage();
    dialogs(p);
    const response = await p.goto(`${origin}/`);
    await p.locator(byId("f-nom")).fill("");
    await Promise.all([p.waitForNavigation(), p.getByRole("button", { name: "Vérifier" }).click()]);
    const back = {
      status: response.status(), url: p.url(),
      beside: await listText(p, "c-nom"), summary: await listText(p, "resume"),
      invalid: await p.locator(byId("f-nom")).getAttribute("aria-invalid"),
    };
    await save(p, "sans-script");
    // axe needs a script: the same page, as served, is checked in a page where scripts run
    const html = await p.content();
    await nojs.close();
    const q = await context.newPage();
    await q.route(`${origin}/sans-script`, (route) => route.fulfill({
      status: 200, contentType: "text/html; charset=utf-8", body: html.replace('<script src="/statique/editeur.js" defer></script>', ""),
      headers: { "Content-Security-Policy": "default-src 'self'" } }));
    await q.goto(`${origin}/sans-script`);
    await axe(q, "sans-script");
    await q.close();
    return back;
  });

  // Another browser, without the cookie: « Accès refusé ».
  await step("refus", async () => {
    const other = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    await watch(other, "sans-cookie");
    const p = await other.newPage();
    const response = await p.goto(`${origin}/`);
    const refused = { status: response.status(), h1: await p.locator("h1").textContent() };
    const again = await p.goto(address); // the token served once
    refused.tokenAgain = again.status();
    await save(p, "refus");
    await axe(p, "refus");
    await other.close();
    return refused;
  });

} catch (error) {
  if (!(error instanceof Capture)) throw error;
} finally {
  await browser.close();
  process.stdout.write(JSON.stringify(results));
}
