// The import review without reloads. Progressive enhancement: without this script every button
// posts the form and the page comes back at the item's anchor. With it, the same request is
// sent with fetch and the screen is swapped in place, so the reader keeps their place, their
// focus and the source text beside them.
import { initAll } from "./govuk-frontend.min.js";

const SAVE_OPERATIONS = new Set(["confirm", "confirm-anyway"]);

function currentForm() {
  return document.getElementById("review-form");
}

// The item (or panel) a button belongs to, so the screen can be put back where it was.
function anchorOf(element) {
  const holder = element && element.closest("[id^='item-'], #bulk, #add-item, #count-from, #source");
  return holder ? holder.id : null;
}

function anchorFromAction(button) {
  const action = button.getAttribute("formaction") || "";
  const hash = action.indexOf("#");
  return hash >= 0 ? action.slice(hash + 1) : null;
}

async function submitInPlace(form, button) {
  const target = anchorFromAction(button) || anchorOf(button);
  const before = document.getElementById(anchorOf(button) || "");
  const offset = before ? before.getBoundingClientRect().top : 0;
  const focusedId = document.activeElement && document.activeElement.id;
  const body = new FormData(form);
  body.set("operation", button.value);
  button.disabled = true;
  let response;
  try {
    response = await fetch(form.dataset.reviewUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-Requested-With": "fetch" },
    });
  } catch (error) {
    response = null;
  }
  const isPage = response && response.type !== "opaqueredirect" &&
    (response.headers.get("Content-Type") || "").includes("text/html");
  const page = isPage ? new DOMParser().parseFromString(await response.text(), "text/html") : null;
  const fresh = page && page.getElementById("review-screen");
  if (!fresh) {
    // A redirect (the upload expired), a failed request or another page: post the form as
    // usual, so the browser shows whatever the server says, messages included.
    button.disabled = false;
    form.dataset.plain = "true";
    form.requestSubmit(button);
    return;
  }
  document.title = page.title;
  const screen = document.getElementById("review-screen");
  screen.replaceWith(fresh);
  initAll({ scope: fresh });
  afterSwap(fresh, target, offset, focusedId);
}

function afterSwap(screen, target, offset, focusedId) {
  const summary = screen.querySelector(".govuk-error-summary");
  if (summary) {
    summary.scrollIntoView();
    summary.focus();
    return;
  }
  const anchor = target && document.getElementById(target);
  if (anchor) {
    window.scrollBy(0, anchor.getBoundingClientRect().top - offset);
  }
  const focus = (focusedId && document.getElementById(focusedId)) || (anchor && anchor.querySelector("legend, h3"));
  if (focus) {
    if (!focus.matches("input, textarea, button, select, a")) {
      focus.setAttribute("tabindex", "-1");
    }
    focus.focus({ preventScroll: true });
  }
  showSourceFor(document.activeElement);
}

// Beside the item being edited: mark its passage in the report's text and bring it into view.
function showSourceFor(element) {
  const item = element && element.closest && element.closest(".app-review-item");
  const text = document.getElementById("source-text");
  if (!item || !text) {
    return;
  }
  const current = document.getElementById("source-current");
  text.querySelectorAll(".app-source-passage--current").forEach((mark) => {
    mark.classList.remove("app-source-passage--current");
  });
  const origins = (item.dataset.origin || "").split(",").filter(Boolean);
  const marks = origins.map((origin) => document.getElementById(`source-${origin}`)).filter(Boolean);
  marks.forEach((mark) => mark.classList.add("app-source-passage--current"));
  if (marks.length) {
    text.scrollTop = marks[0].offsetTop - text.offsetTop - 24;
  }
  if (current) {
    const legend = item.querySelector("legend");
    const summary = item.querySelector(".app-review-origin summary");
    current.textContent = `${legend ? legend.textContent : "This item"}: ${
      marks.length ? "its passage is marked in the text below." : "its passage was not found in the text."
    }${summary ? ` ${summary.textContent.trim()}.` : ""}`;
    current.hidden = false;
  }
}

// "Add the selected text as an item": offered while text in the report is selected.
function selectedSourceText() {
  const selection = window.getSelection();
  const text = document.getElementById("source-text");
  if (!selection || selection.isCollapsed || !text) {
    return "";
  }
  const range = selection.getRangeAt(0);
  return text.contains(range.commonAncestorContainer) ? selection.toString().trim() : "";
}

document.addEventListener("selectionchange", () => {
  const button = document.getElementById("add-selection");
  if (button) {
    button.hidden = selectedSourceText() === "";
  }
});

document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("#add-selection");
  if (!button) {
    return;
  }
  const form = currentForm();
  const text = selectedSourceText();
  const field = form && form.querySelector("[name='new_item_text']");
  const add = form && form.querySelector("button[value='add-text']");
  if (text && field && add) {
    field.value = text;
    submitInPlace(form, add);
  }
});

document.addEventListener("focusin", (event) => showSourceFor(event.target));

document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  if (form.id !== "review-form" || !button || SAVE_OPERATIONS.has(button.value) || form.dataset.plain) {
    return; // saving leaves the page: an ordinary post
  }
  event.preventDefault();
  submitInPlace(form, button);
});

// Ticking an item's "Select" box opens "Change several items at once", where the ticked items
// are given owners or a deadline (the page opens it too when it comes back with items ticked).
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box instanceof HTMLInputElement && box.type === "checkbox" && /^items-\d+-selected$/.test(box.name) && box.checked) {
    const bulk = document.getElementById("bulk");
    if (bulk) bulk.open = true;
  }
});
