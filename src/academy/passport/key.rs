//! The academy's Ed25519 key, its `did:key`, and the compact JWS it signs with.

use super::super::store::data_dir;
use super::PassportError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The multicodec prefix of an Ed25519 public key in a `did:key`.
const ED25519_MULTICODEC: [u8; 2] = [0xed, 0x01];

/// The academy's signing key: `RALEUR_ACADEMY_KEY`, else `academy-key.pem` in the data
/// directory.
pub fn default_key_path() -> PathBuf {
    std::env::var_os("RALEUR_ACADEMY_KEY")
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir().join("academy-key.pem"))
}

/// The academy's Ed25519 signing key, kept as a PKCS#8 PEM file only its owner can read.
pub struct AcademyKey {
    key: SigningKey,
}

impl AcademyKey {
    /// Creates a new key file; refuses to replace one.
    pub fn generate(path: &Path) -> Result<AcademyKey, PassportError> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(PassportError::NoRandomness)?;
        let key = AcademyKey {
            key: SigningKey::from_bytes(&secret),
        };
        let pem = key
            .key
            .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .map_err(|e| PassportError::Key(format!("cannot encode the key: {e}")))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                PassportError::Key(format!("{}: cannot create: {e}", dir.display()))
            })?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(|e| {
            PassportError::Key(if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!(
                    "{} already exists: raleur never replaces an academy key, or the passports it signed could no longer be told from forgeries",
                    path.display()
                )
            } else {
                format!("{}: cannot create: {e}", path.display())
            })
        })?;
        std::io::Write::write_all(&mut file, pem.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| PassportError::Key(format!("{}: cannot write: {e}", path.display())))?;
        Ok(key)
    }

    /// Reads the key file; refuses one that others can read.
    pub fn load(path: &Path) -> Result<AcademyKey, PassportError> {
        let metadata = std::fs::metadata(path).map_err(|e| {
            PassportError::Key(format!(
                "{}: {e} (create the academy's key with `raleur academy keygen`)",
                path.display()
            ))
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(PassportError::Key(format!(
                    "{} can be read by others (mode {mode:o}); the academy's key must be readable by its owner only: chmod 600 {}",
                    path.display(),
                    path.display()
                )));
            }
        }
        #[cfg(not(unix))]
        let _ = metadata;
        let pem = std::fs::read_to_string(path)
            .map_err(|e| PassportError::Key(format!("{}: cannot read: {e}", path.display())))?;
        let key = SigningKey::from_pkcs8_pem(&pem).map_err(|e| {
            PassportError::Key(format!(
                "{}: not an Ed25519 PKCS#8 key: {e}",
                path.display()
            ))
        })?;
        Ok(AcademyKey { key })
    }

    pub fn did(&self) -> String {
        did_key(&self.key.verifying_key())
    }
}

/// The `did:key` of an Ed25519 public key (multicodec 0xed01, base58btc multibase).
pub fn did_key(public: &VerifyingKey) -> String {
    let mut bytes = ED25519_MULTICODEC.to_vec();
    bytes.extend_from_slice(public.as_bytes());
    format!("did:key:z{}", bs58::encode(bytes).into_string())
}

/// The Ed25519 public key a `did:key` names.
pub(super) fn did_public_key(did: &str) -> Result<VerifyingKey, String> {
    let encoded = did
        .strip_prefix("did:key:z")
        .ok_or_else(|| format!("{did:?} is not a base58 did:key"))?;
    let bytes = bs58::decode(encoded)
        .into_vec()
        .map_err(|e| format!("{did:?}: bad base58: {e}"))?;
    let raw: [u8; 32] = bytes
        .strip_prefix(&ED25519_MULTICODEC[..])
        .and_then(|key| key.try_into().ok())
        .ok_or_else(|| format!("{did:?} is not an Ed25519 did:key"))?;
    VerifyingKey::from_bytes(&raw).map_err(|e| format!("{did:?}: not a valid Ed25519 key: {e}"))
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Signs a payload as a compact JWS (`header.payload.signature`) with EdDSA.
pub fn sign_jwt(key: &AcademyKey, payload: &Value) -> String {
    let did = key.did();
    let header = json!({
        "alg": "EdDSA",
        "typ": "JWT",
        "kid": format!("{did}#{}", &did["did:key:".len()..]),
        "jwk": {"kty": "OKP", "crv": "Ed25519", "x": b64(key.key.verifying_key().as_bytes())},
    });
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(payload.to_string().as_bytes())
    );
    let signature = key.key.sign(input.as_bytes());
    format!("{input}.{}", b64(&signature.to_bytes()))
}

pub(super) fn decode_part(part: &str, what: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|e| format!("the {what} is not base64url: {e}"))
}
