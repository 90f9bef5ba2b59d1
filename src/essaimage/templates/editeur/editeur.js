// essaimage's editor, progressive enhancement: without this script every button submits the
// form and the server answers with the page. With it, each change is checked as it is typed
// (POST /verifier, the same pipeline as « essaimage validate - »): the findings are put beside
// their fields and in the summary, and no control is ever rebuilt, so the field being typed in
// keeps its focus and its caret.
"use strict";
(function () {
  const form = document.getElementById("formulaire");
  if (!form) return;
  const summary = document.getElementById("resume");
  const status = document.getElementById("etat");
  const frame = document.getElementById("cadre-apercu");
  const territory = document.getElementById("territoire");
  const tab = form.elements.namedItem("__onglet");
  const choices = form.querySelectorAll("button[value='ecraser'], button[value='recharger']");
  let unsaved = form.dataset.nonEnregistre === "1";
  let submitting = false;
  let timer = null;
  let sent = 0;
  let shown = 0;

  function refreshPreview(revision) {
    if (!frame || !territory || !territory.value.trim()) return;
    frame.src = "/apercu?territoire=" + encodeURIComponent(territory.value.trim()) +
      "&onglet=" + encodeURIComponent(tab ? tab.value : "") +
      "&revision=" + encodeURIComponent(String(revision));
  }

  // What changed only: the summary is a live region, which a screen reader reads again each
  // time its content is replaced, even by the same words.
  function replaceInner(element, html) {
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const fresh = holder.firstElementChild;
    if (fresh.innerHTML.trim() !== element.innerHTML.trim()) element.replaceChildren(...fresh.childNodes);
  }

  function place(answer) {
    const holder = document.createElement("div");
    holder.innerHTML = answer.resume;
    if (holder.innerHTML.trim() !== summary.innerHTML.trim()) summary.replaceChildren(...holder.childNodes);
    for (const list of form.querySelectorAll("ul.constats")) {
      const name = list.dataset.pour;
      if (Object.prototype.hasOwnProperty.call(answer.constats, name)) {
        replaceInner(list, answer.constats[name]);
      } else if (list.firstChild) {
        list.replaceChildren();
      }
    }
    for (const badge of form.querySelectorAll("summary > .pastille")) {
      const html = answer.pastilles[badge.dataset.pour];
      if (html !== undefined) replaceInner(badge, html);
    }
    const invalid = new Set(answer.invalides);
    for (const control of form.querySelectorAll("input[name], select[name], textarea[name]")) {
      if (invalid.has(control.name)) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    }
    // The outcome of the last action; once the form changed, nothing (« Enregistré… » goes),
    // unless a conflict still waits for its choice: its explanation stays.
    const said = answer.etat || (answer.conflit && status ? status.textContent : "");
    if (status && status.textContent !== said) status.textContent = said;
    // Another tab changed the draft: this page offers « Enregistrer quand même » and « Recharger ».
    for (const button of choices) button.hidden = !answer.conflit;
    refreshPreview(answer.revision);
  }

  async function check() {
    const number = ++sent;
    const body = new URLSearchParams(new FormData(form));
    body.set("__action", "verifier");
    try {
      const response = await fetch("/verifier", {
        method: "POST",
        body: body,
        headers: { "Accept": "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const answer = await response.json();
      if (number < shown) return; // an older answer arriving late
      shown = number;
      place(answer);
    } catch (error) {
      if (status) status.textContent = "La vérification n’a pas pu se faire\u00a0: l’éditeur est-il encore lancé\u202f?";
    }
  }

  function changed(event) {
    if (event.target === territory) return;
    unsaved = true;
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A link of the summary opens the folded section that holds its field, then focuses it.
  function reveal(id) {
    const target = document.getElementById(id);
    if (!target) return;
    for (let node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    const control = target.matches("input, select, textarea, summary")
      ? target : target.querySelector("input, select, textarea, summary");
    if (control) control.focus();
  }
  document.addEventListener("click", function (event) {
    const link = event.target.closest("#resume a[href^='#']");
    if (!link) return;
    event.preventDefault();
    reveal(decodeURIComponent(link.getAttribute("href").slice(1)));
  });
  const focus = form.dataset.focus;
  if (focus) reveal(document.getElementById("f-" + focus) ? "f-" + focus : "s-" + focus);
})();
