//! Who is behind a connection to a room, and what they may change.

use plan::access::Role;

/// Who is behind a connection, and what they may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub user: uuid::Uuid,
    pub role: Role,
    pub agency: String,
    /// The name others see in this connection's presence, whatever the
    /// client claims ("Name (Agency)"); empty leaves presence as sent.
    pub shown_as: String,
}

impl Access {
    /// Someone who may change everything (for tools and tests).
    pub fn full(user: uuid::Uuid) -> Self {
        Access {
            user,
            role: Role::Lro,
            agency: String::new(),
            shown_as: String::new(),
        }
    }
}
