// The lms-mockserver dashboard: every view is a call of the admin API on this same origin.
// The admin token, when the server has one, is asked for once and kept in this tab's
// sessionStorage; it travels as an Authorization header, never as a cookie. Data from the
// server is put on the page as text (textContent), never as markup.
"use strict";

const ADMIN = location.pathname.replace(/\/ui\/?.*$/, "");
const TOKEN_KEY = "lms-mockserver-admin-token";
const PAGE = 25;
const state = { namespace: "", vendor: "", table: "", offset: 0, query: "", lastJournalId: 0, timer: null };

const $ = (id) => document.getElementById(id);

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

function say(text) { $("status").textContent = text || ""; }

function askToken() {
  const dialog = $("token-dialog");
  if (!dialog.open) dialog.showModal();
}

async function api(path, { method = "GET", json, params = {}, namespaced = true } = {}) {
  const url = new URL(ADMIN + path, location.origin);
  if (namespaced && state.namespace) url.searchParams.set("namespace", state.namespace);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = "Bearer " + token;
  let body;
  if (json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(json); }
  const answer = await fetch(url, { method, headers, body, credentials: "omit" });
  const text = await answer.text();
  let data = text;
  try { data = text ? JSON.parse(text) : null; } catch (ignored) { /* not JSON: keep the text */ }
  if (answer.status === 401) { askToken(); throw new Error("the admin token is needed"); }
  if (!answer.ok) throw new Error((data && data.message) || `${answer.status} from ${path}`);
  return data;
}

function guarded(action) {
  return async (event) => {
    if (event) event.preventDefault();
    try { say(""); await action(event); } catch (error) { say(error.message); }
  };
}

function grid(table, columns, rows, onClick) {
  table.replaceChildren();
  const head = el("thead");
  const titles = el("tr");
  for (const column of columns) titles.append(el("th", column.title || column));
  head.append(titles);
  const bodyRows = el("tbody");
  for (const row of rows) {
    const line = el("tr");
    for (const column of columns) {
      const value = column.value ? column.value(row) : row[column];
      const cell = el("td");
      if (value instanceof Node) cell.append(value);
      else cell.textContent = value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
      line.append(cell);
    }
    if (onClick) line.addEventListener("click", () => onClick(row));
    bodyRows.append(line);
  }
  table.append(head, bodyRows);
  return bodyRows;
}

// --- namespaces and tabs -------------------------------------------------------------------
async function loadNamespaces() {
  const data = await api("/namespaces", { namespaced: false });
  const select = $("namespace");
  const keep = state.namespace;
  select.replaceChildren(el("option", "default", { value: "" }));
  for (const ns of data.namespaces) select.append(el("option", ns.name, { value: ns.name }));
  select.value = keep;
}

function showTab(name) {
  for (const button of document.querySelectorAll("#tabs button")) {
    button.setAttribute("aria-selected", String(button.dataset.tab === name));
  }
  for (const section of document.querySelectorAll(".tab")) section.hidden = section.id !== "tab-" + name;
  location.hash = name;
  refresh(name);
}

function currentTab() {
  const selected = document.querySelector('#tabs button[aria-selected="true"]');
  return selected ? selected.dataset.tab : "data";
}

async function refresh(name = currentTab()) {
  try {
    if (name === "data") await loadOverview();
    else if (name === "journal") await loadJournal(true);
    else if (name === "faults") await loadFaults();
    else if (name === "time") await loadTime();
    else if (name === "snapshots") await loadSnapshots();
  } catch (error) { say(error.message); }
}

// --- data ----------------------------------------------------------------------------------
async function loadOverview() {
  const data = await api("/data");
  const vendors = Object.keys(data.vendors);
  const select = $("vendor");
  if (select.options.length !== vendors.length) {
    select.replaceChildren(...vendors.map((v) => el("option", v, { value: v })));
  }
  if (!state.vendor || !vendors.includes(state.vendor)) state.vendor = vendors[0];
  select.value = state.vendor;
  const tables = data.vendors[state.vendor];
  const list = $("tables");
  list.replaceChildren();
  for (const [name, count] of Object.entries(tables)) {
    const button = el("button", `${name} (${count})`, { type: "button", "data-table": name });
    if (name === state.table) button.classList.add("current");
    button.addEventListener("click", guarded(() => openTable(name)));
    const item = el("li");
    item.append(button);
    list.append(item);
  }
  if (state.table && tables[state.table] !== undefined) await loadRows();
}

