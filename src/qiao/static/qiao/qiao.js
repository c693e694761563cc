/* Qiao: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    // Auto-submit selects marked data-autosubmit (the language switcher).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form) select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
      });
    });
    // htmx may have changed the URL (filters, pages): send the language form back to where we are now.
    document.querySelectorAll("form.lang-form").forEach(function (form) {
      form.addEventListener("submit", function () {
        var next = form.querySelector("input[name=next]");
        if (next) next.value = window.location.pathname + window.location.search;
      });
    });
    // Copy buttons: <button data-copy="#element-id">.
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-copy]");
      if (!button) return;
      var source = document.querySelector(button.getAttribute("data-copy"));
      if (!source) return;
      var text = source.value !== undefined ? source.value : source.textContent;
      var done = function () {
        var original = button.textContent;
        button.textContent = button.getAttribute("data-copied") || "✓";
        setTimeout(function () { button.textContent = original; }, 1800);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text.trim()).then(done);
      } else if (source.select) {
        source.select();
        try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ }
      }
    });
    // Close open <details> dropdowns on Escape or an outside click.
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      document.querySelectorAll("details.dropdown[open]").forEach(function (d) {
        d.removeAttribute("open");
        var s = d.querySelector("summary"); if (s) s.focus();
      });
    });
    document.addEventListener("click", function (event) {
      document.querySelectorAll("details.dropdown[open]").forEach(function (d) {
        if (!d.contains(event.target)) d.removeAttribute("open");
      });
    });
  });
})();
