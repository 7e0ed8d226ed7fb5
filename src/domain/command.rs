//! Values typed for a server command's parameters, checked against the type the server lists.

use serde_json::Value;
use wifi_desk_wire::{Command, CommandParameter, ParameterSpec};

/// The value to send for `spec` from what was typed, or a sentence saying what to type instead.
/// Whole-number types (`int`, `long`, …) must be whole numbers; booleans `true` or `false`;
/// anything else is sent as the text typed.
pub fn parameter(spec: &ParameterSpec, typed: &str) -> Result<CommandParameter, String> {
    let typed = typed.trim();
    let kind = spec.r#type.to_ascii_lowercase();
    let value = match kind.as_str() {
        "int" | "int32" | "int64" | "long" | "integer" => typed
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("{} must be a whole number.", spec.name))?,
        "bool" | "boolean" => match typed.to_ascii_lowercase().as_str() {
            "true" | "yes" => Value::Bool(true),
            "false" | "no" => Value::Bool(false),
            _ => return Err(format!("{} must be yes or no.", spec.name)),
        },
        _ if typed.is_empty() => return Err(format!("Enter a value for {}.", spec.name)),
        _ => Value::from(typed),
    };
    Ok(CommandParameter {
        name: spec.name.clone(),
        r#type: spec.r#type.clone(),
        value,
    })
}

/// Whether the server's answer `said` to running `command` names one of its parameters, as whole
/// words (any case), apart from where it quotes the command's own name: "“Extend by hours” needs
/// Hours from 1 to 100000" does, "The access token has expired" does not.
pub fn names_a_parameter(said: &str, command: &Command) -> bool {
    // Words, compared whole: no substring search and no Unicode letter tables, whose code the
    // widget has no other use for. Words end at ASCII punctuation and spaces and at the usual
    // typographic quotes and dashes; both sides are split alike, so a name spelt with other
    // letters still matches itself.
    let words = |text: &str| -> Vec<String> {
        let edge = |c: char| {
            if c.is_ascii() {
                !c.is_ascii_alphanumeric()
            } else {
                matches!(c, '“' | '”' | '‘' | '’' | '«' | '»' | '–' | '—' | '\u{a0}')
            }
        };
        text.split(edge)
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let quoted = words(&command.name);
    let said = words(said);
    // The answer's words without those quoting the command's name.
    let mut own = Vec::new();
    let mut at = 0;
    while at < said.len() {
        if !quoted.is_empty() && said[at..].starts_with(&quoted) {
            at += quoted.len();
        } else {
            own.push(&said[at]);
            at += 1;
        }
    }
    command.requires_parameters.iter().any(|spec| {
        let name = words(&spec.name);
        !name.is_empty()
            && own
                .windows(name.len())
                .any(|w| w.iter().zip(&name).all(|(a, b)| *a == b))
    })
}

/// Whether `command`, failed for `count` codes together, may be run on each code alone to learn
/// which failed: not when the server lists it for several codes only (two, or many), where a
/// code alone is a request it does not take, each one more paced write.
pub fn runs_alone_after_failing(command: &Command, count: usize) -> bool {
    count > 1 && command.applies_to(1)
}

/// Whether the parameter is a whole number, for a numeric input.
pub fn is_number(spec: &ParameterSpec) -> bool {
    matches!(
        spec.r#type.to_ascii_lowercase().as_str(),
        "int" | "int32" | "int64" | "long" | "integer"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, kind: &str) -> ParameterSpec {
        ParameterSpec {
            name: name.into(),
            r#type: kind.into(),
        }
    }

    #[test]
    fn a_command_for_several_codes_is_not_run_on_each_alone() {
        let any = Command {
            needs_entities_to_run: true,
            ..Command::default()
        };
        assert!(runs_alone_after_failing(&any, 3));
        assert!(
            !runs_alone_after_failing(&any, 1),
            "one code is alone already"
        );
        for several in [
            Command {
                applies_only_to_two_entities: true,
                ..any.clone()
            },
            Command {
                applies_only_to_multiple_entities: true,
                ..any.clone()
            },
        ] {
            assert!(!runs_alone_after_failing(&several, 2), "{several:?}");
        }
    }

    #[test]
    fn whole_numbers_are_sent_as_numbers() {
        let p = parameter(&spec("Hours", "int"), " 3 ").unwrap();
        assert_eq!((p.name.as_str(), p.r#type.as_str()), ("Hours", "int"));
        assert_eq!(p.value, Value::from(3));
        assert_eq!(
            parameter(&spec("Hours", "Int32"), "2.5").unwrap_err(),
            "Hours must be a whole number."
        );
        assert!(parameter(&spec("Hours", "int"), "").is_err());
        assert!(is_number(&spec("Hours", "long")) && !is_number(&spec("Note", "string")));
    }

    #[test]
    fn an_answer_names_a_parameter_as_a_word_outside_the_commands_name() {
        let command = |name: &str, parameter: &str| Command {
            name: name.into(),
            requires_parameters: vec![spec(parameter, "int")],
            ..Command::default()
        };
        let hours = command("Extend validity by a number of hours", "Hours");
        assert!(names_a_parameter(
            "“Extend validity by a number of hours” needs Hours as a whole number.",
            &hours
        ));
        assert!(names_a_parameter("hours: must be 1 or more", &hours));
        assert!(names_a_parameter("“Hours” must be 1 or more", &hours));
        // Only in the command's name, or inside another word, or a parameter without a name.
        assert!(!names_a_parameter(
            "“Extend validity by a number of hours” cannot run: the access token has expired.",
            &hours
        ));
        let to = command("Move", "To");
        assert!(!names_a_parameter("The access token has expired.", &to));
        assert!(names_a_parameter("To must be a date.", &to));
        assert!(!names_a_parameter(
            "Anything at all.",
            &command("Move", " ")
        ));
    }

    #[test]
    fn booleans_and_text() {
        assert_eq!(
            parameter(&spec("Notify", "bool"), "Yes").unwrap().value,
            Value::Bool(true)
        );
        assert!(parameter(&spec("Notify", "bool"), "maybe").is_err());
        assert_eq!(
            parameter(&spec("Note", "string"), " hi ").unwrap().value,
            Value::from("hi")
        );
        assert_eq!(
            parameter(&spec("Note", "string"), " ").unwrap_err(),
            "Enter a value for Note."
        );
    }
}
