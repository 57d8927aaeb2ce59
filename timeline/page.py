"""The one-file HTML page: timeline, route map and event table, with an in-page filter.

The page works offline from `file://`: plotly.js is inlined (unless `cdn=True`) and the
world base map is embedded as `window.PlotlyGeoAssets`, which plotly.js reads instead of
fetching its topojson. Article text is untrusted: HTML is escaped, links are only absolute
http(s) URLs, inline JSON has `<`, `>` and `&` escaped, and the page script writes only
`textContent`. A Content-Security-Policy forbids any other network access.
"""

from __future__ import annotations

import html
import json
import pathlib
from functools import cache
from typing import Any

import pandas as pd

from timeline.exports import records, resolved_text, route_text, safe_url, subject_text
from timeline.plots import (
    date_extent,
    figure_json,
    map_figure,
    plotly_cdn_url,
    plotly_js,
    timeline_figure,
)
from timeline.resources import data_path
from timeline.table import write_atomic
from timeline.words import plural

_STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
       margin: 0 auto; max-width: 1280px; padding: 0 16px 40px; }
h1 { font-size: 1.5em; margin: 18px 0 4px; }
h2 { font-size: 1.15em; margin: 22px 0 6px; border-bottom: 1px solid #ddd; }
.summary, .note { color: #555; margin: 4px 0; }
#filters { display: flex; gap: 18px; align-items: center; flex-wrap: wrap; margin: 10px 0;
           padding: 8px 12px; background: #f4f6f8; border-radius: 6px; }
#filters select { margin-left: 6px; font: inherit; }
#filter-count { color: #555; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 5px 6px; text-align: left;
         vertical-align: top; }
th { background: #f4f6f8; position: sticky; top: 0; }
td.evidence { max-width: 460px; }
.resolved { color: #666; font-size: 12px; white-space: nowrap; }
.empty { font-size: 1.1em; color: #555; padding: 24px 0; }
"""

_SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var events = data.events;
  var config = {responsive: true, displaylogo: false, scrollZoom: true};
  var plots = [["timeline-plot", data.timeline], ["map-plot", data.map]];
  var typeSelect = document.getElementById("filter-type");
  var kindSelect = document.getElementById("filter-kind");
  var count = document.getElementById("filter-count");
  var rows = document.querySelectorAll("#events tbody tr");
  var PER_POINT = ["x", "y", "base", "lat", "lon", "customdata", "hovertext"];

  function safeUrl(value) {
    if (typeof value !== "string" || !/^https?:\\/\\//i.test(value)) { return null; }
    try {
      var url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
    } catch (error) { return null; }
  }

  function allowed() {
    var type = typeSelect.value, kind = kindSelect.value;
    return events.map(function (event) {
      return (type === "" || String(event[0]) === type) &&
             (kind === "" || String(event[1]) === kind);
    });
  }

  function filterTrace(trace, keep) {
    var out = Object.assign({}, trace), index = [], ids = trace.customdata || [];
    for (var i = 0; i < ids.length; i++) { if (keep[ids[i]]) { index.push(i); } }
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

  function layoutFor(figure, traces) {
    var layout = JSON.parse(JSON.stringify(figure.layout));
    var sizing = layout.meta && layout.meta.lane_px;
    if (sizing && layout.yaxis && Array.isArray(layout.yaxis.categoryarray)) {
      var present = new Set();
      traces.forEach(function (t) { (t.y || []).forEach(function (y) { present.add(y); }); });
      layout.yaxis.categoryarray = layout.yaxis.categoryarray.filter(function (c) {
        return present.has(c);
      });
      layout.height = Math.max(layout.meta.min_px,
        layout.meta.lane_px * layout.yaxis.categoryarray.length + layout.meta.base_px);
    }
    return layout;
  }

  function openSource(event) {
    var point = event && event.points && event.points[0];
    var row = point ? events[point.customdata] : null;
    var url = row ? safeUrl(row[2]) : null;
    if (url) { window.open(url, "_blank", "noopener,noreferrer"); }
  }

  function draw(first) {
    var keep = allowed(), shown = keep.filter(Boolean).length;
    plots.forEach(function (plot) {
      var div = document.getElementById(plot[0]);
      var traces = plot[1].data.map(function (t) { return filterTrace(t, keep); });
      var layout = layoutFor(plot[1], traces);
      if (first) {
        Plotly.newPlot(div, traces, layout, config).then(function (gd) {
          gd.on("plotly_click", openSource);
        });
      } else {
        Plotly.react(div, traces, layout, config);
      }
    });
    rows.forEach(function (row) { row.hidden = !keep[Number(row.dataset.event)]; });
    count.textContent = "Showing " + shown + " of " + events.length + " events";
  }

  typeSelect.addEventListener("change", function () { draw(false); });
  kindSelect.addEventListener("change", function () { draw(false); });
  draw(true);
}());
"""


def _text(value: Any) -> str:
    return html.escape(str(value), quote=False)


def _attr(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _inline_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `<`, `>` or `&` can end or open a tag."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _world_topojson() -> str:
    """The bundled 1:110m world base map (data/world_110m.json), ready to inline."""
    text = data_path("world_110m.json").read_text(encoding="utf-8")
    return _inline_json(json.loads(text))


def _csp(cdn: bool) -> str:
    """A policy that lets the inline page run and blocks every other load."""
    scripts = "'unsafe-inline' https://cdn.plot.ly" if cdn else "'unsafe-inline'"
    connect = "https://cdn.plot.ly" if cdn else "'none'"
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; img-src data:; "
        f"font-src data:; connect-src {connect}; base-uri 'none'; form-action 'none'"
    )


def _options(label: str, element_id: str, names: list[str]) -> str:
    options = ['<option value="">All</option>']
    options += [f'<option value="{n}">{_text(name)}</option>' for n, name in enumerate(names)]
    return f'<label>{label}<select id="{element_id}">{"".join(options)}</select></label>'


def _table(rows: list[dict[str, Any]]) -> str:
    """The event table; every cell escaped, sources linked only when http(s)."""
    head = "".join(
        f"<th>{name}</th>"
        for name in ("When", "Subject", "Route", "Operator", "According to", "Evidence", "Source")
    )
    body = []
    for number, row in enumerate(rows):
        when = _text(row["date_text"] or "—")
        when += f'<br><span class="resolved">{_text(resolved_text(row))}</span>'
        subject = " · ".join(_text(part) for part in (row["event_type"], subject_text(row)) if part)
        url = safe_url(row["source_url"])
        label = _text(row["headline"] or row["article_id"] or url)
        link = f'<a href="{_attr(url)}" target="_blank" rel="noopener noreferrer">'
        source = f"{link}{label or 'source'}</a>" if url else label
        cells = (
            when,
            subject,
            _text(route_text(row)),
            _text(row["operator"]),
            _text(row["attribution"]),
            _text(row["evidence"]),
            source,
        )
        classes = ("when", "subject", "route", "operator", "attribution", "evidence", "source")
        tds = "".join(
            f'<td class="{c}">{cell}</td>' for c, cell in zip(classes, cells, strict=True)
        )
        body.append(f'<tr data-event="{number}">{tds}</tr>')
    return (
        f'<table id="events"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def _summary(rows: list[dict[str, Any]]) -> str:
    articles = len({row["article_id"] for row in rows if row["article_id"]})
    text = f"{plural(len(rows), 'event')} from {plural(articles, 'article')}"
    days = [day for row in rows for day in (row["start_date"], row["end_date"]) if day]
    if days:
        text += f", dated {min(days).isoformat()} to {max(days).isoformat()}"
    return text


def _document(title: str, csp: str, body: str, scripts: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_attr(csp)}">\n'
        f"<title>{_text(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{_text(title)}</h1></header>\n{body}\n{scripts}</body>\n</html>\n"
    )


def render_page(
    frame: pd.DataFrame, *, title: str = "Flight timeline", cdn: bool = False, why_empty: str = ""
) -> str:
    """The full HTML document for the event table (self-contained unless `cdn`).

    `why_empty` says what emptied the table (e.g. the filter that matched nothing); an
    empty page shows it so the reader knows the articles were not the cause.
    """
    rows = records(frame)
    csp = _csp(cdn)
    if not rows:
        reason = f" {_text(why_empty)}" if why_empty else ""
        return _document(title, csp, f'<p class="empty">No events to show.{reason}</p>')
    types = sorted({row["aircraft_type"] for row in rows})
    kinds = sorted({row["subject_kind"] for row in rows})
    undated = sum(1 for row in rows if not (row["start_date"] or row["end_date"]))
    located = any(
        row[f"{end}_lat"] is not None for row in rows for end in ("origin", "destination")
    )
    timeline = json.loads(figure_json(timeline_figure(frame)))
    timeline["layout"]["meta"] = {"lane_px": 48, "base_px": 220, "min_px": 360}
    data = {
        "timeline": timeline,
        "map": json.loads(figure_json(map_figure(frame))),
        "events": [
            [
                types.index(row["aircraft_type"]),
                kinds.index(row["subject_kind"]),
                safe_url(row["source_url"]),
            ]
            for row in rows
        ],
    }
    notes = [
        "Bars: date ranges · dots: single days · light or dotted, open dots: vague dates · "
        "hatched with an open arrow: open-ended, drawn to the edge of the chart · "
        "click a mark to open its source.",
    ]
    if undated:
        notes.append(f"{undated} undated events appear only in the table.")
    if date_extent(rows) is None:
        notes.append("No event has a date, so the timeline is empty.")
    body = "\n".join(
        [
            f'<p class="summary">{_text(_summary(rows))}</p>',
            '<form id="filters">',
            _options("Aircraft type", "filter-type", [name or "(none)" for name in types]),
            _options("Kind", "filter-kind", [name or "(unknown)" for name in kinds]),
            f'<output id="filter-count">Showing {len(rows)} of {len(rows)} events</output>',
            "</form>",
            "<section><h2>Timeline</h2>",
            *(f'<p class="note">{_text(note)}</p>' for note in notes),
            '<div id="timeline-plot" class="plot"></div></section>',
            "<section><h2>Routes</h2>",
            '<p class="note">Open circles: origins · filled circles: destinations · lines join '
            "them directly (via places are named in the hover).</p>"
            if located
            else '<p class="note">No event has located places.</p>',
            '<div id="map-plot" class="plot"></div></section>',
            f"<section><h2>Events</h2>{_table(rows)}</section>",
        ]
    )
    plotly_tag = (
        f'<script src="{_attr(plotly_cdn_url())}" charset="utf-8"></script>'
        if cdn
        else f"<script>{plotly_js()}</script>"
    )
    geo_assets = f"{{topojson: {{world_110m: {_world_topojson()}}}}}"
    geo = "" if cdn else f"<script>window.PlotlyGeoAssets = {geo_assets};</script>\n"
    scripts = (
        f'<script type="application/json" id="page-data">{_inline_json(data)}</script>\n'
        f"{geo}{plotly_tag}\n<script>{_SCRIPT}</script>\n"
    )
    return _document(title, csp, body, scripts)


def write_page(
    frame: pd.DataFrame,
    path: pathlib.Path,
    *,
    title: str = "Flight timeline",
    cdn: bool = False,
    why_empty: str = "",
) -> None:
    """Write the page atomically (temporary file, then rename), as every output is written."""
    write_atomic(pathlib.Path(path), render_page(frame, title=title, cdn=cdn, why_empty=why_empty))
