// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("nhsuk-frontend-supported");

  function init() {
    showDestination();
    // Move focus to the error summary so screen readers hear the problems first.
    var summary = document.querySelector(".nhsuk-error-summary");
    if (summary) {
      summary.focus();
    }
    // A second click on "Beställ" must not send the form twice (the server's
    // idempotency key also guards against it).
    document.querySelectorAll("button[data-prevent-double-click]").forEach(function (button) {
      var form = button.form;
      if (!form) {
        return;
      }
      form.addEventListener("submit", function (event) {
        if (form.dataset.submitted === "true") {
          event.preventDefault();
          return;
        }
        form.dataset.submitted = "true";
      });
    });
  }

  // The ordering form: show only the details of the chosen destination. Without this
  // script both groups stay visible and the server ignores the other one.
  function showDestination() {
    var chosen = document.querySelector("input[name='destination']:checked");
    if (!chosen) {
      return;
    }
    document.querySelectorAll("[data-destination]").forEach(function (group) {
      group.hidden = group.dataset.destination !== chosen.value;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "destination") {
      showDestination();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
