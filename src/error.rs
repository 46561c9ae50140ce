//! Core errors: what went wrong, in the engine's terms. Each face maps them
//! to its own AWS faults; they never appear in the public API.

use crate::shard::TokenError;

/// Why a core operation refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CoreError {
    /// The engine has been shut down.
    ShutDown,
    /// The namespace (SWF domain, Step Functions activity) does not exist.
    UnknownNamespace,
    /// The task list holds as many tasks as its capacity allows.
    QueueFull,
    /// As many pollers wait on the list as the engine allows.
    TooManyPollers,
    /// A task token was refused.
    Token(TokenError),
    /// The execution is closed.
    ExecutionClosed,
    /// An open execution with this workflow id exists.
    AlreadyStarted,
    /// The namespace has as many open executions as the engine allows.
    TooManyExecutions,
}

impl From<TokenError> for CoreError {
    fn from(e: TokenError) -> CoreError {
        CoreError::Token(e)
    }
}
