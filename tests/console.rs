//! Browser tests of the console's list work: status and date filters, selection with the bulk bar
//! (revoke, server commands), batch issue with its progress and cancel, and voucher sheets.

#![cfg(target_arch = "wasm32")]

mod common;

use chrono::{Duration, NaiveDateTime, Timelike};
use common::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use wifi_desk::api::{
    AccessToken, ApiError, Auth, Client, Field, Limit, ListQuery, Pacer, WallClock,
};
use wifi_desk::ui::clock;

wasm_bindgen_test_configure!(run_in_browser);

/// Creates a code described `description` with the given validity and minutes; returns it.
async fn create(
    admin: &Client,
    description: &str,
    window: (Option<NaiveDateTime>, Option<NaiveDateTime>),
    minutes: (i64, i64),
) -> AccessToken {
    let mut token = AccessToken {
        business_id: Some(1001),
        access_code: wifi_desk::domain::code::generate(Default::default()),
        description: Some(description.to_owned()),
        valid_from: window.0.map(WallClock::new),
        valid_to: window.1.map(WallClock::new),
        minutes_included: minutes.0,
        minutes_left: minutes.1,
        ..AccessToken::default()
    };
    token.id = admin.create(&token).await.unwrap();
    token
}

/// A code described `tag`, valid since an hour ago until `seconds` from now, with no minute limit.
async fn ending_in(admin: &Client, tag: &str, seconds: i64) -> AccessToken {
    let now = clock::now();
    let window = (
        Some(now - Duration::hours(1)),
        Some(now + Duration::seconds(seconds)),
    );
    create(admin, tag, window, (0, 0)).await
}

/// `n` codes described as `tag`, valid from now for a day, 60 minutes each.
async fn live_codes(admin: &Client, tag: &str, n: usize) -> Vec<AccessToken> {
    let now = clock::now();
    let mut made = Vec::with_capacity(n);
    for _ in 0..n {
        made.push(
            create(
                admin,
                tag,
                (Some(now), Some(now + Duration::days(1))),
                (60, 60),
            )
            .await,
        );
    }
    made
}

/// One code described `tag` in each status, returned in the order a code lives them (scheduled,
/// active, expiring soon, used up, expired) but made in another, so their ids are in neither
/// that order nor its reverse.
async fn one_in_each_status(admin: &Client, tag: &str) -> [AccessToken; 5] {
    let now = clock::now();
    let h = Duration::hours;
    let (live, full) = ((Some(now - h(1)), Some(now + h(48))), (600, 600));
    let expired = create(admin, tag, (Some(now - h(48)), Some(now - h(24))), full).await;
    let active = create(admin, tag, live, full).await;
    let used_up = create(admin, tag, live, (60, 0)).await;
    let scheduled = create(admin, tag, (Some(now + h(48)), Some(now + h(72))), full).await;
    let soon = (Some(now - h(1)), Some(now + Duration::minutes(30)));
    let soon = create(admin, tag, soon, full).await;
    [scheduled, active, soon, used_up, expired]
}

/// The codes shown in the table, without the grouping spaces.
fn shown_codes(root: &Element) -> Vec<String> {
    first_column(root)
}

/// The codes the sandbox holds whose description contains `marker`.
async fn stored(admin: &Client, marker: &str) -> Vec<AccessToken> {
    admin
        .list(
            &ListQuery::new()
                .size(1000)
                .filter(Field::Description, marker),
        )
        .await
        .unwrap()
        .records
}

/// A desk lists the codes of its own business: the account's codes of another business are not
/// in its list nor found by its search, and a desk of that business lists them.
#[wasm_bindgen_test]
async fn a_desk_lists_its_own_businesss_codes_not_anothers() {
    let admin = admin_client().await;
    let tag = marker("business");
    let here = create(&admin, &tag, (None, None), (60, 60)).await;
    let mut elsewhere = AccessToken {
        business_id: Some(1002),
        access_code: wifi_desk::domain::code::generate(Default::default()),
        description: Some(tag.clone()),
        minutes_included: 60,
        minutes_left: 60,
        ..AccessToken::default()
    };
    elsewhere.id = admin.create(&elsewhere).await.unwrap();

    let root = console_as(desk(), "admin@example.com").await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "this business's code", |r| {
        shown_codes(r) == [here.access_code.clone()]
    })
    .await;

    // The other business's desk, its list as it opens, newest first: the code made last is there,
    // the one made just before it in the first business is not.
    let root = console_as(desk().with_business(1002), "admin@example.com").await;
    wait_for(&root, "the other business's list", |r| !rows(r).is_empty()).await;
    let shown = shown_codes(&root);
    assert!(
        shown.contains(&elsewhere.access_code) && !shown.contains(&here.access_code),
        "{shown:?}"
    );
    admin.delete(elsewhere.id).await.unwrap();
}