async function openTable(name) {
  state.table = name;
  state.offset = 0;
  state.query = "";
  $("search").value = "";
  $("record").hidden = true;
  for (const button of document.querySelectorAll("#tables button")) {
    button.classList.toggle("current", button.dataset.table === name);
  }
  await loadRows();
}

// Rows are asked for by several actions (a namespace, a table, a search, paging) whose answers
// can arrive out of order: only the latest request's answer is shown.
let rowsRequested = 0;

async function loadRows() {
  const request = ++rowsRequested;
  const page = await api(`/data/${state.vendor}/${state.table}`,
    { params: { offset: state.offset, limit: PAGE, q: state.query } });
  if (request !== rowsRequested) return;
  $("table-title").textContent = `${state.vendor} · ${state.table}`;
  grid($("rows"), page.columns, page.rows, (row) => guarded(() => openRecord(state.vendor, state.table, row.id))());
  const last = Math.min(page.offset + page.rows.length, page.total);
  $("page-info").textContent = page.total ? `${page.offset + 1}–${last} of ${page.total}` : "no rows";
  $("prev").disabled = page.offset === 0;
  $("next").disabled = last >= page.total;
}

function recordLink(vendor, table, id, text) {
  const button = el("button", text, { type: "button", class: "link" });
  button.addEventListener("click", guarded(() => openRecord(vendor, table, id)));
  return button;
}

async function openRecord(vendor, table, id) {
  const data = await api(`/data/${vendor}/${table}/${encodeURIComponent(id)}`);
  $("record").hidden = false;
  $("record-title").textContent = `${table} ${data.id}: ${data.label}`;
  const fields = $("record-fields");
  fields.replaceChildren();
  for (const [name, value] of Object.entries(data.row)) {
    const line = el("tr");
    line.append(el("td", name), el("td", typeof value === "object" && value !== null ? JSON.stringify(value) : value));
    fields.append(line);
  }
  const out = $("refers-to");
  out.replaceChildren();
  for (const ref of data.refers_to) {
    const item = el("li", `${ref.column} → ${ref.table} `);
    item.append(ref.id === null ? el("span", `${ref.value} (missing)`) : recordLink(vendor, ref.table, ref.id, ref.label));
    out.append(item);
  }
  if (!data.refers_to.length) out.append(el("li", "nothing"));
  const into = $("referred-by");
  into.replaceChildren();
  for (const group of data.referred_by) {
    const item = el("li", `${group.table}.${group.column} (${group.count}): `);
    group.rows.forEach((row, index) => {
      if (index) item.append(", ");
      item.append(recordLink(vendor, group.table, row.id, row.label));
    });
    if (group.count > group.rows.length) item.append(` and ${group.count - group.rows.length} more`);
    into.append(item);
  }
  if (!data.referred_by.length) into.append(el("li", "nothing"));
}

// --- journal -------------------------------------------------------------------------------
function journalParams() {
  return { vendor: $("j-vendor").value.trim(), method: $("j-method").value.trim().toUpperCase(),
    status: $("j-status").value.trim(), path: $("j-path").value.trim(), limit: 200,
    include: $("j-admin").checked ? "admin" : "" };
}

