// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // After htmx swaps in new content, move focus to the element that asks for it, so
  // keyboard and screen-reader users land on what changed.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt && event.detail.elt.isConnected ? event.detail.elt : document;
    var focusable = target.querySelector("[data-autofocus]") || document.querySelector("[data-autofocus]");
    if (focusable) {
      focusable.focus();
      focusable.removeAttribute("data-autofocus");
    }
  });

  // Enter on a radio answer submits its form, as it does in a text field.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || !target.matches || !target.matches("input[type=radio]")) return;
    if (target.form) {
      event.preventDefault();
      target.form.requestSubmit();
    }
  });

  // Buttons with data-confirm ask first; without JavaScript they submit directly.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });

  // Copy buttons: <button data-copy-target="#id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy-target"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.value || source.textContent).then(function () {
      button.textContent = "Copied";
    });
  });
})();
