// FactoryMesh dashboard: reads the fleet over the REST API once, then keeps it current from the fleet hub. When the
// connection drops it says so, and on reconnecting it reads the state again and fills the feed's gap from the ledger.
// The token comes from the URL fragment (#token=..., never sent to the server in a request line) or the form,
// and is kept in this tab's sessionStorage only.
"use strict";

import { el, cell, percent, kilowatts, decimal, compact, significant } from "./dom.js";
import { Trends } from "./trends.js";

const state = {
  sites: new Map(), nodes: new Map(), models: new Map(),
  caller: { role: null, tenant: null },
  feedKeys: new Set(), lastSequence: 0, firstSequence: null, disconnectedAt: null, feedLimit: 200,
};
const historyLength = 50;
const decisionLimit = 12;
const trendSeconds = 15 * 60;
const trendIntervalMs = 10_000;
// Up to this many nodes the page lists every site's nodes and follows their utilization; above it (a factory of
// 100,000 nodes would send that many samples a second) it lists and follows the site chosen in the filter only.
// `#nodes=all` in the address lifts the limit, for an operator who wants every node whatever it costs the browser.
const fullFleetLimit = new URLSearchParams(location.hash.slice(1)).get("nodes") === "all" ? Infinity : 5_000;
// The most node rows drawn at once: a table of thousands of rows costs the browser more than it tells anyone.
const nodeRowLimit = 500;
const renderIntervalMs = 500;
let trends;
let connection;
const dirty = new Set();
let renderTimer = null;

function token() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem("factorymesh.token", fromHash);
    history.replaceState(null, "", location.pathname);
  }
  return sessionStorage.getItem("factorymesh.token");
}

