// The console's maps: Leaflet (served from the installed package) draws what the page's data attributes and
// the same-origin GeoJSON feeds give. All text goes in through textContent, never as HTML.
(function () {
  'use strict';
  var L = window.L;
  var elements = document.querySelectorAll('[data-map]');
  if (!L || elements.length === 0) return;

  // Grids in blue, darker where orders are open (orange and red belong to the markers).
  var GRID_STYLE = { color: '#7b8794', weight: 1.5, opacity: 0.9, fillColor: '#9fb3c8', fillOpacity: 0.08 };
  var BUSY_GRID_STYLE = { color: '#1d4ed8', weight: 2, opacity: 0.9, fillColor: '#1d4ed8', fillOpacity: 0.14 };
  var STATES = ['overdue', 'nearly_due', 'urgent', 'paused', 'on_time'];

  function json(value, fallback) {
    try { return value ? JSON.parse(value) : fallback; } catch (e) { return fallback; }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function baseMap(container) {
    var tiles = json(container.getAttribute('data-tiles'), {});
    // The cluster plugin needs the map's own maxZoom (without tiles no layer gives one).
    var map = L.map(container, { zoomControl: true, zoomSnap: 0.25, maxZoom: tiles.maxZoom || 19, attributionControl: Boolean(tiles.template) });
    if (tiles.template) {
      L.tileLayer(tiles.template, { subdomains: tiles.subdomains || 'abc', maxZoom: tiles.maxZoom || 18, attribution: tiles.attribution || '' }).addTo(map);
    } else {
      container.classList.add('map-plain');
    }
    L.control.scale({ imperial: false }).addTo(map);
    return map;
  }

  function pin(state) {
    return L.divIcon({ className: 'map-pin pin-' + (STATES.indexOf(state) >= 0 ? state : 'on_time'), iconSize: [16, 16] });
  }

  function popup(texts, props) {
    var box = el('div', 'map-popup');
    var link = el('a', '', '#' + props.no + ' ' + texts.openOrder);
    link.href = props.url;
    box.appendChild(link);
    box.appendChild(el('p', '', (texts.states[props.state] || '') + ' · ' + props.text));
    return box;
  }

  function worst(markers) {
    var best = STATES.length - 1;
    for (var i = 0; i < markers.length; i++) {
      var k = STATES.indexOf(markers[i].options.state);
      if (k >= 0 && k < best) best = k;
    }
    return STATES[best];
  }

  // Grid labels sit above the polygons but under the markers, so no label hides an order.
  function labelPane(map) {
    if (!map.getPane('gridLabels')) map.createPane('gridLabels').style.zIndex = 450;
    return 'gridLabels';
  }

  function labelElement(props) {
    var box = el('span', '');
    box.appendChild(el('span', 'grid-name', props.name || ''));
    if (props.count) box.appendChild(el('strong', 'grid-count', props.count));
    return box;
  }

  function gridLayer(map, collection, labelled) {
    var pane = labelPane(map);
    return L.geoJSON(collection, {
      style: function (f) { return f.properties && f.properties.open > 0 ? BUSY_GRID_STYLE : GRID_STYLE; },
      onEachFeature: function (f, layer) {
        if (f.properties && f.properties.name) layer.bindTooltip(labelElement(f.properties), { permanent: labelled, direction: 'center', className: 'grid-label', pane: pane });
      },
    });
  }

  function overview(container) {
    var map = baseMap(container);
    var texts = json(container.getAttribute('data-texts'), { states: {} });
    var get = function (url) {
      return fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } }).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      });
    };
    Promise.all([get(container.getAttribute('data-grids')), get(container.getAttribute('data-points'))]).then(function (both) {
      var grids = gridLayer(map, both[0], true).addTo(map);
      var clusters = L.markerClusterGroup({
        showCoverageOnHover: false,
        maxClusterRadius: 45,
        iconCreateFunction: function (cluster) {
          var size = cluster.getChildCount() < 10 ? 30 : cluster.getChildCount() < 100 ? 36 : 44;
          return L.divIcon({ className: 'map-cluster pin-' + worst(cluster.getAllChildMarkers()), html: '<span>' + cluster.getChildCount() + '</span>', iconSize: [size, size] });
        },
      });
      both[1].features.forEach(function (f) {
        var c = f.geometry.coordinates;
        var marker = L.marker([c[1], c[0]], { icon: pin(f.properties.state), state: f.properties.state, title: '#' + f.properties.no, keyboard: true });
        marker.bindPopup(popup(texts, f.properties));
        clusters.addLayer(marker);
      });
      map.addLayer(clusters);
      if (both[1].cut) {
        var note = document.getElementById('map-cut');
        if (note) note.hidden = false;
      }
      var bounds = grids.getBounds();
      if (clusters.getLayers().length) bounds = bounds.isValid() ? bounds.extend(clusters.getBounds()) : clusters.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
      else map.setView([35, 105], 4);
      container.setAttribute('data-ready', String(clusters.getLayers().length));
    }).catch(function (error) {
      map.setView([35, 105], 4);
      container.setAttribute('data-ready', 'error');
      container.setAttribute('data-error', String((error && error.message) || error));
    });
  }

  function order(container) {
    var map = baseMap(container);
    var texts = json(container.getAttribute('data-texts'), { states: {} });
    var point = json(container.getAttribute('data-point'), null);
    var grid = json(container.getAttribute('data-grid'), null);
    var bounds = null;
    if (grid) {
      var shape = gridLayer(map, grid, false).addTo(map);
      bounds = shape.getBounds();
    }
    if (point) {
      var state = container.getAttribute('data-state') || 'on_time';
      L.marker([point[1], point[0]], { icon: pin(state), title: texts.states[state] || '', keyboard: false }).addTo(map);
      bounds = bounds ? bounds.extend(L.latLng(point[1], point[0])) : null;
      if (!bounds) map.setView([point[1], point[0]], 17);
    }
    if (bounds) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 18 });
    container.setAttribute('data-ready', '1');
  }

  for (var i = 0; i < elements.length; i++) {
    var kind = elements[i].getAttribute('data-map');
    if (kind === 'overview') overview(elements[i]);
    else if (kind === 'order') order(elements[i]);
  }
})();
