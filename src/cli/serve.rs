//! `raleur serve`: hosts team exercises; can create one as it starts and print how to join.

use super::usage;
use crate::exercise::client::{self, Created};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(super) struct ServeArgs {
    /// Address and port to listen on; only this machine can reach the default. To serve
    /// other machines, listen on their network and put TLS in front (docs/protocol.md).
    #[arg(long, default_value = "127.0.0.1:7878")]
    listen: SocketAddr,
    /// Where exercises and the host token are kept (default: `serve` in the data folder).
    #[arg(long)]
    data: Option<PathBuf>,
    /// The scenario library exercises are made from.
    #[arg(long)]
    scenarios: Option<PathBuf>,
    /// The academy's records each person's seat is written into (default: $RALEUR_DB, else
    /// academy.sqlite3 in the data folder).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Do not write the seats into the academy's records.
    #[arg(long, conflicts_with = "db")]
    no_record: bool,
    /// Create an exercise on this scenario of the library as the server starts (e.g.
    /// price_war) and print its codes.
    #[arg(long)]
    create: Option<String>,
    /// Seats for people in the created exercise.
    #[arg(long, default_value_t = 1, requires = "create")]
    people: usize,
    /// Seats for scripted colleagues in the created exercise.
    #[arg(long, default_value_t = 0, requires = "create")]
    colleagues: usize,
    /// The colleagues' pace: human (a person's) or a scripted team's name (expert...).
    #[arg(long, default_value = "human", requires = "create")]
    pace: String,
    /// Simulated seconds per second.
    #[arg(long, default_value_t = 1, requires = "create")]
    speed: u32,
    #[arg(long, default_value_t = 1, requires = "create")]
    seed: u64,
    /// fr or en.
    #[arg(long, default_value = "fr", requires = "create")]
    lang: String,
    /// Scale arrival rates to about this many customers.
    #[arg(long, requires = "create")]
    customers: Option<u64>,
    #[arg(long, requires = "create")]
    exam: bool,
    /// Start the created exercise's clock at once (else the facilitator starts it).
    #[arg(long, requires = "create")]
    start: bool,
    /// Print one JSON line (where it listens, the host token, the created exercise) on
    /// standard output instead of the text.
    #[arg(long)]
    json: bool,
}

pub(super) fn serve_command(args: ServeArgs) -> ExitCode {
    use crate::serve::{ServeOptions, Server};
    let data = args
        .data
        .clone()
        .unwrap_or_else(|| crate::academy::store::data_dir().join("serve"));
    let records = (!args.no_record).then(|| {
        args.db
            .clone()
            .unwrap_or_else(crate::academy::store::default_db_path)
    });
    let options = ServeOptions {
        listen: args.listen,
        data,
        scenarios: args
            .scenarios
            .clone()
            .unwrap_or_else(crate::engine::load::default_scenarios_dir),
        records,
    };
    let server = match Server::start(options) {
        Ok(server) => server,
        Err(error) => {
            warn!("raleur serve: {error}");
            return ExitCode::from(1);
        }
    };
    let created = match &args.create {
        Some(scenario) => match create(&server, &args, scenario) {
            Ok(created) => Some(created),
            Err(message) => {
                warn!("raleur serve: {message}");
                server.stop();
                return usage(&message);
            }
        },
        None => None,
    };
    announce(&server, &args, created.as_ref());
    server.wait();
    ExitCode::SUCCESS
}

fn create(
    server: &crate::serve::Server,
    args: &ServeArgs,
    scenario: &str,
) -> Result<Created, String> {
    let body = serde_json::json!({
        "scenario": scenario,
        "seed": args.seed,
        "lang": args.lang,
        "mode": if args.exam { "exam" } else { "training" },
        "customers": args.customers,
        "people": args.people,
        "colleagues": args.colleagues,
        "pace": args.pace,
        "speed": args.speed,
    });
    let base = format!("http://{}", server.addr);
    let created =
        client::create_exercise(&base, &server.hub.host_token, &body).map_err(|e| match e {
            client::ClientError::Refused { message, .. } => {
                serde_json::from_str::<serde_json::Value>(&message)
                    .ok()
                    .and_then(|v| v["message"].as_str().map(String::from))
                    .unwrap_or(message)
            }
            other => other.to_string(),
        })?;
    if args.start {
        client::http(
            "POST",
            &base,
            &format!("/api/exercises/{}/control", created.id),
            Some(&created.facilitator),
            Some(r#"{"command":"start"}"#),
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(created)
}

fn announce(server: &crate::serve::Server, args: &ServeArgs, created: Option<&Created>) {
    let addr = server.addr;
    if args.json {
        let line = serde_json::json!({
            "listening": addr.to_string(),
            "host_token": server.hub.host_token,
            "created": created,
        });
        say!("{line}");
        return;
    }
    say!("raleur serve: listening on http://{addr}");
    if !addr.ip().is_loopback() {
        say!("  reachable from the network: put TLS in front of it (docs/protocol.md)");
    }
    say!(
        "  host token (creates exercises): {}",
        server.hub.host_token
    );
    let Some(created) = created else {
        return;
    };
    say!(
        "exercise {}: facilitator {}, observer {}",
        created.id,
        created.facilitator,
        created.observer
    );
    for seat in &created.seats {
        match &seat.code {
            Some(code) => say!(
                "  {}: raleur play --join ws://{addr}{} --code {code}",
                seat.name,
                created.ws
            ),
            None => say!("  {}: a scripted colleague", seat.name),
        }
    }
}
