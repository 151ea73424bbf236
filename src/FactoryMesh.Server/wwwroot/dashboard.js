// FactoryMesh dashboard: reads the fleet over the REST API once, then keeps it current from the fleet hub.
// The token comes from the URL fragment (#token=..., never sent to the server in a request line) or the form,
// and is kept in this tab's sessionStorage only.
"use strict";

const state = { sites: new Map(), nodes: new Map(), replicas: new Map() };
const feedLimit = 200;
const historyLength = 50;

function token() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem("factorymesh.token", fromHash);
    history.replaceState(null, "", location.pathname);
  }
  return sessionStorage.getItem("factorymesh.token");
}

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token()}` } });
  if (!response.ok) {
    throw new Error(`${path}: ${response.status}`);
  }
  return response.json();
}

// Builds an element with DOM APIs only: attribute values go through setAttribute and content through text nodes,
// so nothing the server sends (trust reasons carry words from evidence and operators) is ever parsed as HTML.
function el(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value != null) {
      element.setAttribute(name, String(value));
    }
  }
  element.append(...children.map(child => child instanceof Node ? child : String(child ?? "")));
  return element;
}

function cell(content, className) { return el("td", className ? { class: className } : null, content); }

function percent(value) { return value == null ? "–" : `${Math.round(value * 100)} %`; }
function watts(value) { return value == null ? "–" : `${(value / 1000).toFixed(1)} kW`; }

function freshFor(node) {
  if (node.trust.state !== "Trusted" || !node.trust.expiresAt) {
    return "–";
  }
  const seconds = Math.max(0, Math.round((Date.parse(node.trust.expiresAt) - Date.now()) / 1000));
  return `${seconds} s`;
}

function renderSites() {
  const rows = [...state.sites.values()].sort((a, b) => a.siteId.localeCompare(b.siteId)).map(site =>
    el("tr", { "data-site-id": site.siteId },
      cell(site.siteId), cell(`${site.profile.jurisdiction} ${site.profile.zones.join(" ")}`),
      cell(site.nodes, "number"), cell(site.trusted, "number"), cell(site.stale, "number"),
      cell(site.untrusted, "number"), cell(percent(site.gpuUtilization), "number"), cell(watts(site.powerWatts), "number")));
  document.querySelector("#sites tbody").replaceChildren(...rows);
}

function renderNodes() {
  const rows = [...state.nodes.values()].sort((a, b) => a.nodeId.localeCompare(b.nodeId)).map(node =>
    el("tr", { "data-node-id": node.nodeId },
      cell(node.nodeId), cell(`${node.inventory.gpuCount} × ${node.inventory.gpuModel}`), cell(node.inventory.teeKind),
      cell(el("span", { class: "badge", "data-state": node.trust.state, title: node.trust.reason }, node.trust.state)),
      cell(freshFor(node), "number countdown"), cell(node.liveness),
      cell(percent(node.utilization?.gpuUtilization), "number"), cell(watts(node.utilization?.powerWatts), "number"),
      cell(node.replicas.join(", "))));
  document.querySelector("#nodes tbody").replaceChildren(...rows);
}

function renderModels() {
  const list = document.getElementById("models");
  if (state.replicas.size === 0) {
    list.replaceChildren(el("li", { class: "empty" }, "No replicas placed yet."));
    return;
  }
  list.replaceChildren(...[...state.replicas.entries()].sort().map(([model, nodes]) =>
    el("li", null, el("strong", null, model), `: ${[...nodes].sort().join(", ")}`)));
}

function feed(message, at) {
  const item = document.createElement("li");
  const time = document.createElement("time");
  time.textContent = new Date(at ?? Date.now()).toLocaleTimeString();
  item.append(time, document.createTextNode(message));
  const list = document.getElementById("feed");
  list.prepend(item);
  while (list.children.length > feedLimit) {
    list.lastChild.remove();
  }
}

async function loadFleet() {
  const sites = await api("/api/v1/sites");
  for (const site of sites) {
    state.sites.set(site.siteId, site);
    try {
      for (const node of await api(`/api/v1/sites/${encodeURIComponent(site.siteId)}/nodes`)) {
        state.nodes.set(node.nodeId, node);
      }
    } catch (error) {
      feed(`cannot list nodes of ${site.siteId}: ${error.message}`);
    }
  }
  // Replicas placed before the page opened are on the nodes' records: the models panel starts from them.
  state.replicas.clear();
  for (const node of state.nodes.values()) {
    for (const model of node.replicas) {
      state.replicas.set(model, (state.replicas.get(model) ?? new Set()).add(node.nodeId));
    }
  }
  renderSites();
  renderNodes();
  renderModels();
  return sites.map(site => site.siteId);
}

// The feed starts from the audit ledger's newest records, so it is never empty after something happened. The
// ledger is for operators: other callers get 403 and start with the live stream alone.
async function loadHistory() {
  let records;
  try {
    const head = await api("/api/v1/audit/head");
    records = await api(`/api/v1/audit?after=${Math.max(0, head.head.sequence - historyLength)}&limit=${historyLength}`);
  } catch {
    return;
  }
  for (const record of records) {
    const entry = record.entry;
    feed(`${entry.nodeId ? `${entry.nodeId}: ` : ""}${entry.kind} ${entry.verdict} (${entry.reason})`, entry.at);
  }
}

function onTrustChanged(event) {
  const node = state.nodes.get(event.nodeId);
  if (node) {
    node.trust = { ...node.trust, state: event.state, expiresAt: event.expiresAt, reason: event.reason };
  }
  feed(`${event.nodeId}: ${event.previousState} → ${event.state} (${event.reason})`, event.at);
  renderNodes();
}

function onUtilization(batch) {
  for (const sample of batch) {
    const node = state.nodes.get(sample.nodeId);
    if (node) {
      node.utilization = { ...(node.utilization ?? {}), gpuUtilization: sample.gpuUtilization, powerWatts: sample.powerWatts, tokensPerSecond: sample.tokensPerSecond };
    }
  }
  renderNodes();
}

function onSiteSummary(summary) {
  const site = state.sites.get(summary.siteId);
  if (site) {
    Object.assign(site, { nodes: summary.nodes, trusted: summary.trusted, stale: summary.stale, untrusted: summary.untrusted, gpuUtilization: summary.gpuUtilization, powerWatts: summary.powerWatts });
    renderSites();
  }
}

function onReplica(event, placed) {
  const key = `${event.tenantId}/${event.modelId}`;
  const nodes = state.replicas.get(key) ?? new Set();
  placed ? nodes.add(event.nodeId) : nodes.delete(event.nodeId);
  nodes.size ? state.replicas.set(key, nodes) : state.replicas.delete(key);
  feed(`${key} ${placed ? "placed on" : "evicted from"} ${event.nodeId} (${event.reason})`, event.at);
  renderModels();
}

async function connect() {
  const status = document.getElementById("connection");
  const connection = new signalR.HubConnectionBuilder()
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
    for (const siteId of state.sites.keys()) {
      await connection.invoke("SubscribeSite", siteId).catch(error => feed(`cannot watch ${siteId}: ${error.message}`));
    }
    status.dataset.state = "connected";
    status.textContent = "live";
  };
  connection.onreconnecting(() => { status.dataset.state = "disconnected"; status.textContent = "reconnecting"; });
  connection.onreconnected(subscribe);
  await connection.start();
  await subscribe();
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
  await loadHistory();
  await loadFleet();
  await connect();
  setInterval(() => document.querySelectorAll("#nodes tr[data-node-id]").forEach(row => {
    row.querySelector(".countdown").textContent = freshFor(state.nodes.get(row.dataset.nodeId));
  }), 500);
  setInterval(() => loadFleet().catch(error => feed(`refresh failed: ${error.message}`)), 30_000);
}

start().catch(error => feed(`dashboard failed: ${error.message}`));
