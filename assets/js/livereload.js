// evalpress serve only: the preview server adds this script to every page
// it serves (never to a built site). It listens to the server's event
// stream, reloads the page when the site was rebuilt, and shows the build's
// diagnostics over the page while the content has errors. Everything is
// built with DOM calls and styled by the server's stylesheet, so it runs
// under the portal's Content-Security-Policy (no inline script or style).
// It is an ES module: the preview is always served over HTTP.

// The script stands at <base>assets/js/livereload.js.
const base = new URL("../../", import.meta.url);
const OVERLAY = "evalpress-overlay";

function hide() {
  const old = document.getElementById(OVERLAY);
  if (old) old.remove();
}

function show(text) {
  hide();
  const overlay = document.createElement("div");
  overlay.id = OVERLAY;
  overlay.setAttribute("role", "alertdialog");
  overlay.setAttribute("aria-labelledby", OVERLAY + "-title");
  const box = document.createElement("div");
  box.className = "evalpress-box";
  const title = document.createElement("h2");
  title.id = OVERLAY + "-title";
  title.textContent = "构建失败：页面仍是上次成功生成的版本";
  const pre = document.createElement("pre");
  pre.textContent = text;
  const hint = document.createElement("p");
  hint.textContent = "改正并保存文件后，本页自动刷新，提示随之消失。";
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "暂时关闭";
  close.addEventListener("click", hide);
  box.append(title, pre, hint, close);
  overlay.appendChild(box);
  document.body.appendChild(overlay);
}

function listen() {
  const css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = new URL("__evalpress/overlay.css", base).href;
  document.head.appendChild(css);

  let build = null;
  const events = new EventSource(new URL("__evalpress/events", base));
  // "hello" comes first on every connection: a different build count means
  // the site changed (or the server restarted) while the page was away.
  events.addEventListener("hello", (e) => {
    if (build !== null && build !== e.data) location.reload();
    build = e.data;
  });
  events.addEventListener("reload", () => location.reload());
  // The stream's own connection errors are "error" events too, without
  // data; EventSource reconnects by itself after those.
  events.addEventListener("error", (e) => {
    if (typeof e.data === "string") show(JSON.parse(e.data));
  });
}

if (typeof EventSource !== "undefined") listen();
