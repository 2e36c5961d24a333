//! `raleur passport`: issue a trainee's passport, verify one.

use super::academy::{AcademyPaths, known_trainee, parse_lang};
use super::usage;
use crate::academy::certificate::certificate_html;
use crate::academy::passport::{self, AcademyKey, VerifyOptions};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use time::OffsetDateTime;

#[derive(Args)]
pub struct PassportArgs {
    #[command(flatten)]
    paths: AcademyPaths,
    #[command(subcommand)]
    command: PassportCommand,
}

#[derive(Subcommand)]
enum PassportCommand {
    /// Issue the passport of a trainee who passed every level: passport.jwt, certificate.html
    /// and the counted transcripts.
    Issue {
        name: String,
        /// Folder to write into (default: passport-<name>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Language of the passport: fr or en.
        #[arg(long, default_value = "fr")]
        lang: String,
    },
    /// Check a passport: signature, structure, dates; with --transcripts, replay every counted
    /// session and compare its scores. Exit 0 if valid, 1 with the reason if not.
    Verify {
        file: PathBuf,
        /// Folder holding the counted transcripts as <sha256>.jsonl.
        #[arg(long)]
        transcripts: Option<PathBuf>,
        /// The academy's did:key to trust (default: the one of --key's file).
        #[arg(long)]
        issuer: Option<String>,
        /// Folder of scenarios to replay on (default: the bundled library).
        #[arg(long)]
        scenarios: Vec<PathBuf>,
    },
}

pub fn passport_command(args: PassportArgs) -> ExitCode {
    match run_passport(args) {
        Ok(code) | Err(code) => code,
    }
}

fn slug(name: &str) -> String {
    let slug: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    slug.trim_matches('-').to_string()
}

fn run_passport(args: PassportArgs) -> Result<ExitCode, ExitCode> {
    let paths = &args.paths;
    match args.command {
        PassportCommand::Issue { name, out, lang } => issue_passport(paths, name, out, lang),
        PassportCommand::Verify {
            file,
            transcripts,
            issuer,
            scenarios,
        } => verify_passport(paths, file, transcripts, issuer, scenarios),
    }
}

/// Issues a trainee's passport and writes it, its certificate and its transcripts.
fn issue_passport(
    paths: &AcademyPaths,
    name: String,
    out: Option<PathBuf>,
    lang: String,
) -> Result<ExitCode, ExitCode> {
    let lang = parse_lang(&lang)?;
    let key = AcademyKey::load(&paths.key()).map_err(|e| usage(&e.to_string()))?;
    let mut store = paths.open()?;
    let curriculum = paths.curriculum()?;
    let trainee = known_trainee(&store, &name)?;
    let issued = passport::issue(
        &mut store,
        &curriculum,
        &key,
        &trainee,
        lang,
        OffsetDateTime::now_utc(),
    )
    .map_err(|e| {
        warn!("error: {e}");
        ExitCode::from(1)
    })?;
    let out = out.unwrap_or_else(|| PathBuf::from(format!("passport-{}", slug(&trainee))));
    let html = certificate_html(&issued.credential, &issued.jwt, lang)
        .map_err(|e| usage(&e.to_string()))?;
    let transcripts = out.join("transcripts");
    let written = std::fs::create_dir_all(&transcripts)
        .and_then(|()| std::fs::write(out.join("passport.jwt"), format!("{}\n", issued.jwt)))
        .and_then(|()| std::fs::write(out.join("certificate.html"), html))
        .and_then(|()| {
            issued.transcripts.iter().try_for_each(|(sha, text)| {
                std::fs::write(transcripts.join(format!("{sha}.jsonl")), text)
            })
        });
    if let Err(error) = written {
        return Err(usage(&format!(
            "cannot write into {}: {error}",
            out.display()
        )));
    }
    say!(
        "passport #{} for {trainee}: {} sessions counted",
        issued.passport_id,
        issued.transcripts.len()
    );
    say!("  {}", out.join("passport.jwt").display());
    say!("  {}", out.join("certificate.html").display());
    say!("  {}/", transcripts.display());
    say!("issuer {}", key.did());
    Ok(ExitCode::SUCCESS)
}

/// Verifies a passport file and says why it is valid or not.
fn verify_passport(
    paths: &AcademyPaths,
    file: PathBuf,
    transcripts: Option<PathBuf>,
    issuer: Option<String>,
    scenarios: Vec<PathBuf>,
) -> Result<ExitCode, ExitCode> {
    let trusted = match issuer {
        Some(did) => did,
        None => match AcademyKey::load(&paths.key()) {
            Ok(key) => key.did(),
            Err(error) => {
                return Err(usage(&format!(
                    "no academy to trust: pass --issuer did:key:… ({error})"
                )));
            }
        },
    };
    let jwt = std::fs::read_to_string(&file)
        .map_err(|e| usage(&format!("cannot read {}: {e}", file.display())))?;
    let scenarios = if scenarios.is_empty() {
        vec![crate::engine::load::default_scenarios_dir()]
    } else {
        scenarios
    };
    let options = VerifyOptions {
        trusted_issuer: &trusted,
        now: OffsetDateTime::now_utc(),
        transcripts: transcripts.as_deref(),
        scenarios: &scenarios,
    };
    match passport::verify(&jwt, &options) {
        Ok(verified) => {
            say!("valid: passport of {}", verified.trainee);
            say!("  issuer {} (signature checked)", verified.issuer);
            say!(
                "  valid from {}{}",
                verified.valid_from,
                verified
                    .valid_until
                    .as_ref()
                    .map_or(String::new(), |t| format!(" until {t}"))
            );
            say!("  {} sessions counted", verified.sessions.len());
            if verified.replayed > 0 {
                say!(
                    "  {} transcripts replayed in the engine; every score recomputed identical",
                    verified.replayed
                );
            } else {
                say!("  transcripts not checked (give --transcripts DIR to replay them)");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(reason) => {
            say!("invalid: {reason}");
            Err(ExitCode::from(1))
        }
    }
}
