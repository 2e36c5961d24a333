//! Reading a transcript's events fast. `Event` is written internally tagged (`{"type":
//! "post", ...}`), which serde reads by buffering every field of every line before it knows
//! the variant: most of the cost of reading a transcript. The events are declared once, in
//! [`events!`], which also makes their externally tagged twin (`WireEvent`); an event whose
//! first key is `"type"`, as every transcript writes it, is read straight into that twin from
//! the tag on, with no buffer. Any other key order is still read, through a JSON value.

use super::{Event, WireEvent};
use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess, VariantAccess, Visitor,
};

/// Declares `Event`, written internally tagged by `type`, and `WireEvent`, the same variants
/// read externally tagged, with the conversion between them.
macro_rules! events {
    (
        $(#[$meta:meta])*
        pub enum Event {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident $({
                    $( $(#[$field_meta:meta])* $field:ident : $ty:ty ),* $(,)?
                })?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(tag = "type", rename_all = "snake_case")]
        pub enum Event {
            $( $(#[$variant_meta])* $variant $({ $( $(#[$field_meta])* $field: $ty ),* })? ),*
        }

        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub(super) enum WireEvent {
            $( $variant $({ $( $field: $ty ),* })? ),*
        }

        impl From<WireEvent> for Event {
            fn from(event: WireEvent) -> Event {
                match event {
                    $( WireEvent::$variant $({ $($field),* })? => Event::$variant $({ $($field),* })? ),*
                }
            }
        }
    };
}
pub(super) use events;

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Event, D::Error> {
        deserializer.deserialize_map(EventVisitor).map(Event::from)
    }
}

struct EventVisitor;

impl<'de> Visitor<'de> for EventVisitor {
    type Value = WireEvent;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an event: an object with its \"type\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireEvent, A::Error> {
        match map.next_key_seed(FirstKeySeed)? {
            Some(FirstKey::Type) => WireEvent::deserialize(TaggedFields { map }),
            Some(FirstKey::Other(key)) => reordered(key, map),
            None => Err(de::Error::missing_field("type")),
        }
    }
}

/// An event whose tag is not its first key: gathered whole, then read by its tag.
fn reordered<'de, A: MapAccess<'de>>(first: String, mut map: A) -> Result<WireEvent, A::Error> {
    use serde_json::{Map, Value};
    let mut fields = Map::new();
    fields.insert(first, map.next_value()?);
    while let Some((key, value)) = map.next_entry::<String, Value>()? {
        fields.insert(key, value);
    }
    let tag = match fields.remove("type") {
        Some(Value::String(tag)) => tag,
        Some(_) => return Err(de::Error::custom("the event's \"type\" is not a string")),
        None => return Err(de::Error::missing_field("type")),
    };
    let event = if fields.is_empty() {
        Value::String(tag)
    } else {
        Value::Object(Map::from_iter([(tag, Value::Object(fields))]))
    };
    WireEvent::deserialize(event).map_err(de::Error::custom)
}

/// An event's first key: its tag, as transcripts write it, or another field.
enum FirstKey {
    Type,
    Other(String),
}

struct FirstKeySeed;

impl<'de> DeserializeSeed<'de> for FirstKeySeed {
    type Value = FirstKey;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<FirstKey, D::Error> {
        deserializer.deserialize_str(FirstKeyVisitor)
    }
}

struct FirstKeyVisitor;

impl Visitor<'_> for FirstKeyVisitor {
    type Value = FirstKey;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<FirstKey, E> {
        Ok(if key == "type" {
            FirstKey::Type
        } else {
            FirstKey::Other(key.to_string())
        })
    }
}

/// The rest of an event's object once its `"type"` key is read: the tag's value names the
/// variant, the remaining entries are its fields.
struct TaggedFields<A> {
    map: A,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for TaggedFields<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for TaggedFields<A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(
        mut self,
        seed: S,
    ) -> Result<(S::Value, Self), A::Error> {
        let variant = self.map.next_value_seed(seed)?;
        Ok((variant, self))
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for TaggedFields<A> {
    type Error = A::Error;

    fn unit_variant(mut self) -> Result<(), A::Error> {
        while self.map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, _seed: S) -> Result<S::Value, A::Error> {
        Err(de::Error::custom("events have named fields"))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("events have named fields"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.map)
    }
}
