// The facilitator's console (docs/console.md, "The facilitator's console"). Plain script, no
// library, nothing fetched but this server's API. Every text shown from the exercise goes
// through textContent, never HTML.
"use strict";

const TEXTS = {
  fr: {
    "title": "Console de l'animateur", "open-title": "Ouvrir un exercice", "exercise-id": "Identifiant de l'exercice",
    "code": "Code animateur ou observateur", "open": "Ouvrir", "create-title": "Créer un exercice",
    "host-token": "Jeton de l'hôte (DATA/host-token)", "load-scenarios": "Charger la bibliothèque", "scenario": "Scénario",
    "seed": "Graine", "mode": "Mode", "training": "Entraînement", "exam": "Examen", "lang": "Langue des clients",
    "people": "Postes tenus par des personnes",
    "roles": "Rôles des postes tenus par des personnes, dans l'ordre (facultatif) : front, private, lead",
    "seat-name": "Poste {n}", "colleague-name": "Collègue {n}", "bad-role": "Rôle inconnu : {r} (front, private ou lead)", "colleagues": "Collègues scriptés", "pace": "Rythme des collègues",
    "pace-human": "humain", "pace-naive": "débutant", "pace-slow": "lent", "speed": "Vitesse", "create": "Créer",
    "codes": "Codes à distribuer", "codes-hint": "Chaque personne rejoint son poste avec : raleur play --join ADRESSE --code CODE",
    "open-console": "Ouvrir la console de cet exercice", "clock": "Horloge", "status": "État", "start": "Démarrer",
    "pause": "Pause", "resume": "Reprendre", "end": "Terminer", "role": "Rôle", "buzz": "Buzz", "waiting": "En attente",
    "seats": "Postes", "alerts": "Alertes", "feed": "Fil public", "injects": "Événements",
    "post-as": "Écrire à la place d'un client", "persona": "Profil", "kind": "Demande", "channel": "Réseau",
    "account": "Compte", "care": "service client", "corporate": "corporate", "post": "Publier", "notes": "Notes",
    "note-by": "Votre nom", "note-seat": "Poste", "note-customer": "Conversation n°", "note-mark": "Appréciation",
    "note-add": "Ajouter la note", "review": "Retour d'expérience", "review-prepare": "Préparer le retour d'expérience",
    "review-open": "Ouvrir (imprimable en PDF)", "review-download": "Télécharger (HTML)",
    "fire": "Déclencher", "fired": "déclenché {n} fois", "any-kind": "(tirée au sort)", "no-seat": "(aucun)",
    "facilitator": "animateur", "observer": "observateur (lecture seule)",
    "waiting-status": "en attente", "running": "en direct", "paused": "en pause", "ended": "terminé",
    "seat-col": "Poste", "load-col": "Charge", "replies-col": "Réponses", "median-col": "Médiane 1re réponse",
    "current-col": "Conversation en cours", "connected": "connecté", "absent": "absent", "scripted": "scripté",
    "channel-col": "Réseau", "waiting-col": "En attente", "anger-col": "Colère moy. / max",
    "alert-press": "Journaliste : {h} a posté", "alert-influencer": "Compte influent : {h} ({f} abonnés) a posté",
    "alert-churn": "{h} est sur le point de partir (colère {a})", "alert-behind": "{s} prend du retard ({w} en attente)",
    "no-alert": "Aucune alerte.", "brand": "marque", "hidden": "masqué", "note-saved": "Note enregistrée.",
    "fired-ok": "Événement déclenché : {l}", "posted-ok": "Publié.", "created-ok": "Exercice créé.",
    "facilitator-code": "Animateur", "observer-code": "Observateur", "seat-code": "{s}", "scripted-seat": "collègue scripté",
    "unauthorized": "Code refusé (401) : vérifiez l'identifiant et le code.", "forbidden": "Ce code ne permet pas cette action (403).",
    "review-ready": "Retour d'expérience prêt.", "wall": "({d})",
  },
  en: {
    "title": "Facilitator's console", "open-title": "Open an exercise", "exercise-id": "Exercise id",
    "code": "Facilitator or observer code", "open": "Open", "create-title": "Create an exercise",
    "host-token": "Host token (DATA/host-token)", "load-scenarios": "Load the library", "scenario": "Scenario",
    "seed": "Seed", "mode": "Mode", "training": "Training", "exam": "Exam", "lang": "Customers' language",
    "people": "Seats played by people",
    "roles": "Roles of the people's seats, in order (optional): front, private, lead",
    "seat-name": "Seat {n}", "colleague-name": "Colleague {n}", "bad-role": "Unknown role: {r} (front, private or lead)", "colleagues": "Scripted colleagues", "pace": "Colleagues' pace",
    "pace-human": "human", "pace-naive": "beginner", "pace-slow": "slow", "speed": "Speed", "create": "Create",
    "codes": "Codes to hand out", "codes-hint": "Each person joins their seat with: raleur play --join ADDRESS --code CODE",
    "open-console": "Open this exercise's console", "clock": "Clock", "status": "Status", "start": "Start",
    "pause": "Pause", "resume": "Resume", "end": "End", "role": "Role", "buzz": "Buzz", "waiting": "Waiting",
    "seats": "Seats", "alerts": "Alerts", "feed": "Public feed", "injects": "Injects",
    "post-as": "Post as a customer", "persona": "Persona", "kind": "Request", "channel": "Network",
    "account": "Account", "care": "care", "corporate": "corporate", "post": "Post", "notes": "Notes",
    "note-by": "Your name", "note-seat": "Seat", "note-customer": "Conversation #", "note-mark": "Mark",
    "note-add": "Add the note", "review": "After-action review", "review-prepare": "Prepare the after-action review",
    "review-open": "Open (printable to PDF)", "review-download": "Download (HTML)",
    "fire": "Fire", "fired": "fired {n} times", "any-kind": "(drawn)", "no-seat": "(none)",
    "facilitator": "facilitator", "observer": "observer (read only)",
    "waiting-status": "waiting", "running": "live", "paused": "paused", "ended": "ended",
    "seat-col": "Seat", "load-col": "Load", "replies-col": "Replies", "median-col": "Median first reply",
    "current-col": "Current conversation", "connected": "connected", "absent": "absent", "scripted": "scripted",
    "channel-col": "Network", "waiting-col": "Waiting", "anger-col": "Mean / max anger",
    "alert-press": "Journalist: {h} posted", "alert-influencer": "Influential account: {h} ({f} followers) posted",
    "alert-churn": "{h} is about to leave (anger {a})", "alert-behind": "{s} is falling behind ({w} waiting)",
    "no-alert": "No alert.", "brand": "brand", "hidden": "hidden", "note-saved": "Note saved.",
    "fired-ok": "Inject fired: {l}", "posted-ok": "Posted.", "created-ok": "Exercise created.",
    "facilitator-code": "Facilitator", "observer-code": "Observer", "seat-code": "{s}", "scripted-seat": "scripted colleague",
    "unauthorized": "Code refused (401): check the id and the code.", "forbidden": "This code does not allow that (403).",
    "review-ready": "After-action review ready.", "wall": "({d})",
  },
};

