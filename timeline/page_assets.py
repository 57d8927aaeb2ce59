"""The page's stylesheet and script, inlined by `timeline.page` into the one HTML file.

The layout is fluid from 360 px up: plots take the width of the page, legends are HTML
(so they wrap inside the viewport), the timeline's date axis stays at the top of the
screen while its lanes scroll, and on narrow screens the event table becomes cards.
The script filters every view by aircraft type, kind, role family and period, and lays
out the timeline's lanes for what is left; it writes only `textContent`.
"""

STYLE = """
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
       margin: 0 auto; max-width: 1280px; padding: 0 16px 40px; overflow-wrap: break-word; }
h1 { font-size: 1.5em; margin: 18px 0 4px; }
h2 { font-size: 1.15em; margin: 22px 0 6px; border-bottom: 1px solid #ddd; }
.summary, .note { color: #555; margin: 4px 0; }
#filters { display: flex; gap: 8px 18px; align-items: center; flex-wrap: wrap; margin: 10px 0;
           padding: 8px 12px; background: #f4f6f8; border-radius: 6px; }
#filters label { display: inline-flex; align-items: center; gap: 6px; max-width: 100%; }
#filters select { font: inherit; max-width: 100%; min-width: 0; }
#filter-count { color: #555; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0; padding: 0;
          list-style: none; font-size: 13px; }
.legend li, .legend label { display: inline-flex; align-items: center; gap: 5px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px;
          flex: none; }
.key { display: inline-block; min-width: 16px; text-align: center; flex: none; white-space: nowrap; }
.plot { width: 100%; }
#timeline-axis { position: sticky; top: 0; z-index: 5; background: #fff;
                 border-bottom: 1px solid #e3e3e3; }
#map-plot { height: clamp(220px, 54vw, 560px); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 5px 6px; text-align: left;
         vertical-align: top; }
th { background: #f4f6f8; position: sticky; top: 0; }
td { overflow-wrap: anywhere; }
th { overflow-wrap: normal; }
td.evidence { max-width: 460px; }
.resolved { color: #666; font-size: 12px; white-space: nowrap; }
.empty { font-size: 1.1em; color: #555; padding: 24px 0; }
@media (max-width: 720px) {
  body { padding: 0 10px 30px; }
  h1 { font-size: 1.3em; }
  #events thead { display: none; }
  #events, #events tbody, #events tr, #events td { display: block; width: 100%; }
  #events tr { border: 1px solid #dcdfe3; border-radius: 6px; margin: 0 0 10px;
               padding: 6px 8px; }
  #events tr[hidden] { display: none; }
  #events td { border: 0; padding: 2px 0; max-width: none; }
  #events td:empty { display: none; }
  #events td::before { content: attr(data-label); display: block; color: #777;
                       font-size: 11px; text-transform: uppercase; letter-spacing: .03em; }
  #events td.when::before { display: none; }
  #events td.when { font-weight: 600; }
}
"""

SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var events = data.events;
  var config = {responsive: true, displaylogo: false, scrollZoom: false,
                modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"]};
  var selects = ["filter-type", "filter-kind", "filter-period"].map(function (id) {
    return document.getElementById(id);
  });
  var view = document.getElementById("filter-view");  // movements (0) or mentions (1)
  var familyBoxes = document.querySelectorAll("input[data-family]");
  var count = document.getElementById("filter-count");
  var rows = document.querySelectorAll("#events tbody tr");
  var PER_POINT = ["x", "y", "base", "lat", "lon", "customdata", "hovertext", "locations", "z",
                   "text"];

  function safeUrl(value) {
    if (typeof value !== "string" || !/^https?:\\/\\//i.test(value)) { return null; }
    try {
      var url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
    } catch (error) { return null; }
  }

  function period() {
    var value = selects[2] ? selects[2].value : "";
    return value === "" ? null : data.periods[Number(value)];
  }

  function allowed() {
    var type = selects[0].value, kind = selects[1].value, span = period(), families = {};
    familyBoxes.forEach(function (box) { families[box.dataset.family] = box.checked; });
    return events.map(function (event) {
      var inPeriod = !span || ((event[4] !== null || event[5] !== null) &&
        (event[4] === null || event[4] <= span[2]) && (event[5] === null || event[5] >= span[1]));
      // level 0: a mention of a movement told several times, 1: that movement, 2: both
      var shownAs = !view || view.value === "0" ? event[6] !== 0 : event[6] !== 1;
      return shownAs && (type === "" || String(event[0]) === type) &&
             (kind === "" || String(event[1]) === kind) &&
             families[String(event[3])] !== false && inPeriod;
    });
  }

  function filterTrace(trace, keep) {
    var out = Object.assign({}, trace), index = [], ids = trace.customdata || [], seen = {};
    for (var i = 0; i < ids.length; i++) {
      if (ids[i] === null || keep[ids[i]]) { index.push(i); }
    }
    if (trace.meta === "label") {
      index = index.filter(function (i) {
        var fresh = !seen[trace.text[i]];
        seen[trace.text[i]] = true;
        return fresh;
      });
    }
    if (trace.meta === "route") {  // drop separators left next to each other
      index = index.filter(function (i, n) {
        return trace.lat[i] !== null || (n > 0 && trace.lat[index[n - 1]] !== null);
      });
    }
    PER_POINT.forEach(function (key) {
      if (Array.isArray(trace[key])) {
        out[key] = index.map(function (i) { return trace[key][i]; });
      }
    });
    if (trace.marker && Array.isArray(trace.marker.symbol)) {
      out.marker = Object.assign({}, trace.marker,
        {symbol: index.map(function (i) { return trace.marker.symbol[i]; })});
    }
    return out;
  }

  function rewrap(text, limit) {
    // Hover lines are wrapped for desktops; a phone gets them re-wrapped to its width.
    return text.split("<br>").map(function (line) {
      var out = [], current = "";
      line.split(" ").forEach(function (word) {
        if (current && (current + " " + word).length > limit) { out.push(current); current = word; }
        else { current = current ? current + " " + word : word; }
      });
      out.push(current);
      return out.join("<br>");
    }).join("<br>");
  }

  function fitHovers(figures) {
    var limit = Math.floor((window.innerWidth - 40) / 7);
    if (limit >= 90) { return; }
    figures.forEach(function (figure) {
      (figure ? figure.data : []).forEach(function (trace) {
        if (Array.isArray(trace.hovertext)) {
          trace.hovertext = trace.hovertext.map(function (t) { return rewrap(t, limit); });
        }
      });
    });
  }

  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function short(text, limit) {
    return text.length > limit ? text.slice(0, limit - 1) + "\\u2026" : text;
  }

  function sideMargin(labels) {
    var limit = window.innerWidth < 600 ? 14 : 28, longest = 4;
    labels.forEach(function (label) { longest = Math.max(longest, short(label, limit).length); });
    return {l: Math.min(Math.round(longest * 6.6) + 14, Math.round(window.innerWidth * 0.45)),
            limit: limit};
  }

  function laneLayout(figure, traces) {
    // Keep the rows that still hold a mark (and their group's header), then label lanes.
    var layout = JSON.parse(JSON.stringify(figure.layout)), meta = layout.meta;
    var present = {}, groups = {}, newIndex = {}, kept = [];
    traces.forEach(function (t) { (t.y || []).forEach(function (y) { present[y] = true; }); });
    meta.rows.forEach(function (row, i) { if (present[i]) { groups[row.group] = true; } });
    meta.rows.forEach(function (row, i) {
      if (present[i] || (row.header && groups[row.group])) {
        newIndex[i] = kept.length;
        kept.push(row);
      }
    });
    var margin = sideMargin(kept.map(function (row) { return row.label; }));
    var vals = [], texts = [], shapes = [], lane = null, band = 0;
    kept.forEach(function (row, i) {
      if (row.header) {
        vals.push(i);
        texts.push("<b>" + esc(row.label) + "</b>");
        lane = null;
        return;
      }
      if (row.lane !== lane) {
        lane = row.lane;
        band += 1;
        vals.push(i);
        texts.push(esc(short(row.label, margin.limit)));
        if (band % 2 === 0) {
          shapes.push({type: "rect", xref: "paper", yref: "y", x0: 0, x1: 1, y0: i - 0.5,
                       y1: i + 0.5, fillcolor: "#f3f5f8", line: {width: 0}, layer: "below"});
        }
      } else if (shapes.length && band % 2 === 0) {
        shapes[shapes.length - 1].y1 = i + 0.5;
      }
    });
    traces.forEach(function (t) {
      if (Array.isArray(t.y)) { t.y = t.y.map(function (y) { return newIndex[y]; }); }
    });
    layout.yaxis.tickvals = vals;
    layout.yaxis.ticktext = texts;
    layout.yaxis.range = [kept.length - 0.5, -0.5];
    layout.shapes = shapes;
    layout.margin.l = margin.l;
    layout.height = Math.max(120, meta.row_px * kept.length + layout.margin.t + layout.margin.b);
    return layout;
  }

  function axisLayout(timeline) {
    // The slider spans the lanes' range (the period picked, or every date) and zooms in it.
    var range = timeline.xaxis.range;
    return {
      template: timeline.template, height: 104, showlegend: false, dragmode: false,
      hovermode: false, margin: {l: timeline.margin.l, r: timeline.margin.r, t: 4, b: 64},
      xaxis: {type: "date", range: range,
              rangeslider: {visible: true, thickness: 0.75, range: range, bgcolor: "#f4f6f8",
                            bordercolor: "#c9ced6", borderwidth: 1}},
      yaxis: {visible: false, fixedrange: true, range: [0, 1]}
    };
  }

  function openSource(event) {
    var point = event && event.points && event.points[0];
    var row = point ? events[point.customdata] : null;
    var url = row ? safeUrl(row[2]) : null;
    if (url) { window.open(url, "_blank", "noopener,noreferrer"); }
  }

  function plot(id, traces, layout, first, options) {
    var div = document.getElementById(id);
    if (!div) { return; }
    if (first) {
      Plotly.newPlot(div, traces, layout, options || config).then(function (gd) {
        gd.on("plotly_click", openSource);
        if (id === "timeline-axis") { gd.on("plotly_relayout", followAxis); }
      });
    } else {
      Plotly.react(div, traces, layout, options || config);
    }
  }

  function draw(first) {
    var keep = allowed(), shown = keep.filter(Boolean).length;
    if (data.timeline) {
      var traces = data.timeline.data.map(function (t) { return filterTrace(t, keep); });
      var layout = laneLayout(data.timeline, traces), span = period();
      if (span) { layout.xaxis.range = [span[3], span[4]]; }
      plot("timeline-plot", traces, layout, first, {responsive: true, displayModeBar: false});
      var axis = axisLayout(layout);
      var overview = filterTrace(data.overview, keep);
      plot("timeline-axis", [overview], axis, first, {responsive: true, displayModeBar: false});
    }
    if (data.map) {
      plot("map-plot", data.map.data.map(function (t) { return filterTrace(t, keep); }),
           JSON.parse(JSON.stringify(data.map.layout)), first);
    }
    rows.forEach(function (row) { row.hidden = !keep[Number(row.dataset.event)]; });
    var movementsView = view && view.value === "0";
    var total = events.filter(function (event) {
      return movementsView ? event[6] !== 0 : event[6] !== 1;
    }).length;
    var noun = movementsView ? (total === 1 ? " movement" : " movements") :
      (total === 1 ? " event" : " events");
    count.textContent = shown === 0 ? "Nothing matches these filters" :
      "Showing " + shown + " of " + total + noun;
  }

  function followAxis(change) {
    // The sticky axis's range slider moves the lanes' date range with it.
    var range = change["xaxis.range"] ||
      (change["xaxis.range[0]"] !== undefined ? [change["xaxis.range[0]"],
                                                 change["xaxis.range[1]"]] : null);
    if (range) { Plotly.relayout("timeline-plot", {"xaxis.range": range}); }
  }

  if (view) { view.addEventListener("change", function () { draw(false); }); }
  selects.forEach(function (select) {
    if (select) { select.addEventListener("change", function () { draw(false); }); }
  });
  familyBoxes.forEach(function (box) {
    box.addEventListener("change", function () { draw(false); });
  });
  fitHovers([data.timeline, data.map]);
  draw(true);
}());
"""
