/* Search over the jurisdiction pages and articles with Pagefind's index, narrowed by state and kind.
   Results are built with DOM methods: excerpts keep only Pagefind's <mark> highlights. */
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form || !window.fetch) return;
  var input = form.elements.q, results = form.querySelector(".search-results"), count = form.querySelector(".filter-count");
  var engine = null, latest = 0;

  function excerpt(html) {
    var p = document.createElement("p");
    var parsed = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html").body;
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") { var m = document.createElement("mark"); m.textContent = node.textContent; p.appendChild(m); }
      else p.appendChild(document.createTextNode(node.textContent));
    });
    return p;
  }

  function show(items) {
    results.textContent = "";
    items.forEach(function (data) {
      var li = document.createElement("li"), link = document.createElement("a");
      link.href = data.url;
      link.textContent = data.meta.title || data.url;
      li.appendChild(link);
      var tags = [data.meta.kind, data.meta.state].filter(Boolean).join(" · ");
      if (tags) { var t = document.createElement("span"); t.className = "muted"; t.textContent = " " + tags; li.appendChild(t); }
      li.appendChild(excerpt(data.excerpt || ""));
      results.appendChild(li);
    });
  }

  async function run() {
    var ticket = ++latest, term = input.value.trim();
    if (!term) { results.textContent = ""; count.textContent = ""; return; }
    var found = await engine.search(term);
    var data = await Promise.all(found.results.slice(0, 50).map(function (r) { return r.data(); }));
    if (ticket !== latest) return; // a newer search has started
    var state = form.elements.state.value, kind = form.elements.kind.value;
    var kept = data.filter(function (d) {
      return (!state || d.meta.state === state) && (!kind || d.meta.kind === kind);
    });
    show(kept);
    count.textContent = kept.length + (kept.length === 1 ? " result" : " results") + " for “" + term + "”.";
  }

  import(form.getAttribute("data-bundle") + "pagefind.js").then(function (pagefind) {
    engine = pagefind;
    // The index holds root-relative addresses; results must follow the site's base path.
    pagefind.options({ baseUrl: form.getAttribute("data-base") || "/" });
    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    input.addEventListener("input", function () { clearTimeout(form._t); form._t = setTimeout(run, 200); });
    form.addEventListener("change", run);
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; run(); }
  });
})();
