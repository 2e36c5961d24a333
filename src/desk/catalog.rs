//! The scenarios the start screen offers: every `.ron` file of a folder, validated.

use crate::desk::error::DeskError;
use crate::engine::{Scenario, load_scenario};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone)]
pub struct CatalogEntry {
    pub path: String,
    pub sha256: String,
    pub scenario: Arc<Scenario>,
    /// Customers an hour the scenario's own crowd brings, worked out once for the start
    /// screen (its arrival curve, before pile-ons).
    pub team_customers_per_hour: f64,
}

/// A session's customers an hour, as the start screen and the top bar say it: the expected
/// drawn arrivals and the scripted customers.
pub fn customers_per_hour(expected_arrivals: f64, scenario: &Scenario) -> f64 {
    let customers = expected_arrivals + scenario.timeline.scripted.len() as f64;
    customers * 60.0 / scenario.duration_min.max(1.0)
}

impl CatalogEntry {
    /// Loads and validates one scenario file; the error lists every fault with its place.
    pub fn load(path: &Path) -> Result<CatalogEntry, DeskError> {
        match load_scenario(path) {
            Ok(loaded) => {
                // A validated scenario compiles; the rate is only shown, so 0 would do.
                let expected = crate::engine::plan::Plan::compile(&loaded.scenario, 1.0)
                    .map_or(0.0, |plan| plan.expected_arrivals);
                Ok(CatalogEntry {
                    path: path.display().to_string(),
                    sha256: loaded.sha256,
                    team_customers_per_hour: customers_per_hour(expected, &loaded.scenario),
                    scenario: Arc::new(loaded.scenario),
                })
            }
            Err(errors) => Err(DeskError::Scenario(errors)),
        }
    }
}

/// The folder of bundled scenarios: `RALEUR_SCENARIOS`, else `scenarios/` here, else the
/// one beside the sources this binary was built from.
pub fn default_dir() -> PathBuf {
    crate::engine::load::default_scenarios_dir()
}

pub struct Catalog {
    /// Sorted by difficulty, then title, as the library is taught.
    pub entries: Vec<CatalogEntry>,
    /// Files that did not load, with why.
    pub broken: Vec<(String, String)>,
}

impl Catalog {
    pub fn load(dir: &Path) -> Catalog {
        let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                .collect(),
            Err(error) => {
                return Catalog {
                    entries: Vec::new(),
                    broken: vec![(dir.display().to_string(), error.to_string())],
                };
            }
        };
        paths.sort();
        let mut entries = Vec::new();
        let mut broken = Vec::new();
        for path in paths {
            match CatalogEntry::load(&path) {
                Ok(entry) => entries.push(entry),
                Err(error) => broken.push((path.display().to_string(), error.to_string())),
            }
        }
        entries.sort_by(|a, b| {
            a.scenario
                .difficulty
                .cmp(&b.scenario.difficulty)
                .then_with(|| a.scenario.id.cmp(&b.scenario.id))
        });
        Catalog { entries, broken }
    }

    /// Adds a scenario named on the command line (if not already listed) and returns its index.
    pub fn insert(&mut self, entry: CatalogEntry) -> usize {
        if let Some(i) = self
            .entries
            .iter()
            .position(|e| e.sha256 == entry.sha256 && e.scenario.id == entry.scenario.id)
        {
            return i;
        }
        self.entries.push(entry);
        self.entries.len() - 1
    }
}
