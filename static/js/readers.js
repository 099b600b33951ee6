/* The readers' part of an article page (danvan/portal/templates/portal/readers/_article_readers.html).
 * The page is cached and holds no form: fetch the forms from their uncached fragments, send them
 * without leaving the page, and count the view with a beacon. Without JavaScript the links to the
 * standalone pages stay, and no view is counted. */
(function () {
  "use strict";

  function wire(slot) {
    slot.querySelectorAll("form[data-readers-form]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = form.querySelector("[type=submit]");
        if (button) { button.disabled = true; }
        fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
          .then(function (response) {
            if (response.status !== 200 && response.status !== 429) { throw new Error(String(response.status)); }
            return response.text();
          })
          .then(function (html) {
            slot.innerHTML = html;
            wire(slot);
            var focus = slot.querySelector("[role=alert], [role=status]");
            if (focus) { focus.setAttribute("tabindex", "-1"); focus.focus(); }
          })
          .catch(function () {
            // The fragment failed (e.g. an expired token): send the form to its standalone page.
            if (button) { button.disabled = false; }
            form.action = form.getAttribute("data-readers-page") || form.action;
            form.submit();
          });
      });
    });
  }

  function load(slot) {
    return fetch(slot.getAttribute("data-readers-src"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) { slot.innerHTML = html; wire(slot); })
      .catch(function () { /* keep the link to the standalone page */ });
  }

  // One after the other: on a first visit the first answer sets the CSRF cookie, and the
  // second form must carry a token of that same cookie.
  Array.prototype.reduce.call(document.querySelectorAll("[data-readers-src]"), function (done, slot) {
    return done.then(function () { return load(slot); });
  }, Promise.resolve());

  var beacon = document.querySelector("[data-view-beacon]");
  if (beacon && navigator.sendBeacon) {
    navigator.sendBeacon(beacon.getAttribute("data-view-beacon"), "v=1");
  }
})();
