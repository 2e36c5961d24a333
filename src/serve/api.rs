//! The server's HTTP side: create an exercise (the host token), look at it and steer it (the
//! facilitator's token; an observer's code looks only), fetch its transcript, and the
//! WebSocket every client joins by.

use super::{Hub, socket};
use crate::engine::scenario::Lang;
use crate::exercise::authority::Input;
use crate::exercise::hosted::{Hosted, Role};
use crate::exercise::spec::{ExerciseMode, ExerciseSpec, SeatSpec};
use axum::Json;
use axum::Router;
use axum::extract::{ConnectInfo, Path, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;

/// The largest HTTP body the API reads.
const MAX_BODY_BYTES: usize = 64 * 1024;

pub fn router(hub: Arc<Hub>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/api/exercises", post(create))
        .route("/api/exercises/{id}", get(status))
        .route("/api/exercises/{id}/control", post(control))
        .route("/api/exercises/{id}/transcript", get(transcript))
        .route("/exercises/{id}/ws", get(join))
        .merge(super::console::routes())
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(hub)
}

async fn index() -> &'static str {
    "raleur serve: team exercises. A seat joins at ws://HOST:PORT/exercises/ID/ws with its code; the protocol is in docs/protocol.md.\n"
}

pub(super) fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"error": code, "message": message}))).into_response()
}

pub(super) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

pub(super) fn unauthorized(peer: Option<SocketAddr>, what: &str) -> Response {
    let peer = peer.map_or_else(|| "a peer".to_string(), |p| p.to_string());
    eprintln!("raleur serve: {peer}: refused {what}: no valid code");
    refuse(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "a valid code is needed (Authorization: Bearer CODE)",
    )
}

/// What the facilitator asks for; the seats are listed, or counted (`people` seats for
/// people, then `colleagues` scripted ones).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateRequest {
    scenario: String,
    #[serde(default = "default_seed")]
    seed: u64,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    mode: Option<ExerciseMode>,
    #[serde(default)]
    customers: Option<u64>,
    #[serde(default)]
    seats: Vec<SeatSpec>,
    #[serde(default)]
    people: Option<usize>,
    #[serde(default)]
    colleagues: Option<usize>,
    #[serde(default = "default_pace")]
    pace: String,
    #[serde(default = "default_speed")]
    speed: u32,
}

fn default_seed() -> u64 {
    1
}
fn default_pace() -> String {
    "human".into()
}
fn default_speed() -> u32 {
    1
}

/// The seats counted: "Poste 1".., the scripted ones "Collègue n" (English: "Seat", "Colleague").
pub fn counted_seats(people: usize, colleagues: usize, lang: Lang) -> Vec<SeatSpec> {
    let (person, colleague) = match lang {
        Lang::Fr => ("Poste", "Collègue"),
        Lang::En => ("Seat", "Colleague"),
    };
    (1..=people + colleagues)
        .map(|n| SeatSpec {
            name: if n <= people {
                format!("{person} {n}")
            } else {
                format!("{colleague} {n}")
            },
            role: None,
            scripted: n > people,
        })
        .collect()
}

/// The scenario named `name` in the library, as text, and the path it was read from.
pub fn library_scenario(library: &std::path::Path, name: &str) -> Result<(String, String), String> {
    let stem = name.strip_suffix(".ron").unwrap_or(name);
    if stem.is_empty()
        || !stem
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return Err(format!(
            "{name:?} is not a scenario of the library (lower-case letters, digits, _ and -)"
        ));
    }
    let path = library.join(format!("{stem}.ron"));
    crate::engine::load_scenario(&path).map_err(|errors| {
        errors
            .first()
            .map(ToString::to_string)
            .unwrap_or_else(|| format!("{stem}: cannot be read"))
    })?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((text, format!("scenarios/{stem}.ron")))
}

async fn create(
    State(hub): State<Arc<Hub>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let token_ok =
        bearer(&headers).is_some_and(|token| crate::exercise::codes::same(token, &hub.host_token));
    if !token_ok {
        return unauthorized(Some(peer), "creating an exercise");
    }
    let request: CreateRequest = match serde_json::from_str(&body) {
        Ok(request) => request,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, "bad_request", &e.to_string()),
    };
    match create_exercise(&hub, request) {
        Ok(created) => (StatusCode::CREATED, Json(created)).into_response(),
        Err(message) => refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_exercise",
            &message,
        ),
    }
}

fn create_exercise(hub: &Hub, request: CreateRequest) -> Result<serde_json::Value, String> {
    let lang = match request.lang.as_deref() {
        None => Lang::Fr,
        Some(code) => Lang::parse(code).ok_or(format!("unknown language {code:?}; fr or en"))?,
    };
    let seats = match (request.seats.is_empty(), request.people, request.colleagues) {
        (false, None, None) => request.seats,
        (true, Some(people), colleagues) => {
            counted_seats(people, colleagues.unwrap_or_default(), lang)
        }
        (true, None, _) => return Err("list the seats, or give their count in `people`".into()),
        (false, _, _) => return Err("give `seats` or `people`, not both".into()),
    };
    let (scenario, scenario_path) = library_scenario(&hub.options.scenarios, &request.scenario)?;
    let spec = ExerciseSpec {
        scenario_path,
        scenario,
        seed: request.seed,
        lang,
        mode: request.mode.unwrap_or(ExerciseMode::Training),
        customers_target: request.customers,
        seats,
        scripted_pace: request.pace,
        speed: request.speed,
    };
    let hosted = Hosted::create(&hub.exercises_dir(), spec, hub.analyser.clone())
        .map_err(|e| e.to_string())?;
    let records = super::records::SeatRecords::resume(&hub.options, &hosted);
    let created = created_json(&hosted);
    eprintln!(
        "raleur serve: created exercise {} ({}, {} seats)",
        hosted.saved.id,
        hosted.saved.spec.scenario_path,
        hosted.saved.spec.seats.len()
    );
    hub.insert(hosted, records);
    Ok(created)
}

