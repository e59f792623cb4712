/* Sanctuary Grants Tracker: map popups and table sorting. The page works without this file. */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // text, never HTML: data cannot inject markup
    return node;
  }

  function popupFor(p) {
    var box = el("div", "popup");
    box.appendChild(el("strong", "popup-name", p.name));
    box.appendChild(el("p", null, "Status: " + p.status_label));
    box.appendChild(el("p", null, "FY2016 JAG: " + p.fy2016));
    var link = el("a", null, "Open the page for " + p.name);
    link.href = p.url;
    box.appendChild(link);
    return box;
  }

  // Called by the map layer for each jurisdiction (see tracker/maps.py).
  window.trackerFeature = function (feature, layer) {
    var p = feature.properties;
    layer.bindTooltip(el("span", null, p.name), { direction: "top", offset: [0, -10] });
    layer.bindPopup(popupFor(p));
    layer.on("add", function () {
      var icon = layer.getElement && layer.getElement();
      if (!icon) return;
      icon.setAttribute("role", "button");
      icon.setAttribute("aria-label", p.name + ", " + p.status_label);
      icon.setAttribute("data-id", p.id);
    });
    layer.on("popupopen", function (e) {
      var link = e.popup.getElement().querySelector("a[href]");
      if (link) link.focus();
    });
  };

  function cellValue(row, index) {
    var cell = row.children[index];
    var sortKey = cell.getAttribute("data-sort");
    return sortKey !== null ? parseFloat(sortKey) : cell.textContent.trim().toLowerCase();
  }

  function sortTable(table, index, header) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function makeSortable(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = el("button", "sort", th.textContent);
      button.type = "button";
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortTable(table, index, th); });
    });
  }

  document.querySelectorAll("table.sortable").forEach(makeSortable);
})();
