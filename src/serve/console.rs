//! The facilitator's console: a web page the server serves (`/console`, French and English,
//! nothing fetched from elsewhere) and the endpoints behind it: the scenario library, the
//! live view, the facilitator's injects and posts, the notes, the after-action review.

use super::Hub;
use super::api::{Caller, bearer, refuse, unauthorized};
use crate::engine::Lang;
use crate::engine::action::Action;
use crate::exercise::authority::Input;
use crate::exercise::hosted::Role;
use crate::exercise::notes::{Author, Draft};
use crate::exercise::wire::ServerMessage;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;

const PAGE: &str = include_str!("../../assets/console/index.html");
const SCRIPT: &str = include_str!("../../assets/console/console.js");
const STYLE: &str = include_str!("../../assets/console/console.css");

/// The console's page may run only its own script and talk only to this server. Inline
/// styles are allowed: the review it opens from a blob inherits this policy and is one
/// self-contained file, its style inline.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/// The review is a document: its inline style, its charts, no script at all.
const REVIEW_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

pub(super) fn routes() -> Router<Arc<Hub>> {
    Router::new()
        .route("/console", get(page))
        .route("/console/console.js", get(script))
        .route("/console/console.css", get(style))
        .route("/api/scenarios", get(scenarios))
        .route("/api/exercises/{id}/live", get(live))
        .route("/api/exercises/{id}/direct", post(direct))
        .route("/api/exercises/{id}/notes", post(note))
        .route("/api/exercises/{id}/review", get(review))
}

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, PAGE_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        PAGE,
    )
        .into_response()
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        SCRIPT,
    )
        .into_response()
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        STYLE,
    )
        .into_response()
}

#[derive(Deserialize)]
struct LangQuery {
    #[serde(default)]
    lang: Option<String>,
}

impl LangQuery {
    fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or(Lang::Fr)
    }
}

/// Refuses a caller whose code is not one of `allowed`, with 403, logged.
fn only(caller: &Caller, allowed: &[Role], what: &str) -> Option<Response> {
    if allowed.contains(&caller.role) {
        return None;
    }
    let peer = caller.peer.map(|p| p.to_string()).unwrap_or_default();
    eprintln!(
        "raleur serve: {peer}: refused {what} of {}: {:?}'s code",
        caller.id, caller.role
    );
    Some(refuse(
        StatusCode::FORBIDDEN,
        "forbidden",
        &format!("{what}: not for this code"),
    ))
}

/// The library's scenarios, for the console's creation form (the host token's).
async fn scenarios(
    State(hub): State<Arc<Hub>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<LangQuery>,
) -> Response {
    let token_ok =
        bearer(&headers).is_some_and(|token| crate::exercise::codes::same(token, &hub.host_token));
    if !token_ok {
        return unauthorized(Some(peer), "listing the scenarios");
    }
    let lang = query.lang();
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(&hub.options.scenarios)
        .map(|dir| {
            dir.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "ron"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    let list: Vec<serde_json::Value> = paths
        .iter()
        .filter_map(|path| {
            let loaded = crate::engine::load_scenario(path).ok()?;
            let s = loaded.scenario;
            let name = path.file_stem()?.to_string_lossy().to_string();
            Some(json!({
                "name": name,
                "id": s.id,
                "title": s.title.get(lang),
                "duration_min": s.duration_min,
                "team_size": s.team_size,
                "injects": s.injects.len(),
            }))
        })
        .collect();
    Json(json!({ "scenarios": list })).into_response()
}

async fn live(caller: Caller, Query(query): Query<LangQuery>) -> Response {
    if let Some(refused) = only(
        &caller,
        &[Role::Facilitator, Role::Observer],
        "the live view",
    ) {
        return refused;
    }
    let state = caller.live.lock();
    let mut view =
        crate::exercise::view::live(&state.hosted.exercise, &state.connected, query.lang());
    view["role"] = json!(match caller.role {
        Role::Facilitator => "facilitator",
        _ => "observer",
    });
    Json(view).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectRequest {
    #[serde(default, rename = "ref")]
    reference: u64,
    action: Action,
}

/// What a refused input says back, as a 422.
fn refused_input(message: Option<ServerMessage>) -> Option<Response> {
    match message? {
        ServerMessage::Refused { code, fr, en, .. } => Some(
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({"error": code, "fr": fr, "en": en, "message": en})),
            )
                .into_response(),
        ),
        _ => None,
    }
}

/// The facilitator fires an inject or posts as a customer: an engine action of no seat.
async fn direct(caller: Caller, body: String) -> Response {
    if let Some(refused) = only(&caller, &[Role::Facilitator], "directing the exercise") {
        return refused;
    }
    let request: DirectRequest = match serde_json::from_str(&body) {
        Ok(request) => request,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, "bad_request", &e.to_string()),
    };
    let input = Input::Direct {
        reference: request.reference,
        action: request.action,
    };
    let mut state = caller.live.lock();
    match caller.live.input(&mut state, &input) {
        Err(error) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            &error.to_string(),
        ),
        Ok(answer) => refused_input(answer).unwrap_or_else(|| {
            Json(json!({"ok": true, "now_ms": state.hosted.exercise.now_ms()})).into_response()
        }),
    }
}

async fn note(caller: Caller, body: String) -> Response {
    if let Some(refused) = only(
        &caller,
        &[Role::Facilitator, Role::Observer],
        "writing a note",
    ) {
        return refused;
    }
    let draft: Draft = match serde_json::from_str(&body) {
        Ok(draft) => draft,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, "bad_request", &e.to_string()),
    };
    let author = match caller.role {
        Role::Facilitator => Author::Facilitator,
        _ => Author::Observer,
    };
    let mut state = caller.live.lock();
    match caller
        .live
        .input(&mut state, &Input::Note { author, draft })
    {
        Err(error) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            &error.to_string(),
        ),
        Ok(answer) => refused_input(answer).unwrap_or_else(|| {
            let note = state.hosted.exercise.notes().last().cloned();
            (StatusCode::CREATED, Json(json!({ "note": note }))).into_response()
        }),
    }
}

async fn review(caller: Caller, Query(query): Query<LangQuery>) -> Response {
    if let Some(refused) = only(&caller, &[Role::Facilitator, Role::Observer], "the review") {
        return refused;
    }
    // Copied under the lock, scored outside it and off the server's async threads: neither
    // the exercise's clock nor the other requests wait.
    let played = super::review::Played::of(&caller.live.lock().hosted.exercise);
    let lang = query.lang();
    let html = match tokio::task::spawn_blocking(move || super::review::review_html(&played, lang))
        .await
    {
        Ok(html) => html,
        Err(error) => {
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                &error.to_string(),
            );
        }
    };
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, REVIEW_POLICY),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"raleur-review.html\"",
            ),
        ],
        html,
    )
        .into_response()
}
