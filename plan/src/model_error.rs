//! What editing a plan through the model can fail with.

use crate::vocabulary::InvalidValue;

/// Errors from editing a plan through the model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    #[error("{field}: {message}")]
    Field { field: &'static str, message: String },
    #[error("unknown action {0}")]
    UnknownAction(String),
    #[error("unknown objective {0}")]
    UnknownObjective(String),
    #[error("an action must align to at least one P")]
    NoP,
}

pub(crate) fn field_error(field: &'static str, message: &str) -> ModelError {
    ModelError::Field {
        field,
        message: message.to_string(),
    }
}