// The role and tenant the token claims, to choose which panels to fill; the server decides what may be read.
function claims() {
  try {
    const payload = JSON.parse(atob(token().split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return { role: payload.role ?? null, tenant: payload.tenant ?? null };
  } catch {
    return { role: null, tenant: null };
  }
}

const isViewer = () => state.caller.role === "viewer";

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token()}` } });
  if (!response.ok) {
    throw new Error(`${path}: ${response.status}`);
  }
  return response.json();
}

// Live events mark panels dirty; they are drawn at most every renderIntervalMs, however fast the events come.
function schedule(panel) {
  dirty.add(panel);
  renderTimer ??= setTimeout(() => {
    renderTimer = null;
    const panels = [...dirty];
    dirty.clear();
    panels.forEach(name => ({ sites: renderSites, nodes: renderNodes, models: renderModels })[name]());
  }, renderIntervalMs);
}

const totalNodes = () => [...state.sites.values()].reduce((sum, site) => sum + site.nodes, 0);
const bigFleet = () => totalNodes() > fullFleetLimit;

// The sites whose nodes the page lists and whose utilization it follows.
function listedSites() {
  if (isViewer()) {
    return [];
  }
  const chosen = document.getElementById("node-site-filter").value;
  return bigFleet() ? (chosen ? [chosen] : []) : [...state.sites.keys()];
}

// --- Sites ---------------------------------------------------------------------------------------------------------

// A viewer sees the sites that run its tenant's replicas; operators and schedulers see every site.
function siteVisible(siteId) {
  if (!isViewer()) {
    return true;
  }
  return [...state.models.values()].some(model => model.replicas.some(r => r.siteId === siteId));
}

function renderSites() {
  const rows = [...state.sites.values()].filter(site => siteVisible(site.siteId)).sort((a, b) => a.siteId.localeCompare(b.siteId)).map(site =>
    el("tr", { "data-site-id": site.siteId },
      cell(site.siteId), cell(`${site.profile.jurisdiction} ${site.profile.zones.join(" ")}`),
      cell(site.nodes, "number"), cell(site.trusted, "number"), cell(site.stale, "number"), cell(site.untrusted, "number"),
      cell(percent(site.gpuUtilization), "number"), cell(kilowatts(site.powerWatts), "number"), cell(compact(site.tokensPerSecond), "number")));
  document.querySelector("#sites tbody").replaceChildren(...rows);
  // The site filter's options change only when the sites do, not with every summary.
  const filter = document.getElementById("node-site-filter");
  const ids = [...state.sites.keys()].filter(siteVisible).sort();
  if (filter.dataset.sites !== ids.join("\n")) {
    const chosen = filter.value;
    filter.replaceChildren(el("option", { value: "" }, "All sites"), ...ids.map(id => el("option", { value: id }, id)));
    filter.value = chosen;
    filter.dataset.sites = ids.join("\n");
  }
}

// --- Nodes ---------------------------------------------------------------------------------------------------------

function freshFor(node) {
  if (node.trust.state !== "Trusted" || !node.trust.expiresAt) {
    return "–";
  }
  const seconds = Math.max(0, Math.round((Date.parse(node.trust.expiresAt) - Date.now()) / 1000));
  return `${seconds} s`;
}

function memory(node) {
  const used = node.utilization?.gpuMemoryUsedGiB;
  const total = node.inventory.gpuMemoryGiB * node.inventory.gpuCount;
  return used == null ? `– / ${compact(total)} GiB` : `${compact(used)} / ${compact(total)} GiB`;
}

function renderNodes() {
  const site = document.getElementById("node-site-filter").value;
  const trust = document.getElementById("node-trust-filter").value;
  const shown = [...state.nodes.values()]
    .filter(node => (!site || node.siteId === site) && (!trust || node.trust.state === trust))
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  const rows = shown.slice(0, nodeRowLimit).map(node =>
    el("tr", { "data-node-id": node.nodeId },
      cell(node.nodeId), cell(`${node.inventory.gpuCount} × ${node.inventory.gpuModel}`), cell(node.inventory.teeKind),
      cell(el("span", { class: "badge", "data-state": node.trust.state, title: node.trust.reason }, node.trust.state)),
      cell(freshFor(node), "number countdown"), cell(node.liveness),
      cell(percent(node.utilization?.gpuUtilization), "number"), cell(kilowatts(node.utilization?.powerWatts), "number"),
      cell(memory(node), "number"), cell(node.replicas.join(", "))));
  document.querySelector("#nodes tbody").replaceChildren(...rows);
  const total = totalNodes().toLocaleString("en");
  document.getElementById("node-count").textContent = bigFleet() && !site
    ? `${total} nodes: choose a site to list its nodes`
    : `${shown.length > nodeRowLimit ? `first ${nodeRowLimit} of ` : ""}${shown.length.toLocaleString("en")} shown, ${total} in all`;
}

// --- Models --------------------------------------------------------------------------------------------------------

function renderModels() {
  const body = document.querySelector("#models tbody");
  const models = [...state.models.values()].sort((a, b) => `${a.tenantId}/${a.modelId}`.localeCompare(`${b.tenantId}/${b.modelId}`));
  if (models.length === 0) {
    body.replaceChildren(el("tr", { class: "empty" }, el("td", { colspan: 7 }, "No models yet.")));
  } else {
    body.replaceChildren(...models.flatMap(model => {
      const key = `${model.tenantId}/${model.modelId}`;
      const replicas = [...model.replicas].sort((a, b) => a.nodeId.localeCompare(b.nodeId)).map(r =>
        el("tr", { "data-model": key, "data-node-id": r.nodeId },
          cell(key), cell(r.nodeId), cell(r.siteId), cell(decimal(r.costUsdPerMTok, 4), "number"),
          cell(significant(r.joulesPerToken), "number"), cell(significant(r.gramsCo2PerToken), "number"), cell(decimal(r.costUsdPerHour, 2), "number")));
      const total = el("tr", { class: "total", "data-model-total": key },
        cell(key), cell(`${model.status}: ${model.replicas.length} of ${model.spec.replicas} replicas`), cell(`epoch ${model.placementEpoch}`),
        cell(""), cell(""), cell(""), cell(decimal(model.totalCostUsdPerHour, 2), "number"));
      return [...replicas, total];
    }));
  }
  const select = document.getElementById("explain-model");
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "" }, "Choose a model"),
    ...models.map(m => el("option", { value: `${m.tenantId}/${m.modelId}` }, `${m.tenantId}/${m.modelId}`)));
  select.value = models.some(m => `${m.tenantId}/${m.modelId}` === chosen) ? chosen : "";
}

// Why the chosen model runs where it does: every node the placement left out, with the reason in words.
async function explain() {
  const key = document.getElementById("explain-model").value;
  const table = document.querySelector("#excluded tbody");
  const summary = document.getElementById("explain-summary");
  if (!key) {
    table.replaceChildren();
    summary.textContent = "";
    return;
  }
  const [tenantId, modelId] = key.split("/");
  try {
    const answer = await api(`/api/v1/tenants/${encodeURIComponent(tenantId)}/models/${encodeURIComponent(modelId)}/placement/explain?limit=100`);
    summary.textContent = `${answer.eligibleCount} eligible, ${answer.excludedCount} left out: `
      + Object.entries(answer.excludedByReason ?? {}).map(([reason, count]) => `${reason} ${count}`).join(", ");
    table.replaceChildren(...answer.excluded.map(e =>
      el("tr", { "data-node-id": e.nodeId }, cell(e.nodeId), cell(e.reason), cell(e.detail))));
  } catch (error) {
    summary.textContent = `cannot explain ${key}: ${error.message}`;
    table.replaceChildren();
  }
}

function decision(text, at) {
  const list = document.getElementById("decisions");
  list.prepend(el("li", null, el("time", null, new Date(at ?? Date.now()).toLocaleTimeString()), text));
  while (list.children.length > decisionLimit) {
    list.lastChild.remove();
  }
}

// --- Feed ----------------------------------------------------------------------------------------------------------

// Adds one event, newest first (`older`: at the end, for pages of the ledger's past), unless an event with the same
// key was shown already (the ledger and the live stream tell of the same transitions and moves, at the same instant);
// returns whether it was added.
function feed(message, at, key, source, older) {
  if (key) {
    if (state.feedKeys.has(key)) {
      return false;
    }
    state.feedKeys.add(key);
  }
  const item = el("li", { "data-source": source ?? "live" }, el("time", null, new Date(at ?? Date.now()).toLocaleTimeString()), message);
  item.dataset.key = key ?? "";
  const list = document.getElementById("feed");
  older ? list.append(item) : list.prepend(item);
  while (list.children.length > state.feedLimit) {
    state.feedKeys.delete(list.lastChild.dataset.key); // the keys remembered are those of the events still shown
    list.lastChild.remove();
  }
  return true;
}

const transitionKey = (nodeId, state, at) => `t|${nodeId}|${state}|${Date.parse(at)}`;
const moveKey = (model, nodeId, placed, at) => `r|${model}|${nodeId}|${placed}|${Date.parse(at)}`;

function showRecord(record, source, older) {
  const e = record.entry;
  const key = e.kind === "transition" ? transitionKey(e.nodeId, e.newState, e.at)
    : e.kind === "replica-placed" || e.kind === "replica-evicted" ? moveKey(e.verdict, e.nodeId, e.kind === "replica-placed", e.at)
    : `a|${record.sequence}`;
  const text = e.kind === "transition" ? `${e.nodeId}: ${e.previousState} → ${e.newState} (${e.reason})`
    : `${e.nodeId ? `${e.nodeId}: ` : ""}${e.kind} ${e.verdict} (${e.reason})`;
  state.lastSequence = Math.max(state.lastSequence, record.sequence);
  state.firstSequence = Math.min(state.firstSequence ?? record.sequence, record.sequence);
  if (!older && (e.kind === "replica-placed" || e.kind === "replica-evicted")) {
    decision(`${e.verdict} ${e.kind === "replica-placed" ? "placed on" : "evicted from"} ${e.nodeId} (${e.reason})`, e.at);
  }
  return feed(text, e.at, key, source, older);
}

// The feed starts from the audit ledger's newest records, so it is never empty after something happened. The
// ledger is for operators: other callers get 403 and start with the live stream alone.
async function loadHistory() {
  try {
    const head = await api("/api/v1/audit/head");
    const records = await api(`/api/v1/audit?after=${Math.max(0, head.head.sequence - historyLength)}&limit=${historyLength}`);
    records.forEach(record => showRecord(record, "ledger"));
    offerEarlier();
  } catch {
    // not an operator
  }
}

// The ledger's past, a page at a time, below what is shown: the feed grows by each page instead of trimming it away.
function offerEarlier() {
  document.getElementById("feed-earlier").hidden = !(state.firstSequence > 1);
}

async function loadEarlier() {
  const first = state.firstSequence;
  const count = Math.min(historyLength, first - 1);
  const records = await api(`/api/v1/audit?after=${first - 1 - count}&limit=${count}`);
  state.feedLimit += records.length;
  records.reverse().forEach(record => showRecord(record, "ledger", true));
  offerEarlier();
}

// After a reconnect: what the ledger recorded since the last record shown, minus what arrived live before the drop.
async function fillGap(seconds) {
  let filled = 0;
  try {
    for (let page = 0; page < 10; page++) {
      const records = await api(`/api/v1/audit?after=${state.lastSequence}&limit=1000`);
      records.forEach(record => { if (showRecord(record, "gap")) filled++; });
      if (records.length < 1000) {
        break;
      }
    }
  } catch {
    feed(`reconnected after a ${seconds} s gap; events in it are not shown (the ledger is for operators)`, Date.now(), null, "gap");
    return;
  }
  feed(`reconnected after a ${seconds} s gap: ${filled} event(s) from the ledger fill it`, Date.now(), null, "gap");
}

// --- Loading and live updates ------------------------------------------------------------------------------------

async function loadModels() {
  const tenants = isViewer() ? [state.caller.tenant] : (await api("/api/v1/tenants")).map(t => t.tenantId);
  const models = (await Promise.all(tenants.map(t => api(`/api/v1/tenants/${encodeURIComponent(t)}/models`).catch(() => [])))).flat();
  state.models = new Map(models.map(m => [`${m.tenantId}/${m.modelId}`, m]));
}

// Without the ledger (viewers), the last decisions start from when each replica now running was placed.
function seedDecisions() {
  if (document.getElementById("decisions").children.length > 0) {
    return;
  }
  const placed = [...state.models.values()].flatMap(m => m.replicas.map(r => ({ key: `${m.tenantId}/${m.modelId}`, ...r })))
    .sort((a, b) => Date.parse(a.placedAt) - Date.parse(b.placedAt));
  placed.forEach(r => decision(`${r.key} placed on ${r.nodeId} (running there now)`, r.placedAt));
}

async function loadFleet() {
  await loadModels().catch(error => feed(`cannot list models: ${error.message}`));
  seedDecisions();
  const sites = await api("/api/v1/sites");
  state.sites = new Map(sites.map(site => [site.siteId, site]));
  renderSites();
  await loadNodes();
  renderNodes();
  renderModels();
}

async function loadNodes() {
  const nodes = new Map();
  for (const siteId of listedSites()) {
    try {
      for (const node of await api(`/api/v1/sites/${encodeURIComponent(siteId)}/nodes`)) {
        nodes.set(node.nodeId, node);
      }
    } catch (error) {
      feed(`cannot list nodes of ${siteId}: ${error.message}`);
    }
  }
  state.nodes = nodes;
}

async function loadTrends() {
  try {
    trends.load(await api("/api/v1/history/sites"), siteVisible);
  } catch (error) {
    feed(`cannot read the sites' history: ${error.message}`);
  }
}

