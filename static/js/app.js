// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // htmx itself focuses the first [autofocus] element it swaps in, so keyboard and
  // screen-reader users land on what changed.

  // A failed htmx request leaves the page as it was and says so where the user acted,
  // instead of failing silently.
  var FAILURE_MESSAGES = {
    0: "Could not reach the server: check your connection and try again. Nothing was saved.",
    403: "You do not have permission to do that. A team owner can give you editor rights.",
    404: "This is no longer here: it was deleted, or your access changed. Reload the page.",
    413: "That is more than the server accepts in one request. Send less at a time.",
    429: "Too many requests in a short time. Wait a minute and try again."
  };

  function failureMessage(status) {
    if (FAILURE_MESSAGES[status]) return FAILURE_MESSAGES[status];
    if (status >= 500) {
      return "Something went wrong on our side (error " + status + "), so your last change " +
        "may not have been saved. Reload the page to see what was, then try again.";
    }
    return "The request failed (error " + status + "). Reload the page and try again.";
  }

  function placeFor(element) {
    return element.closest("form, section, article, .card, #main") || document.getElementById("main");
  }

  function showFailure(element, status) {
    var place = placeFor(element);
    var box = place.querySelector(":scope > .htmx-failure");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger htmx-failure";
      box.setAttribute("role", "alert");
      box.setAttribute("tabindex", "-1");
      place.insertBefore(box, place.firstChild);
    }
    box.textContent = failureMessage(status);
    box.focus();
  }

  document.addEventListener("htmx:responseError", function (event) {
    showFailure(event.detail.elt, event.detail.xhr.status);
  });
  document.addEventListener("htmx:sendError", function (event) {
    showFailure(event.detail.elt, 0);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful || !event.detail.elt.isConnected) return;
    var box = placeFor(event.detail.elt).querySelector(":scope > .htmx-failure");
    if (box) box.remove();
  });

  // A flowchart wider than its column scrolls sideways: open it where the highlighted path
  // begins, not at its left edge.
  document.querySelectorAll(".diagram-scroll").forEach(function (box) {
    var start = box.querySelector("g.on-path[data-id]");
    if (!start) return;
    var outer = box.getBoundingClientRect();
    var inner = start.getBoundingClientRect();
    box.scrollLeft += inner.left + inner.width / 2 - (outer.left + outer.width / 2);
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
