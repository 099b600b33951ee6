// Fill the commune list when a province is chosen from the public units API
// (/api/v1/units/provinces/<code>/communes); the form works without it: the
// "show communes" button asks the server instead. Also shows the legal
// guidance of the chosen kind only.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-communes-url]");
    if (!form) { return; }
    var province = form.querySelector("select[name=province]");
    var commune = form.querySelector("select[name=commune]");
    var anonymous = form.querySelector("input[name=is_anonymous]");
    var identity = form.querySelector(".identity");
    if (anonymous && identity) {
      var sync = function () { identity.hidden = anonymous.checked; };
      anonymous.addEventListener("change", sync);
      sync();
    }
    // Show the legal guidance of the chosen kind only, and the boxes that concern it.
    var kinds = form.querySelectorAll("input[name=kind]");
    var guides = form.querySelectorAll(".kind-guide");
    var onlyDenunciation = form.querySelector(".only-denunciation");
    var onlyPublic = form.querySelector(".only-public");
    var showKind = function () {
      var chosen = "";
      kinds.forEach(function (input) { if (input.checked) { chosen = input.value; } });
      guides.forEach(function (guide) {
        var mine = guide.getAttribute("data-kind") === chosen;
        guide.hidden = !mine;
        guide.classList.toggle("chosen", mine);
      });
      if (onlyDenunciation) { onlyDenunciation.hidden = chosen !== "denunciation"; }
      if (onlyPublic) { onlyPublic.hidden = chosen !== "feedback" && chosen !== "recommendation"; }
    };
    kinds.forEach(function (input) { input.addEventListener("change", showKind); });
    showKind();
    if (!province || !commune) { return; }
    var prompt = commune.options.length ? commune.options[0].text : "";
    province.addEventListener("change", function () {
      commune.length = 0;
      commune.add(new Option(prompt, ""));
      if (!province.value) { return; }
      var url = form.getAttribute("data-communes-url") + encodeURIComponent(province.value) + "/communes";
      fetch(url, { headers: { "Accept": "application/json", "Accept-Language": document.documentElement.lang || "vi" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (items) {
          commune.options[0].text = form.getAttribute("data-commune-prompt") || prompt;
          items.sort(function (a, b) { return a.name.localeCompare(b.name, "vi"); });
          items.forEach(function (item) { commune.add(new Option(item.name, String(item.code))); });
        })
        .catch(function () { document.documentElement.classList.remove("js"); });
    });
  });
})();
