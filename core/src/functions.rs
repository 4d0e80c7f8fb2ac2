//! The one list of WHMCS module functions the extension implements, with the shape each returns.
//!
//! The generator writes exactly these into `modules/servers/<name>/<name>.php`, and the extension
//! dispatches exactly these, so a module file can never name a function the extension lacks.
//! (A function's existence switches WHMCS features on, so only implemented ones are listed.)

use serde_json::{json, Value};

/// What a module function returns to WHMCS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The `MetaData()` array.
    Meta,
    /// The `ConfigOptions()` array.
    Options,
    /// `"success"` or an error message.
    Status,
    /// `['success' => bool, 'error' => string]`.
    Result,
}

impl Shape {
    /// The name the generated module file uses for this shape.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Meta => "meta",
            Shape::Options => "options",
            Shape::Status => "status",
            Shape::Result => "result",
        }
    }

    /// This shape carrying a failure message (for panics and unknown functions).
    pub fn failure(self, message: &str) -> Value {
        match self {
            Shape::Meta => json!({
                "DisplayName": format!("Backup Server ({message})"),
                "APIVersion": "1.1",
                "RequiresServer": true,
            }),
            Shape::Options => json!({
                "sgwhmcs": {"FriendlyName": "sgwhmcs", "Type": "text", "Description": message},
            }),
            Shape::Status => Value::String(message.to_string()),
            Shape::Result => json!({"success": false, "error": message}),
        }
    }
}

/// The module functions, in the order the generated file lists them.
pub const FUNCTIONS: &[(&str, Shape)] = &[
    ("MetaData", Shape::Meta),
    ("ConfigOptions", Shape::Options),
    ("CreateAccount", Shape::Status),
    ("SuspendAccount", Shape::Status),
    ("UnsuspendAccount", Shape::Status),
    ("TerminateAccount", Shape::Status),
    ("TestConnection", Shape::Result),
];

/// The shape of a listed function.
pub fn shape_of(function: &str) -> Option<Shape> {
    FUNCTIONS
        .iter()
        .find(|(name, _)| *name == function)
        .map(|(_, shape)| *shape)
}