/// What the facilitator gets back: the id, the join path, and every code.
pub fn created_json(hosted: &Hosted) -> serde_json::Value {
    let saved = &hosted.saved;
    let seats: Vec<serde_json::Value> = saved
        .spec
        .seats
        .iter()
        .zip(&saved.seat_codes)
        .enumerate()
        .map(|(index, (seat, code))| {
            json!({"seat": index, "name": seat.name, "role": seat.role, "scripted": seat.scripted, "code": code})
        })
        .collect();
    json!({
        "id": saved.id,
        "ws": format!("/exercises/{}/ws", saved.id),
        "facilitator": saved.facilitator,
        "observer": saved.observer,
        "seats": seats,
    })
}

/// Whoever calls an exercise's endpoint with a valid code of it: the exercise and the role
/// the code gives. A wrong code and an unknown exercise get the same 401 (nothing is said of
/// which exercises exist), logged with the peer's address.
pub(super) struct Caller {
    pub(super) live: Arc<super::Live>,
    pub(super) role: Role,
    pub(super) peer: Option<SocketAddr>,
    pub(super) id: String,
}

impl axum::extract::FromRequestParts<Arc<Hub>> for Caller {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        hub: &Arc<Hub>,
    ) -> Result<Caller, Response> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        let what = format!("{} {}", parts.method, parts.uri.path());
        let refused = || unauthorized(peer, &what);
        let Path(id) = Path::<String>::from_request_parts(parts, hub)
            .await
            .map_err(|_| refused())?;
        let live = hub.exercise(&id).ok_or_else(refused)?;
        let role = bearer(&parts.headers)
            .and_then(|code| live.lock().hosted.who(code))
            .ok_or_else(refused)?;
        Ok(Caller {
            live,
            role,
            peer,
            id,
        })
    }
}

async fn status(caller: Caller) -> Response {
    let state = caller.live.lock();
    let exercise = &state.hosted.exercise;
    let seats: Vec<serde_json::Value> = exercise
        .spec()
        .seats
        .iter()
        .enumerate()
        .map(|(i, s)| json!({"seat": i, "name": s.name, "role": s.role, "scripted": s.scripted, "connected": state.connected.get(i).copied().unwrap_or_default()}))
        .collect();
    Json(json!({
        "id": exercise.id(),
        "status": exercise.status(),
        "speed": exercise.speed(),
        "now_ms": exercise.now_ms(),
        "duration_ms": exercise.sim().duration_ms(),
        "actions": exercise.actions().len(),
        "events": exercise.sim().records().len(),
        "seats": seats,
    }))
    .into_response()
}

#[derive(Deserialize)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
enum Control {
    Start,
    Pause,
    Resume,
    Speed { speed: u32 },
    End,
}

async fn control(caller: Caller, body: String) -> Response {
    let Caller {
        live,
        role,
        peer,
        id,
    } = caller;
    if role != Role::Facilitator {
        let peer = peer.map(|p| p.to_string()).unwrap_or_default();
        eprintln!("raleur serve: {peer}: refused a control of {id}: not the facilitator's code");
        return refuse(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only the facilitator steers the exercise",
        );
    }
    let command: Control = match serde_json::from_str(&body) {
        Ok(command) => command,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, "bad_request", &e.to_string()),
    };
    let input = match command {
        Control::Start => Input::Start,
        Control::Pause => Input::Pause,
        Control::Resume => Input::Resume,
        Control::Speed { speed } => {
            if !(1..=crate::exercise::spec::MAX_SPEED).contains(&speed) {
                return refuse(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "bad_speed",
                    &format!("speed is 1 to {}", crate::exercise::spec::MAX_SPEED),
                );
            }
            Input::Speed { speed }
        }
        Control::End => Input::End,
    };
    let mut state = live.lock();
    if let Err(error) = live.input(&mut state, &input) {
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            &error.to_string(),
        );
    }
    let exercise = &state.hosted.exercise;
    Json(json!({"status": exercise.status(), "speed": exercise.speed(), "now_ms": exercise.now_ms()}))
        .into_response()
}

async fn transcript(caller: Caller) -> Response {
    let state = caller.live.lock();
    let exercise = &state.hosted.exercise;
    let mut out = Vec::new();
    match crate::engine::transcript::write_jsonl(
        exercise.header(),
        exercise.sim().records(),
        &mut out,
    ) {
        Ok(_) => (
            [(axum::http::header::CONTENT_TYPE, "application/x-ndjson")],
            out,
        )
            .into_response(),
        Err(e) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            &e.to_string(),
        ),
    }
}

async fn join(
    State(hub): State<Arc<Hub>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    ws: WebSocketUpgrade,
) -> Response {
    let Some(live) = hub.exercise(&id) else {
        eprintln!("raleur serve: {peer}: refused a join: no exercise {id:?}");
        return refuse(StatusCode::NOT_FOUND, "no_exercise", "no such exercise");
    };
    let size = crate::exercise::wire::MAX_READ_BYTES;
    ws.max_message_size(size)
        .max_frame_size(size)
        .on_upgrade(move |socket| socket::serve(socket, live, peer))
}