async function loadJournal(whole = false) {
  const data = await api("/requests", { params: journalParams() });
  const newest = data.requests.length ? data.requests[0].id : 0;
  const seen = whole ? Infinity : state.lastJournalId;
  const body = grid($("journal"), [
    { title: "id", value: (r) => r.id },
    { title: "time", value: (r) => new Date(r.time * 1000).toISOString().replace("T", " ").slice(0, 23) },
    { title: "namespace", value: (r) => r.namespace || "default" },
    { title: "vendor", value: (r) => r.vendor || "none" },
    { title: "method", value: (r) => r.method },
    { title: "path", value: (r) => r.path + (r.query ? "?" + r.query : "") },
    { title: "status", value: (r) => r.status },
    { title: "ms", value: (r) => r.duration_ms },
    { title: "fault", value: (r) => r.fault || "" },
  ], data.requests);
  [...body.children].forEach((line, index) => {
    if (data.requests[index].id > seen) line.classList.add("new");
    if (data.requests[index].fault) line.classList.add("fault");
  });
  state.lastJournalId = Math.max(state.lastJournalId, newest);
  const unmatched = await api("/requests/unmatched", { params: { limit: 20 } });
  const list = $("unmatched");
  list.replaceChildren();
  for (const entry of unmatched.requests) {
    const near = entry.near_misses.map((m) => `${m.method} ${m.path}`).join(", ") || "no route near it";
    list.append(el("li", `${entry.method} ${entry.path} → did you mean: ${near}`));
  }
  if (!unmatched.requests.length) list.append(el("li", "none"));
}

function scheduleJournal() {
  clearInterval(state.timer);
  state.timer = setInterval(() => {
    if (currentTab() === "journal" && $("j-live").checked && !document.hidden) loadJournal().catch((e) => say(e.message));
  }, 1000);
}

// --- faults --------------------------------------------------------------------------------
async function loadFaults() {
  const data = await api("/faults");
  grid($("faults"), [
    { title: "id", value: (f) => f.id },
    { title: "match", value: (f) => JSON.stringify(f.match) },
    { title: "action", value: (f) => JSON.stringify(f.action) },
    { title: "left", value: (f) => (f.remaining === null || f.remaining === undefined ? "always" : f.remaining) },
    { title: "fired", value: (f) => f.applied },
    { title: "", value: (f) => {
      const button = el("button", "Delete", { type: "button", "data-fault": f.id });
      button.addEventListener("click", guarded(async (event) => {
        event.stopPropagation();
        await api(`/faults/${f.id}`, { method: "DELETE" });
        await loadFaults();
      }));
      return button;
    } },
  ], data.faults);
}

async function addFault() {
  const match = { vendor: $("f-vendor").value };
  if ($("f-method").value.trim()) match.method = $("f-method").value.trim().toUpperCase();
  if ($("f-path").value.trim()) match.path_glob = $("f-path").value.trim();
  const action = { type: $("f-action").value };
  if (action.type === "status") action.status = Number($("f-status").value);
  if ($("f-delay").value.trim()) action.delay_ms = Number($("f-delay").value);
  if (action.type === "delay" && !action.delay_ms) action.delay_ms = 500;
  const rule = { match, action };
  if ($("f-times").value.trim()) rule.times = Number($("f-times").value);
  await api("/faults", { method: "POST", json: rule });
  say("Fault rule added.");
  await loadFaults();
}

// --- clock and rate limits -----------------------------------------------------------------
async function showClock(clock) {
  $("clock-now").textContent = clock.iso;
  const offset = Math.round(clock.offset_seconds);
  $("clock-state").textContent = `${clock.frozen ? "frozen" : "running"}, ${offset >= 0 ? "+" : ""}${offset} s from wall time`;
}

async function setClock(change) { await showClock(await api("/clock", { method: "POST", json: change })); }

async function loadTime() {
  await showClock(await api("/clock"));
  const limits = await api("/ratelimits");
  const rows = [];
  for (const [vendor, info] of Object.entries(limits.vendors)) {
    rows.push({ vendor, credential: "(every key)", used: "", limit: info.limit, window: info.window_seconds, status: info.status, retry: "" });
    for (const [credential, c] of Object.entries(info.credentials)) {
      rows.push({ vendor, credential, used: c.used, limit: c.limit, window: c.window_seconds, status: info.status, retry: c.retry_after_seconds });
    }
  }
  grid($("ratelimits"), [
    { title: "vendor", value: (r) => r.vendor }, { title: "API key", value: (r) => r.credential },
    { title: "used", value: (r) => r.used }, { title: "limit", value: (r) => r.limit },
    { title: "window (s)", value: (r) => r.window }, { title: "then", value: (r) => r.status },
    { title: "retry after (s)", value: (r) => r.retry },
  ], rows);
}

