//! An exercise on disk, so that a server that stops resumes it: `exercise.json` (the
//! definition and its codes, readable by the server's user only) and `inputs.jsonl`, every
//! input that changed it, one a line, written before its effects are sent to anyone.

use super::authority::Input;
use super::spec::ExerciseSpec;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// An exercise's definition with its secrets.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Saved {
    pub id: String,
    pub spec: ExerciseSpec,
    pub facilitator: String,
    pub observer: String,
    /// One join code per seat a person plays; none for a scripted colleague's.
    pub seat_codes: Vec<Option<String>>,
    pub created: String,
}

#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("{path}: {message}")]
    At { path: String, message: String },
}

fn at(path: &Path, message: impl std::fmt::Display) -> FilesError {
    FilesError::At {
        path: path.display().to_string(),
        message: message.to_string(),
    }
}

/// Where one exercise's inputs are appended.
pub struct ExerciseLog {
    path: PathBuf,
    file: File,
}

impl ExerciseLog {
    /// Writes the input on its own line. Written to the OS before the server says anything
    /// of it: a server killed right after loses nothing it sent.
    pub fn append(&mut self, input: &Input) -> Result<(), FilesError> {
        let mut line = serde_json::to_vec(input).map_err(|e| at(&self.path, e))?;
        line.push(b'\n');
        self.file.write_all(&line).map_err(|e| at(&self.path, e))
    }
}

/// Creates the exercise's folder under `root` with its definition and an empty log.
pub fn create(root: &Path, saved: &Saved) -> Result<ExerciseLog, FilesError> {
    let dir = root.join(&saved.id);
    private_dir(root)?;
    private_dir(&dir)?;
    let definition = dir.join("exercise.json");
    let text = serde_json::to_vec_pretty(saved).map_err(|e| at(&definition, e))?;
    write_private(&definition, &text)?;
    open_log(&dir.join("inputs.jsonl"))
}

/// An exercise read back: its definition, the inputs it had taken, its log open for more.
pub struct Loaded {
    pub saved: Saved,
    pub inputs: Vec<Input>,
    pub log: ExerciseLog,
}

/// Every exercise saved under `root`: its definition, the inputs it had taken, and its log
/// open for more. A log whose last line was cut by a crash loses that line only (it had not
/// been sent); an exercise that cannot be read is reported and left on disk.
pub fn load_all(root: &Path) -> Vec<Result<Loaded, FilesError>> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("exercise.json").is_file())
        .collect();
    dirs.sort();
    dirs.iter().map(|dir| load(dir)).collect()
}

fn load(dir: &Path) -> Result<Loaded, FilesError> {
    let definition = dir.join("exercise.json");
    let text = std::fs::read(&definition).map_err(|e| at(&definition, e))?;
    let saved: Saved = serde_json::from_slice(&text).map_err(|e| at(&definition, e))?;
    let log_path = dir.join("inputs.jsonl");
    let mut inputs = Vec::new();
    let mut good_bytes = 0u64;
    if log_path.exists() {
        let file = File::open(&log_path).map_err(|e| at(&log_path, e))?;
        let mut reader = BufReader::new(file);
        let mut line = String::new();
        let mut number = 0;
        loop {
            line.clear();
            let read = reader.read_line(&mut line).map_err(|e| at(&log_path, e))?;
            if read == 0 {
                break;
            }
            number += 1;
            // The last line, cut short by a crash while it was written, is dropped.
            if !line.ends_with('\n') {
                break;
            }
            let input = serde_json::from_str::<Input>(line.trim_end())
                .map_err(|e| at(&log_path, format!("line {number}: {e}")))?;
            inputs.push(input);
            good_bytes += read as u64;
        }
    }
    let log = open_log(&log_path)?;
    log.file.set_len(good_bytes).map_err(|e| at(&log_path, e))?;
    Ok(Loaded { saved, inputs, log })
}

fn open_log(path: &Path) -> Result<ExerciseLog, FilesError> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| at(path, e))?;
    Ok(ExerciseLog {
        path: path.to_path_buf(),
        file,
    })
}

fn private_dir(dir: &Path) -> Result<(), FilesError> {
    std::fs::create_dir_all(dir).map_err(|e| at(dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| at(dir, e))?;
    }
    Ok(())
}

/// Writes a file only the server's user may read (it holds codes).
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), FilesError> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| at(path, e))?;
    file.write_all(bytes).map_err(|e| at(path, e))
}
