//! The AccessTokens record endpoints: list/find/range, batch get, get one, create, update, delete.

use axum::extract::{Path, RawQuery, State as AxumState};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use wifi_desk_wire::{AccessToken, FieldError, Page, WallClock};

use crate::auth::{Principal, Role};
use crate::body::JsonObject;
use crate::error::{action_ok, ApiError};
use crate::faults::{Meanwhile, ReadOnlyMinutes, WhilePaged};
use crate::query::ListQuery;
use crate::store::Draft;
use crate::{State, BUSINESSES};

/// `GET /spaces/accesstokens`: a page of records, or with `id=[…]` a bare array of them.
pub async fn list(
    AxumState(state): AxumState<State>,
    who: Principal,
    while_paged: Option<Extension<WhilePaged>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    who.require(Role::List)?;
    let mut q = ListQuery::parse(query.as_deref().unwrap_or_default())?;
    if let Some(ids) = &q.batch {
        return Ok(Json(state.store.batch(ids)?).into_response());
    }
    if let Some(Extension(paged)) = &while_paged {
        q.size = q.size.min(paged.size);
    }
    let (records, total) = state.store.list(&q)?;
    if let (Some(Extension(paged)), Some(first)) = (&while_paged, records.first()) {
        if let Meanwhile::Used = paged.meanwhile {
            let mac = first.mac_address.as_deref().unwrap_or("02:00:00:00:00:01");
            state.store.record_use(first.id, crate::store::now(), mac)?;
        } else if paged.meanwhile.revokes() {
            state.store.delete(first.id)?;
        }
    }
    let first = if records.is_empty() {
        0
    } else {
        (q.page - 1).saturating_mul(q.size).saturating_add(1)
    };
    let page = Page {
        current_page_size: q.size,
        current_page: q.page,
        current_order_field: Some(q.order.to_owned()),
        current_sort_direction: q.dir,
        first_item: first,
        last_item: if records.is_empty() {
            0
        } else {
            first + records.len() as i64 - 1
        },
        has_next_page: q.page.saturating_mul(q.size) < total,
        has_previous_page: q.page > 1,
        page_number: q.page,
        page_size: q.size,
        total_items: total,
        total_pages: (total + q.size - 1) / q.size,
        records,
    };
    Ok(Json(page).into_response())
}

fn id_of(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError::NotFound)
}

/// `GET /spaces/accesstokens/{id}`.
pub async fn get_one(
    AxumState(state): AxumState<State>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    who.require(Role::Read)?;
    let token = state.store.get(id_of(&id)?)?.ok_or(ApiError::NotFound)?;
    Ok(Json(token).into_response())
}

/// `POST /spaces/accesstokens`.
pub async fn create(
    AxumState(state): AxumState<State>,
    who: Principal,
    JsonObject(body): JsonObject,
) -> Result<Response, ApiError> {
    who.require(Role::Create)?;
    let draft = validate(&state, &body, 0)?;
    let id = state
        .store
        .insert(&draft, &who.email)?
        .ok_or_else(|| ApiError::Invalid(vec![code_in_use(&draft.access_code)]))?;
    Ok(action_ok(
        format!(
            "Record '{}' has been successfully created.",
            draft.access_code.trim()
        ),
        Some(id),
    ))
}

/// `PUT /spaces/accesstokens`: the whole record, with its `Id`. Fields left out are cleared.
pub async fn update(
    AxumState(state): AxumState<State>,
    who: Principal,
    read_only: Option<Extension<ReadOnlyMinutes>>,
    JsonObject(body): JsonObject,
) -> Result<Response, ApiError> {
    who.require(Role::Edit)?;
    let id = match body.get("Id") {
        Some(Value::Number(n)) if n.as_i64().is_some_and(|id| id > 0) => {
            n.as_i64().unwrap_or_default()
        }
        other => {
            return Err(ApiError::Invalid(vec![ApiError::field(
                "Id",
                "must be the Id of the record to update",
                other.cloned(),
            )]))
        }
    };
    let Some(stored) = state.store.get(id)? else {
        return Err(ApiError::NotFound);
    };
    let mut draft = validate(&state, &body, id)?;
    if read_only.is_some() {
        draft.minutes_left = stored.minutes_left;
    }
    if !state.store.update(id, &draft, &who.email)? {
        return Err(ApiError::Invalid(vec![code_in_use(&draft.access_code)]));
    }
    Ok(action_ok(
        format!(
            "The record '{}' was updated successfully.",
            draft.access_code.trim()
        ),
        Some(id),
    ))
}

/// `DELETE /spaces/accesstokens/{id}`.
pub async fn delete(
    AxumState(state): AxumState<State>,
    who: Principal,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    who.require(Role::Delete)?;
    if !state.store.delete(id_of(&id)?)? {
        return Err(ApiError::NotFound);
    }
    Ok(action_ok(
        "The record was deleted successfully.".into(),
        None,
    ))
}

