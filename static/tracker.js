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
    link.href = p.page;
    box.appendChild(link);
    return box;
  }

  var markers = {};   // jurisdiction id -> Leaflet marker
  var outlines = {};  // jurisdiction id -> Leaflet outline layer (states, counties)
  var linkTarget = null;
  var currentMap = null;

  // Called by the map layer for each jurisdiction (see tracker/render/maps.py).
  window.trackerFeature = function (feature, layer) {
    var p = feature.properties;
    markers[p.id] = layer;
    layer.bindTooltip(el("span", null, p.name), { direction: "top", offset: [0, -10] });
    layer.bindPopup(function () { return popupFor(p); });
    layer.on("add", function () {
      var icon = layer.getElement && layer.getElement();
      if (!icon) return;
      icon.setAttribute("role", "button");
      icon.setAttribute("aria-label", p.name + ", " + p.status_label);
      icon.setAttribute("data-id", p.id);
    });
    layer.on("popupopen", function (e) {
      var popupEl = e.popup.getElement();
      if (!popupEl.hasAttribute("data-escape")) {
        // Leaflet keeps a layer's popup element between openings: one listener, not one more per opening.
        popupEl.setAttribute("data-escape", "");
        popupEl.addEventListener("keydown", function (event) {
          if (event.key === "Escape") layer.closePopup();
        });
      }
      var link = popupEl.querySelector("a[href]");
      if (!link) return;
      if (linkTarget) link.target = linkTarget;
      link.focus();
    });
    layer.on("popupclose", function (e) {
      // Escape or the close button: give focus back to the symbol the reader came from.
      var popupEl = e.popup.getElement();
      var active = document.activeElement;
      if (active === document.body || (popupEl && popupEl.contains(active))) {
        var icon = layer.getElement && layer.getElement();
        if (icon) icon.focus();
      }
    });
  };

  window.trackerOutline = function (feature, layer) {
    outlines[feature.properties.id] = layer;
  };

  function addStates(map, url) {
    if (!url || !window.fetch) return;
    fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      var base = L.geoJSON(data, {
        interactive: false,
        style: { color: "#7a808a", weight: 0.8, fillColor: "#ffffff", fillOpacity: 0.55 }
      });
      base.addTo(map);
      base.bringToBack();
    }).catch(function () { /* tiles or the symbols still show where each jurisdiction is */ });
  }

  function showFromHash(map) {
    // "#row-<id>" is the table row (where the link lands without JavaScript); "#<id>" is the older form.
    var id = decodeURIComponent(location.hash.replace(/^#(row-)?/, ""));
    var marker = markers[id];
    if (!marker) return;
    var row = document.getElementById("row-" + id), form = document.getElementById("filters");
    if (row && row.hidden && form) form.reset(); // a filter hid it: show everything rather than nothing
    var outline = outlines[id];
    if (outline && outline.getBounds) map.fitBounds(outline.getBounds(), { maxZoom: 8 });
    else map.setView(marker.getLatLng(), 8);
    marker.openPopup();
  }

  function guardWheel(map) {
    // Scrolling the page must never zoom the map by accident: the wheel zooms only after the
    // reader clicks or focuses the map, and stops again when the pointer leaves it.
    var container = map.getContainer();
    map.on("click focus", function () { map.scrollWheelZoom.enable(); });
    container.addEventListener("mouseleave", function () { map.scrollWheelZoom.disable(); });
  }

  function matches(values, wanted) {
    return Object.keys(wanted).every(function (key) {
      return !wanted[key] || (" " + values[key] + " ").indexOf(" " + wanted[key] + " ") >= 0;
    });
  }

  function applyFilters(form) {
    var wanted = {};
    Array.prototype.forEach.call(form.elements, function (field) { if (field.name) wanted[field.name] = field.value; });
    var rows = document.querySelectorAll("table.jurisdictions tbody tr");
    var shown = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var ok = matches(row.dataset, wanted);
      row.hidden = !ok;
      if (ok) shown += 1;
      var marker = markers[row.dataset.id], icon = marker && marker.getElement && marker.getElement();
      if (icon) icon.style.display = ok ? "" : "none";
      else if (marker && marker.setStyle) marker.setStyle({ opacity: ok ? 1 : 0, fillOpacity: ok ? 0.9 : 0 });
      var outline = outlines[row.dataset.id];
      if (outline && outline.setStyle) outline.setStyle({ opacity: ok ? 1 : 0, fillOpacity: ok ? 0.25 : 0 });
      if (!ok && marker && marker.isPopupOpen()) marker.closePopup();
    });
    form.querySelector(".filter-count").textContent = "Showing " + shown + " of " + rows.length + " jurisdictions.";
    if (currentMap) spread(currentMap);
  }

  function setUpFilters() {
    var form = document.getElementById("filters");
    if (!form) return;
    form.hidden = false;
    applyFilters(form); // the letters of 24 January 2018 are selected by default
    form.addEventListener("change", function () { applyFilters(form); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function (e) {
      e.preventDefault(); // "Show all" clears every filter, including the default one
      Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) { select.value = ""; });
      applyFilters(form);
    });
  }

  // At country scale several symbols fall within a few pixels of each other (the Bay Area; Chicago and
  // Cook County share a point). Spread each crowded group on a small ring so every symbol keeps a
  // 24 px target of its own (WCAG 2.5.8), and recompute at each zoom.
  var SPACING = 35; // 24 px boxes never overlap when their centres are 24·√2 apart

  var EDGE = 14; // a symbol's centre stays this far inside the map, so none is cut off at its edge

  function keepInside(points, size) {
    points.forEach(function (p) {
      if (!p.inside) return; // off-screen at this zoom: leave it where it belongs
      p.x = Math.min(Math.max(p.x, EDGE), size.x - EDGE);
      p.y = Math.min(Math.max(p.y, EDGE), size.y - EDGE);
      // nor under the zoom buttons: out to their right
      if (size.control && p.x < size.control.x + EDGE && p.y < size.control.y + EDGE) p.x = size.control.x + EDGE;
    });
  }

  function controlCorner(map) {
    // The bottom-right corner of the zoom buttons, in the map's pixels.
    var box = map.zoomControl && map.zoomControl.getContainer().getBoundingClientRect();
    var frame = map.getContainer().getBoundingClientRect();
    return box && box.width ? { x: box.right - frame.left, y: box.bottom - frame.top } : null;
  }

  function relax(points, size) {
    // Push apart any two symbols closer than SPACING until none are (a few dozen rounds suffice), keeping
    // those on screen inside the map: on a phone the whole country is narrow and the pushes reach its edges.
    for (var round = 0; round < 80; round += 1) {
      keepInside(points, size);
      var moved = false;
      for (var i = 0; i < points.length; i += 1) {
        for (var j = i + 1; j < points.length; j += 1) {
          var dx = points[j].x - points[i].x, dy = points[j].y - points[i].y;
          var d = Math.sqrt(dx * dx + dy * dy);
          if (d >= SPACING) continue;
          if (d < 0.01) { dx = Math.cos(j); dy = Math.sin(j); d = 1; } // same point: a fixed direction
          var push = (SPACING - d) / 2 + 0.5;
          points[i].x -= dx / d * push; points[i].y -= dy / d * push;
          points[j].x += dx / d * push; points[j].y += dy / d * push;
          moved = true;
        }
      }
      if (!moved) return;
    }
  }

  function spread(map) {
    var ids = Object.keys(markers).sort().filter(function (id) {
      var icon = markers[id].getElement && markers[id].getElement();
      return icon && icon.style.display !== "none"; // hidden by a filter: leaves room for the others
    });
    var home = ids.map(function (id) { return map.latLngToContainerPoint(markers[id].getLatLng()); });
    var size = map.getSize();
    size.control = controlCorner(map);
    var placed = home.map(function (p) {
      return { x: p.x, y: p.y, inside: p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y };
    });
    relax(placed, size);
    keepInside(placed, size);
    ids.forEach(function (id, k) {
      var icon = markers[id].getElement();
      icon.style.marginLeft = (placed[k].x - home[k].x - 12) + "px";
      icon.style.marginTop = (placed[k].y - home[k].y - 12) + "px";
    });
  }

  // Up to this many jurisdictions each gets a focusable symbol; beyond it (a national data set) the points
  // are drawn on one canvas, and the table and state pages are the accessible way in.
  var SYMBOL_LIMIT = 400;

  function pointLayer(data, symbols) {
    var many = data.features.length > SYMBOL_LIMIT;
    var canvas = many ? L.canvas({ padding: 0.5 }) : null;
    return L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var look = symbols[feature.properties.status] || {};
        if (many) {
          return L.circleMarker(latlng, { renderer: canvas, radius: 4, weight: 1, color: "#1a1a1a", fillColor: look.colour, fillOpacity: 0.9 });
        }
        var icon = L.divIcon({ html: look.html, className: "jm jm-" + feature.properties.status, iconSize: [24, 24], iconAnchor: [12, 12] });
        return L.marker(latlng, { icon: icon, keyboard: true });
      },
      onEachFeature: window.trackerFeature
    });
  }

  function loadPoints(map, container) {
    var url = container && container.getAttribute("data-points");
    if (!url || !window.fetch) return;
    var symbols = JSON.parse(container.getAttribute("data-symbols") || "{}");
    fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      pointLayer(data, symbols).addTo(map);
      var filters = document.getElementById("filters");
      if (filters && !filters.hidden) applyFilters(filters);
      if (data.features.length <= SYMBOL_LIMIT) {
        spread(map);
        map.on("zoomend viewreset", function () { spread(map); });
      }
      showFromHash(map);
      container.setAttribute("data-ready", "true");
    });
  }

  window.trackerMapReady = function (map) {
    currentMap = map;
    var container = map.getContainer().closest(".map-frame");
    linkTarget = container && container.getAttribute("data-links-target");
    addStates(map, container && container.getAttribute("data-states"));
    guardWheel(map);
    loadPoints(map, container);
    window.addEventListener("hashchange", function () { showFromHash(map); });
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

  function setUpTimelineFilters() {
    var form = document.getElementById("timeline-filters");
    if (!form) return;
    var items = document.querySelectorAll(".full-timeline > li");
    function apply() {
      var wanted = { jurisdiction: form.elements.jurisdiction ? form.elements.jurisdiction.value : "", kind: form.elements.kind.value };
      var shown = 0;
      Array.prototype.forEach.call(items, function (item) {
        var ok = matches(item.dataset, wanted);
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      form.querySelector(".filter-count").textContent = "Showing " + shown + " of " + items.length + " events.";
    }
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    var fromLink = new URLSearchParams(location.search).get("jurisdiction");
    if (fromLink && form.elements.jurisdiction) { form.elements.jurisdiction.value = fromLink; }
    apply();
  }

  document.querySelectorAll("table.sortable").forEach(makeSortable);
  setUpFilters();
  setUpTimelineFilters();
})();