const WEEKDAYS = { fr: ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."], en: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] };
const POLL_MS = 500;

const state = { lang: "fr", id: null, code: null, view: null, created: null, timer: null, reviewUrl: null, injectsKey: null };

const $ = (id) => document.getElementById(id);

function t(key, args) {
  let s = (TEXTS[state.lang] && TEXTS[state.lang][key]) || TEXTS.fr[key] || key;
  for (const [k, v] of Object.entries(args || {})) s = s.split("{" + k + "}").join(String(v));
  return s;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function say(text, bad) {
  const m = $("message");
  m.textContent = text;
  m.className = bad ? "bad" : "good";
  m.hidden = !text;
}

function setLang(lang) {
  state.lang = lang;
  document.documentElement.lang = lang;
  document.title = "raleur · " + t("title");
  for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
  if (state.view) render(state.view);
}

async function api(method, path, token, body) {
  const headers = { "Authorization": "Bearer " + token };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let data = null;
  try { data = JSON.parse(text); } catch (_) { data = text; }
  if (!response.ok) {
    const message = response.status === 401 ? t("unauthorized")
      : response.status === 403 ? t("forbidden")
      : (data && (data[state.lang] || data.message)) || ("HTTP " + response.status);
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return data;
}

function exercisePath(what) {
  return "/api/exercises/" + encodeURIComponent(state.id) + "/" + what;
}

// ----- creating -----

async function loadScenarios() {
  try {
    const data = await api("GET", "/api/scenarios?lang=" + state.lang, $("host-token").value.trim());
    const select = $("scenario");
    select.replaceChildren();
    for (const s of data.scenarios) {
      const option = el("option", s.title + " (" + s.name + ")");
      option.value = s.name;
      select.append(option);
    }
    say("");
  } catch (e) { say(e.message, true); }
}

async function create() {
  const body = {
    scenario: $("scenario").value,
    seed: Number($("seed").value) || 0,
    mode: $("mode").value,
    lang: $("create-lang").value,
    pace: $("pace").value,
    speed: Number($("create-speed").value) || 1,
  };
  const people = Number($("people").value) || 0;
  const colleagues = Number($("colleagues").value) || 0;
  const roles = $("roles").value.split(",").map((r) => r.trim().toLowerCase()).filter((r) => r);
  if (roles.length) {
    // With roles, the seats are listed: the people's first, named in the customers' language.
    const names = TEXTS[body.lang] || TEXTS.fr;
    const bad = roles.find((r) => !["front", "private", "lead"].includes(r));
    if (bad) { say(t("bad-role", { r: bad }), true); return; }
    body.seats = [];
    for (let n = 1; n <= people + colleagues; n++) {
      const person = n <= people;
      const seat = { name: (person ? names["seat-name"] : names["colleague-name"]).replace("{n}", n) };
      if (person && roles[n - 1]) seat.role = roles[n - 1];
      if (!person) seat.scripted = true;
      body.seats.push(seat);
    }
  } else {
    body.people = people;
    body.colleagues = colleagues;
  }
  try {
    const created = await api("POST", "/api/exercises", $("host-token").value.trim(), body);
    state.created = created;
    const table = $("codes");
    table.replaceChildren();
    const row = (who, code, id) => {
      const tr = el("tr");
      tr.append(el("td", who));
      const td = el("td", code, "code");
      if (id) td.id = id;
      tr.append(td);
      table.append(tr);
    };
    row(t("facilitator-code"), created.facilitator, "code-facilitator");
    row(t("observer-code"), created.observer, "code-observer");
    for (const seat of created.seats) {
      const name = seat.role ? seat.name + " (" + seat.role + ")" : seat.name;
      row(name, seat.code || t("scripted-seat"), seat.code ? "code-seat-" + seat.seat : null);
    }
    $("created").hidden = false;
    $("open-id").value = created.id;
    say(t("created-ok"));
  } catch (e) { say(e.message, true); }
}

// ----- the live view -----

async function open(id, code) {
  state.id = id;
  state.code = code;
  try {
    const view = await api("GET", exercisePath("live?lang=" + state.lang), code);
    $("connect").hidden = true;
    $("console").hidden = false;
    render(view);
    fillForms(view);
    say("");
    clearInterval(state.timer);
    state.timer = setInterval(poll, POLL_MS);
  } catch (e) { say(e.message, true); }
}

async function poll() {
  try {
    render(await api("GET", exercisePath("live?lang=" + state.lang), state.code));
  } catch (e) { say(e.message, true); }
}

function clockText(ms) {
  const minutes = Math.floor(ms / 60000);
  const seconds = Math.floor(ms / 1000) % 60;
  return "T+" + Math.floor(minutes / 60) + ":" + String(minutes % 60).padStart(2, "0") + ":" + String(seconds).padStart(2, "0");
}

function wallText(view) {
  const total = view.start.hour * 60 + view.start.minute + Math.floor(view.now_ms / 60000);
  const day = (view.start.weekday + Math.floor(total / 1440)) % 7;
  const minutes = total % 1440;
  return WEEKDAYS[state.lang][day] + " " + String(Math.floor(minutes / 60)).padStart(2, "0") + ":" + String(minutes % 60).padStart(2, "0");
}

function render(view) {
  state.view = view;
  document.body.classList.toggle("observer", view.role !== "facilitator");
  $("clock").textContent = clockText(view.now_ms);
  $("wall").textContent = t("wall", { d: wallText(view) });
  $("status").textContent = t(view.status === "waiting" ? "waiting-status" : view.status);
  $("status").dataset.status = view.status;
  $("speed-now").textContent = "×" + view.speed;
  $("role").textContent = t(view.role);
  $("btn-start").disabled = view.status !== "waiting";
  $("btn-pause").disabled = view.status !== "running";
  $("btn-resume").disabled = view.status !== "paused";
  $("btn-end").disabled = view.status === "ended";
  if (document.activeElement !== $("speed")) $("speed").value = String(view.speed);

  // The buzz: the gauge against the session's peak so far, and the curve of the samples.
  const peak = Math.max(1, view.buzz, ...view.buzz_curve.map((p) => p[1]));
  $("buzz").textContent = String(view.buzz);
  $("buzz-fill").style.width = Math.round(100 * view.buzz / peak) + "%";
  const curve = view.buzz_curve.map((p) => [p[0], p[1]]).concat([[view.now_ms, view.buzz]]);
  // The time axis spans what has been played, an hour at least, so that the curve is read.
  const span = Math.min(view.duration_ms, Math.max(view.now_ms, 3600000));
  const points = curve.map((p) => (300 * p[0] / span).toFixed(1) + "," + (78 - 76 * p[1] / peak).toFixed(1));
  $("buzz-line").setAttribute("points", points.join(" "));

  const waiting = $("waiting");
  waiting.replaceChildren(header([t("channel-col"), t("waiting-col"), t("anger-col")]));
  for (const w of view.waiting) waiting.append(line([w.channel, w.waiting, w.mean_anger + " / " + w.max_anger]));

  const seats = $("seats");
  seats.replaceChildren(header([t("seat-col"), t("load-col"), t("replies-col"), t("median-col"), t("current-col")]));
  for (const s of view.seats) {
    const presence = s.scripted ? t("scripted") : (s.connected > 0 ? t("connected") : t("absent"));
    const median = s.median_first_response_ms === null ? "–" : Math.round(s.median_first_response_ms / 1000) + " s";
    const tr = line([s.name + " (" + presence + ")", s.load, s.replies, median, s.current ? s.current.handle + " #" + s.current.customer : "–"]);
    if (s.behind) tr.className = "behind";
    tr.id = "seat-row-" + s.seat;
    seats.append(tr);
  }

  const alerts = $("alerts");
  alerts.replaceChildren();
  for (const a of view.alerts.slice(0, 12)) {
    const text = a.kind === "press" ? t("alert-press", { h: a.handle })
      : a.kind === "influencer" ? t("alert-influencer", { h: a.handle, f: a.followers })
      : a.kind === "churn" ? t("alert-churn", { h: a.handle, a: a.anger })
      : t("alert-behind", { s: a.name, w: a.waiting });
    alerts.append(el("li", clockText(a.t_ms) + " · " + text, "alert " + a.kind));
  }
  if (!view.alerts.length) alerts.append(el("li", t("no-alert"), "muted"));

  const feed = $("feed");
  feed.replaceChildren();
  for (const post of view.feed) {
    const li = el("li", null, post.brand ? "post brand" : "post");
    const meta = el("div", clockText(post.t_ms) + " · " + post.channel + " · ", "meta");
    meta.append(el("strong", post.handle));
    if (post.brand) meta.append(el("span", " · " + t("brand"), "tag"));
    if (post.hidden) meta.append(el("span", " · " + t("hidden"), "tag"));
    if (!post.brand) meta.append(el("span", " · #" + post.customer, "muted"));
    li.append(meta, el("p", post.text));
    feed.append(li);
  }

  // The injects' buttons are rebuilt only when they change: a button replaced under the
  // facilitator's pointer would lose the click.
  const injectsKey = JSON.stringify([state.lang, view.status, view.injects.map((i) => i.fired)]);
  if (injectsKey !== state.injectsKey) {
    state.injectsKey = injectsKey;
    renderInjects(view);
  }

  const notes = $("notes");
  notes.replaceChildren();
  for (const note of view.notes) {
    const mark = note.mark === "up" ? "👍 " : note.mark === "down" ? "👎 " : "";
    const about = [];
    if (note.seat !== null && view.seats[note.seat]) about.push(view.seats[note.seat].name);
    if (note.customer !== null) about.push("#" + note.customer);
    const who = note.by || t(note.author);
    const li = el("li", null, "note");
    li.append(el("span", clockText(note.t_ms) + " · ", "muted"), el("span", mark + note.text));
    li.append(el("span", " — " + who + (about.length ? " · " + about.join(" · ") : ""), "muted"));
    notes.append(li);
  }
}

function renderInjects(view) {
  const injects = $("injects");
  injects.replaceChildren();
  for (const inject of view.injects) {
    const li = el("li", null, "inject " + inject.kind);
    const button = el("button", t("fire"));
    button.type = "button";
    button.dataset.inject = inject.id;
    button.disabled = view.status !== "running" || (!inject.repeatable && inject.fired > 0);
    button.addEventListener("click", () => fire(inject));
    li.append(button, el("strong", " " + inject.label));
    if (inject.fired) li.append(el("span", " · " + t("fired", { n: inject.fired }), "muted"));
    if (inject.description) li.append(el("p", inject.description, "hint"));
    injects.append(li);
  }
}

function header(cells) {
  const tr = el("tr");
  for (const c of cells) tr.append(el("th", c));
  return tr;
}

function line(cells) {
  const tr = el("tr");
  for (const c of cells) tr.append(el("td", c));
  return tr;
}

function fillForms(view) {
  const personas = $("post-persona");
  personas.replaceChildren();
  for (const p of view.personas) {
    const option = el("option", p.label);
    option.value = p.id;
    personas.append(option);
  }
  personas.onchange = () => fillKinds(view);
  fillKinds(view);
  const seats = $("note-seat");
  seats.replaceChildren();
  const none = el("option", t("no-seat"));
  none.value = "";
  seats.append(none);
  for (const s of view.seats) {
    const option = el("option", s.name);
    option.value = String(s.seat);
    seats.append(option);
  }
}

function fillKinds(view) {
  const persona = $("post-persona").value;
  const kinds = $("post-kind");
  kinds.replaceChildren();
  const any = el("option", t("any-kind"));
  any.value = "";
  kinds.append(any);
  for (const k of view.kinds) {
    if (k.personas.length && !k.personas.includes(persona)) continue;
    const option = el("option", k.label);
    option.value = k.id;
    kinds.append(option);
  }
}

// ----- acting -----

async function control(command, extra) {
  try {
    await api("POST", exercisePath("control"), state.code, Object.assign({ command }, extra || {}));
    await poll();
  } catch (e) { say(e.message, true); }
}

async function fire(inject) {
  try {
    await api("POST", exercisePath("direct"), state.code, { action: { action: "inject", inject: inject.id } });
    say(t("fired-ok", { l: inject.label }));
    await poll();
  } catch (e) { say(e.message, true); }
}

async function postAs() {
  const action = {
    action: "post_as",
    persona: $("post-persona").value,
    channel: $("post-channel").value,
    account: $("post-account").value,
    text: $("post-text").value,
  };
  if ($("post-kind").value) action.kind = $("post-kind").value;
  try {
    await api("POST", exercisePath("direct"), state.code, { action });
    $("post-text").value = "";
    say(t("posted-ok"));
    await poll();
  } catch (e) { say(e.message, true); }
}

async function addNote() {
  const draft = { by: $("note-by").value, text: $("note-text").value };
  if ($("note-seat").value !== "") draft.seat = Number($("note-seat").value);
  if ($("note-customer").value !== "") draft.customer = Number($("note-customer").value);
  if ($("note-mark").value) draft.mark = $("note-mark").value;
  try {
    await api("POST", exercisePath("notes"), state.code, draft);
    $("note-text").value = "";
    say(t("note-saved"));
    await poll();
  } catch (e) { say(e.message, true); }
}

async function prepareReview() {
  try {
    const response = await fetch(exercisePath("review?lang=" + state.lang), { headers: { "Authorization": "Bearer " + state.code } });
    if (!response.ok) throw new Error(response.status === 401 ? t("unauthorized") : response.status === 403 ? t("forbidden") : "HTTP " + response.status);
    const blob = new Blob([await response.text()], { type: "text/html" });
    if (state.reviewUrl) URL.revokeObjectURL(state.reviewUrl);
    state.reviewUrl = URL.createObjectURL(blob);
    $("review-open").href = state.reviewUrl;
    $("review-download").href = state.reviewUrl;
    $("review-links").hidden = false;
    say(t("review-ready"));
  } catch (e) { say(e.message, true); }
}

document.addEventListener("DOMContentLoaded", () => {
  const preferred = (navigator.language || "fr").startsWith("en") ? "en" : "fr";
  setLang(preferred);
  $("lang-fr").addEventListener("click", () => setLang("fr"));
  $("lang-en").addEventListener("click", () => setLang("en"));
  $("load-scenarios").addEventListener("click", loadScenarios);
  $("create-btn").addEventListener("click", create);
  $("open-btn").addEventListener("click", () => open($("open-id").value.trim(), $("open-code").value.trim()));
  $("open-created").addEventListener("click", () => open(state.created.id, state.created.facilitator));
  $("btn-start").addEventListener("click", () => control("start"));
  $("btn-pause").addEventListener("click", () => control("pause"));
  $("btn-resume").addEventListener("click", () => control("resume"));
  $("btn-end").addEventListener("click", () => control("end"));
  $("speed").addEventListener("change", () => control("speed", { speed: Number($("speed").value) }));
  $("post-btn").addEventListener("click", postAs);
  $("note-btn").addEventListener("click", addNote);
  $("review-btn").addEventListener("click", prepareReview);
});
