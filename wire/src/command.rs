//! Commands: server-defined actions on one or many records, discovered at run time.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::lenient::null_as_default;

/// A command the server offers, as listed by `/commands`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Command {
    /// What to send as `Key` to run it.
    #[serde(deserialize_with = "null_as_default")]
    pub key: String,
    /// Its name for people.
    #[serde(deserialize_with = "null_as_default")]
    pub name: String,
    /// Runs on several records only.
    #[serde(deserialize_with = "null_as_default")]
    pub applies_only_to_multiple_entities: bool,
    /// Runs on exactly one record.
    #[serde(deserialize_with = "null_as_default")]
    pub applies_only_to_one_entity: bool,
    /// Runs on exactly two records.
    #[serde(deserialize_with = "null_as_default")]
    pub applies_only_to_two_entities: bool,
    /// Needs at least one record.
    #[serde(deserialize_with = "null_as_default")]
    pub needs_entities_to_run: bool,
    /// Position in a menu.
    #[serde(deserialize_with = "null_as_default")]
    pub order: i64,
    /// Parameters to ask for before running.
    #[serde(deserialize_with = "null_as_default")]
    pub requires_parameters: Vec<ParameterSpec>,
}

impl Command {
    /// Whether the command can run on `count` selected records.
    pub fn applies_to(&self, count: usize) -> bool {
        if self.needs_entities_to_run && count == 0 {
            return false;
        }
        if self.applies_only_to_one_entity && count != 1 {
            return false;
        }
        if self.applies_only_to_two_entities && count != 2 {
            return false;
        }
        !(self.applies_only_to_multiple_entities && count < 2)
    }
}

/// A parameter a command needs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ParameterSpec {
    /// Its name.
    #[serde(deserialize_with = "null_as_default")]
    pub name: String,
    /// Its type as the server names it, e.g. `int`.
    #[serde(deserialize_with = "null_as_default")]
    pub r#type: String,
}

/// The body of `POST /runcommand`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RunCommand {
    /// The command's key.
    pub key: String,
    /// The records to run it on.
    pub ids: Vec<i64>,
    /// Values for the command's parameters.
    pub parameters: Vec<CommandParameter>,
}

/// A parameter value sent with a command.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CommandParameter {
    /// The parameter's name.
    pub name: String,
    /// The parameter's type, as listed.
    pub r#type: String,
    /// The value.
    pub value: Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_to_respects_each_flag() {
        let any = Command {
            needs_entities_to_run: true,
            ..Default::default()
        };
        assert!(!any.applies_to(0));
        assert!(any.applies_to(1) && any.applies_to(7));
        let one = Command {
            applies_only_to_one_entity: true,
            ..any.clone()
        };
        assert!(one.applies_to(1) && !one.applies_to(2));
        let two = Command {
            applies_only_to_two_entities: true,
            ..any.clone()
        };
        assert!(two.applies_to(2) && !two.applies_to(1) && !two.applies_to(3));
        let many = Command {
            applies_only_to_multiple_entities: true,
            ..any
        };
        assert!(!many.applies_to(1) && many.applies_to(2));
        assert!(Command::default().applies_to(0));
    }
}
