//! The academy's records damaged at will (a value of any type in any column, chunks lost or
//! doubled, a foreign table, another schema version, a cut or corrupted file), then read
//! every way raleur reads them.
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

use arbitrary::{Arbitrary, Unstructured};
use harness::{DAMAGE_VALUES, DAMAGEABLE, Damage};
use libfuzzer_sys::fuzz_target;

fn damage(u: &mut Unstructured) -> arbitrary::Result<Damage> {
    Ok(match u.int_in_range(0..=6u8)? {
        0 => Damage::DeleteChunk(i64::from(u.int_in_range(0..=4u8)?)),
        1 => Damage::DuplicateChunk,
        2 => Damage::ForeignTable(*u.choose(&["sessions", "trainees", "transcript_chunks"])?),
        3 => Damage::UserVersion(i64::arbitrary(u)?),
        4 => Damage::Truncate(f64::from(u.int_in_range(0..=1000u16)?) / 1000.0),
        5 => Damage::FlipByte {
            at_share: f64::from(u.int_in_range(0..=10_000u16)?) / 10_000.0,
            value: u8::arbitrary(u)?,
        },
        _ => {
            let (table, columns) = *u.choose(DAMAGEABLE)?;
            let column = *u.choose(columns)?;
            let value = if bool::arbitrary(u)? {
                u.choose(DAMAGE_VALUES)?.to_string()
            } else {
                let text = String::arbitrary(u)?;
                format!("'{}'", text.replace('\'', "''"))
            };
            Damage::Set {
                table,
                column,
                value,
            }
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut damages = Vec::new();
    while damages.len() < 4 && !u.is_empty() {
        match damage(&mut u) {
            Ok(d) => damages.push(d),
            Err(_) => break,
        }
    }
    let path = std::env::temp_dir().join(format!(
        "raleur-fuzz-records-{}.sqlite3",
        std::process::id()
    ));
    harness::records(&path, &damages);
});
