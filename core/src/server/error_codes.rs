//! The API's error codes (`docs/backup-server-api.md`, "Errors"), the one place their wire text is
//! written, for both sides: the module reads them (`api::ErrorCode::Known`) and sgsim answers them
//! (it includes this file by path, as it does `limits.rs`), so the two cannot drift apart.

/// A code the API documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// `VALIDATION_FAILED`: a field breaks a rule (`400`, or `413` for a body too large).
    ValidationFailed,
    /// `AUTH_FAILED`: missing or wrong credentials (`401`).
    AuthFailed,
    /// `NOT_FOUND`: no such account or endpoint (`404`).
    NotFound,
    /// `METHOD_NOT_ALLOWED`: a known path, another method (`405`).
    MethodNotAllowed,
    /// `ALREADY_EXISTS`: the name is taken by an account of the same kind (`409`).
    AlreadyExists,
    /// `PROTECTED_ACCOUNT`: a built-in account refuses the change or delete (`409`).
    ProtectedAccount,
    /// `BACKUP_RUNNING`: a running backup refuses the delete (`409`).
    BackupRunning,
    /// `INSUFFICIENT_STORAGE`: the reseller's storage does not cover the allotment (`422`).
    InsufficientStorage,
    /// `INSUFFICIENT_MCAL`: the reseller's MCALs do not cover the allotment (`422`).
    InsufficientMcal,
    /// `STORAGE_BELOW_USED`: an allotment below the storage in use (`422`).
    StorageBelowUsed,
    /// `MCAL_BELOW_USED`: a fixed MCAL count below the MCALs in use (`422`).
    McalBelowUsed,
    /// `INTERNAL`: the server failed (`500`, or an injected fault's status).
    Internal,
}

impl Code {
    /// Every code, in the order of the API document.
    pub const ALL: [Code; 12] = [
        Code::ValidationFailed,
        Code::AuthFailed,
        Code::NotFound,
        Code::MethodNotAllowed,
        Code::AlreadyExists,
        Code::ProtectedAccount,
        Code::BackupRunning,
        Code::InsufficientStorage,
        Code::InsufficientMcal,
        Code::StorageBelowUsed,
        Code::McalBelowUsed,
        Code::Internal,
    ];

    /// The code as the API writes it in `error.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ValidationFailed => "VALIDATION_FAILED",
            Code::AuthFailed => "AUTH_FAILED",
            Code::NotFound => "NOT_FOUND",
            Code::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            Code::AlreadyExists => "ALREADY_EXISTS",
            Code::ProtectedAccount => "PROTECTED_ACCOUNT",
            Code::BackupRunning => "BACKUP_RUNNING",
            Code::InsufficientStorage => "INSUFFICIENT_STORAGE",
            Code::InsufficientMcal => "INSUFFICIENT_MCAL",
            Code::StorageBelowUsed => "STORAGE_BELOW_USED",
            Code::McalBelowUsed => "MCAL_BELOW_USED",
            Code::Internal => "INTERNAL",
        }
    }

    /// The code whose wire text is exactly `text`, if the API documents one.
    #[allow(dead_code)] // sgsim only writes codes
    pub fn from_wire(text: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|code| code.as_str() == text)
    }
}