function onTrustChanged(event) {
  const node = state.nodes.get(event.nodeId);
  if (node) {
    node.trust = { ...node.trust, state: event.state, expiresAt: event.expiresAt, reason: event.reason };
    schedule("nodes");
  }
  feed(`${event.nodeId}: ${event.previousState} → ${event.state} (${event.reason})`, event.at, transitionKey(event.nodeId, event.state, event.at));
}

function onUtilization(batch) {
  for (const sample of batch) {
    const node = state.nodes.get(sample.nodeId);
    if (node) {
      node.utilization = { ...(node.utilization ?? {}), gpuUtilization: sample.gpuUtilization, powerWatts: sample.powerWatts, tokensPerSecond: sample.tokensPerSecond };
    }
  }
  schedule("nodes");
}

function onSiteSummary(summary) {
  const site = state.sites.get(summary.siteId);
  if (site) {
    const { nodes, ready, trusted, stale, untrusted, gpuUtilization, powerWatts, tokensPerSecond } = summary;
    Object.assign(site, { nodes, ready, trusted, stale, untrusted, gpuUtilization, powerWatts, tokensPerSecond });
    schedule("sites");
  }
}

// A move changes the model's replicas and economics: the model is read again rather than patched.
async function onReplica(event, placed) {
  const key = `${event.tenantId}/${event.modelId}`;
  if (feed(`${key} ${placed ? "placed on" : "evicted from"} ${event.nodeId} (${event.reason})`, event.at, moveKey(key, event.nodeId, placed, event.at))) {
    decision(`${key} ${placed ? "placed on" : "evicted from"} ${event.nodeId} (${event.reason})`, event.at);
  }
  try {
    state.models.set(key, await api(`/api/v1/tenants/${encodeURIComponent(event.tenantId)}/models/${encodeURIComponent(event.modelId)}`));
  } catch (error) {
    feed(`cannot read ${key}: ${error.message}`);
  }
  schedule("models");
  schedule("sites");
}