/// A year typed digit by digit into a date filter (each digit a whole date to the browser: 0002,
/// 0020, 0202, then 2025) is asked for once whole, not for each digit.
#[wasm_bindgen_test]
async fn a_year_being_typed_into_a_date_filter_is_asked_for_once_whole() {
    let client = signed_in(Client::new(&api_base()), "viewer@example.com").await;
    let root = console_with(&client).await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    wait_for(&root, "its requests answered", |_| client.in_flight() == 0).await;
    let asked = client.requests_asked();
    for typed in ["0002-03-10", "0020-03-10", "0202-03-10"] {
        choose(&root, "Starting on or after", typed);
    }
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert_eq!(
        client.requests_asked(),
        asked,
        "nothing asked while the year is typed"
    );
    choose(&root, "Starting on or after", "2025-03-10");
    wait_for(&root, "the list asked for", |_| {
        client.requests_asked() > asked
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_search_typed_key_by_key_asks_the_server_once() {
    let admin = admin_client().await;
    let tag = marker("typed");
    create(
        &admin,
        &tag,
        (Some(clock::now()), Some(clock::now() + Duration::days(1))),
        (60, 60),
    )
    .await;
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = console_with(&client).await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    wait_for(&root, "its requests answered", |_| client.in_flight() == 0).await;
    let asked = client.requests_asked();
    let search = input(&root, "Search").unwrap();
    // A receptionist typing fast: a key every 20 ms.
    for end in 1..=tag.len() {
        search.set_value(&tag[..end]);
        fire(&search, "input");
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    wait_for(&root, "the code found", |r| rows(r).len() == 1).await;
    gloo_timers::future::TimeoutFuture::new(500).await;
    // One search asks twice, by code and by description (a timer late on a busy machine may let
    // one more search through; without the pause and the abort it is two per key).
    let more = client.requests_asked() - asked;
    assert!(
        more <= 4,
        "{more} requests for one search typed in {} keys",
        tag.len()
    );
}

#[wasm_bindgen_test]
async fn filters_keep_exactly_the_codes_in_a_status_or_a_date_window() {
    let admin = admin_client().await;
    let tag = marker("filters");
    let now = clock::now();
    let h = Duration::hours;
    let [scheduled, active, soon, used_up, expired] = one_in_each_status(&admin, &tag).await;
    let forever = create(&admin, &tag, (None, None), (0, 0)).await;

    let root = console_as(desk(), "viewer@example.com").await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the six codes", |r| rows(r).len() == 6).await;

    let expect = |r: &Element, codes: &[&AccessToken]| {
        let mut want: Vec<String> = codes.iter().map(|t| t.access_code.clone()).collect();
        let mut got = shown_codes(r);
        want.sort();
        got.sort();
        got == want
            && text(&all(r, "[role=status]")[0])
                == wifi_desk::domain::reading::counted(want.len(), "match", "matches")
    };
    for (status, codes) in [
        ("active", vec![&active, &forever]),
        ("expiring-soon", vec![&soon]),
        ("scheduled", vec![&scheduled]),
        ("used-up", vec![&used_up]),
        ("expired", vec![&expired]),
        ("effective", vec![&active, &soon, &forever]),
        ("not-effective", vec![&scheduled, &used_up, &expired]),
    ] {
        choose(&root, "Status", status);
        wait_for(&root, status, |r| expect(r, &codes)).await;
    }

    // Without a search, a status reads every page of the account's codes, not just the first.
    type_into(&root, "Search", "");
    choose(&root, "Status", "scheduled");
    wait_for(&root, "scheduled codes across all pages", |r| {
        shown_codes(r).contains(&scheduled.access_code)
            && rows(r).iter().all(|row| text(row).contains("Scheduled"))
    })
    .await;

    // A date window: codes starting from tomorrow, among this test's.
    choose(&root, "Status", "");
    type_into(&root, "Search", &tag);
    let tomorrow = (now + h(24)).date().format("%Y-%m-%d").to_string();
    choose(&root, "Starting on or after", &tomorrow);
    wait_for(&root, "codes starting tomorrow or later", |r| {
        expect(r, &[&scheduled])
    })
    .await;
    let yesterday = (now - h(24)).date().format("%Y-%m-%d").to_string();
    choose(&root, "Starting on or after", "");
    choose(&root, "Ending on or before", &yesterday);
    wait_for(&root, "codes that ended by yesterday", |r| {
        expect(r, &[&expired])
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_list_sorts_by_status_in_the_order_a_code_lives_them() {
    let admin = admin_client().await;
    let tag = marker("by-status");
    let lived = one_in_each_status(&admin, &tag).await;
    let root = console_as(desk(), "viewer@example.com").await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the five codes", |r| rows(r).len() == 5).await;

    let mut lived: Vec<String> = lived.iter().map(|t| t.access_code.clone()).collect();
    let sorted = |r: &Element, dir: &str, want: &[String]| {
        first_column(r) == want
            && all(r, &format!("th[aria-sort={dir}]"))
                .iter()
                .any(|th| text(th) == "Status")
    };
    sort_by(&root, "Status");
    wait_for(&root, "scheduled first, expired last", |r| {
        sorted(r, "ascending", &lived)
    })
    .await;
    sort_by(&root, "Status");
    lived.reverse();
    wait_for(&root, "expired first, scheduled last", |r| {
        sorted(r, "descending", &lived)
    })
    .await;

    // Without a search, every code of the account is read and sorted: expired ones come first,
    // and the count is of codes, not of matches.
    type_into(&root, "Search", "");
    wait_for(&root, "the whole list, expired first", |r| {
        let shown = rows(r);
        shown.len() == 25
            && text(&shown[0]).contains("Expired")
            && text(&all(r, "[role=status]")[0]).ends_with(" codes")
    })
    .await;
}

#[wasm_bindgen_test]
async fn revoking_many_codes_says_its_progress_now_and_then_not_at_each_code() {
    let admin = admin_client().await;
    let tag = marker("bulk-progress");
    live_codes(&admin, &tag, 20).await;
    let root = console_as(desk(), "admin@example.com").await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the codes", |r| rows(r).len() == 20).await;
    tick(&root, "Select all on this page");
    wait_for(&root, "the bulk bar", |r| text(r).contains("20 selected")).await;
    button(&root, "Revoke selected").click();
    wait_for(&root, "the confirmation", |r| {
        !all(r, "[role=alertdialog]").is_empty()
    })
    .await;
    let live = all(&root, ".wd-bulk [role=status]").remove(0);
    let watched = live.clone();
    let told = Texts::record(&live, move || text(&watched));
    button(&root, "Yes, revoke them").click();
    wait_for(&root, "the outcome", |r| {
        text(r).contains("Revoked: 20 done, 0 failed.")
    })
    .await;
    let told: Vec<String> = told.seen().into_iter().filter(|t| !t.is_empty()).collect();
    // At the first code and each tenth (two codes here): 11 sentences, not 20.
    assert_eq!(told.first().map(String::as_str), Some("Revoking 1 of 20…"));
    assert!(told.len() <= 11, "{told:?}");
    assert!(told.iter().any(|t| t == "Revoking 20 of 20…"), "{told:?}");
}

#[wasm_bindgen_test]
async fn selected_codes_are_revoked_together_with_an_outcome_for_each() {
    let admin = admin_client().await;
    let tag = marker("bulk-revoke");
    let made = live_codes(&admin, &tag, 3).await;
    let root = console_as(desk(), "admin@example.com").await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the three codes", |r| rows(r).len() == 3).await;
    assert!(
        all(&root, ".wd-bulk").is_empty(),
        "no bulk bar before a selection"
    );

    tick(&root, "Select all on this page");
    wait_for(&root, "the bulk bar", |r| text(r).contains("3 selected")).await;
    let grouped = |t: &AccessToken| wifi_desk::domain::reading::grouped(&t.access_code, 4);
    tick(&root, &format!("Select {}", grouped(&made[0])));
    wait_for(&root, "one fewer", |r| text(r).contains("2 selected")).await;
    tick(&root, &format!("Select {}", grouped(&made[0])));
    wait_for(&root, "all three again", |r| text(r).contains("3 selected")).await;

    button(&root, "Revoke selected").click();
    wait_for(&root, "the confirmation", |r| {
        !all(r, "[role=alertdialog]").is_empty()
    })
    .await;
    assert!(all(&root, "[role=alertdialog]")[0]
        .matches(":modal")
        .unwrap());
    let dialog = all(&root, "[role=alertdialog]").remove(0);
    let question = text(&dialog);
    for t in &made {
        assert!(
            question.contains(&grouped(t)),
            "the confirmation names {}: {question}",
            t.access_code
        );
    }
    // Named by the question alone; the few codes describe it.
    let by_id = |attr: &str| {
        let id = dialog.get_attribute(attr).unwrap_or_default();
        text(&all(&root, &format!("#{id}"))[0])
    };
    assert_eq!(
        by_id("aria-labelledby"),
        "Revoke 3 codes? Visitors using them lose access at once."
    );
    let described = by_id("aria-describedby");
    for t in &made {
        assert!(described.contains(&grouped(t)), "{described}");
    }
    button(&root, "Yes, revoke them").click();
    wait_for(&root, "the outcome", |r| {
        text(r).contains("Revoked: 3 done, 0 failed.")
    })
    .await;
    wait_for(&root, "the focus on the report", |_| {
        focused().and_then(|e| e.text_content()).as_deref() == Some("Revoked: 3 done, 0 failed.")
    })
    .await;
    let report = focused().unwrap();
    assert!(
        report
            .closest("[aria-live], [role=status]")
            .unwrap()
            .is_none(),
        "the focused report is not also a live region, which would read it twice"
    );
    let outcomes = all(&root, ".wd-outcomes li");
    assert_eq!(outcomes.len(), 3, "one line per code");
    for t in &made {
        assert!(outcomes
            .iter()
            .any(|li| text(li) == format!("{}: revoked", grouped(t))));
        assert_eq!(admin.get(t.id).await.unwrap_err(), ApiError::NotFound);
    }
    wait_for(&root, "the list without them", |r| rows(r).is_empty()).await;
    let print: web_sys::HtmlButtonElement = button(&root, "Print vouchers").unchecked_into();
    assert!(
        print.disabled(),
        "no vouchers to print once none is selected"
    );
}

#[wasm_bindgen_test]
async fn the_bulk_bar_says_how_many_selected_codes_the_page_does_not_show() {
    let admin = admin_client().await;
    let (first, second) = (marker("unseen-a"), marker("unseen-b"));
    live_codes(&admin, &first, 2).await;
    live_codes(&admin, &second, 1).await;
    let root = console_as(desk(), "reception@example.com").await;
    type_into(&root, "Search", &first);
    wait_for(&root, "the first two", |r| rows(r).len() == 2).await;
    tick(&root, "Select all on this page");
    wait_for(&root, "the bulk bar", |r| text(r).contains("2 selected")).await;
    assert!(!text(&root).contains("not on this page"), "{}", text(&root));
    // Another search: the two stay selected, out of sight, and what acts on the selection acts on
    // them too.
    type_into(&root, "Search", &second);
    wait_for(&root, "the other code", |r| {
        rows(r).len() == 1 && text(r).contains("2 selected, 2 of them not on this page")
    })
    .await;
    tick(&root, "Select all on this page");
    wait_for(&root, "three selected", |r| {
        text(r).contains("3 selected, 2 of them not on this page")
    })
    .await;
}

#[wasm_bindgen_test]
async fn revoking_the_last_pages_codes_shows_the_page_before() {
    let admin = admin_client().await;
    let tag = marker("last-page");
    live_codes(&admin, &tag, 26).await;
    let root = console_as(desk(), "admin@example.com").await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "a full first page", |r| {
        rows(r).len() == 25 && text(r).contains("Page 1 of 2")
    })
    .await;
    button(&root, "Next page").click();
    wait_for(&root, "the last code alone", |r| {
        rows(r).len() == 1 && text(r).contains("Page 2 of 2")
    })
    .await;
    tick(&root, "Select all on this page");
    wait_for(&root, "the bulk bar", |r| text(r).contains("1 selected")).await;
    revoke_selected(&root).await;
    wait_for(&root, "the page before, not an empty page 2", |r| {
        rows(r).len() == 25 && text(r).contains("Page 1 of 1")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_row_follows_its_use_though_its_last_change_stays() {
    use leptos::prelude::*;
    use wifi_desk::ui::{ClientContext, Options, Selection, TokenRows};

    let now = clock::now();
    let record = |id: i64, code: &str| AccessToken {
        id,
        access_code: code.to_owned(),
        minutes_included: 60,
        minutes_left: 60,
        valid_from: Some(WallClock::new(now - Duration::hours(1))),
        valid_to: Some(WallClock::new(now + Duration::days(1))),
        updated_on: Some(WallClock::new(now - Duration::hours(1))),
        ..AccessToken::default()
    };
    let tokens = RwSignal::new(vec![record(1, "AAAAAA"), record(2, "BBBBBB")]);
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        ClientContext::provide(Client::new(&api_base()), Options::new(api_base()));
        let selection: Selection = RwSignal::new(Default::default());
        let on_open = Callback::new(|_id: i64| {});
        view! {
            <table class="wd-table"><tbody><TokenRows tokens selection on_open /></tbody></table>
        }
    });
    let root: Element = host.clone().unchecked_into();
    wait_for(&root, "the two rows", |r| rows(r).len() == 2).await;
    let other = rows(&root).remove(1);
    // The visitor connects and uses 55 minutes: the server changes the minutes left and the last
    // access, not when the record was last changed.
    tokens.update(|all| {
        all[0].minutes_left = 5;
        all[0].last_access = Some(WallClock::new(now));
    });
    wait_for(&root, "the row as it is now", |r| {
        let first = text(&rows(r)[0]);
        first.contains("5 of 60") && first.contains("In use now")
    })
    .await;
    assert!(other.is_connected(), "the other row is not drawn again");
    drop(handle);
    host.remove();
}

/// A timer sleeps with the device (a phone's screen off, a laptop's lid closed): the page shown
/// again, the clock is read afresh, not an hour later when the timer wakes.
#[wasm_bindgen_test]
async fn the_clock_is_read_again_when_the_page_is_shown_again() {
    use leptos::prelude::*;
    use wifi_desk::ui::{ClientContext, Options};

    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        ClientContext::provide(Client::new(&api_base()), Options::new(api_base()));
        // Nothing shown changes for a day: the clock's timer is set for an hour, its longest wait.
        let now = clock::ticking(|read| Some(read + Duration::days(1)));
        view! { <p>{move || now.get().to_string()}</p> }
    });
    let root: Element = host.clone().unchecked_into();
    wait_for(&root, "the clock", |r| !text(r).is_empty()).await;
    let first = text(&root);
    gloo_timers::future::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(text(&root), first, "no timer has fired");
    let shown = web_sys::Event::new("visibilitychange").unwrap();
    document.dispatch_event(&shown).unwrap();
    wait_for(&root, "the clock read again", |r| text(r) != first).await;
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn statuses_change_in_place_when_the_clock_reaches_them() {
    let admin = admin_client().await;
    let tag = marker("clock");
    let root = console_as(desk(), "viewer@example.com").await;
    let now = clock::now();
    let (s, h) = (Duration::seconds, Duration::hours);
    // Far enough ahead for the list to draw them first, even on a busy machine.
    let ending = create(&admin, &tag, (Some(now - h(1)), Some(now + s(8))), (0, 0)).await;
    let starting = create(&admin, &tag, (Some(now + s(8)), Some(now + h(24))), (0, 0)).await;
    let later = create(&admin, &tag, (Some(now - h(1)), Some(now + s(16))), (0, 0)).await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the three codes", |r| rows(r).len() == 3).await;
    let row_of = |t: &AccessToken| {
        let at = first_column(&root).iter().position(|c| *c == t.access_code);
        rows(&root).swap_remove(at.expect("its row"))
    };
    let (a, b) = (row_of(&ending), row_of(&starting));
    assert!(text(&a).contains("Expiring soon"), "{}", text(&a));
    assert!(text(&b).contains("Scheduled"), "{}", text(&b));

    wait_for(&root, "the clock to reach their end and start", |_| {
        text(&a).contains("Expired") && text(&b).contains("Active")
    })
    .await;
    assert!(
        a.is_connected() && b.is_connected() && rows(&root).len() == 3,
        "the same rows, changed in place"
    );
    assert!(
        a.class_name().contains("wd-status-expired"),
        "{}",
        a.class_name()
    );

    // The detail too.
    row_of(&later)
        .query_selector("th button")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    wait_for(&root, "the detail", |r| !qr_name(r).is_empty()).await;
    let status = all(&root, ".wd-facts .wd-status").remove(0);
    assert_eq!(text(&status).trim(), "◔ Expiring soon");
    wait_for(&root, "the detail's status at its end", |_| {
        text(&status).contains("Expired")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_code_made_elsewhere_with_a_dash_is_found_as_it_is_written() {
    let admin = admin_client().await;
    let code = format!("guest-{}", marker("dash").trim_start_matches("dash-"));
    let token = AccessToken {
        business_id: Some(1001),
        access_code: code.clone(),
        description: Some("Made in the admin".into()),
        ..AccessToken::default()
    };
    admin.create(&token).await.unwrap();
    let root = console_as(desk(), "reception@example.com").await;
    type_into(&root, "Search", &code);
    wait_for(&root, "the code", |r| {
        rows(r).len() == 1 && text(&rows(r)[0]).contains("Made in the admin")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_search_with_nothing_of_a_code_in_it_asks_as_typed_and_by_description() {
    let admin = admin_client().await;
    // The codes with a dash in their description, or in the code as made elsewhere ("guest-42").
    let mut dashed = std::collections::HashSet::new();
    for field in [Field::Description, Field::AccessCode] {
        for page in 1.. {
            let query = (ListQuery::new().size(1000).page(page))
                .filter(field, "-")
                .filter(Field::Business, DESK_BUSINESS.to_string());
            let answer = admin.list(&query).await.unwrap();
            dashed.extend(answer.records.iter().map(|t| t.id));
            if !answer.has_next_page {
                break;
            }
        }
    }
    let every = desk_count(&admin).await;
    assert!((dashed.len() as i64) < every, "some codes have no dash");
    let root = console_as(desk(), "viewer@example.com").await;
    // Read as a code the way codes are read out, "-" would be an empty filter, which keeps every
    // code: it is asked for as typed, and by description.
    type_into(&root, "Search", "-");
    let want = wifi_desk::domain::reading::counted(dashed.len(), "match", "matches");
    wait_for(&root, "the codes described with a dash", |r| {
        text(&all(r, "[role=status]")[0]) == want
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_code_that_ended_while_the_list_was_open_is_found_as_expired() {
    let admin = admin_client().await;
    let tag = marker("stale");
    let root = console_as(desk(), "viewer@example.com").await;
    // A list with nothing whose status will change: the clock is not read again for it.
    type_into(&root, "Search", &format!("{tag}-"));
    wait_for(&root, "no match", |r| {
        text(&all(r, "[role=status]")[0]) == "0 matches"
    })
    .await;
    let ending = ending_in(&admin, &tag, 2).await;
    gloo_timers::future::TimeoutFuture::new(3500).await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the code", |r| {
        first_column(r) == [ending.access_code.clone()]
    })
    .await;
    gloo_timers::future::TimeoutFuture::new(300).await;
    let row = text(&rows(&root)[0]);
    assert!(
        row.contains("Expired"),
        "drawn at the time it is found: {row}"
    );
}

/// A code ending in `seconds`, shown alone in a console filtered to codes expiring soon.
async fn expiring_under_a_filter(
    admin: &Client,
    what: &str,
    seconds: i64,
) -> (Element, AccessToken) {
    let tag = marker(what);
    let ending = ending_in(admin, &tag, seconds).await;
    let root = console_as(desk(), "viewer@example.com").await;
    type_into(&root, "Search", &tag);
    choose(&root, "Status", "expiring-soon");
    wait_for(&root, "the code, expiring soon", |r| {
        first_column(r) == [ending.access_code.clone()]
    })
    .await;
    (root, ending)
}

#[wasm_bindgen_test]
async fn a_status_filter_lets_a_code_go_once_it_moves_on() {
    let admin = admin_client().await;
    let (root, _) = expiring_under_a_filter(&admin, "moves-on", 5).await;
    // Ended, it is no longer one the filter keeps: the list is read again and lets it go.
    wait_for(&root, "the code gone from the list", |r| {
        rows(r).is_empty() && text(&all(r, "[role=status]")[0]) == "0 matches"
    })
    .await;
}

/// Makes the page say it is hidden (a tab in the background), or shown again, and tells it so.
fn page_hidden(hidden: bool) {
    let script = if hidden {
        "Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
         Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });"
    } else {
        "delete document.hidden; delete document.visibilityState;"
    };
    js_sys::Function::new_no_args(script)
        .call0(&JsValue::NULL)
        .unwrap();
    let document = web_sys::window().unwrap().document().unwrap();
    document
        .dispatch_event(&web_sys::Event::new("visibilitychange").unwrap())
        .unwrap();
    assert_eq!(document.hidden(), hidden);
}

#[wasm_bindgen_test]
async fn a_hidden_page_reads_its_status_filter_again_only_once_shown() {
    let admin = admin_client().await;
    let (root, ending) = expiring_under_a_filter(&admin, "hidden-recheck", 8).await;
    page_hidden(true);
    // Drawn as ended by the clock, which asks the server nothing; the list, which would be read
    // again a second later, waits for the page to be shown.
    wait_for(&root, "the code drawn as expired", |r| {
        rows(r)
            .first()
            .is_some_and(|row| text(row).contains("Expired"))
    })
    .await;
    gloo_timers::future::TimeoutFuture::new(3_000).await;
    let still = first_column(&root);
    page_hidden(false);
    assert_eq!(
        still,
        std::slice::from_ref(&ending.access_code),
        "not read again while hidden"
    );
    wait_for(&root, "the code gone once the page is shown", |r| {
        rows(r).is_empty() && text(&all(r, "[role=status]")[0]) == "0 matches"
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_list_from_a_server_that_ignores_its_direction_is_sorted_here() {
    let admin = admin_client().await;
    let newest = create(&admin, &marker("unread-dir"), (None, None), (60, 60)).await;
    // The server gives every list in ascending order, whatever `dir` says.
    let root = console_as(
        desk().with_header("X-Sandbox-Fault", "unread-dir@GET"),
        "viewer@example.com",
    )
    .await;
    // Newest first, as the list's order says.
    wait_for(&root, "the newest code first", |r| {
        first_column(r).first() == Some(&newest.access_code)
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_code_used_while_its_list_is_read_page_by_page_is_not_missed() {
    let admin = admin_client().await;
    let tag = marker("used-while-paged");
    let made = live_codes(&admin, &tag, 5).await;
    // Pages of two; once a page is read, its first code is used, and moves to the end of an order
    // by last access.
    let root = console_as(
        desk().with_header(
            "X-Sandbox-Fault",
            "used-while-paged=2@GET/api/spaces/accesstokens",
        ),
        "viewer@example.com",
    )
    .await;
    sort_by(&root, "Last access");
    type_into(&root, "Search", &tag);
    let mut want: Vec<String> = made.iter().map(|t| t.access_code.clone()).collect();
    want.sort();
    wait_for(&root, "all five codes", |r| {
        let mut shown = first_column(r);
        shown.sort();
        shown == want && text(&all(r, "[role=status]")[0]) == "5 matches"
    })
    .await;
}

/// The console of a viewer whose client the test holds (to set fault headers), unpaced.
async fn unpaced_viewer_console() -> (Client, Element) {
    let client = signed_in(
        Client::new(&api_base()).with_pacer(Pacer::unlimited()),
        "viewer@example.com",
    )
    .await;
    let root = console_with(&client).await;
    (client, root)
}

#[wasm_bindgen_test]
async fn a_code_revoked_elsewhere_while_a_list_is_read_page_by_page_moves_no_other_out_of_it() {
    let admin = admin_client().await;
    let tag = marker("revoked-while-paged");
    let made = live_codes(&admin, &tag, 5).await;
    let (client, root) = unpaced_viewer_console().await;
    // From here pages hold two codes, and once the search's first page is read its first code is
    // revoked: the third code moves onto the first page, already read.
    let fault = format!("revoked-while-paged=2@GET/api/spaces/accesstokens, run={tag}");
    client.set_header("X-Sandbox-Fault", Some(&fault));
    type_into(&root, "Search", &tag);
    // The four codes left, read again once the total changed: not the revoked one.
    let mut want: Vec<String> = made[1..].iter().map(|t| t.access_code.clone()).collect();
    want.sort();
    wait_for(&root, "the four codes left", |r| {
        let mut shown = first_column(r);
        shown.sort();
        shown == want && text(&all(r, "[role=status]")[0]) == "4 matches"
    })
    .await;
    let first = admin.get(made[0].id).await;
    assert!(
        matches!(first, Err(ApiError::NotFound)),
        "the first code was revoked while the list was read: {first:?}"
    );
}

#[wasm_bindgen_test]
async fn a_list_longer_than_is_read_says_so_and_is_not_exported_in_part() {
    let admin = admin_client().await;
    let tag = marker("endless");
    let made = live_codes(&admin, &tag, 1).await;
    let (client, root) = unpaced_viewer_console().await;
    // From here every page of a list says another follows it.
    client.set_header(
        "X-Sandbox-Fault",
        Some("more-pages@GET/api/spaces/accesstokens"),
    );
    type_into(&root, "Search", &tag);
    wait_for(&root, "the match", |r| {
        first_column(r) == [made[0].access_code.clone()]
    })
    .await;
    wait_for(&root, "the count to say it is not all", |r| {
        text(&all(r, "[role=status]")[0])
            == "1 match among the first 50 pages of 1000 codes read. \
                Narrow the dates to search the rest."
    })
    .await;
    button(&root, "Export CSV").click();
    wait_for(&root, "the export's answer", |r| {
        text(r).contains("Nothing exported: there are more codes than one export reads")
    })
    .await;
    assert!(!text(&root).contains("Exported "), "{}", text(&root));
}

#[wasm_bindgen_test]
async fn back_from_a_code_the_list_is_as_it_was_left_with_the_focus_on_that_code() {
    let admin = admin_client().await;
    let tag = marker("come-back");
    let now = clock::now();
    let made = live_codes(&admin, &tag, 2).await;
    let root = console_as(desk(), "admin@example.com").await;
    type_into(&root, "Search", &tag);
    choose(&root, "Status", "active");
    choose(&root, "Rows per page", "50");
    choose(
        &root,
        "Ending on or before",
        &(now + Duration::days(2)).date().to_string(),
    );
    wait_for(&root, "the two codes", |r| rows(r).len() == 2).await;
    let grouped = |t: &AccessToken| wifi_desk::domain::reading::grouped(&t.access_code, 4);
    tick(&root, &format!("Select {}", grouped(&made[0])));
    wait_for(&root, "the bulk bar", |r| text(r).contains("1 selected")).await;

    let second = rows(&root)[1].clone();
    let opened = text(&second.query_selector("th button").unwrap().unwrap());
    second
        .query_selector("th button")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    wait_for(&root, "the detail", |r| !qr_name(r).is_empty()).await;
    button(&root, "Back to list").click();
    wait_for(&root, "the same two codes", |r| rows(r).len() == 2).await;
    assert_eq!(input(&root, "Search").unwrap().value(), tag);
    let value = |label: &str| {
        control(&root, label)
            .unwrap()
            .unchecked_into::<web_sys::HtmlSelectElement>()
            .value()
    };
    assert_eq!(value("Status"), "active");
    assert_eq!(value("Rows per page"), "50");
    assert_eq!(
        input(&root, "Ending on or before").unwrap().value(),
        (now + Duration::days(2)).date().to_string()
    );
    assert!(text(&root).contains("1 selected"), "the selection is kept");
    wait_for(&root, "the focus on the code opened", |_| {
        focused().is_some_and(|f| text(&f) == opened)
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_server_command_runs_on_the_selection_with_its_parameter() {
    let admin = admin_client().await;
    let tag = marker("bulk-command");
    let now = clock::now();
    let end = now + Duration::days(1);
    let a = create(&admin, &tag, (Some(now), Some(end)), (60, 60)).await;
    let b = create(&admin, &tag, (Some(now), Some(end)), (60, 60)).await;
    let root = console_as(desk(), "reception@example.com").await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the two codes", |r| rows(r).len() == 2).await;
    // A command for one code, chosen with one ticked, is no longer chosen once two are.
    let grouped = |t: &AccessToken| wifi_desk::domain::reading::grouped(&t.access_code, 4);
    // The live regions on the page before the first tick: one of them says it, as a region
    // drawn with its first words is not read.
    let live_before = all(&root, "[aria-live]");
    tick(&root, &format!("Select {}", grouped(&a)));
    wait_for(&root, "the commands for one", |r| {
        all(r, "#wd-command option").len() > 1
    })
    .await;
    assert!(
        live_before.iter().any(|r| text(r) == "1 selected"),
        "the first tick said"
    );
    // One of the two ticked: "Select all on this page" reads as mixed.
    let select_all = || {
        let box_ = all(&root, "input[aria-label='Select all on this page']").remove(0);
        let box_ = box_.unchecked_into::<web_sys::HtmlInputElement>();
        (box_.checked(), box_.indeterminate())
    };
    assert_eq!(
        select_all(),
        (false, true),
        "(checked, mixed) with one of two"
    );
    choose(&root, "Command", "FORGET_DEVICE");
    tick(&root, &format!("Select {}", grouped(&b)));
    wait_for(&root, "all ticked", |_| select_all() == (true, false)).await;
    wait_for(&root, "the command let go", |r| {
        text(r).contains("2 selected")
            && control(r, "Command")
                .unwrap()
                .unchecked_into::<web_sys::HtmlSelectElement>()
                .value()
                .is_empty()
    })
    .await;
    button(&root, "Run command").click();
    wait_for(&root, "asked to choose", |r| {
        alert(r).contains("Choose a command first.")
    })
    .await;
    let select = control(&root, "Command").unwrap();
    wait_for(&root, "the focus on Command", |_| {
        focused().is_some_and(|f| f.is_same_node(Some(&select)))
    })
    .await;
    // Marked, and described by the sentence.
    assert_eq!(
        select.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    let described = select.get_attribute("aria-describedby").unwrap_or_default();
    let said_by = all(&root, &format!("#{described}"));
    assert!(
        said_by.len() == 1 && text(&said_by[0]) == "Choose a command first.",
        "Command described by {described:?}"
    );
    // Pressed again, the same sentence is said again: the alert is emptied first.
    let bar_alert = all(&root, ".wd-bulk [role=alert]").remove(0);
    let watched = bar_alert.clone();
    let said = Texts::record(&bar_alert, move || text(&watched));
    button(&root, "Run command").click();
    wait_for(&root, "said again", |_| {
        said.seen()
            .ends_with(&["".to_owned(), "Choose a command first.".to_owned()])
    })
    .await;
    drop(said);
    tick(&root, "Select all on this page");
    tick(&root, "Select all on this page");
    wait_for(&root, "the commands", |r| {
        text(r).contains("2 selected") && all(r, "#wd-command option").len() > 1
    })
    .await;
    let offered: Vec<String> = all(&root, "#wd-command option").iter().map(text).collect();
    assert!(
        !offered
            .iter()
            .any(|o| o == "Forget the device that used the code"),
        "a one-record command is not offered for two: {offered:?}"
    );

    choose(&root, "Command", "EXTEND_HOURS");
    wait_for(&root, "its parameter", |r| input(r, "Hours").is_some()).await;
    assert_eq!(
        control(&root, "Command")
            .unwrap()
            .get_attribute("aria-invalid"),
        None,
        "Command no longer marked once chosen"
    );
    button(&root, "Run command").click();
    wait_for(&root, "the parameter's error", |r| {
        alert(r).contains("Hours must be a whole number.")
    })
    .await;
    // Marked on its input, described by the sentence, and the focus on it.
    let hours = input(&root, "Hours").unwrap();
    assert_eq!(hours.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = hours.get_attribute("aria-describedby").unwrap_or_default();
    let said_by = all(&root, &format!("#{described}"));
    assert!(
        said_by.len() == 1 && text(&said_by[0]) == "Hours must be a whole number.",
        "described by {described:?}"
    );
    wait_for(&root, "the focus on Hours", |_| {
        focused().is_some_and(|f| f.is_same_node(Some(&hours)))
    })
    .await;
    // Another command's value is not marked with what was said of this one's.
    choose(&root, "Command", "ADD_MINUTES");
    wait_for(&root, "its value, unmarked", |r| {
        input(r, "Minutes").is_some_and(|m| m.get_attribute("aria-invalid").is_none())
            && alert(r).is_empty()
    })
    .await;
    choose(&root, "Command", "EXTEND_HOURS");
    wait_for(&root, "its parameter again", |r| {
        input(r, "Hours").is_some()
    })
    .await;
    button(&root, "Run command").click();
    wait_for(&root, "the parameter's error again", |r| {
        input(r, "Hours").is_some_and(|h| h.get_attribute("aria-invalid").is_some())
    })
    .await;
    type_into(&root, "Hours", "3");
    wait_for(&root, "no longer marked once changed", |r| {
        input(r, "Hours")
            .unwrap()
            .get_attribute("aria-invalid")
            .is_none()
    })
    .await;
    button(&root, "Run command").click();
    wait_for(&root, "the outcome", |r| {
        text(r).contains("2 done, 0 failed.")
    })
    .await;
    for t in [&a, &b] {
        let after = admin.get(t.id).await.unwrap();
        assert_eq!(
            after.valid_to.map(|w| w.local()),
            Some(end + Duration::hours(3)),
            "{} extended by three hours",
            t.access_code
        );
    }
    // Their vouchers say so: the selection is not printed as it was when it was ticked.
    button(&root, "Print vouchers").click();
    wait_for(&root, "the sheet", |r| {
        all(r, ".wd-sheet .wd-voucher").len() == 2
    })
    .await;
    let until = clock::show(end + Duration::hours(3));
    for valid in all(&root, ".wd-sheet .wd-valid") {
        assert!(text(&valid).ends_with(&until), "{} ≠ {until}", text(&valid));
    }
    // Back from the sheet, the focus is where it left: on the bulk bar's Print vouchers.
    button(&root, "Back to list").click();
    wait_for(&root, "the focus back on Print vouchers", |r| {
        let print = all(r, ".wd-bulk button")
            .into_iter()
            .find(|b| text(b) == "Print vouchers");
        print.is_some_and(|p| focused().is_some_and(|f| f.is_same_node(Some(&p))))
    })
    .await;
}

/// A code ticked while the selection's vouchers are read is still ticked after, and one unticked
/// is not printed: the codes read are brought up to date in the selection, not put in its place.
#[wasm_bindgen_test]
async fn a_code_ticked_while_the_vouchers_are_read_stays_ticked() {
    let admin = admin_client().await;
    let tag = marker("print-tick");
    let made = live_codes(&admin, &tag, 2).await;
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = console_with(&client).await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the two codes", |r| rows(r).len() == 2).await;
    let grouped = |t: &AccessToken| wifi_desk::domain::reading::grouped(&t.access_code, 4);
    tick(&root, &format!("Select {}", grouped(&made[0])));
    wait_for(&root, "the bulk bar", |r| text(r).contains("1 selected")).await;
    // Reading the selected codes takes a second and a half.
    client.set_header(
        "X-Sandbox-Fault",
        Some("slow=1500@GET/api/spaces/accesstokens"),
    );
    button(&root, "Print vouchers").click();
    tick(&root, &format!("Select {}", grouped(&made[1])));
    wait_for(&root, "the sheet", |r| {
        all(r, ".wd-sheet .wd-voucher").len() == 1
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    button(&root, "Back to list").click();
    wait_for(&root, "both still selected", |r| {
        text(r).contains("2 selected")
    })
    .await;

    // And one unticked meanwhile is not printed.
    wait_for(&root, "the two codes again", |r| rows(r).len() == 2).await;
    client.set_header(
        "X-Sandbox-Fault",
        Some("slow=1500@GET/api/spaces/accesstokens"),
    );
    button(&root, "Print vouchers").click();
    tick(&root, &format!("Select {}", grouped(&made[1])));
    wait_for(&root, "the sheet of the one still ticked", |r| {
        all(r, ".wd-sheet .wd-voucher").len() == 1
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    let printed = text(&all(&root, ".wd-sheet").remove(0));
    assert!(
        printed.contains(&grouped(&made[0])) && !printed.contains(&grouped(&made[1])),
        "{printed}"
    );
}

/// The selection's vouchers leave off codes that have ended, and say so: a voucher would send a
/// visitor away with a code that does not work. A selection of nothing else prints nothing.
#[wasm_bindgen_test]
async fn codes_that_have_ended_are_left_off_the_selections_vouchers() {
    let admin = admin_client().await;
    let tag = marker("ended-sheet");
    let now = clock::now();
    let (started, ends) = (now - Duration::hours(1), now + Duration::days(1));
    let usable = create(&admin, &tag, (Some(started), Some(ends)), (60, 60)).await;
    let expired = (Some(now - Duration::days(2)), Some(now - Duration::days(1)));
    let expired = create(&admin, &tag, expired, (60, 60)).await;
    let used_up = create(&admin, &tag, (Some(started), Some(ends)), (60, 0)).await;
    let root = console_as(desk(), "reception@example.com").await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the codes", |r| rows(r).len() == 3).await;
    tick(&root, "Select all on this page");
    wait_for(&root, "the selection", |r| text(r).contains("3 selected")).await;
    button(&root, "Print vouchers").click();
    wait_for(&root, "the sheet", |r| !all(r, ".wd-sheet-view").is_empty()).await;
    let vouchers = all(&root, ".wd-sheet .wd-voucher");
    assert_eq!(vouchers.len(), 1);
    let grouped = |t: &AccessToken| wifi_desk::domain::reading::grouped(&t.access_code, 4);
    assert!(text(&vouchers[0]).contains(&grouped(&usable)));
    assert_eq!(
        all(&root, ".wd-left-off")
            .iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["2 codes that have ended (expired or used up) are left off."]
    );
    assert!(text(&root).contains("Vouchers: 1 code"));
    // Read with the heading, which has the focus.
    let heading = all(&root, ".wd-sheet-view h2").remove(0);
    assert!(focused().is_some_and(|f| f.is_same_node(Some(&heading))));
    let note = heading.get_attribute("aria-describedby").unwrap();
    assert_eq!(
        text(&root.query_selector(&format!("#{note}")).unwrap().unwrap()),
        "2 codes that have ended (expired or used up) are left off."
    );

    // Only the two that ended: no sheet, and the bar says why.
    button(&root, "Back to list").click();
    wait_for(&root, "the list", |r| rows(r).len() == 3).await;
    tick(&root, &format!("Select {}", grouped(&usable)));
    wait_for(&root, "two selected", |r| text(r).contains("2 selected")).await;
    button(&root, "Print vouchers").click();
    wait_for(&root, "the reason", |r| !alert(r).is_empty()).await;
    assert_eq!(
        alert(&root),
        "None of these 2 codes can be used any more: each has expired or been used up. No \
         vouchers to print."
    );
    assert!(all(&root, ".wd-sheet-view").is_empty());
    assert!([&expired, &used_up]
        .iter()
        .all(|t| text(&root).contains(&grouped(t))));
}

/// `count` codes tagged `tag` ending in a day (`end`), all selected in reception's console with
/// "Extend validity by a number of hours" chosen and 3 typed, ready to run.
struct ReadyToExtend {
    admin: Client,
    client: Client,
    root: Element,
    tag: String,
    codes: Vec<AccessToken>,
    end: NaiveDateTime,
}

async fn ready_to_extend(what: &str, count: usize, pacer: Pacer) -> ReadyToExtend {
    let admin = admin_client().await;
    let tag = marker(what);
    let now = clock::now();
    let end = now + Duration::days(1);
    let mut codes = Vec::new();
    for _ in 0..count {
        codes.push(create(&admin, &tag, (Some(now), Some(end)), (60, 60)).await);
    }
    let client = signed_in(
        Client::new(&api_base()).with_pacer(pacer),
        "reception@example.com",
    )
    .await;
    let root = console_with(&client).await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the codes", |r| rows(r).len() == count).await;
    tick(&root, "Select all on this page");
    wait_for(&root, "the commands", |r| {
        all(r, "#wd-command option").len() > 1
    })
    .await;
    choose(&root, "Command", "EXTEND_HOURS");
    wait_for(&root, "its parameter", |r| input(r, "Hours").is_some()).await;
    assert_eq!(
        control(&root, "Command")
            .unwrap()
            .get_attribute("aria-invalid"),
        None,
        "Command no longer marked once chosen"
    );
    type_into(&root, "Hours", "3");
    ReadyToExtend {
        admin,
        client,
        root,
        tag,
        codes,
        end,
    }
}

#[wasm_bindgen_test]
async fn a_command_whose_answer_is_lost_is_not_reported_failed() {
    let ReadyToExtend {
        admin,
        client,
        root,
        tag,
        end,
        ..
    } = ready_to_extend("bulk-lost", 2, Pacer::nexudus()).await;
    // The server runs it; its answer never comes back.
    client.set_header(
        "X-Sandbox-Fault",
        Some("drop@POST/api/spaces/accesstokens/runcommand"),
    );
    button(&root, "Run command").click();
    wait_for(&root, "the outcome", |r| {
        text(r).contains("Extend validity by a number of hours: 0 done, 0 failed, 2 not known")
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    let per_code: Vec<String> = all(&root, ".wd-outcomes li").iter().map(text).collect();
    assert_eq!(per_code.len(), 2);
    assert!(
        per_code
            .iter()
            .all(|o| o.ends_with("not known whether it was done")),
        "{per_code:?}"
    );
    assert!(
        all(&root, ".wd-outcomes .wd-error").is_empty(),
        "none shown as failed"
    );
    // The server ran it (Chrome and Firefox even send a request again, once, when a connection
    // they kept open closes with no answer: it may have run twice, which is why the widget says
    // to check before running it again).
    for t in stored(&admin, &tag).await {
        assert!(
            t.valid_to.map(|w| w.local()) >= Some(end + Duration::hours(3)),
            "{} extended",
            t.access_code
        );
    }
}

#[wasm_bindgen_test]
async fn a_command_that_stops_part_way_is_not_run_twice_on_a_code() {
    let ReadyToExtend {
        admin,
        client,
        root,
        codes,
        end,
        ..
    } = ready_to_extend("bulk-half", 2, Pacer::nexudus()).await;
    let [first, second] = [codes[0].clone(), codes[1].clone()];
    // Changed elsewhere after it was selected, before the command: that is no sign of the command.
    let later = end + Duration::days(1);
    admin
        .update(second.id, |t| t.valid_to = Some(WallClock::new(later)))
        .await
        .unwrap();
    // The server extends the first code, then says the command failed.
    client.set_header(
        "X-Sandbox-Fault",
        Some("half-done@POST/api/spaces/accesstokens/runcommand"),
    );
    button(&root, "Run command").click();
    wait_for(&root, "the outcome", |r| {
        text(r).contains("Extend validity by a number of hours: 1 done, 0 failed, 1 not known")
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    let per_code: Vec<String> = all(&root, ".wd-outcomes li").iter().map(text).collect();
    assert!(
        per_code.iter().any(|o| o.ends_with(
            "changed while the command failed for the lot, so it is not known whether it was done"
        )),
        "{per_code:?}"
    );
    // Each code extended once: the one the server reached was not run again.
    for (t, was) in [(first, end), (second, later)] {
        assert_eq!(
            admin.get(t.id).await.unwrap().valid_to.map(|w| w.local()),
            Some(was + Duration::hours(3)),
            "{} extended by three hours, once",
            t.access_code
        );
    }
}

#[wasm_bindgen_test]
async fn a_command_refused_for_its_value_is_not_run_on_every_code() {
    let ReadyToExtend {
        admin,
        root,
        codes,
        end,
        ..
    } = ready_to_extend("bulk-refused", 3, Pacer::nexudus()).await;
    // The server takes 1 to 100000 hours: it refuses the lot, and each code alone, for the value.
    type_into(&root, "Hours", "0");
    button(&root, "Run command").click();
    wait_for(&root, "the outcome", |r| {
        text(r).contains("Extend validity by a number of hours: 0 done, 2 failed, 1 not run.")
    })
    .await;
    let refusal = "needs Hours as a whole number from 1 to 100000.";
    let per_code: Vec<String> = all(&root, ".wd-outcomes li").iter().map(text).collect();
    assert_eq!(
        per_code.iter().filter(|o| o.ends_with(refusal)).count(),
        2,
        "{per_code:?}"
    );
    assert_eq!(
        per_code.iter().filter(|o| o.ends_with(": not run")).count(),
        1,
        "{per_code:?}"
    );
    let why = format!(
        "Not run on the other codes: the server refused a value given, for the codes together and \
         for 2 of them on their own. “Extend validity by a number of hours” {refusal}"
    );
    // Said once: by the report, which takes the focus, not by an alert read out before it too.
    wait_for(&root, "the focus on the report", |_| {
        focused().is_some_and(|f| text(&f).starts_with("Extend validity"))
    })
    .await;
    let report = text(&focused().unwrap());
    assert!(report.ends_with(&why), "{report}");
    assert_eq!(alert(&root).trim(), "", "no alert besides the report");
    // Beside the value, for whoever goes back to it; what was typed stays, to be put right.
    let hours = input(&root, "Hours").unwrap();
    assert_eq!(hours.value(), "0");
    assert_eq!(hours.get_attribute("aria-invalid").as_deref(), Some("true"));
    let note = hours
        .get_attribute("aria-describedby")
        .and_then(|id| root.query_selector(&format!("#{id}")).ok().flatten())
        .map(|n| text(&n));
    assert_eq!(note.as_deref(), Some(why.as_str()));
    // A new value takes the note away.
    type_into(&root, "Hours", "3");
    wait_for(&root, "the note gone, the report left", |r| {
        text(r).matches(&why).count() == 1
    })
    .await;
    assert_eq!(hours.get_attribute("aria-describedby"), None);
    // No code changed.
    for t in codes {
        assert_eq!(
            admin.get(t.id).await.unwrap().valid_to.map(|w| w.local()),
            Some(end),
            "{} unchanged",
            t.access_code
        );
    }
}

#[wasm_bindgen_test]
async fn a_command_run_code_by_code_on_a_spent_account_stops_and_says_why() {
    let ReadyToExtend {
        admin,
        client,
        root,
        tag,
        codes,
        end,
    } = ready_to_extend("bulk-spent", 3, Pacer::nexudus().scaled(10)).await;
    // The server extends the first code and fails the lot; then it refuses every request (409)
    // for longer than the client waits: the account's requests are spent.
    let path = "POST/api/spaces/accesstokens/runcommand";
    let fault = format!("409=60000@{path}#2, half-done@{path}, run={tag}");
    client.set_header("X-Sandbox-Fault", Some(&fault));
    button(&root, "Run command").click();
    wait_for(&root, "the outcome", |r| {
        text(r).contains(
            "Extend validity by a number of hours: 0 done, 1 failed, 1 not run, 1 not known",
        )
    })
    .await;
    let shown = text(&root);
    assert!(
        shown.contains("still refusing this account's requests"),
        "{shown}"
    );
    assert!(!shown.contains("refused a value"), "{shown}");
    let mut extended = 0;
    for t in codes {
        let to = admin.get(t.id).await.unwrap().valid_to.map(|w| w.local());
        if to == Some(end + Duration::hours(3)) {
            extended += 1;
        } else {
            assert_eq!(to, Some(end), "{} unchanged", t.access_code);
        }
    }
    assert_eq!(extended, 1, "the code the server reached, once");
}

#[wasm_bindgen_test]
async fn the_focus_waits_on_revoke_selected_while_the_codes_are_revoked() {
    let admin = admin_client().await;
    let tag = marker("bulk-focus");
    live_codes(&admin, &tag, 2).await;
    let client = signed_in(Client::new(&api_base()), "admin@example.com").await;
    let root = console_with(&client).await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the two codes", |r| rows(r).len() == 2).await;
    tick(&root, "Select all on this page");
    wait_for(&root, "the bulk bar", |r| text(r).contains("2 selected")).await;
    client.set_header("X-Sandbox-Fault", Some("slow=1500@DELETE"));
    revoke_selected(&root).await;
    let on_revoke = |_: &Element| {
        focused().is_some_and(|f| {
            text(&f) == "Revoke selected"
                && f.get_attribute("aria-disabled").as_deref() == Some("true")
        })
    };
    wait_for(&root, "the focus on Revoke selected, busy", on_revoke).await;
    // Leaving the list would cut the revoke short, unreported: nothing takes it away meanwhile.
    let issue: web_sys::HtmlButtonElement = button(&root, "Issue code").unchecked_into();
    assert!(issue.disabled(), "Issue code waits");
    assert!(
        text(&root).contains("Wait for the work under way to finish"),
        "{}",
        text(&root)
    );
    let code_link: HtmlElement = rows(&root)[0]
        .query_selector("th button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let said = |r: &Element| {
        all(r, "[role=status]")
            .iter()
            .any(|s| text(s).contains("Wait for the work under way to finish"))
    };
    assert!(!said(&root), "nothing said before the code is pressed");
    code_link.click();
    wait_for(&root, "why the code did not open, said aloud", said).await;
    assert!(all(&root, ".wd-detail").is_empty(), "no code opened");
    wait_for(&root, "the outcome", |r| {
        text(r).contains("Revoked: 2 done, 0 failed.")
    })
    .await;
    wait_for(&root, "the reason gone with the work", |r| !said(r)).await;
    client.set_header("X-Sandbox-Fault", None);
}

#[wasm_bindgen_test]
async fn a_selected_code_revoked_elsewhere_leaves_the_selection_as_revoked() {
    let admin = admin_client().await;
    let tag = marker("revoked-elsewhere");
    let made = live_codes(&admin, &tag, 3).await;
    let root = console_as(desk(), "admin@example.com").await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the three codes", |r| rows(r).len() == 3).await;
    tick(&root, "Select all on this page");
    wait_for(&root, "the bulk bar", |r| text(r).contains("3 selected")).await;

    // One is revoked from its own detail: it leaves the selection.
    let grouped = |t: &AccessToken| wifi_desk::domain::reading::grouped(&t.access_code, 4);
    let first = first_column(&root)[0].clone();
    open_first_code(&root).await;
    revoke_and_confirm(&root).await;
    wait_for(&root, "revoked", |r| text(r).contains("Code revoked.")).await;
    button(&root, "Back to list").click();
    wait_for(&root, "two codes, two selected", |r| {
        rows(r).len() == 2 && text(r).contains("2 selected")
    })
    .await;

    // Another is revoked at another desk: revoking the selection finds it gone, which is what
    // was asked, and does not fail on it.
    let elsewhere = made
        .iter()
        .find(|t| t.access_code != first)
        .expect("a code still selected");
    admin.delete(elsewhere.id).await.unwrap();
    revoke_selected(&root).await;
    wait_for(&root, "the outcome", |r| {
        text(r).contains("Revoked: 2 done, 0 failed.")
    })
    .await;
    assert!(
        all(&root, ".wd-outcomes li")
            .iter()
            .any(|li| text(li) == format!("{}: already revoked", grouped(elsewhere))),
        "{}",
        text(&root)
    );
    assert!(
        text(&root).contains("0 selected"),
        "nothing left selected: {}",
        text(&root)
    );
}

#[wasm_bindgen_test]
async fn gateway_errors_on_bulk_work_are_checked_not_reported_failed() {
    let admin = admin_client().await;
    let tag = marker("bulk-gateway");
    let made = live_codes(&admin, &tag, 2).await;
    let client = signed_in(Client::new(&api_base()), "admin@example.com").await;
    let root = console_with(&client).await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the two codes", |r| rows(r).len() == 2).await;
    tick(&root, "Select all on this page");
    wait_for(&root, "the commands", |r| {
        all(r, "#wd-command option").len() > 1
    })
    .await;
    // A proxy in front of the API gives up waiting (504) though the API ran the command.
    client.set_header(
        "X-Sandbox-Fault",
        Some("gateway-timeout@POST/api/spaces/accesstokens/runcommand, gateway-timeout@DELETE"),
    );
    choose(&root, "Command", "EXTEND_ONE_DAY");
    button(&root, "Run command").click();
    wait_for(&root, "the outcome", |r| {
        text(r).contains("Extend validity by one day: 0 done, 0 failed, 2 not known")
    })
    .await;
    assert!(
        all(&root, ".wd-outcomes .wd-error").is_empty(),
        "none shown as failed"
    );
    // The same for a revoke, whose outcome can be read: gone means done.
    revoke_selected(&root).await;
    wait_for(&root, "the outcome", |r| {
        text(r).contains("Revoked: 2 done, 0 failed.")
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    for t in &made {
        assert_eq!(admin.get(t.id).await.unwrap_err(), ApiError::NotFound);
    }
}

#[wasm_bindgen_test]
async fn a_batch_issues_each_code_once_then_prints_them_on_a_sheet() {
    let tag = marker("batch");
    let root = console_as(desk(), "reception@example.com").await;
    open_issue_form(&root).await;
    type_into(&root, "Description", &tag);
    type_into(&root, "Number of codes", "501");
    button(&root, "Issue code").click();
    wait_for(&root, "the limit", |r| {
        text(r).contains("Enter a number from 1 to 500.")
    })
    .await;
    type_into(&root, "Number of codes", "3");
    button(&root, "Issue code").click();
    // The focus on its heading while it runs, not on Cancel, which a second Enter would press;
    // then on the outcome, read as it takes the focus.
    wait_for(&root, "the focus on the batch's heading", |_| {
        focused().is_some_and(|f| f.tag_name() == "H2" && text(&f) == "Issuing 3 codes")
    })
    .await;
    assert!(
        text(&root).contains("of 3 issued") && !text(&root).contains("Done: "),
        "still running"
    );
    wait_for(&root, "the batch", |r| {
        text(r).contains("Done: 3 of 3 issued.")
    })
    .await;
    wait_for(&root, "the focus on the outcome", |_| {
        focused().is_some_and(|f| text(&f) == "Done: 3 of 3 issued.")
    })
    .await;
    assert!(
        all(&root, ".wd-batch [aria-live]")
            .iter()
            .all(|live| text(live).is_empty()),
        "said by the focus, not by a live region too"
    );

    let admin = admin_client().await;
    let made = stored(&admin, &tag).await;
    assert_eq!(made.len(), 3, "three codes, no more");
    let mut codes: Vec<&str> = made.iter().map(|t| t.access_code.as_str()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 3, "each its own code");

    button(&root, "Print vouchers").click();
    wait_for(&root, "the sheet", |r| {
        all(r, ".wd-sheet .wd-voucher").len() == 3
    })
    .await;
    for t in &made {
        let name = joining_qr_name(&wifi_desk::domain::reading::grouped(&t.access_code, 4));
        assert_eq!(
            all(&root, ".wd-sheet [role=img]")
                .iter()
                .filter(|img| img.get_attribute("aria-label").as_deref() == Some(name.as_str()))
                .count(),
            1,
            "{name}"
        );
    }
    assert_eq!(all(&root, ".wd-sheet-a4").len(), 1, "A4 by default");
    choose(&root, "Layout", "receipt");
    wait_for(&root, "the receipt layout", |r| {
        all(r, ".wd-sheet-receipt").len() == 1
    })
    .await;
    // Printing prints the sheet alone, in the layout chosen, and nothing else of the console.
    let caught = catch_print(&root.parent_node().unwrap());
    button(&root, "Print vouchers").click();
    let frame = printed_frame(caught, "Print vouchers").await;
    let body = frame.content_document().unwrap().body().unwrap();
    // (Counted, not collected: the frame's nodes are not `instanceof` this page's `Element`.)
    let vouchers = body.query_selector_all(".wd-sheet-receipt .wd-voucher");
    assert_eq!(vouchers.unwrap().length(), 3);
    let printed = text(&body);
    assert!(!printed.contains("Back to the batch"), "{printed}");
    for t in &made {
        let code = wifi_desk::domain::reading::grouped(&t.access_code, 4);
        assert!(printed.contains(&code), "{code} in {printed}");
    }
    // Back from the sheet is back to the batch as it was: its codes still to export.
    button(&root, "Back to the batch").click();
    wait_for(&root, "the batch again", |r| {
        text(r).contains("Done: 3 of 3 issued.")
    })
    .await;
    let export: web_sys::HtmlButtonElement = button(&root, "Export CSV").unchecked_into();
    assert!(!export.disabled(), "the batch's codes to export");
    button(&root, "Back to list").click();
    wait_for(&root, "the list", |r| input(r, "Search").is_some()).await;
}

#[wasm_bindgen_test]
async fn a_cancelled_batch_stops_and_says_how_many_were_issued() {
    let tag = marker("batch-cancel");
    let root = console_as(desk(), "reception@example.com").await;
    start_batch(&root, &tag, "100").await;
    // Paced at Nexudus's limits (at least 100 ms between requests, 120 a minute), 100 codes take
    // more than a minute: the batch is still running after the first.
    wait_for(&root, "the first code", |r| {
        text(r).contains("1 of 100 issued")
    })
    .await;
    // Issue code and Sign out wait for it, and say why where the keyboard can read it: a disabled
    // button takes no focus, and its tooltip is the mouse's.
    assert!(button(&root, "Sign out")
        .unchecked_into::<web_sys::HtmlButtonElement>()
        .disabled());
    assert_eq!(
        text(&all(&root, ".wd-console > .wd-reasons")[0]),
        "Wait for the batch to finish, or cancel it."
    );
    // The first codes go quickly, but the rest cannot: 198 requests are more than a minute's 120.
    let said = text(&all(&root, "[role=status]")[0]);
    let left = said
        .split_once("about ")
        .and_then(|(_, rest)| rest.split_once(" left."))
        .map(|(time, _)| time.to_owned())
        .unwrap_or_else(|| panic!("time left is shown: {said}"));
    let seconds = match left.split_once(' ') {
        Some((n, "s")) => n.parse::<u32>().unwrap(),
        Some((n, "min")) => n.parse::<u32>().unwrap() * 60,
        _ => panic!("{said}"),
    };
    assert!(seconds >= 60, "{said}");
    // Said now and then (at each tenth of the batch, or every 15 s), not at every code; the
    // progress bar says it on demand.
    let live = all(&root, "[role=status]")[0].clone();
    let watched = live.clone();
    let told = Texts::record(&live, move || text(&watched));
    wait_for(&root, "twelve codes", |r| {
        text(r).contains("12 of 100 issued")
    })
    .await;
    let told = told.seen();
    assert!(told.len() <= 2, "{told:?}");
    // But said: at the tenth code, a tenth of the batch.
    assert!(
        told.iter().any(|t| t.starts_with("10 of 100 issued")),
        "the tenth of the batch is announced: {told:?}"
    );
    let bar = all(&root, "progress")[0].clone();
    let value = bar.get_attribute("aria-valuetext").unwrap_or_default();
    assert!(value.starts_with("12 of 100 issued"), "{value}");
    // Its own Cancel is the only way out: leaving would abort a code on its way.
    let disabled = |name: &str| {
        button(&root, name)
            .unchecked_into::<web_sys::HtmlButtonElement>()
            .disabled()
    };
    assert!(disabled("Issue code") && disabled("Sign out"));
    // Escape does not leave it either, and says how to.
    press(&button(&root, "Cancel"), "Escape");
    wait_for(&root, "the word to wait", |r| {
        all(r, ".wd-batch [role=status]")
            .iter()
            .any(|s| text(s) == "Wait for the batch to finish, or cancel it.")
    })
    .await;
    button(&root, "Cancel").click();
    wait_for(&root, "the batch to stop", |r| {
        text(r).contains("Cancelled: ")
    })
    .await;
    wait_for(&root, "the way out open again", |_| {
        !disabled("Issue code") && !disabled("Sign out")
    })
    .await;
    let said = text(&all(&root, ".wd-outcome")[0]);
    let issued: usize = said
        .trim_start_matches("Cancelled: ")
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..100).contains(&issued), "{said}");
    assert_eq!(
        stored(&admin_client().await, &tag).await.len(),
        issued,
        "{said}"
    );
}

#[wasm_bindgen_test]
async fn a_batch_stops_when_its_codes_end_has_passed() {
    let tag = marker("batch-ended");
    let root = console_as(desk(), "reception@example.com").await;
    open_issue_form(&root).await;
    type_into(&root, "Description", &tag);
    choose(&root, "Valid for", "custom");
    wait_for(&root, "the dates", |r| input(r, "Valid to").is_some()).await;
    // Ending at the next whole minute at least 8 s away: the form takes minutes. 100 codes,
    // paced at Nexudus's limits, take longer than that.
    let now = clock::now();
    let mut end = now.with_second(0).unwrap().with_nanosecond(0).unwrap() + Duration::minutes(1);
    if end - now < Duration::seconds(8) {
        end += Duration::minutes(1);
    }
    type_into(
        &root,
        "Valid from",
        &clock::to_input(now - Duration::minutes(1)),
    );
    type_into(&root, "Valid to", &clock::to_input(end));
    type_into(&root, "Number of codes", "100");
    button(&root, "Issue code").click();
    wait_for(&root, "the first code", |r| {
        text(r).contains("1 of 100 issued")
    })
    .await;
    for _ in 0..90 {
        if text(&root).contains("Stopped: ") {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(1_000).await;
    }
    let said = text(&all(&root, ".wd-outcome")[0]);
    assert!(
        said.starts_with("Stopped: ")
            && said.ends_with("The codes' end has passed: a code issued now would never work."),
        "{said}"
    );
    let issued: usize = said
        .trim_start_matches("Stopped: ")
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..100).contains(&issued), "{said}");
    let made = stored(&admin_client().await, &tag).await;
    assert_eq!(made.len(), issued, "{said}");
    // None sent after the end, not even one waiting its turn as the end passed.
    for t in &made {
        let created = t.created_on.map(|w| w.local());
        assert!(
            created.is_some_and(|c| c < end),
            "{} created {created:?}, after its end {end}",
            t.access_code
        );
    }
}

#[wasm_bindgen_test]
async fn a_batch_the_server_stops_says_so_and_why() {
    let tag = marker("batch-stopped");
    // The account may list codes but not create them; the desk did not say so up front.
    let root = console_as(desk(), "viewer@example.com").await;
    start_batch(&root, &tag, "3").await;
    wait_for(&root, "the batch to stop", |r| {
        text(r).contains("Stopped: 0 of 3 issued, 1 failed, 2 not tried.")
    })
    .await;
    assert!(
        text(&root).contains("does not have the AccessToken-Create role"),
        "{}",
        text(&root)
    );
    assert!(!text(&root).contains("Done:"), "not reported as done");
}

/// The server's commands not read (a server error) are asked for again at the next tick, not
/// left missing until the widget is drawn again.
#[wasm_bindgen_test]
async fn commands_that_failed_to_load_are_asked_for_again() {
    let admin = admin_client().await;
    let tag = marker("commands-again");
    let made = live_codes(&admin, &tag, 2).await;
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = console_with(&client).await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the two codes", |r| rows(r).len() == 2).await;
    client.set_header(
        "X-Sandbox-Fault",
        Some("500@GET/api/spaces/accesstokens/commands"),
    );
    let grouped = |t: &AccessToken| wifi_desk::domain::reading::grouped(&t.access_code, 4);
    tick(&root, &format!("Select {}", grouped(&made[0])));
    wait_for(&root, "the failure said", |r| {
        text(r).contains("Commands are not available")
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    tick(&root, &format!("Select {}", grouped(&made[1])));
    wait_for(&root, "the commands", |r| {
        all(r, "#wd-command option").len() > 1 && !text(r).contains("Commands are not available")
    })
    .await;
}

/// A create whose answer never comes (the server slower than the client waits) is sent again with
/// the same code, found once it lands, and counted and printed as issued: not counted as failed
/// while it exists, with another code issued in its place.
#[wasm_bindgen_test]
async fn a_batch_code_whose_answer_was_lost_is_found_and_kept() {
    let tag = marker("batch-lost");
    // Each create is carried out 1.5 s after it arrives, the client waiting 1 s for an answer:
    // the look-up after the first create's timeout, 150 ms on, finds nothing yet, nor does the
    // second try's; that try's create, lost too, is followed by a look-up that finds the first.
    let fault = format!("queued=1500@POST/api/spaces, run={tag}");
    let client = Client::new(&api_base())
        .with_timeout_ms(1000)
        .with_header("X-Sandbox-Fault", &fault);
    let root = console_with(&signed_in(client, "reception@example.com").await).await;
    start_batch(&root, &tag, "2").await;
    wait_for(&root, "the batch", |r| {
        text(r).contains("Done: 2 of 2 issued.")
    })
    .await;
    let made = stored(&admin_client().await, &tag).await;
    assert_eq!(made.len(), 2, "two codes, no more");
}

/// A batch of `count` codes whose every create is answered with `fault` stops, saying `stopped`.
async fn batch_stopped_by(fault: &str, count: &str, stopped: &str) {
    let tag = marker("batch-stopped-by");
    let fault = format!("{fault}@POST/api/spaces, run={tag}");
    let root = console_as(
        desk().with_header("X-Sandbox-Fault", &fault),
        "reception@example.com",
    )
    .await;
    start_batch(&root, &tag, count).await;
    wait_for(&root, "the batch to stop", |r| text(r).contains(stopped)).await;
}

/// A server failing every create: each voucher is tried three times (the code may have been saved
/// before the 500), and the second voucher failing so stops the batch, before the day's writes
/// are spent on it.
#[wasm_bindgen_test]
async fn a_batch_stops_when_the_server_fails_two_vouchers_in_a_row() {
    batch_stopped_by("500", "5", "Stopped: 0 of 5 issued, 2 failed, 3 not tried.").await;
}

/// Codes refused for themselves (taken on the server) fail their voucher, and the batch goes on
/// with codes of its own for the next; refused so for two vouchers in a row, it stops, as for
/// codes of a form the server does not take.
#[wasm_bindgen_test]
async fn a_batch_goes_on_after_a_voucher_whose_codes_were_taken() {
    // Every create refused as a code in use: three codes for the first voucher, three for the
    // second, and then the batch stops.
    let stopped = "Stopped: 0 of 3 issued, 2 failed, 1 not tried.";
    batch_stopped_by("invalid=AccessCode", "3", stopped).await;
}

/// An account whose requests another desk spent: the client waits the 409s out for its pacer's
/// window, then the batch stops, as every code left would meet the same block.
#[wasm_bindgen_test]
async fn a_batch_on_a_spent_account_stops_and_says_why() {
    let tag = marker("batch-spent");
    let client = signed_in(
        Client::new(&api_base()).with_pacer(Pacer::nexudus().scaled(10)),
        "reception@example.com",
    )
    .await;
    let fault = format!("409=60000@POST/api/spaces, run={tag}");
    client.set_header("X-Sandbox-Fault", Some(&fault));
    let root = console_with(&client).await;
    start_batch(&root, &tag, "3").await;
    wait_for(&root, "the batch to stop", |r| {
        text(r).contains("Stopped: 0 of 3 issued, 1 failed, 2 not tried.")
    })
    .await;
    assert!(
        text(&root).contains("Nexudus is still refusing this account's requests"),
        "{}",
        text(&root)
    );
    assert!(
        client.throttled_count() >= 3,
        "{}",
        client.throttled_count()
    );
}

/// A code held back by 409s for more than a second says why while the widget waits, and stops
/// saying it once the wait is over.
#[wasm_bindgen_test]
async fn a_code_held_back_by_409s_says_why_while_it_waits() {
    let tag = marker("held-issue");
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let fault = format!("409=2500@POST/api/spaces, run={tag}");
    client.set_header("X-Sandbox-Fault", Some(&fault));
    let root = console_with(&client).await;
    let code = open_issue_form(&root).await;
    type_into(&root, "Description", &tag);
    button(&root, "Issue code").click();
    // Refused, a second's wait unsaid; refused again, two seconds said; then issued.
    let said = |r: &Element| {
        all(r, ".wd-slowed[role=status]").iter().any(|s| {
            text(s)
                == "Nexudus asked this desk to slow down (too many requests on this account). \
                    Trying again in 2 seconds."
        })
    };
    wait_for(&root, "the wait said", said).await;
    assert_eq!(
        client.throttled_count(),
        2,
        "said after the second 409, not the first"
    );
    wait_for(&root, "the code issued", |r| {
        text(r).contains("Code issued: ")
    })
    .await;
    wait_for(&root, "the wait no longer said", |r| !said(r)).await;
    assert!(text(&root).contains(&wifi_desk::domain::reading::grouped(&code, 4)));
    assert_eq!(client.throttled_count(), 2);
    assert_eq!(stored(&admin_client().await, &tag).await.len(), 1);
}

/// Bulk revoke on an account whose requests another desk spent: once the client has waited the
/// 409s out for its pacer's window, the codes left are not tried, each of which would wait as long.
#[wasm_bindgen_test]
async fn a_bulk_revoke_on_a_spent_account_stops_and_says_why() {
    let admin = admin_client().await;
    let tag = marker("revoke-spent");
    let made = live_codes(&admin, &tag, 2).await;
    let client = signed_in(
        Client::new(&api_base()).with_pacer(Pacer::nexudus().scaled(10)),
        "admin@example.com",
    )
    .await;
    let root = console_with(&client).await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the two codes", |r| rows(r).len() == 2).await;
    tick(&root, "Select all on this page");
    wait_for(&root, "the bulk bar", |r| text(r).contains("2 selected")).await;
    let fault = format!("409=60000@DELETE, run={tag}");
    client.set_header("X-Sandbox-Fault", Some(&fault));
    revoke_selected(&root).await;
    wait_for(&root, "the outcome", |r| {
        text(r).contains("Revoked: 0 done, 1 failed, 1 not run.")
    })
    .await;
    assert!(
        text(&root).contains("still refusing this account's requests"),
        "{}",
        text(&root)
    );
    for t in &made {
        assert!(
            admin.get(t.id).await.is_ok(),
            "{} is still there",
            t.access_code
        );
    }
}

/// A batch whose code's requests to `method` are held back by 409s (for up to a minute with
/// Nexudus's limits) stops at once on Cancel, nothing more sent.
async fn cancel_a_batch_held_by_409s(method: &str) {
    let tag = marker("batch-409");
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = console_with(&client).await;
    let fault = format!("409=60000@{method}/api/spaces, run={tag}");
    client.set_header("X-Sandbox-Fault", Some(&fault));
    start_batch(&root, &tag, "3").await;
    // Waits of 1 and 2 s, then the third 409 holds it for 4 s.
    wait_for(&root, "the third 409", |_| client.throttled_count() == 3).await;
    wait_for(&root, "its answer read", |_| client.in_flight() == 0).await;
    let asked = client.requests_asked();
    let pressed = js_sys::Date::now();
    button(&root, "Cancel").click();
    wait_for(&root, "the batch to stop", |r| {
        text(r).contains("Cancelled: 0 of 3 issued.")
    })
    .await;
    let took = js_sys::Date::now() - pressed;
    assert!(took < 1_000.0, "stopped {took} ms after Cancel");
    assert_eq!(client.requests_asked(), asked, "nothing sent after Cancel");
    assert_eq!(client.throttled_count(), 3);
}

#[wasm_bindgen_test]
async fn a_batch_cancelled_while_409s_hold_its_create_stops_at_once() {
    cancel_a_batch_held_by_409s("POST").await;
}

#[wasm_bindgen_test]
async fn a_batch_cancelled_while_409s_hold_its_look_up_stops_at_once() {
    cancel_a_batch_held_by_409s("GET").await;
}

#[wasm_bindgen_test]
async fn a_batch_cancelled_while_waiting_its_turn_sends_no_more_codes() {
    let tag = marker("batch-wait");
    // One write every five seconds: the second code waits its turn for seconds.
    let slow = Pacer::new(
        vec![],
        vec![Limit {
            max: 1,
            window_ms: 5000.0,
        }],
    );
    let client = signed_in(
        Client::new(&api_base()).with_pacer(slow),
        "reception@example.com",
    )
    .await;
    let root = console_with(&client).await;
    start_batch(&root, &tag, "3").await;
    wait_for(&root, "the first code", |r| {
        text(r).contains("1 of 3 issued")
    })
    .await;
    // The second code is looked up (free), then its create waits for its turn.
    wait_for(&root, "the look-up answered", |_| client.in_flight() == 0).await;
    gloo_timers::future::TimeoutFuture::new(100).await;
    let asked = client.requests_asked();
    button(&root, "Cancel").click();
    wait_for(&root, "the batch to stop", |r| {
        text(r).contains("Cancelled: 1 of 3 issued.")
    })
    .await;
    assert_eq!(
        client.requests_asked(),
        asked,
        "nothing asked of the server after Cancel"
    );
    assert_eq!(stored(&admin_client().await, &tag).await.len(), 1);
}

#[wasm_bindgen_test]
async fn a_batch_on_the_hosts_tokens_cancelled_while_its_create_waits_sends_it_not() {
    use js_sys::Reflect;
    use wasm_bindgen::JsValue;

    let tag = marker("batch-held");
    let bearer = signed_in(Client::new(&api_base()), "reception@example.com")
        .await
        .bearer_token()
        .unwrap();
    // The host page's token callback, counting its calls.
    let state = js_sys::Object::new();
    Reflect::set(&state, &"calls".into(), &0.into()).unwrap();
    let callback = js_sys::Function::new_with_args(
        "state",
        &format!("state.calls += 1; return Promise.resolve({bearer:?});"),
    )
    .bind1(&JsValue::NULL, &state)
    .unchecked_into::<js_sys::Function>();
    let calls = || {
        Reflect::get(&state, &"calls".into())
            .unwrap()
            .as_f64()
            .unwrap()
    };
    // One write every three seconds: the second code waits inside the client, its token in hand.
    let client = Client::new(&api_base()).with_pacer(Pacer::new(
        vec![],
        vec![Limit {
            max: 1,
            window_ms: 3000.0,
        }],
    ));
    client.set_auth(Auth::Callback(callback));
    let root = console_with(&client).await;
    let before = calls();
    start_batch(&root, &tag, "2").await;
    wait_for(&root, "the first code", |r| {
        text(r).contains("1 of 2 issued")
    })
    .await;
    // The host is asked once a request: the first code's look-up and create, the second's look-up,
    // then its create, which waits for the pacer with the token in hand.
    wait_for(&root, "the second create's token", |_| {
        calls() >= before + 4.0
    })
    .await;
    button(&root, "Cancel").click();
    wait_for(&root, "the batch to stop", |r| {
        text(r).contains("Cancelled: ")
    })
    .await;
    assert!(
        text(&root).contains("Cancelled: 1 of 2 issued."),
        "{}",
        text(&root)
    );
    assert_eq!(stored(&admin_client().await, &tag).await.len(), 1);
    assert_eq!(calls(), before + 4.0, "no request after Cancel");
    // Only the batch's create was stopped: the client's other writes still go. (Reception may not
    // delete: the server's refusal shows the write was sent.)
    let other = client.delete(i64::from(i32::MAX)).await;
    assert!(
        matches!(other, Err(ApiError::MissingRole(_))),
        "a write sent meanwhile: {other:?}"
    );
}

#[wasm_bindgen_test]
async fn editing_a_code_changes_what_was_typed_and_keeps_the_rest() {
    let admin = admin_client().await;
    let tag = marker("edit");
    // Seconds the form, which shows minutes, does not show.
    let now = clock::now()
        .with_second(37)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap();
    let mut made = create(
        &admin,
        &tag,
        (Some(now), Some(now + Duration::days(1))),
        (60, 45),
    )
    .await;
    made = admin
        .update(made.id, |t| {
            t.mac_address = Some("AA:BB:CC:DD:EE:FF".into())
        })
        .await
        .unwrap();

    let root = edit_form_of(&tag).await;
    assert_eq!(input(&root, "Minutes").unwrap().value(), "60");

    type_into(&root, "Devices", "0");
    button(&root, "Save changes").click();
    wait_for(&root, "the mistake", |r| {
        text(r).contains("At least 1 device.")
    })
    .await;
    let devices = input(&root, "Devices").unwrap();
    wait_for(&root, "the focus on the field marked wrong", |_| {
        focused().is_some_and(|f| f.is_same_node(Some(&devices)))
    })
    .await;
    assert_eq!(
        input(&root, "Description").unwrap().value(),
        tag,
        "nothing typed is lost"
    );

    // Meanwhile the visitor uses 15 minutes: the form was filled with 45 left.
    admin
        .update(made.id, |t| t.minutes_left = 30)
        .await
        .unwrap();
    type_into(&root, "Description", &format!("{tag} (edited)"));
    type_into(&root, "Minutes", "120");
    type_into(&root, "Valid to", "");
    type_into(&root, "Devices", "3");
    button(&root, "Save changes").click();
    wait_for(&root, "the detail again", |r| {
        text(r).contains("Changes saved.")
    })
    .await;

    let after = admin.get(made.id).await.unwrap();
    assert_eq!(
        after.description.as_deref(),
        Some(format!("{tag} (edited)").as_str())
    );
    assert_eq!(
        (after.minutes_included, after.minutes_left),
        (120, 90),
        "left grows by as much, from what was left when saved, not when the form opened"
    );
    assert_eq!(after.valid_to, None, "an emptied end: valid until used up");
    assert_eq!(
        after.valid_from.map(|w| w.local()),
        Some(now),
        "a date left as it was keeps its seconds"
    );
    assert_eq!(after.user_limit, Some(3));
    assert_eq!(after.access_code, made.access_code);
    assert_eq!(
        after.mac_address.as_deref(),
        Some("AA:BB:CC:DD:EE:FF"),
        "a field the form does not show is kept"
    );
}

/// The console signed in as reception, on the edit form of the one code described `tag`, filled in.
async fn edit_form_of(tag: &str) -> Element {
    let root = console_as(desk(), "reception@example.com").await;
    type_into(&root, "Search", tag);
    wait_for(&root, "the code", |r| rows(r).len() == 1).await;
    open_first_code(&root).await;
    button(&root, "Edit").click();
    wait_for(&root, "the form, filled in", |r| {
        input(r, "Description").is_some_and(|i| i.value() == tag)
    })
    .await;
    root
}

#[wasm_bindgen_test]
async fn editing_a_code_made_elsewhere_keeps_its_code_as_it_is() {
    let admin = admin_client().await;
    let tag = marker("edit-foreign");
    // Made by the admin pages or another integration, in a form this widget never generates.
    let code = format!("guest_{tag}");
    let mut made = create(&admin, &tag, (None, None), (60, 60)).await;
    made = admin
        .update(made.id, |t| t.access_code = code.clone())
        .await
        .unwrap();
    let root = edit_form_of(&tag).await;
    assert_eq!(input(&root, "Access code").unwrap().value(), code);
    type_into(&root, "Devices", "2");
    button(&root, "Save changes").click();
    wait_for(&root, "the detail again", |r| {
        text(r).contains("Changes saved.")
    })
    .await;
    let after = admin.get(made.id).await.unwrap();
    assert_eq!(after.access_code, code, "left as the server had it");
    assert_eq!(after.user_limit, Some(2));
}

#[wasm_bindgen_test]
async fn an_edit_form_that_cannot_read_its_code_says_so_and_tries_again() {
    let admin = admin_client().await;
    let tag = marker("edit-unread");
    let now = clock::now();
    create(
        &admin,
        &tag,
        (Some(now), Some(now + Duration::days(1))),
        (60, 60),
    )
    .await;
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = console_with(&client).await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the code", |r| rows(r).len() == 1).await;
    open_first_code(&root).await;

    client.set_header("X-Sandbox-Fault", Some("500@GET/api/spaces/accesstokens"));
    button(&root, "Edit").click();
    wait_for(&root, "the failure", |r| text(r).contains("Try again")).await;
    assert!(
        input(&root, "Description").is_none() && all(&root, "button[type=submit]").is_empty(),
        "no empty form to type into and lose: {}",
        text(&root)
    );
    let said = text(&all(&root, "[role=alert]")[0]);
    assert!(said.contains("server"), "the failure in a sentence: {said}");

    // Failing again, the button and the focus stay where they are (Leptos redraws the failure in
    // place).
    let again = button(&root, "Try again");
    again.focus().unwrap();
    let asked = client.requests_asked();
    again.click();
    wait_for(&root, "the second try to fail", |r| {
        client.requests_asked() > asked
            && all(r, "button[aria-disabled=false]")
                .iter()
                .any(|b| text(b) == "Try again")
    })
    .await;
    assert!(
        focused().is_some_and(|f| text(&f) == "Try again"),
        "the focus stays on Try again: {:?}",
        focused().map(|f| f.outer_html())
    );

    client.set_header("X-Sandbox-Fault", None);
    let again = button(&root, "Try again");
    again.click();
    wait_for(&root, "the form, filled in", |r| {
        input(r, "Description").is_some_and(|i| i.value() == tag)
    })
    .await;
    assert!(text(&root).contains("Save changes"));
    assert!(
        focused().is_some_and(|f| f.get_attribute("name").as_deref() == Some("Description")),
        "the focus goes to the form that appeared"
    );
}

#[wasm_bindgen_test]
async fn the_list_tried_again_puts_the_focus_on_search() {
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    client.set_header("X-Sandbox-Fault", Some("500@GET/api/spaces/accesstokens"));
    let root = console_with(&client).await;
    wait_for(&root, "the failure", |r| {
        all(r, "button").iter().any(|b| text(b) == "Try again")
    })
    .await;
    // Failing again, it is said again: the count says it is trying first.
    let count = all(&root, ".wd-count").remove(0);
    let watched = count.clone();
    let said = Texts::record(&count, move || text(&watched));
    let failure = text(&count);
    press_button(&root, "Try again");
    wait_for(&root, "the failure said again", |_| {
        said.seen()
            .ends_with(&["Trying again…".to_owned(), failure.clone()])
    })
    .await;
    drop(said);
    client.set_header("X-Sandbox-Fault", None);
    press_button(&root, "Try again");
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    wait_for(&root, "the focus on Search, not the page's body", |r| {
        focused().is_some_and(|f| Some(&f) == control(r, "Search").as_ref())
    })
    .await;
}

/// Presses Revoke selected and confirms it.
async fn revoke_selected(root: &Element) {
    button(root, "Revoke selected").click();
    wait_for(root, "the confirmation", |r| {
        !all(r, "[role=alertdialog]").is_empty()
    })
    .await;
    button(root, "Yes, revoke them").click();
}
