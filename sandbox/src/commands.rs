//! Commands: the actions this sandbox offers on access tokens, listed by `/commands` and run by
//! `/runcommand`. Nexudus publishes none for access tokens, so the widget discovers them at run time;
//! these are the sandbox's own, documented in their `Name`s.

use axum::extract::State as AxumState;
use axum::response::Response;
use axum::Json;
use chrono::Duration;
use serde_json::Value;
use wifi_desk_wire::{AccessToken, Command, ParameterSpec, RunCommand, WallClock};

use crate::auth::{Principal, Role};
use crate::body::JsonObject;
use crate::error::{action_failed, action_ok, ApiError};
use crate::store::now;
use crate::State;

fn command(
    key: &str,
    name: &str,
    order: i64,
    parameter: Option<(&str, &str)>,
    one: bool,
) -> Command {
    Command {
        key: key.into(),
        name: name.into(),
        applies_only_to_one_entity: one,
        needs_entities_to_run: true,
        order,
        requires_parameters: parameter
            .map(|(name, kind)| ParameterSpec {
                name: name.into(),
                r#type: kind.into(),
            })
            .into_iter()
            .collect(),
        ..Command::default()
    }
}

/// The commands, in menu order.
pub fn all() -> Vec<Command> {
    vec![
        command(
            "EXTEND_ONE_DAY",
            "Extend validity by one day",
            1,
            None,
            false,
        ),
        command(
            "EXTEND_HOURS",
            "Extend validity by a number of hours",
            2,
            Some(("Hours", "int")),
            false,
        ),
        command(
            "ADD_MINUTES",
            "Top up minutes",
            3,
            Some(("Minutes", "int")),
            false,
        ),
        command(
            "RESET_MINUTES",
            "Reset minutes left to the minutes included",
            4,
            None,
            false,
        ),
        command("EXPIRE_NOW", "Expire now", 5, None, false),
        command(
            "FORGET_DEVICE",
            "Forget the device that used the code",
            6,
            None,
            true,
        ),
    ]
}

/// `GET /spaces/accesstokens/commands`.
pub async fn list(
    AxumState(_): AxumState<State>,
    who: Principal,
) -> Result<Json<Vec<Command>>, ApiError> {
    who.require(Role::List)?;
    Ok(Json(all()))
}

/// What a command does to each record.
type Change = Box<dyn Fn(&mut AccessToken)>;

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `POST /spaces/accesstokens/runcommand`. A command that cannot run answers 200 with
/// `WasSuccessful: false`, as Nexudus does, and changes nothing.
pub async fn run(
    AxumState(state): AxumState<State>,
    who: Principal,
    JsonObject(body): JsonObject,
) -> Result<Response, ApiError> {
    who.require(Role::Edit)?;
    let run: RunCommand = serde_json::from_value(Value::Object(body)).map_err(|e| {
        ApiError::BadRequest(format!(
            "The command must look like {{\"Key\": \"…\", \"Ids\": [1, 2], \"Parameters\": []}}: {e}."
        ))
    })?;
    let Some(command) = all().into_iter().find(|c| c.key == run.key) else {
        return Ok(action_failed(format!("There is no command “{}”.", run.key)));
    };
    if !command.applies_to(run.ids.len()) {
        let needs = if command.applies_only_to_one_entity {
            "exactly one access token"
        } else {
            "at least one access token"
        };
        return Ok(action_failed(format!(
            "“{}” runs on {needs}.",
            command.name
        )));
    }
    let found: Vec<i64> = state.store.batch(&run.ids)?.iter().map(|t| t.id).collect();
    if let Some(missing) = run.ids.iter().find(|id| !found.contains(id)) {
        return Ok(action_failed(format!(
            "There is no access token with Id {missing}."
        )));
    }
    let mut amount = 0;
    if let Some(spec) = command.requires_parameters.first() {
        let given = run
            .parameters
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(&spec.name));
        match given.and_then(|p| {
            p.value
                .as_i64()
                .or_else(|| p.value.as_str()?.trim().parse().ok())
        }) {
            Some(n) if (1..=100_000).contains(&n) => amount = n,
            _ => {
                return Ok(action_failed(format!(
                    "“{}” needs {} as a whole number from 1 to 100000.",
                    command.name, spec.name
                )))
            }
        }
    }
    let n = run.ids.len();
    let now = now();
    let (change, message): (Change, String) = match command.key.as_str() {
        "EXTEND_ONE_DAY" | "EXTEND_HOURS" => {
            let by = if command.key == "EXTEND_ONE_DAY" {
                Duration::days(1)
            } else {
                Duration::hours(amount)
            };
            (
                // A code with no end date is valid until used up; it stays that way. One ending
                // in year 9999 ("no end" to some systems) stays within four-digit years.
                Box::new(move |t| {
                    t.valid_to = t
                        .valid_to
                        .map(|to| to.with_local((to.local() + by).min(WallClock::latest())))
                }),
                format!(
                    "Extended {n} access token{} by {} hour{}.",
                    plural(n),
                    by.num_hours(),
                    plural(by.num_hours() as usize)
                ),
            )
        }
        "ADD_MINUTES" => (
            Box::new(move |t| {
                t.minutes_included += amount;
                t.minutes_left += amount;
            }),
            format!(
                "Added {amount} minute{} to {n} access token{}.",
                plural(amount as usize),
                plural(n)
            ),
        ),
        "RESET_MINUTES" => (
            Box::new(|t| t.minutes_left = t.minutes_included),
            format!("Reset the minutes of {n} access token{}.", plural(n)),
        ),
        "EXPIRE_NOW" => (
            Box::new(move |t| {
                let from = t.valid_from.map_or(now - Duration::minutes(1), |f| {
                    f.local().min(now - Duration::minutes(1))
                });
                t.valid_from = Some(WallClock::new(from));
                t.valid_to = Some(WallClock::new(now));
            }),
            format!("Expired {n} access token{}.", plural(n)),
        ),
        _ => (
            Box::new(|t| {
                t.mac_address = None;
                t.last_access = None;
            }),
            "Forgot the device of the access token.".to_owned(),
        ),
    };
    state.store.change_each(&run.ids, &who.email, change)?;
    Ok(action_ok(message, None))
}
