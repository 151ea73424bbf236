// The sites' trends over the last minutes as uPlot charts: one chart per figure, one line per site. They start from
// the server's history (GET /api/v1/history/sites) and then take a point per sampling interval from the live figures.
"use strict";

import { el } from "./dom.js";

const palette = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#be185d", "#4b5563"];

// Each figure's y range starts at 0 (a count, a share, a rate): a flat line reads as what it is, not as noise.
const integerSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];
export const figures = [
  { key: "trusted", title: "Trusted nodes", format: v => `${Math.round(v)}`, range: (min, max) => [0, Math.max(1, max)], incrs: integerSteps },
  { key: "gpuUtilization", title: "GPU utilization", format: v => `${Math.round(v * 100)} %`, range: () => [0, 1] },
  { key: "powerWatts", title: "Power", format: v => `${(v / 1000).toFixed(1)} kW`, range: (min, max) => [0, Math.max(1000, max)] },
  { key: "tokensPerSecond", title: "Tokens/s", format: v => `${Math.round(v).toLocaleString("en")}`, range: (min, max) => [0, Math.max(10, max)] },
];

export class Trends {
  constructor(container, windowSeconds) {
    this.container = container;
    this.windowSeconds = windowSeconds;
    this.times = [];          // seconds since the epoch, shared by every site's series
    this.sites = [];          // site ids, in series order
    this.values = new Map();  // figure key -> site id -> values aligned with times
    this.charts = new Map();
  }

  // Replaces everything with the server's samples: [{siteId, samples: [{at, trusted, ...}]}]. Samples of one reading
  // share their time, so the union of times aligns the sites; a site absent at a time has a gap there.
  load(history, visibleSites) {
    const trends = history.filter(t => visibleSites(t.siteId));
    const times = [...new Set(trends.flatMap(t => t.samples.map(s => Date.parse(s.at) / 1000)))].sort((a, b) => a - b);
    this.times = times;
    this.sites = trends.map(t => t.siteId).sort();
    this.values = new Map(figures.map(f => [f.key, new Map(this.sites.map(id => [id, times.map(() => null)]))]));
    const index = new Map(times.map((t, i) => [t, i]));
    for (const trend of trends) {
      for (const sample of trend.samples) {
        const i = index.get(Date.parse(sample.at) / 1000);
        for (const figure of figures) {
          this.values.get(figure.key).get(trend.siteId)[i] = sample[figure.key];
        }
      }
    }
    this.render();
  }

  // Adds a point at `at` (ms) from the sites' live figures, dropping what fell out of the window.
  append(at, sites) {
    const time = at / 1000;
    for (const site of sites) {
      if (!this.sites.includes(site.siteId)) {
        this.sites.push(site.siteId);
        this.sites.sort();
        for (const figure of figures) {
          this.values.get(figure.key)?.set(site.siteId, this.times.map(() => null));
        }
      }
    }
    this.times.push(time);
    for (const figure of figures) {
      const bySite = this.values.get(figure.key) ?? new Map();
      this.values.set(figure.key, bySite);
      for (const siteId of this.sites) {
        const series = bySite.get(siteId) ?? this.times.slice(0, -1).map(() => null);
        series.push(sites.find(s => s.siteId === siteId)?.[figure.key] ?? null);
        bySite.set(siteId, series);
      }
    }
    while (this.times.length && this.times[0] < time - this.windowSeconds) {
      this.times.shift();
      for (const bySite of this.values.values()) {
        for (const series of bySite.values()) {
          series.shift();
        }
      }
    }
    this.render();
  }

  render() {
    for (const figure of figures) {
      const data = [this.times, ...this.sites.map(id => this.values.get(figure.key).get(id))];
      let entry = this.charts.get(figure.key);
      const shape = this.sites.join(",");
      if (!entry || entry.shape !== shape) {
        entry?.chart.destroy();
        entry = this.create(figure, shape, data);
        this.charts.set(figure.key, entry);
      } else {
        entry.chart.setData(data);
      }
      // What the chart shows, in words: the points drawn and each site's latest figure.
      entry.figure.dataset.points = String(this.times.length);
      entry.caption.replaceChildren(...this.sites.map((id, i) => {
        const series = this.values.get(figure.key).get(id);
        const last = [...series].reverse().find(v => v != null);
        return el("span", { class: "trend-value", "data-site-id": id },
          el("i", { class: "swatch", "data-color": i % palette.length }), `${id} ${last == null ? "–" : figure.format(last)}`);
      }));
    }
  }

  create(figure, shape, data) {
    let host = this.container.querySelector(`figure[data-figure="${figure.key}"]`);
    if (!host) {
      host = el("figure", { class: "trend", "data-figure": figure.key }, el("h3", null, figure.title), el("div", { class: "chart" }), el("figcaption"));
      this.container.append(host);
    }
    const target = host.querySelector(".chart");
    target.replaceChildren();
    const options = {
      width: Math.max(240, target.clientWidth || 320),
      height: 140,
      legend: { show: false },
      // The x axis always spans the whole window, ending now, so the charts read alike however much history there is.
      scales: {
        x: { time: true, range: () => { const now = Date.now() / 1000; return [now - this.windowSeconds, now]; } },
        y: { range: (_, min, max) => figure.range(min ?? 0, max ?? 0) },
      },
      axes: [{ size: 28 }, { size: 64, incrs: figure.incrs, values: (_, ticks) => ticks.map(v => figure.format(v)) }],
      series: [{}, ...this.sites.map((id, i) => ({ label: id, stroke: palette[i % palette.length], width: 1.5, spanGaps: false }))],
    };
    return { shape, figure: host, caption: host.querySelector("figcaption"), chart: new uPlot(options, data, target) };
  }
}