// --- reset and snapshots -------------------------------------------------------------------
async function loadSnapshots() {
  const data = await api("/snapshots");
  grid($("snapshots"), [
    { title: "name", value: (s) => s.name },
    { title: "taken", value: (s) => new Date(s.created * 1000).toISOString().replace("T", " ").slice(0, 19) },
    { title: "rows", value: (s) => Object.entries(s.rows).map(([v, n]) => `${v} ${n}`).join(", ") },
    { title: "", value: (s) => {
      const restore = el("button", "Restore", { type: "button", "data-restore": s.name });
      restore.addEventListener("click", guarded(async () => {
        await api(`/snapshots/${encodeURIComponent(s.name)}/restore`, { method: "POST" });
        say(`Restored ${s.name}.`);
      }));
      const remove = el("button", "Delete", { type: "button", "data-delete": s.name });
      remove.addEventListener("click", guarded(async () => {
        await api(`/snapshots/${encodeURIComponent(s.name)}`, { method: "DELETE" });
        await loadSnapshots();
      }));
      const both = el("span");
      both.append(restore, " ", remove);
      return both;
    } },
  ], data.snapshots);
}

// --- wiring --------------------------------------------------------------------------------
function wire() {
  for (const button of document.querySelectorAll("#tabs button")) {
    button.addEventListener("click", () => showTab(button.dataset.tab));
  }
  $("namespace").addEventListener("change", guarded(async () => {
    state.namespace = $("namespace").value;
    state.table = "";
    $("record").hidden = true;
    $("rows").replaceChildren();
    await refresh();
  }));
  $("namespace").addEventListener("focus", () => loadNamespaces().catch((e) => say(e.message)));
  $("vendor").addEventListener("change", guarded(async () => {
    state.vendor = $("vendor").value;
    state.table = "";
    $("record").hidden = true;
    $("rows").replaceChildren();
    await loadOverview();
  }));
  $("search-form").addEventListener("submit", guarded(async () => {
    if (!state.table) throw new Error("Choose a table first.");
    state.query = $("search").value.trim();
    state.offset = 0;
    await loadRows();
  }));
  $("prev").addEventListener("click", guarded(async () => { state.offset = Math.max(0, state.offset - PAGE); await loadRows(); }));
  $("next").addEventListener("click", guarded(async () => { state.offset += PAGE; await loadRows(); }));
  $("journal-filters").addEventListener("submit", guarded(() => loadJournal(true)));
  $("j-clear").addEventListener("click", guarded(async () => { await api("/requests", { method: "DELETE" }); await loadJournal(true); }));
  $("fault-form").addEventListener("submit", guarded(addFault));
  $("clock-advance").addEventListener("submit", guarded(() => setClock({ advance: $("advance").value.trim() })));
  $("clock-set").addEventListener("submit", guarded(() => setClock({ set: $("set-time").value.trim() })));
  $("clock-freeze").addEventListener("click", guarded(() => setClock({ freeze: true })));
  $("clock-unfreeze").addEventListener("click", guarded(() => setClock({ freeze: false })));
  $("clock-reset").addEventListener("click", guarded(() => setClock({ reset: true })));
  $("reset").addEventListener("click", guarded(async () => {
    await api("/reset", { method: "POST" });
    say("Reset to the seed.");
    await loadSnapshots();
  }));
  $("snapshot-form").addEventListener("submit", guarded(async () => {
    await api("/snapshots", { method: "POST", json: { name: $("snapshot-name").value.trim() } });
    say(`Snapshot ${$("snapshot-name").value.trim()} taken.`);
    await loadSnapshots();
  }));
  $("token-form").addEventListener("submit", () => {
    sessionStorage.setItem(TOKEN_KEY, $("token-input").value.trim());
    $("token-input").value = "";
    say("");
    loadNamespaces().catch((e) => say(e.message));
    refresh();
  });
  scheduleJournal();
}

async function start() {
  wire();
  try {
    const health = await api("/health", { namespaced: false });
    $("f-vendor").replaceChildren(...health.vendors.map((v) => el("option", v, { value: v })));
    await loadNamespaces();
  } catch (error) { say(error.message); }
  const tab = location.hash.slice(1);
  showTab(["data", "journal", "faults", "time", "snapshots"].includes(tab) ? tab : "data");
}

start();
