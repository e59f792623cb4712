/* Preview only (python build.py serve): reload this tab when the site is rebuilt. */
(function () {
  "use strict";
  var seen = document.currentScript && document.currentScript.dataset.version;
  function poll() {
    fetch("/__version?after=" + encodeURIComponent(seen), { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : seen; })
      .then(function (v) { if (v !== seen) location.reload(); else poll(); })
      .catch(function () { setTimeout(poll, 500); }); // the preview is restarting: keep asking
  }
  poll();
})();