fn code_in_use(code: &str) -> FieldError {
    ApiError::field(
        "AccessCode",
        "is already used by another access token",
        Some(Value::String(code.trim().to_owned())),
    )
}

const WRITABLE: &[&str] = &[
    "BusinessId",
    "Business",
    "AccessCode",
    "Description",
    "MinutesIncluded",
    "MinutesLeft",
    "ValidFrom",
    "ValidTo",
    "UserLimit",
    "MacAddress",
    "BookingGuid",
    "VisitorGuid",
    "SystemId",
];

/// Collects every problem with a record body, so the form can show them all at once.
struct Check<'a> {
    body: &'a Map<String, Value>,
    errors: Vec<FieldError>,
}

impl Check<'_> {
    fn fail(&mut self, field: &str, message: &str) {
        let attempted = self.body.get(field).cloned();
        self.errors.push(ApiError::field(field, message, attempted));
    }

    fn int(&mut self, field: &str) -> Option<i64> {
        match self.body.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
            Some(_) => {
                self.fail(field, "must be a whole number");
                None
            }
        }
    }

    fn text(&mut self, field: &str, max: usize) -> Option<String> {
        match self.body.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.chars().count() <= max => Some(s.clone()),
            Some(Value::String(_)) => {
                self.fail(field, &format!("may be at most {max} characters long"));
                None
            }
            Some(_) => {
                self.fail(field, "must be text");
                None
            }
        }
    }

    fn date(&mut self, field: &str) -> Option<NaiveDateTime> {
        let text = self.text(field, 64)?;
        if text.trim().is_empty() {
            return None;
        }
        match WallClock::parse(&text) {
            Ok(at) => Some(at.local()),
            Err(_) => {
                self.fail(
                    field,
                    "must be a date and time such as 2025-01-15T10:30:00Z",
                );
                None
            }
        }
    }
}

/// Validates a create or update body (`id` 0 for a create) into the writable fields.
fn validate(state: &State, body: &Map<String, Value>, id: i64) -> Result<Draft, ApiError> {
    let mut c = Check {
        body,
        errors: Vec::new(),
    };
    for field in body.keys() {
        let server_set = AccessToken::SERVER_SET_FIELDS.contains(&field.as_str());
        if !WRITABLE.contains(&field.as_str()) && !server_set {
            c.fail(field, "is not a field of an access token");
        }
    }
    let business_field = if body.contains_key("BusinessId") {
        "BusinessId"
    } else {
        "Business"
    };
    let business_id = c.int(business_field);
    let access_code = c.text("AccessCode", 50);
    let minutes_included = c.int("MinutesIncluded");
    let minutes_left = c.int("MinutesLeft");
    let draft = Draft {
        business_id: business_id.unwrap_or_default(),
        access_code: access_code.clone().unwrap_or_default(),
        description: c.text("Description", 255),
        minutes_included: minutes_included.unwrap_or_default(),
        minutes_left: minutes_left.unwrap_or_default(),
        valid_from: c.date("ValidFrom"),
        valid_to: c.date("ValidTo"),
        user_limit: c.int("UserLimit"),
        mac_address: c.text("MacAddress", 64),
        booking_guid: c.text("BookingGuid", 64),
        visitor_guid: c.text("VisitorGuid", 64),
        system_id: c.text("SystemId", 255),
    };
    let missing = |c: &mut Check, field: &str, present: bool| {
        if !present && !c.errors.iter().any(|e| e.property_name == field) {
            c.fail(field, "may not be null");
        }
    };
    missing(&mut c, "BusinessId", business_id.is_some());
    if business_id.is_some_and(|b| !BUSINESSES.contains(&b)) {
        let [first, second] = BUSINESSES;
        c.fail(
            business_field,
            &format!("is not a business of this account (the sandbox's are {first} and {second})"),
        );
    }
    match access_code.as_deref().map(str::trim) {
        Some("") => c.fail("AccessCode", "may not be null or empty"),
        None => missing(&mut c, "AccessCode", false),
        Some(code) => {
            if state.store.code_taken(draft.business_id, code, id)? {
                c.errors.push(code_in_use(code));
            }
        }
    }
    missing(&mut c, "MinutesIncluded", minutes_included.is_some());
    missing(&mut c, "MinutesLeft", minutes_left.is_some());
    for (field, value) in [
        ("MinutesIncluded", minutes_included),
        ("MinutesLeft", minutes_left),
    ] {
        if value.is_some_and(|m| m < 0) {
            c.fail(field, "must be zero or more");
        }
    }
    if let (Some(from), Some(to)) = (draft.valid_from, draft.valid_to) {
        if to <= from {
            c.fail("ValidTo", "must be later than ValidFrom");
        }
    }
    if draft.user_limit.is_some_and(|n| n < 1) {
        c.fail("UserLimit", "must be at least 1");
    }
    if c.errors.is_empty() {
        Ok(draft)
    } else {
        Err(ApiError::Invalid(c.errors))
    }
}
