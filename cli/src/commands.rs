//! The token commands, `mint`, `decode`, `verify` and `audit`: each a few calls of the library's
//! public API, then printing.

use std::io::Read as _;

use netless_token::{Issue, KeyPair, TokenRequest, Validation, MAX_TOKEN_LEN};

use crate::args::{AuditArgs, DecodeArgs, MintArgs, VerifyArgs};
use crate::failure::{fail_on, Failure};
use crate::keys;
use crate::output::{at_or_above, print_audit, print_fields, Out};

/// `mint`: one token, printed with a newline.
pub fn mint(args: MintArgs) -> Result<(), Failure> {
    let sk = keys::secret_key(args.keys.sk.is_some(), args.keys.sk_file.as_deref())?;
    let ak = args
        .keys
        .ak
        .as_deref()
        .ok_or("ak: no access key: pass --ak or set NETLESS_AK".to_owned())?;
    let pair = KeyPair::new(ak, &sk).map_err(|e| e.to_string())?;
    let extra: Vec<(&str, &str)> = args
        .extra
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = TokenRequest::new(args.kind, args.lifespan, args.role, args.uuid.as_deref())
        .with_extra(&extra);
    let mut issue = Issue::new();
    if let Some(ms) = args.issued_at {
        issue = issue.at(ms);
    }
    if let Some(nonce) = &args.nonce {
        issue = issue.nonce(nonce);
    }
    let token = pair.mint_with(&request, issue).map_err(|e| e.to_string())?;
    let mut out = Out::new()?;
    out.line(token)?;
    out.flush()
}

/// `decode`: a token's fields, no secret needed.
pub fn decode(args: DecodeArgs) -> Result<(), Failure> {
    let token = token_text(&args.token)?;
    let decoded = netless_token::decode(&token).map_err(|e| e.to_string())?;
    let mut out = Out::new()?;
    print_fields(&mut out, &decoded, args.json, None)?;
    out.flush()
}

/// `verify`: the fields of a valid token, or why it is not.
pub fn verify(args: VerifyArgs) -> Result<(), Failure> {
    let token = token_text(&args.token)?;
    let sk = keys::secret_key(args.keys.sk.is_some(), args.keys.sk_file.as_deref())?;
    let mut validation = Validation::new().leeway_ms(args.leeway);
    if let Some(kind) = args.kind {
        validation = validation.expect_kind(kind);
    }
    if let Some(now) = args.now {
        validation = validation.at(now);
    }
    // Without --ak, whatever access key the token carries: the secret alone decides.
    let verified = match &args.keys.ak {
        Some(ak) => KeyPair::new(ak, &sk)
            .map_err(|e| e.to_string())?
            .verify(&token, &validation),
        None => sk.verify(&token, &validation),
    }
    .map_err(|e| e.to_string())?;
    let mut out = Out::new()?;
    print_fields(&mut out, &verified, args.json, Some("valid"))?;
    out.flush()
}

/// `audit`: a token's kind, role, access key, expiry and findings; exit 1 when a finding is at
/// `--fail-on` or above.
pub fn audit(args: AuditArgs) -> Result<(), Failure> {
    let token = token_text(&args.token)?;
    let decoded = netless_token::decode(&token).map_err(|e| e.to_string())?;
    let findings = decoded.audit(&args.policy.policy());
    let mut out = Out::new()?;
    print_audit(&mut out, &decoded, &findings, args.json)?;
    out.flush()?;
    let threshold = args.policy.fail_on;
    fail_on(at_or_above(&findings, threshold), threshold)
}

/// The token from the argument, or from standard input for `-` (surrounding whitespace
/// dropped; at most a little over the token limit is read).
fn token_text(arg: &str) -> Result<String, Failure> {
    if arg != "-" {
        return Ok(arg.to_owned());
    }
    let mut text = String::new();
    std::io::stdin()
        .take(MAX_TOKEN_LEN as u64 + 64)
        .read_to_string(&mut text)
        .map_err(|e| format!("token: cannot read standard input: {e}"))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(Failure::Refused(
            "token: standard input was empty; pipe a token in, or pass it as an argument".into(),
        ));
    }
    Ok(token.to_owned())
}