// Operators and schedulers follow the whole fleet's trust changes, summaries and moves through one subscription, and
// the utilization of the sites whose nodes are listed; viewers follow their tenant and the sites it runs at.
const watchedSites = new Set();
async function watchSites() {
  const wanted = new Set(isViewer() ? [...state.sites.keys()].filter(siteVisible) : listedSites());
  for (const siteId of [...watchedSites].filter(id => !wanted.has(id))) {
    watchedSites.delete(siteId);
    await connection.invoke("UnsubscribeSite", siteId).catch(() => {});
  }
  for (const siteId of [...wanted].filter(id => !watchedSites.has(id))) {
    await connection.invoke("SubscribeSite", siteId)
      .then(() => watchedSites.add(siteId))
      .catch(error => feed(`cannot watch ${siteId}: ${error.message}`));
  }
}

async function chooseSite() {
  await loadNodes();
  renderNodes();
  await watchSites();
}

async function connect() {
  const status = document.getElementById("connection");
  connection = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/fleet", { accessTokenFactory: () => token() })
    .withAutomaticReconnect()
    .build();
  connection.on("trustChanged", onTrustChanged);
  connection.on("utilization", onUtilization);
  connection.on("siteSummary", onSiteSummary);
  connection.on("replicaPlaced", e => onReplica(e, true));
  connection.on("replicaEvicted", e => onReplica(e, false));
  connection.on("subscriptionEnded", e => feed(`no longer watching ${e.kind} ${e.id}: ${e.reason}`));
  const subscribe = async () => {
    if (isViewer()) {
      await connection.invoke("SubscribeTenant", state.caller.tenant).catch(error => feed(`cannot watch tenant ${state.caller.tenant}: ${error.message}`));
    } else {
      await connection.invoke("SubscribeFleet").catch(error => feed(`cannot watch the fleet: ${error.message}`));
    }
    watchedSites.clear(); // a new connection holds no subscription
    await watchSites();
    status.dataset.state = "connected";
    status.textContent = "live";
  };
  connection.onreconnecting(() => {
    state.disconnectedAt ??= Date.now();
    status.dataset.state = "disconnected";
    status.textContent = "reconnecting";
  });
  connection.onreconnected(async () => {
    const seconds = Math.round((Date.now() - (state.disconnectedAt ?? Date.now())) / 1000);
    state.disconnectedAt = null;
    await loadFleet().catch(error => feed(`refresh failed: ${error.message}`));
    await subscribe();
    await fillGap(seconds);
  });
  connection.onclose(() => { status.dataset.state = "disconnected"; status.textContent = "disconnected (reload the page)"; });
  await connection.start();
  await subscribe();
}

