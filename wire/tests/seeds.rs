//! The API documents' example bodies (see `fixtures/README.md`) parse into the shared types, and a
//! record read from them is written back with every value it was given.

use wifi_desk_wire::{AccessToken, ActionResult, Command, Page, SortDirection, WallClock};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn old_reference_pages() {
    for name in ["000-find.json", "000-list.json"] {
        let page: Page<AccessToken> = serde_json::from_str(&fixture(name)).unwrap();
        assert_eq!(page.records.len(), 1, "{name}");
        let record = &page.records[0];
        assert_eq!(record.access_code, "00001");
        assert_eq!(record.description.as_deref(), Some("Description"));
        assert_eq!(record.business_id, None);
        assert_eq!(record.minutes_left, 0);
        assert_eq!(record.devices(), 1);
        assert_eq!(page.current_sort_direction, SortDirection::Ascending);
        assert_eq!(page.current_order_field.as_deref(), Some("Id"));
        assert_eq!((page.total_items, page.total_pages), (60, 3));
        assert_eq!((page.first_item, page.last_item), (1, 25));
        assert!(page.has_next_page && !page.has_previous_page);
    }
}

#[test]
fn old_reference_record() {
    let record: AccessToken = serde_json::from_str(&fixture("000-one.json")).unwrap();
    assert_eq!(record.id, 0);
    assert_eq!(record.access_code, "00001");
    assert_eq!(record.valid_from, None);
}

#[test]
fn current_reference_records() {
    for name in ["001-example.json", "002-example.json"] {
        let record: AccessToken = serde_json::from_str(&fixture(name)).unwrap();
        assert_eq!(record.id, 87654321, "{name}");
        assert_eq!(record.business_id, Some(0));
        assert_eq!(
            record.unique_id.as_deref(),
            Some("a1b2c3d4-e5f6-7890-abcd-ef1234567890")
        );
        assert_eq!(record.updated_by.as_deref(), Some("admin@example.com"));
        assert_eq!(
            record.updated_on,
            Some(WallClock::parse("2025-01-15T10:30:00Z").unwrap())
        );
        assert_eq!(
            record.to_string_text.as_deref(),
            Some("AccessToken Example")
        );
        assert!(!record.is_new);
    }
    let sketch: AccessToken = serde_json::from_str(&fixture("001-schema.json")).unwrap();
    assert_eq!(
        (sketch.id, sketch.business_id, sketch.user_limit),
        (123, Some(123), Some(123))
    );
    assert!(sketch.is_new);
}

#[test]
fn a_record_written_back_keeps_every_value() {
    let text = fixture("001-example.json");
    let record: AccessToken = serde_json::from_str(&text).unwrap();
    let written = serde_json::to_value(&record).unwrap();
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();
    for (field, value) in original.as_object().unwrap() {
        assert_eq!(written.get(field), Some(value), "field {field}");
    }
}

#[test]
fn action_envelopes() {
    let created: ActionResult = serde_json::from_str(&fixture("000-create-ok.json")).unwrap();
    assert!(created.was_successful);
    assert_eq!(created.id(), Some(12354678));

    let updated: ActionResult = serde_json::from_str(&fixture("000-update-ok.json")).unwrap();
    assert_eq!(updated.id(), Some(123456));
    assert!(updated.field_errors().is_empty());

    let deleted: ActionResult = serde_json::from_str(&fixture("000-delete-ok.json")).unwrap();
    assert!(deleted.was_successful && deleted.id().is_none());

    let invalid: ActionResult = serde_json::from_str(&fixture("000-validation-400.json")).unwrap();
    assert!(!invalid.was_successful);
    assert_eq!(invalid.status, 500);
    let names: Vec<_> = invalid
        .field_errors()
        .iter()
        .map(|e| e.property_name.as_str())
        .collect();
    assert_eq!(names, ["FullName", "Email", "Country", "SimpleTimeZone"]);
    assert_eq!(
        invalid.field_errors()[0].message,
        "may not be null or empty"
    );

    let failed: ActionResult =
        serde_json::from_str(&fixture("000-runcommand-failed.json")).unwrap();
    assert!(!failed.was_successful);
    assert_eq!(failed.message.as_deref(), Some("Command error description"));

    let server: ActionResult = serde_json::from_str(&fixture("000-server-error-500.json")).unwrap();
    assert_eq!(server.message.as_deref(), Some("An error has occurred."));
}

#[test]
fn commands_list() {
    let commands: Vec<Command> = serde_json::from_str(&fixture("000-commands.json")).unwrap();
    assert_eq!(commands.len(), 2);
    assert_eq!(commands[0].key, "COMMAND_KEY_1");
    assert!(commands[0].applies_to(1));
    assert!(!commands[1].applies_to(1) && commands[1].applies_to(2));
    assert_eq!(commands[1].order, 2);
}

#[test]
fn not_found_body_is_a_json_string() {
    let body: String = serde_json::from_str(&fixture("000-not-found.json")).unwrap();
    assert_eq!(body, "Not found");
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        wifi_desk_wire::NOT_FOUND_BODY
    );
}

#[test]
fn tolerant_reading() {
    let record: AccessToken = serde_json::from_str(
        r#"{"Id": 5, "Business": {"Id": 77, "Name": "Main"}, "AccessCode": null,
            "MinutesIncluded": null, "ValidTo": "", "ValidFrom": "2025-02-01T09:00:00.5",
            "SomethingNew": [1, 2], "IsNew": null}"#,
    )
    .unwrap();
    assert_eq!(record.id, 5);
    assert_eq!(record.business(), Some(77));
    assert_eq!(record.access_code, "");
    assert_eq!(record.valid_to, None);
    assert_eq!(
        record.valid_from.unwrap().to_string(),
        "2025-02-01T09:00:00.500"
    );
    let page: Page<AccessToken> =
        serde_json::from_str(r#"{"Records": null, "CurrentSortDirection": "ASC"}"#).unwrap();
    assert!(page.records.is_empty());
    let page: Page<AccessToken> =
        serde_json::from_str(r#"{"Records": [], "CurrentSortDirection": -1}"#).unwrap();
    assert_eq!(page.current_sort_direction, SortDirection::Descending);
}
