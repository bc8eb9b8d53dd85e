//! The tokens of the seven other official generators (`tests/data/official-ports.jsonl`):
//! every one decodes to the fields its line records (but those Go and PHP made from an empty
//! value, which they leave out of the query), and verification accepts exactly the ones the
//! service accepts, refusing the others for their signature or, for a field left out, as
//! malformed (`docs/format.md`, "How the other official generators differ").

mod common;

use std::collections::BTreeMap;

use common::{official_ports, query_of, PortToken};
use netless_token::{decode, DecodeError, KeyPair, SecretKey, Validation, VerifyError};

fn describe(p: &PortToken) -> String {
    format!(
        "line {} ({} {} {}): {}",
        p.line,
        p.port,
        p.class,
        p.kind,
        query_of(&p.token)
    )
}

#[test]
fn verify_accepts_exactly_the_port_tokens_the_service_accepts() {
    let mut failures = Vec::new();
    for p in official_ports() {
        let sk = SecretKey::new(p.sk.as_str()).unwrap();
        let pair = KeyPair::new(&p.ak, &sk).unwrap();
        let policy = Validation::new().at(p.verify_at).expect_kind(p.kind);
        match (p.service_accepts, pair.verify(&p.token, &policy)) {
            (true, Ok(_)) | (false, Err(VerifyError::SignatureMismatch)) => {}
            // Go and PHP leave an empty value out of the query: a required field goes missing.
            (false, Err(VerifyError::Decode(DecodeError::MissingField(_))))
                if p.class == "empty-value" => {}
            (true, Err(e)) => failures.push(format!(
                "{}\n  the service accepts it; we refuse it: {e}",
                describe(&p)
            )),
            (false, Ok(_)) => failures.push(format!(
                "{}\n  the service refuses it; we accept it",
                describe(&p)
            )),
            (false, Err(e)) => failures.push(format!(
                "{}\n  refused, but not for its signature: {e}",
                describe(&p)
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 220 port tokens:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_port_token_decodes_to_the_fields_its_line_records() {
    let mut failures = Vec::new();
    let mut checked_fields = 0;
    for p in official_ports() {
        let d = match decode(&p.token) {
            Ok(d) => d,
            Err(DecodeError::MissingField(_)) if p.class == "empty-value" && p.fields.is_none() => {
                continue;
            }
            Err(e) => {
                failures.push(format!("{}\n  does not decode: {e}", describe(&p)));
                continue;
            }
        };
        let mut wrong = Vec::new();
        if d.kind() != p.kind {
            wrong.push(format!("kind {} (line says {})", d.kind(), p.kind));
        }
        if d.ak() != p.ak {
            wrong.push(format!("ak {:?} (line says {:?})", d.ak(), p.ak));
        }
        if let Some(fields) = &p.fields {
            checked_fields += 1;
            if d.ak() != fields.ak {
                wrong.push(format!("ak {:?} (fields say {:?})", d.ak(), fields.ak));
            }
            if d.role().as_digit() != fields.role {
                wrong.push(format!(
                    "role {} (fields say {:?})",
                    d.role().as_digit(),
                    fields.role
                ));
            }
            if d.uuid() != fields.uuid.as_deref() {
                wrong.push(format!(
                    "uuid {:?} (fields say {:?})",
                    d.uuid(),
                    fields.uuid
                ));
            }
        }
        if !wrong.is_empty() {
            failures.push(format!("{}\n  {}", describe(&p), wrong.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 220 port tokens:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked_fields > 0, "no line records its fields");
}

#[test]
fn the_port_tokens_are_the_ones_the_format_document_describes() {
    // docs/format.md: 30 tokens per generator, 20 realistic and 10 tricky; all realistic ones
    // accepted; accepted of 30: npm 30, Ruby 30, Python 28, PHP 24, Go 25, Java 25, C# 22.
    let expected: BTreeMap<&str, usize> = [
        ("ts-npm", 30),
        ("ruby", 30),
        ("python", 28),
        ("php", 24),
        ("go", 25),
        ("java", 25),
        ("csharp-mono", 22),
    ]
    .into();
    let mut total: BTreeMap<&str, usize> = BTreeMap::new();
    let mut accepted: BTreeMap<&str, usize> = BTreeMap::new();
    let all = official_ports();
    let (ports, edges): (Vec<_>, Vec<_>) = all
        .iter()
        .partition(|p| p.class == "realistic" || p.class == "tricky");
    for p in &ports {
        *total.entry(p.port.as_str()).or_default() += 1;
        *accepted.entry(p.port.as_str()).or_default() += usize::from(p.service_accepts);
        assert!(
            p.class == "tricky" || p.service_accepts,
            "line {}: a realistic token the service refuses",
            p.line
        );
    }
    assert_eq!(accepted, expected);
    assert!(total.values().all(|&n| n == 30), "{total:?}");
    let realistic = ports.iter().filter(|p| p.class == "realistic").count();
    assert_eq!(realistic, 140);

    // PHP and Go on an empty value and a `/`: (port, class) -> (tokens, accepted).
    let mut found: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for p in &edges {
        let entry = found
            .entry((p.port.as_str(), p.class.as_str()))
            .or_default();
        entry.0 += 1;
        entry.1 += usize::from(p.service_accepts);
    }
    let expected: BTreeMap<(&str, &str), (usize, usize)> = [
        (("go", "empty-value"), (2, 0)),
        (("go", "slash"), (2, 2)),
        (("php", "empty-value"), (3, 0)),
        (("php", "slash"), (3, 1)),
    ]
    .into();
    assert_eq!(found, expected);
}
