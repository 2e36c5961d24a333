//! Typed ids for what crosses modules: a customer (and their conversation), a message, a
//! team session's seat. In transcripts they are plain numbers (`serde(transparent)`), so
//! typing them changes no byte.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The id as an index into the simulation's list it numbers.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

typed_id!(
    /// A customer, numbered in order of arrival; their conversation has the same id.
    CustomerId
);
typed_id!(
    /// A message, numbered in order of posting, the brand's and the customers' together.
    MessageId
);
typed_id!(
    /// A seat of a team session, numbered from 0 in the order the exercise lists them.
    SeatId
);