// The Orleans Dashboard (FactoryMesh:Telemetry:OrleansDashboard) answers 401 without its session cookie when it is
// served, 404 when it is not. Its page makes plain browser requests, so the operator's token opens a session whose
// cookie (HttpOnly, scoped to /orleans) those requests carry.
async function offerOrleansDashboard() {
  if (state.caller.role !== "operator" || (await fetch("/orleans/")).status !== 401) {
    return;
  }
  const button = document.getElementById("orleans-dashboard");
  button.hidden = false;
  button.addEventListener("click", async () => {
    const response = await fetch("/api/v1/sessions/orleans-dashboard", { method: "POST", headers: { Authorization: `Bearer ${token()}` } });
    if (response.ok) {
      location.assign("/orleans/");
    } else {
      feed(`cannot open the Orleans Dashboard: ${response.status}`);
    }
  });
}

async function start() {
  if (!token()) {
    const form = document.getElementById("token-form");
    form.hidden = false;
    form.addEventListener("submit", event => {
      event.preventDefault();
      sessionStorage.setItem("factorymesh.token", document.getElementById("token-input").value.trim());
      location.reload();
    });
    return;
  }
  state.caller = claims();
  document.getElementById("identity").textContent = isViewer() ? `viewer of ${state.caller.tenant}` : state.caller.role ?? "";
  document.body.dataset.role = state.caller.role ?? "";
  trends = new Trends(document.getElementById("trends"), trendSeconds);
  document.getElementById("node-site-filter").addEventListener("change", () => chooseSite().catch(error => feed(`cannot list nodes: ${error.message}`)));
  document.getElementById("node-trust-filter").addEventListener("change", renderNodes);
  document.getElementById("explain-model").addEventListener("change", explain);
  document.getElementById("feed-earlier").addEventListener("click", () => loadEarlier().catch(error => feed(`cannot read earlier events: ${error.message}`)));
  offerOrleansDashboard().catch(() => {});
  await loadHistory();
  await loadFleet();
  await loadTrends();
  await connect();
  setInterval(() => document.querySelectorAll("#nodes tr[data-node-id]").forEach(row => {
    row.querySelector(".countdown").textContent = freshFor(state.nodes.get(row.dataset.nodeId));
  }), 500);
  setInterval(() => trends.append(Date.now(), [...state.sites.values()].filter(s => siteVisible(s.siteId))), trendIntervalMs);
  setInterval(() => loadFleet().then(watchSites).catch(error => feed(`refresh failed: ${error.message}`)), 30_000);
}

start().catch(error => feed(`dashboard failed: ${error.message}`));
