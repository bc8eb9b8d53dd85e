//! The vocabulary's strict words and the delegation rule: `Role::from_word`,
//! `Role::from_digit` and `TokenKind::from_word` take exactly one spelling each, while
//! `FromStr` stays lenient; `Role::may_issue` allows an equal or inferior role, across all
//! nine pairs, with a refusal that names `role` and both roles.

mod common;

use common::assert_names_field;
use netless_token::{MintError, Role, TokenKind};

#[test]
fn the_strict_words_take_exactly_one_spelling() {
    for role in Role::ALL {
        assert_eq!(Role::from_word(role.as_word()), Some(role));
        assert_eq!(Role::from_digit(role.as_digit()), Some(role));
        assert_eq!(
            Role::from_word(role.as_digit()),
            None,
            "{role}: a digit is no word"
        );
        assert_eq!(
            Role::from_digit(role.as_word()),
            None,
            "{role}: a word is no digit"
        );
        let upper = role.as_word().to_uppercase();
        assert_eq!(Role::from_word(&upper), None, "{upper}");
        assert_eq!(
            upper.parse::<Role>(),
            Ok(role),
            "FromStr stays lenient: {upper}"
        );
    }
    for bad in [
        "", " admin", "admin ", "owner", "00", "3", "-0", "+1", "writers",
    ] {
        assert_eq!(Role::from_word(bad), None, "{bad:?}");
        assert_eq!(Role::from_digit(bad), None, "{bad:?}");
    }
    for kind in TokenKind::ALL {
        assert_eq!(TokenKind::from_word(kind.as_str()), Some(kind));
        let upper = kind.as_str().to_uppercase();
        assert_eq!(TokenKind::from_word(&upper), None, "{upper}");
        assert_eq!(
            upper.parse::<TokenKind>(),
            Ok(kind),
            "FromStr stays lenient"
        );
    }
    for bad in ["", "rooms", " sdk", "NETLESSSDK_", "0"] {
        assert_eq!(TokenKind::from_word(bad), None, "{bad:?}");
    }
}

#[test]
fn a_role_may_issue_an_equal_or_inferior_role_only() {
    use Role::{Admin, Reader, Writer};
    let table = [
        (Admin, Admin, true),
        (Admin, Writer, true),
        (Admin, Reader, true),
        (Writer, Admin, false),
        (Writer, Writer, true),
        (Writer, Reader, true),
        (Reader, Admin, false),
        (Reader, Writer, false),
        (Reader, Reader, true),
    ];
    for (issuer, requested, allowed) in table {
        let result = issuer.may_issue(requested);
        assert_eq!(result.is_ok(), allowed, "{issuer} issuing {requested}");
        if let Err(e) = result {
            assert_eq!(
                e,
                MintError::RoleAboveIssuer { issuer, requested },
                "{issuer} issuing {requested}"
            );
            assert_names_field(&e, "role");
        }
    }
    assert_eq!(
        Reader.may_issue(Writer).unwrap_err().to_string(),
        "role: a reader SDK token cannot issue a writer token (only equal or inferior roles)"
    );
    assert_eq!(
        Writer.may_issue(Admin).unwrap_err().to_string(),
        "role: a writer SDK token cannot issue an admin token (only equal or inferior roles)"
    );
}
