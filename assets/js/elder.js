// evalpress 适老化 mode (larger text, higher contrast): the switch in the
// masthead, and the reader's choice remembered across pages.
//
// A classic script loaded synchronously in <head>, before the body is
// parsed: it sets data-elder="on" or "off" on <html> before the first
// paint, so a page in the mode never flashes at the normal size. It is a
// file, not an inline script, so that the page works under
// Content-Security-Policy: script-src 'self'; it sets an attribute, never
// a style.
//
// Without JavaScript the masthead's link to #elder turns the mode on for
// that page alone: site.css applies the mode to
// :root:not([data-elder]):has(#elder:target). This script always sets
// data-elder, so with JavaScript the choice is the script's: opening a
// page at #elder turns the mode on and remembers it.
//
// The switch is enhanced into one button whose aria-pressed says the
// state. Charts (charts.js) redraw with larger text on the
// "evalpress:elder" event.
(() => {
  "use strict";

  const KEY = "evalpress-elder";
  const root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY) === "on";
    } catch (err) {
      return false; // storage refused (private mode, a policy): not remembered
    }
  }

  function remember(on) {
    try {
      if (on) window.localStorage.setItem(KEY, "on");
      else window.localStorage.removeItem(KEY);
    } catch (err) {
      // Not remembered; the page still switches.
    }
  }

  let button = null;

  function apply(on) {
    root.setAttribute("data-elder", on ? "on" : "off");
    if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
    document.dispatchEvent(new CustomEvent("evalpress:elder", { detail: { on } }));
  }

  // An address ending in #elder (a bookmark, or a link someone was
  // sent) turns the mode on and remembers it. The fragment is then taken
  // off the address: the mode is the script's to switch, and switching
  // it off must not be undone by a reload.
  function fromFragment() {
    if (window.location.hash !== "#elder") return false;
    remember(true);
    try {
      window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    } catch (err) {
      // An address that cannot be replaced keeps its fragment; the CSS
      // of the mode without JavaScript does not apply once data-elder is set.
    }
    return true;
  }

  root.setAttribute("data-elder", fromFragment() || stored() ? "on" : "off");

  window.addEventListener("hashchange", () => {
    if (fromFragment()) apply(true);
  });

  function enhance() {
    const box = document.querySelector(".elder-switch");
    if (!box) return;
    button = document.createElement("button");
    button.type = "button";
    button.className = "elder-button";
    button.textContent = box.getAttribute("data-label") || "适老化模式";
    button.setAttribute("aria-pressed", root.getAttribute("data-elder") === "on" ? "true" : "false");
    button.addEventListener("click", () => {
      const on = root.getAttribute("data-elder") !== "on";
      remember(on);
      apply(on);
    });
    box.replaceChildren(button);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
