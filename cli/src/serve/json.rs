//! JSON request bodies read into typed structs: the [`Json`] extractor, which routes every
//! rejection into [`ApiError`], and the lenient [`Field`] each struct is made of.
//!
//! A body struct never fails to parse because of a field's type: each field records whether it
//! was missing, unusable (and why), or usable, and the endpoint checks its fields afterwards in a
//! fixed order, so the first field at fault is the one the message names. Only JSON that is not
//! well formed fails the parse, with the parser's reason, exactly as for any JSON value. Members
//! the endpoint does not know are read and dropped; a member given twice keeps its last value,
//! as JavaScript's `JSON.parse` does.

use std::fmt;
use std::marker::PhantomData;

use axum::extract::{FromRequest, Request};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::error::{ApiError, Fault};
use super::wire;

/// One JSON value as far as a body field needs it: strings and numbers are kept, anything else
/// (and what an array or object holds) is read to its end and dropped.
#[derive(Debug, PartialEq)]
pub enum Scalar {
    /// A string.
    Text(String),
    /// An integer, 0 or more.
    Unsigned(u64),
    /// A negative integer.
    Negative(i64),
    /// A number written with a fraction or an exponent, or past the integers.
    Float(f64),
    /// `null`, `true`, `false`, an array or an object.
    Other,
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// Reads any JSON value into a [`Scalar`], never refusing one for its type.
struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Unsigned(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(u64::try_from(v).map_or(Scalar::Negative(v), Scalar::Unsigned))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        // Read to the end, so that what follows is parsed, and JSON that is not well formed
        // inside is refused as anywhere else.
        while seq.next_element::<Scalar>()?.is_some() {}
        Ok(Scalar::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<String, Scalar>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

/// What a field's type takes from a JSON value, or why it takes nothing.
pub trait FromScalar: Sized {
    /// The field's value from `value`, or the reason it is unusable.
    fn from_scalar(value: Scalar) -> Result<Self, Fault>;
}

impl FromScalar for String {
    fn from_scalar(value: Scalar) -> Result<Self, Fault> {
        match value {
            Scalar::Text(text) => Ok(text),
            _ => Err(Fault::NotString),
        }
    }
}

/// One field of a body as read: missing, unusable (and why), or its value.
#[derive(Debug, PartialEq)]
pub struct Field<T>(Result<T, Fault>);

impl<T> Default for Field<T> {
    fn default() -> Self {
        Field(Err(Fault::Missing))
    }
}

impl<'de, T: FromScalar> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Scalar::deserialize(deserializer).map(|value| Field(T::from_scalar(value)))
    }
}

impl<T> Field<T> {
    /// The value of a required field named `name`.
    pub fn required(self, name: &'static str) -> Result<T, ApiError> {
        self.0.map_err(|fault| ApiError::Field(name, fault))
    }

    /// The value of an optional field named `name`: `None` when it is missing.
    pub fn optional(self, name: &'static str) -> Result<Option<T>, ApiError> {
        match self.0 {
            Err(Fault::Missing) => Ok(None),
            other => Field(other).required(name).map(Some),
        }
    }
}

/// A body struct: a [`Field`] per member it knows, all missing until read.
pub trait Fields: Default {
    /// Reads the value of the member `name` into its field, or reads it and drops it when the
    /// struct has no such field (with [`skip`]).
    fn read<'de, A: MapAccess<'de>>(&mut self, name: &str, object: &mut A) -> Result<(), A::Error>;
}

/// Reads the value of an unknown member, and drops it.
pub fn skip<'de, A: MapAccess<'de>>(object: &mut A) -> Result<(), A::Error> {
    object.next_value::<Scalar>().map(drop)
}

/// A JSON body: an object read into `T`, or some other JSON value.
enum Object<T> {
    /// The body is an object.
    Fields(T),
    /// The body is JSON, but not an object.
    NotObject,
}

impl<'de, T: Fields> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ObjectVisitor(PhantomData))
    }
}

/// Reads an object's members into `T`; any other value is read to its end.
struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for ObjectVisitor<T> {
    type Value = Object<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut object: A) -> Result<Object<T>, A::Error> {
        let mut fields = T::default();
        while let Some(name) = object.next_key::<String>()? {
            fields.read(&name, &mut object)?;
        }
        Ok(Object::Fields(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Object<T>, A::Error> {
        ScalarVisitor.visit_seq(seq).map(|_| Object::NotObject)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Object<T>, E> {
        Ok(Object::NotObject)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Object<T>, E> {
        Ok(Object::NotObject)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Object<T>, E> {
        Ok(Object::NotObject)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Object<T>, E> {
        Ok(Object::NotObject)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Object<T>, E> {
        Ok(Object::NotObject)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Object<T>, E> {
        Ok(Object::NotObject)
    }
}

/// Extractor: the body, at most [`super::limits::MAX_BODY`] bytes, as a JSON object read into `T`.
/// Refused as [`ApiError`]: a body that cannot be read or is too large, JSON that is not well
/// formed, JSON that is not an object.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: Fields + Send> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<Self, ApiError> {
        let (parts, body) = request.into_parts();
        let bytes = wire::read_body(&parts.headers, body).await?;
        match serde_json::from_slice::<Object<T>>(&bytes) {
            Ok(Object::Fields(fields)) => Ok(Json(fields)),
            Ok(Object::NotObject) => Err(ApiError::BodyNotObject),
            Err(e) => Err(ApiError::BodyNotJson(e)),
        }
    }
}
