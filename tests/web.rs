//! Browser tests: the widget mounted in a real DOM (Chrome and Firefox), talking to the sandbox that
//! `scripts/test.sh` starts on loopback and names in `WIFI_DESK_SANDBOX_URL` at build time.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;
use wifi_desk::api::{AccessToken, ApiError, Client, ListQuery, WallClock};
use wifi_desk::domain::code::CodeStyle;
use wifi_desk::ui::{clock, Options};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn signs_in_and_shows_how_many_codes_the_account_sees() {
    let total = total_from_sandbox().await;
    assert!(total > 0, "the test sandbox has demo data");
    // The widget signs in with a client the test keeps, to see what signing out leaves in it.
    let client = Client::new(&api_base());
    let root = mount_with_session(desk(), client.clone());
    sign_in(&root, "admin@example.com", "wifi-desk").await;
    wait_for(&root, "the count", |r| !all(r, "tbody tr").is_empty()).await;
    assert_eq!(
        text(&all(&root, "[role=status]")[0]),
        format!("{total} codes")
    );
    assert!(text(&root).contains("Signed in as admin@example.com"));
    assert!(
        input(&root, "Password").is_none(),
        "the sign-in form is gone"
    );
    assert!(
        client.bearer_token().is_some(),
        "the widget signed in with the client it was given"
    );

    button(&root, "Sign out").click();
    wait_for(&root, "the sign-in form again", |r| {
        input(r, "Password").is_some()
    })
    .await;
    assert_eq!(
        input(&root, "Password").unwrap().value(),
        "",
        "signing out forgets the password"
    );
    // And the token: the client holds none, and the server is not asked as the account any more.
    assert!(
        client.bearer_token().is_none(),
        "signing out forgets the token"
    );
    assert_eq!(client.count().await, Err(ApiError::SignedOut));
}

#[wasm_bindgen_test]
async fn a_wrong_password_reads_as_a_sentence_and_keeps_the_email() {
    let root = mount(api_base());
    sign_in(&root, "admin@example.com", "not-the-password").await;
    wait_for(&root, "the error", |r| !alert(r).is_empty()).await;
    assert_eq!(
        alert(&root),
        "That email and password do not match an account. Check them and try again."
    );
    assert_eq!(input(&root, "Email").unwrap().value(), "admin@example.com");
}

#[wasm_bindgen_test]
async fn an_empty_form_is_not_sent_and_the_focus_goes_to_what_is_missing() {
    let client = Client::new(&api_base());
    let root = mount_with_session(desk(), client.clone());
    wait_for(&root, "the sign-in form", |r| input(r, "Email").is_some()).await;
    type_into(&root, "Email", "admin@example.com");
    button(&root, "Sign in").click();
    wait_for(&root, "the error", |r| !alert(r).is_empty()).await;
    assert_eq!(alert(&root), "Enter your email and password.");
    let password = input(&root, "Password").unwrap();
    wait_for(&root, "the focus on Password", |_| {
        focused().is_some_and(|f| f.is_same_node(Some(&password)))
    })
    .await;
    assert_eq!(
        password.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(
        input(&root, "Email")
            .unwrap()
            .get_attribute("aria-invalid")
            .is_none(),
        "the email given is not marked"
    );
    // Pressed again, the sentence is said again: the alert is emptied first.
    let form_alert = all(&root, ".wd-sign-in [role=alert]").remove(0);
    let watched = form_alert.clone();
    let said = Texts::record(&form_alert, move || text(&watched));
    button(&root, "Sign in").click();
    wait_for(&root, "said again", |_| {
        said.seen()
            .ends_with(&["".to_owned(), "Enter your email and password.".to_owned()])
    })
    .await;
    assert_eq!(client.requests_asked(), 0, "nothing sent");
}

#[wasm_bindgen_test]
async fn two_factor_asks_for_the_code_then_signs_in() {
    let root = mount(api_base());
    sign_in(&root, "twofactor@example.com", "wifi-desk").await;
    wait_for(&root, "the two-factor field", |r| {
        input(r, "Two-factor code").is_some()
    })
    .await;
    assert_eq!(
        alert(&root),
        "Enter the six-digit code from your authenticator app."
    );
    // The field asked for has the focus, so the code is not typed on to the password.
    let code_field = input(&root, "Two-factor code").unwrap();
    wait_for(&root, "the focus in the code field", |_| {
        focused().is_some_and(|f| f.is_same_node(Some(&code_field)))
    })
    .await;
    // Sent empty, the code is asked for, not said to be refused.
    button(&root, "Sign in").click();
    wait_for(&root, "the code asked for again", |r| {
        input(r, "Two-factor code")
            .and_then(|f| f.get_attribute("aria-invalid"))
            .as_deref()
            == Some("true")
            && alert(r) == "Enter the six-digit code from your authenticator app."
    })
    .await;
    // A wrong code is refused, and cleared for the next.
    type_into(&root, "Two-factor code", "000000");
    button(&root, "Sign in").click();
    wait_for(&root, "the code refused", |r| {
        alert(r).starts_with("That code was not accepted.")
    })
    .await;
    assert_eq!(input(&root, "Two-factor code").unwrap().value(), "");
    // Another account's email: the code is not asked of it.
    type_into(&root, "Email", "viewer@example.com");
    wait_for(&root, "the code field gone", |r| {
        input(r, "Two-factor code").is_none()
    })
    .await;
    type_into(&root, "Email", "twofactor@example.com");
    button(&root, "Sign in").click();
    wait_for(&root, "the code asked for", |r| {
        input(r, "Two-factor code").is_some()
    })
    .await;

    let code: serde_json::Value = gloo_net::http::Request::get(&format!(
        "{SANDBOX}/sandbox/totp?email=twofactor%40example.com"
    ))
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    type_into(&root, "Two-factor code", code["code"].as_str().unwrap());
    button(&root, "Sign in").click();
    wait_for(&root, "the console", |r| {
        text(r).contains("Signed in as twofactor@example.com")
    })
    .await;
}

/// An account that signs in but may not use the API reads as such, with the console kept: not
/// as a session that ended, whose "Sign in again" would come back after every sign-in.
#[wasm_bindgen_test]
async fn an_account_without_api_access_says_so_instead_of_asking_to_sign_in_again() {
    let root = console_as(desk(), "noapi@example.com").await;
    wait_for(&root, "the reason", |r| {
        text(r).contains("This account signed in, but Nexudus does not let it use the API.")
    })
    .await;
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert!(
        !text(&root).contains("Sign in again"),
        "not asked to sign in again: {}",
        text(&root)
    );
}

#[wasm_bindgen_test]
async fn a_server_that_is_down_reads_as_a_sentence() {
    // Port 9 (discard) has nothing listening on loopback.
    let root = mount("http://127.0.0.1:9/api".into());
    sign_in(&root, "admin@example.com", "wifi-desk").await;
    wait_for(&root, "the error", |r| !alert(r).is_empty()).await;
    assert_eq!(
        alert(&root),
        "Cannot reach the server: it may be down, or it may not accept requests from this page. \
         Try again; if it keeps failing, tell your administrator."
    );
    assert_eq!(
        input(&root, "Password").unwrap().value(),
        "wifi-desk",
        "nothing typed is lost"
    );
}

#[wasm_bindgen_test]
async fn the_client_signs_in_lists_and_is_refused_without_a_token() {
    let client = Client::new(&api_base());
    assert_eq!(client.count().await, Err(ApiError::SignedOut));
    assert_eq!(
        client
            .sign_in("viewer@example.com", "nope", None)
            .await
            .unwrap_err(),
        ApiError::WrongPassword
    );
    let grant = client
        .sign_in("viewer@example.com", "wifi-desk", None)
        .await
        .unwrap();
    assert_eq!(grant.token_type, "bearer");
    let page = client.list(&ListQuery::new().size(2)).await.unwrap();
    assert!(page.records.len() <= 2 && page.total_items >= page.records.len() as i64);
    assert_eq!(client.count().await.unwrap(), page.total_items);
    client.sign_out();
    assert_eq!(client.count().await, Err(ApiError::SignedOut));
}

/// A mounted widget, signed in as `email`, showing the console.

#[wasm_bindgen_test]
async fn issues_a_code_and_shows_it_with_its_qr_code() {
    let root = console_as(desk(), "reception@example.com").await;
    let code = open_issue_form(&root).await;
    assert_eq!(code.len(), 8, "a generated code is ready: {code}");
    assert!(code
        .chars()
        .all(|c| wifi_desk::domain::code::UNAMBIGUOUS.contains(&(c as u8))));
    let focused = focused().unwrap();
    assert_eq!(
        focused.get_attribute("name").as_deref(),
        Some("Description"),
        "typing starts at the description"
    );

    type_into(&root, "Description", "Visitor — Ada Lovelace");
    type_into(&root, "Minutes", "90");
    button(&root, "Issue code").click();
    wait_for(&root, "the new code", |r| !qr_name(r).is_empty()).await;
    wait_for(&root, "the sentence", |r| text(r).contains("Code issued: ")).await;

    let grouped = format!("{} {}", &code[..4], &code[4..]);
    assert!(
        text(&root).contains(&grouped),
        "the code, grouped for reading: {}",
        text(&root)
    );
    assert_eq!(qr_name(&root), joining_qr_name(&grouped));
    let svg = root.query_selector("[role=img] svg").unwrap();
    assert!(svg.is_some(), "the QR code is drawn");
    assert!(text(&root).contains("Join the WiFi network “Guest WiFi”"));
    assert!(
        text(&root).contains(&format!("Enter the code {grouped}, without spaces.")),
        "the spaces are for reading: {}",
        text(&root)
    );

    let stored = admin_client()
        .await
        .find_code(&code)
        .await
        .unwrap()
        .expect("the server has it");
    assert_eq!(
        stored.description.as_deref(),
        Some("Visitor — Ada Lovelace")
    );
    assert_eq!(
        (
            stored.minutes_included,
            stored.minutes_left,
            stored.user_limit
        ),
        (90, 90, Some(1))
    );
    assert_eq!(stored.business_id, Some(1001));

    button(&root, "Spell it out").click();
    wait_for(&root, "the phonetic spelling", |r| {
        !all(r, ".wd-phonetic").is_empty()
    })
    .await;
    let spelled = text(&all(&root, ".wd-phonetic")[0]);
    assert_eq!(spelled, wifi_desk::domain::reading::phonetic(&code, 4));

    // The voucher prints alone, as shown (spelled out), without the facts and actions beside it.
    let caught = catch_print(&root);
    button(&root, "Print voucher").click();
    let frame = printed_frame(caught, "Print voucher").await;
    let printed = text(&frame.content_document().unwrap().body().unwrap());
    assert!(printed.contains(&grouped), "{printed}");
    assert!(printed.contains(&spelled), "{printed}");
    assert!(!printed.contains("Top up 60 minutes"), "{printed}");
    assert!(!printed.contains("Last changed"), "{printed}");
}

/// The detail's "Last changed" line.
fn last_changed(root: &Element) -> String {
    all(root, ".wd-facts dd")
        .last()
        .map(text)
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn an_issued_code_shows_at_once_and_the_read_back_only_fills_in_who_issued_it() {
    // Reading a record back answers two seconds late; creating answers at once.
    let slow_read = "slow=2000@GET/api/spaces/accesstokens/";
    let root = console_as(
        desk().with_header("X-Sandbox-Fault", slow_read),
        "reception@example.com",
    )
    .await;
    let code = open_issue_form(&root).await;
    button(&root, "Issue code").click();
    wait_for(&root, "the new code", |r| !qr_name(r).is_empty()).await;
    assert_eq!(
        last_changed(&root),
        "— by —",
        "drawn from the record as created, before the read-back"
    );
    assert!(text(&root).contains(&wifi_desk::domain::reading::grouped(&code, 4)));

    let print = button(&root, "Print voucher");
    print.focus().unwrap();
    wait_for(&root, "who issued it", |r| last_changed(r) != "— by —").await;
    assert!(
        last_changed(&root).ends_with("by reception@example.com"),
        "{}",
        last_changed(&root)
    );
    assert!(print.is_connected(), "the voucher was not drawn again");
    let focused = focused();
    assert_eq!(
        focused.as_ref().map(text).as_deref(),
        Some("Print voucher"),
        "the focus stays where it was"
    );
}

#[wasm_bindgen_test]
async fn a_code_opened_from_the_list_has_the_focus_while_it_is_read() {
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = console_with(&client).await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    // Reading one code answers a second and a half late.
    client.set_header(
        "X-Sandbox-Fault",
        Some("slow=1500@GET/api/spaces/accesstokens/"),
    );
    let link = rows(&root)[0]
        .query_selector("th button")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>();
    link.focus().unwrap();
    link.click();
    wait_for(&root, "the code being read", |r| {
        text(r).contains("Loading the code…")
    })
    .await;
    // Not left on the page's body with the link gone: on the view's heading, from where Escape
    // goes back before the code has even come.
    let heading = all(&root, ".wd-detail h2").remove(0);
    wait_for(&root, "the focus on the heading", |_| {
        focused().is_some_and(|f| f.is_same_node(Some(&heading)))
    })
    .await;
    assert!(
        text(&root).contains("Loading the code…"),
        "still being read"
    );
    press(&heading, "Escape");
    wait_for(&root, "the list again", |r| !rows(r).is_empty()).await;
    client.set_header("X-Sandbox-Fault", None);
}

/// The validity printed on the voucher shown.
fn voucher_validity(root: &Element) -> String {
    text(&all(root, ".wd-voucher .wd-valid")[0])
}

#[wasm_bindgen_test]
async fn a_read_back_sent_before_a_change_made_here_does_not_undo_it() {
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = console_with(&client).await;
    open_issue_form(&root).await;
    // The new code's read-back is answered four seconds late, with the record as it was when it
    // arrived; reception extends the code meanwhile.
    client.set_header(
        "X-Sandbox-Fault",
        Some("late=4000@GET/api/spaces/accesstokens/"),
    );
    button(&root, "Issue code").click();
    wait_for(&root, "the new code", |r| !qr_name(r).is_empty()).await;
    let issued = voucher_validity(&root);
    wait_for(&root, "the read-back on the wire", |_| {
        client.in_flight() == 1
    })
    .await;
    let read_back_sent = js_sys::Date::now();
    client.set_header("X-Sandbox-Fault", None);
    button(&root, "+1 hour").click();
    wait_for(&root, "the extension", |r| {
        text(r).contains("Extended by 1 hour.")
    })
    .await;
    let extended = voucher_validity(&root);
    assert_ne!(extended, issued);
    // (The change's own read-back may be on the wire too: the count cannot tell them apart.)
    assert!(
        js_sys::Date::now() - read_back_sent < 4000.0,
        "the change did not wait behind the read-back of the same record"
    );

    wait_for(&root, "the read-back's answer", |_| client.in_flight() == 0).await;
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(
        voucher_validity(&root),
        extended,
        "the read-back sent before the change did not replace it"
    );
}

/// The console, signed in as reception, showing the detail of a code admin issued just now: valid
/// from an hour ago for a day, 60 minutes, unless `adjust` changes that.
async fn detail_of_a_code_admin_issued(
    what: &str,
    adjust: impl FnOnce(&mut AccessToken),
) -> Element {
    detail_in(desk(), what, adjust).await
}

/// A code described `tag`, live for a day and with 60 minutes, then `adjust`ed, made by `admin`;
/// with its id.
async fn created(admin: &Client, tag: &str, adjust: impl FnOnce(&mut AccessToken)) -> AccessToken {
    let now = wifi_desk::ui::clock::now();
    let mut token = AccessToken {
        business_id: Some(1001),
        access_code: wifi_desk::domain::code::generate(Default::default()),
        description: Some(tag.to_owned()),
        valid_from: Some(WallClock::new(now - chrono::Duration::hours(1))),
        valid_to: Some(WallClock::new(now + chrono::Duration::days(1))),
        minutes_included: 60,
        minutes_left: 60,
        ..AccessToken::default()
    };
    adjust(&mut token);
    token.id = admin.create(&token).await.unwrap();
    token
}

/// A code `admin` made, described `what` and a number, found by Search in a console signed in as
/// reception with a client the test keeps (to inject faults): admin, client, console, the id.
async fn a_code_found(what: &str) -> (Client, Client, Element, i64) {
    let admin = admin_client().await;
    let tag = marker(what);
    let id = created(&admin, &tag, |_| {}).await.id;
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = console_with(&client).await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the code", |r| rows(r).len() == 1).await;
    (admin, client, root, id)
}

/// The same, in a console with `options`.
async fn detail_in(options: Options, what: &str, adjust: impl FnOnce(&mut AccessToken)) -> Element {
    let admin = admin_client().await;
    let tag = marker(what);
    created(&admin, &tag, adjust).await;
    let root = console_as(options, "reception@example.com").await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the code", |r| rows(r).len() == 1).await;
    open_first_code(&root).await;
    wait_for(&root, "who issued it", |r| {
        last_changed(r).ends_with("by admin@example.com")
    })
    .await;
    root
}

/// While a change is on its way, Escape and the code's keys wait, and say so.
#[wasm_bindgen_test]
async fn keys_pressed_while_a_change_is_on_its_way_say_to_wait() {
    let slow = desk().with_header("X-Sandbox-Fault", "slow=2000@PUT/api/spaces");
    let root = detail_in(slow, "wait-said", |_| {}).await;
    button(&root, "+1 hour").click();
    let heading = all(&root, ".wd-detail h2").remove(0);
    for key in ["Escape", "e"] {
        press(&heading, key);
        wait_for(&root, "the word to wait", |r| {
            announced(r) == "Wait: a change to this code is on its way."
        })
        .await;
    }
    wait_for(&root, "the change", |r| {
        announced(r).starts_with("Extended by 1 hour.")
    })
    .await;
    assert!(!all(&root, ".wd-detail").is_empty(), "still on the code");
}

/// +1 hour on a code ending the night the business's clocks go forward ends it a real hour later,
/// not at a time the clocks skip: in London, 00:30 + 1 hour is 02:30 on the last Sunday of March.
#[wasm_bindgen_test]
async fn an_hour_added_across_the_clocks_going_forward_is_a_real_hour() {
    use chrono::Datelike;
    let now = clock::now();
    // The next last Sunday of March, at least a week away.
    let year = now.year() + i32::from(now.ordinal() > 70);
    let march_31 = chrono::NaiveDate::from_ymd_opt(year, 3, 31).unwrap();
    let night =
        march_31 - chrono::Duration::days(i64::from(march_31.weekday().num_days_from_sunday()));
    let at = |h: u32, m: u32| night.and_hms_opt(h, m, 0).unwrap();
    let admin = admin_client().await;
    let tag = marker("hour-forward");
    let id = created(&admin, &tag, |t| {
        t.valid_to = Some(WallClock::new(at(0, 30)));
    })
    .await
    .id;
    let root = console_as(
        desk().with_time_zone("Europe/London"),
        "reception@example.com",
    )
    .await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the code", |r| rows(r).len() == 1).await;
    open_first_code(&root).await;
    button(&root, "+1 hour").click();
    wait_for(&root, "the change", |r| {
        announced(r).starts_with("Extended by 1 hour.")
    })
    .await;
    let stored = admin.get(id).await.unwrap();
    assert_eq!(stored.valid_to.map(|w| w.local()), Some(at(2, 30)));
}

#[wasm_bindgen_test]
async fn after_a_change_the_detail_says_who_made_it_and_when() {
    let root = detail_of_a_code_admin_issued("changed-by", |_| {}).await;
    button(&root, "+1 hour").click();
    wait_for(&root, "who changed it", |r| {
        last_changed(r).ends_with("by reception@example.com")
    })
    .await;
    assert!(text(&root).contains("Extended by 1 hour."));
}

/// What the detail says beside `term` ("Minutes", "Status", …).
fn fact(root: &Element, term: &str) -> String {
    all(root, ".wd-facts dt")
        .into_iter()
        .find(|dt| text(dt) == term)
        .and_then(|dt| dt.next_element_sibling())
        .map(|dd| text(&dd))
        .unwrap_or_default()
}

/// What the detail last announced.
fn announced(root: &Element) -> String {
    all(root, ".wd-detail .wd-message")
        .first()
        .map(text)
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_code_without_a_minute_limit_is_not_given_one() {
    let root = detail_of_a_code_admin_issued("no-limit", |t| {
        t.minutes_included = 0;
        t.minutes_left = 0;
    })
    .await;
    assert_eq!(fact(&root, "Minutes"), "No limit");
    let top_up: web_sys::HtmlButtonElement = button(&root, "Top up 60 minutes").unchecked_into();
    assert!(top_up.disabled(), "a top-up would put a limit on it");
    assert_eq!(top_up.title(), "No minute limit: nothing to top up.");
    // Not only in a tooltip, which a keyboard cannot reach on a disabled button.
    assert_eq!(
        text(&all(&root, ".wd-detail .wd-reasons")[0]),
        "No minute limit: nothing to top up."
    );
    button(&root, "+1 hour").click();
    wait_for(&root, "the extension", |r| {
        announced(r).starts_with("Extended by 1 hour.")
    })
    .await;
    let said = announced(&root);
    assert!(said.ends_with("; no minute limit."), "{said}");
}

#[wasm_bindgen_test]
async fn a_change_lost_on_its_way_back_shows_what_the_server_has() {
    // The server makes the change, and the answer never arrives, or arrives cut short.
    for fault in ["drop", "garbled"] {
        let lost = desk().with_header(
            "X-Sandbox-Fault",
            &format!("{fault}@PUT/api/spaces/accesstokens"),
        );
        let root = detail_in(lost, fault, |_| {}).await;
        button(&root, "Top up 60 minutes").click();
        wait_for(&root, "the outcome", |r| announced(r).contains("not known")).await;
        assert_eq!(
            announced(&root),
            "The server's answer was lost, and it is not known whether the change was made. It is \
             shown as the server has it now.",
            "{fault}"
        );
        assert_eq!(
            fact(&root, "Minutes"),
            "120 left of 120",
            "{fault}: the top-up the server made, so a second press is not a blind retry"
        );
    }
}

#[wasm_bindgen_test]
async fn a_change_whose_first_read_fails_says_so_not_that_it_may_have_been_made() {
    let admin = admin_client().await;
    let tag = marker("unsent");
    created(&admin, &tag, |_| {}).await;
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = console_with(&client).await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the code", |r| rows(r).len() == 1).await;
    open_first_code(&root).await;
    // The record is read before it is written; that read never gets an answer, so nothing is sent.
    client.set_header("X-Sandbox-Fault", Some("drop@GET/api/spaces/accesstokens/"));
    button(&root, "+1 hour").click();
    wait_for(&root, "the failure", |r| !announced(r).is_empty()).await;
    client.set_header("X-Sandbox-Fault", None);
    assert_eq!(
        announced(&root),
        "Cannot reach the server: it may be down, or it may not accept requests from this page. \
         Try again; if it keeps failing, tell your administrator."
    );
}

#[wasm_bindgen_test]
async fn the_edit_form_waits_for_its_save_before_leaving() {
    let slow = desk().with_header("X-Sandbox-Fault", "slow=1500@PUT/api/spaces/accesstokens");
    let root = detail_in(slow, "edit-wait", |_| {}).await;
    button(&root, "Edit").click();
    wait_for(&root, "the record in the form", |r| {
        input(r, "Description").is_some_and(|i| !i.value().is_empty())
    })
    .await;
    type_into(&root, "Description", "Changed while saving");
    button(&root, "Save changes").click();
    wait_for(&root, "the save on its way", |r| {
        text(r).contains("Saving…")
    })
    .await;
    // Leaving now would abort a save the server may carry out, unseen.
    press(
        &input(&root, "Description").unwrap().unchecked_into(),
        "Escape",
    );
    let cancel: web_sys::HtmlButtonElement = button(&root, "Cancel").unchecked_into();
    assert!(cancel.disabled(), "Cancel waits for the answer");
    let sign_out: web_sys::HtmlButtonElement = button(&root, "Sign out").unchecked_into();
    wait_for(&root, "Sign out waiting too", |_| sign_out.disabled()).await;
    gloo_timers::future::TimeoutFuture::new(100).await;
    assert!(input(&root, "Description").is_some(), "Escape waited too");
    // And said so: a key that did nothing would seem lost.
    wait_for(&root, "the word to wait", |r| {
        all(r, ".wd-issue [role=status]")
            .first()
            .is_some_and(|m| text(m) == "Wait: the changes are being saved.")
    })
    .await;
    wait_for(&root, "the saved code", |r| {
        fact(r, "Description") == "Changed while saving"
    })
    .await;
}

/// The edit form's failed read, failing again, is said again; and Try again that finds the code
/// gone leaves the focus on the form's heading, not the page's body.
#[wasm_bindgen_test]
async fn the_edit_forms_try_again_says_a_failure_again_and_keeps_the_focus() {
    let (admin, client, root, id) = a_code_found("edit-retry").await;
    open_first_code(&root).await;
    client.set_header("X-Sandbox-Fault", Some("500@GET/api/spaces/accesstokens/"));
    button(&root, "Edit").click();
    let failure = "The server had a problem and could not finish. Try again in a moment.";
    wait_for(&root, "the failure", |r| alert(r).trim() == failure).await;
    let alert_now = all(&root, ".wd-issue [role=alert]").remove(0);
    let watched = alert_now.clone();
    let said = Texts::record(&alert_now, move || text(&watched));
    let again = button(&root, "Try again");
    again.focus().unwrap();
    again.click();
    wait_for(&root, "the failure said again", |_| {
        said.seen().ends_with(&[String::new(), failure.to_owned()])
    })
    .await;
    drop(said);
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(&again))),
        "Try again keeps the focus"
    );
    client.set_header("X-Sandbox-Fault", None);
    admin.delete(id).await.unwrap();
    again.click();
    wait_for(&root, "the code gone", |r| {
        alert(r).trim() == "That access code no longer exists. It may have been revoked."
    })
    .await;
    wait_for(&root, "the focus on the heading", |r| {
        focused().is_some_and(|f| f.id() == "wd-edit-title" && r.contains(Some(&f)))
    })
    .await;
}

#[wasm_bindgen_test]
async fn saving_an_edit_keeps_what_another_desk_changed_meanwhile() {
    let admin = admin_client().await;
    let tag = marker("edit-merge");
    let token = created(&admin, &tag, |_| {}).await;
    let root = console_as(desk(), "reception@example.com").await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the code", |r| rows(r).len() == 1).await;
    open_first_code(&root).await;
    button(&root, "Edit").click();
    wait_for(&root, "the record in the form", |r| {
        input(r, "Description").is_some_and(|i| i.value() == tag)
    })
    .await;
    // While the form is open, another desk extends the code by a day, tops it up and gives it a
    // limit of devices it had none of (which the form shows as 1).
    assert_eq!(token.user_limit, None);
    let extended = admin
        .update(token.id, |t| {
            t.valid_to = t
                .valid_to
                .map(|w| w.with_local(w.local() + chrono::Duration::days(1)));
            t.minutes_left += 60;
            t.minutes_included += 60;
            t.user_limit = Some(3);
        })
        .await
        .unwrap();
    type_into(&root, "Description", "Renamed here");
    button(&root, "Save changes").click();
    wait_for(&root, "the saved code", |r| {
        fact(r, "Description") == "Renamed here"
    })
    .await;
    let stored = admin.get(token.id).await.unwrap();
    assert_eq!(stored.description.as_deref(), Some("Renamed here"));
    assert_eq!(
        (
            stored.valid_to.map(|w| w.local()),
            stored.minutes_included,
            stored.minutes_left
        ),
        (extended.valid_to.map(|w| w.local()), 120, 120),
        "the other desk's day and minutes kept"
    );
    assert_eq!(stored.user_limit, Some(3), "the other desk's devices kept");
}

/// Opens the list's first code while the server fails to read any one code (500).
fn open_first_code_failing(root: &Element, client: &Client) {
    client.set_header("X-Sandbox-Fault", Some("500@GET/api/spaces/accesstokens/"));
    rows(root)[0]
        .query_selector("th button")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
}

#[wasm_bindgen_test]
async fn a_code_that_fails_to_load_offers_to_try_again() {
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = console_with(&client).await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    open_first_code_failing(&root, &client);
    wait_for(&root, "the failure", |r| {
        alert(r) == "The server had a problem and could not finish. Try again in a moment."
    })
    .await;
    // Failing again, it is said again: the alert is emptied while it tries.
    let alert_now = all(&root, ".wd-detail [role=alert]").remove(0);
    let watched = alert_now.clone();
    let said = Texts::record(&alert_now, move || text(&watched));
    button(&root, "Try again").click();
    wait_for(&root, "the failure said again", |_| {
        said.seen().ends_with(&[
            String::new(),
            "The server had a problem and could not finish. Try again in a moment.".to_owned(),
        ])
    })
    .await;
    drop(said);
    client.set_header("X-Sandbox-Fault", None);
    let again = button(&root, "Try again");
    again.focus().unwrap();
    again.click();
    wait_for(&root, "the code", |r| !qr_name(r).is_empty()).await;
    // Try again went away with the failure: the focus is on the code's heading, not the body.
    wait_for(&root, "the focus on the heading", |_| {
        focused().is_some_and(|f| f.id() == "wd-detail-title")
    })
    .await;
}

/// A code revoked elsewhere while it is shown, then changed or revoked here: shown as gone, not
/// left with its voucher and its buttons, and the focus on the heading, not the page's body.
async fn pressed_on_a_code_revoked_elsewhere(how: &str) -> Element {
    let admin = admin_client().await;
    let tag = marker("gone-elsewhere");
    let id = created(&admin, &tag, |_| {}).await.id;
    let root = console_as(desk(), "admin@example.com").await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the code", |r| rows(r).len() == 1).await;
    open_first_code(&root).await;
    admin.delete(id).await.unwrap();
    let pressed = button(&root, how);
    pressed.focus().unwrap();
    pressed.click();
    if how == "Revoke" {
        wait_for(&root, "the confirmation", |r| {
            !all(r, "[role=alertdialog]").is_empty()
        })
        .await;
        button(&root, "Yes, revoke").click();
    }
    wait_for(&root, "the code shown as gone", |r| {
        text(r).contains("That access code no longer exists.") && all(r, ".wd-qr").is_empty()
    })
    .await;
    let left: Vec<String> = all(&root, ".wd-detail button").iter().map(text).collect();
    assert_eq!(left, ["Back to list"], "only Back is left");
    wait_for(&root, "the focus on the heading", |r| {
        focused().is_some_and(|f| f.id() == "wd-detail-title" && r.contains(Some(&f)))
    })
    .await;
    root
}

#[wasm_bindgen_test]
async fn a_change_to_a_code_revoked_elsewhere_shows_it_gone() {
    pressed_on_a_code_revoked_elsewhere("+1 hour").await;
}

#[wasm_bindgen_test]
async fn revoking_a_code_revoked_elsewhere_shows_it_gone() {
    let root = pressed_on_a_code_revoked_elsewhere("Revoke").await;
    assert!(text(&root).contains("This code no longer exists."));
}

/// Try again that finds the code revoked meanwhile goes with the failure: the focus goes to the
/// heading, not the page's body.
#[wasm_bindgen_test]
async fn try_again_finding_the_code_gone_keeps_the_focus_on_the_code() {
    let (admin, client, root, id) = a_code_found("gone-on-retry").await;
    open_first_code_failing(&root, &client);
    wait_for(&root, "the failure", |r| {
        all(r, ".wd-detail button")
            .iter()
            .any(|b| text(b) == "Try again")
    })
    .await;
    client.set_header("X-Sandbox-Fault", None);
    admin.delete(id).await.unwrap();
    let again = button(&root, "Try again");
    again.focus().unwrap();
    again.click();
    wait_for(&root, "the code gone", |r| {
        alert(r) == "That access code no longer exists. It may have been revoked."
    })
    .await;
    wait_for(&root, "the focus on the heading", |r| {
        focused().is_some_and(|f| f.id() == "wd-detail-title" && r.contains(Some(&f)))
    })
    .await;
}

#[wasm_bindgen_test]
async fn quick_changes_say_they_wait_while_one_is_saving() {
    let slow = desk().with_header("X-Sandbox-Fault", "slow=600@PUT/api/spaces/accesstokens");
    let root = detail_in(slow, "busy", |_| {}).await;
    let busy = |name: &str| button(&root, name).get_attribute("aria-disabled");
    assert_eq!(busy("+1 day").as_deref(), Some("false"));
    button(&root, "+1 hour").click();
    wait_for(&root, "the change on its way", |_| {
        busy("+1 day").as_deref() == Some("true")
    })
    .await;
    for name in ["+1 hour", "Top up 60 minutes"] {
        assert_eq!(busy(name).as_deref(), Some("true"), "{name}");
    }
    wait_for(&root, "the extension", |r| {
        text(r).contains("Extended by 1 hour.")
    })
    .await;
    assert_eq!(busy("+1 day").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
async fn a_revoke_lost_on_its_way_back_is_found_to_be_done() {
    let dropped = desk().with_header("X-Sandbox-Fault", "drop@DELETE/api/spaces/accesstokens/");
    let root = console_as(dropped, "admin@example.com").await;
    let tag = marker("revoke-dropped");
    let admin = admin_client().await;
    let now = wifi_desk::ui::clock::now();
    let id = admin
        .create(&AccessToken {
            business_id: Some(1001),
            access_code: wifi_desk::domain::code::generate(Default::default()),
            description: Some(tag.clone()),
            valid_from: Some(WallClock::new(now)),
            valid_to: Some(WallClock::new(now + chrono::Duration::days(1))),
            minutes_included: 60,
            minutes_left: 60,
            ..AccessToken::default()
        })
        .await
        .unwrap();
    type_into(&root, "Search", &tag);
    wait_for(&root, "the code", |r| rows(r).len() == 1).await;
    open_first_code(&root).await;
    revoke_and_confirm(&root).await;
    wait_for(&root, "the outcome", |r| {
        announced(r).starts_with("Code revoked.")
    })
    .await;
    assert!(text(&root).contains("This code no longer exists."));
    assert_eq!(admin.get(id).await.unwrap_err(), ApiError::NotFound);
}

#[wasm_bindgen_test]
async fn shortcuts_wait_while_the_bulk_revoke_asks_for_an_answer() {
    let root = console_as(desk(), "admin@example.com").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    tick(&root, "Select all on this page");
    wait_for(&root, "the bulk bar", |r| !all(r, ".wd-bulk").is_empty()).await;
    button(&root, "Revoke selected").click();
    wait_for(&root, "the confirmation", |r| {
        !all(r, "[role=alertdialog]").is_empty()
    })
    .await;
    let keep = button(&root, "Keep them");
    press(&keep, "n");
    press(&keep, "/");
    gloo_timers::future::TimeoutFuture::new(100).await;
    assert!(
        input(&root, "Access code").is_none(),
        "n did not open the issue form"
    );
    assert!(
        !all(&root, "[role=alertdialog]").is_empty(),
        "the question is still asked"
    );
    assert_ne!(
        focused().and_then(|e| e.get_attribute("name")).as_deref(),
        Some("search"),
        "/ did not move the focus to Search"
    );
    button(&root, "Keep them").click();
}

#[wasm_bindgen_test]
async fn a_change_to_a_code_without_an_end_says_so() {
    let root = detail_of_a_code_admin_issued("no-end", |t| t.valid_to = None).await;
    button(&root, "Top up 60 minutes").click();
    wait_for(&root, "the top-up", |r| {
        announced(r).starts_with("Topped up by 60 minutes.")
    })
    .await;
    assert_eq!(
        announced(&root),
        "Topped up by 60 minutes. No end date; 120 minutes left."
    );
}

#[wasm_bindgen_test]
async fn a_change_the_server_does_not_keep_is_said_as_the_server_has_it() {
    // A server where MinutesLeft is read-only keeps the minutes left of a top-up.
    let options = desk().with_header(
        "X-Sandbox-Fault",
        "read-only-minutes@PUT/api/spaces/accesstokens",
    );
    let root = detail_in(options, "kept-left", |t| t.valid_to = None).await;
    // Without an end, +1 hour and +1 day say why they are disabled, on screen.
    assert_eq!(
        text(&all(&root, ".wd-detail .wd-reasons")[0]),
        "No end date: nothing to extend."
    );
    button(&root, "Top up 60 minutes").click();
    wait_for(&root, "the top-up", |r| !announced(r).is_empty()).await;
    assert_eq!(
        announced(&root),
        "The server did not keep all of the change. It has: No end date; 60 minutes left."
    );
    assert_eq!(fact(&root, "Minutes"), "60 left of 120");

    // Pressed again, the same sentence is said again: the live region is emptied first, so a
    // screen reader hears the change (a text that stays the same is not read out).
    let watched = root.clone();
    let said = Texts::record(&all(&root, ".wd-detail .wd-message")[0], move || {
        announced(&watched)
    });
    button(&root, "Top up 60 minutes").click();
    let sentence =
        "The server did not keep all of the change. It has: No end date; 60 minutes left.";
    wait_for(&root, "the sentence again", |_| {
        said.seen().iter().any(|t| t == sentence)
    })
    .await;
    let said = said.seen();
    assert_eq!(said.first().map(String::as_str), Some(""), "{said:?}");
}

#[wasm_bindgen_test]
async fn a_quick_action_keeps_the_focus_on_its_button() {
    let root = detail_of_a_code_admin_issued("keeps-focus", |_| {}).await;
    for (name, done) in [
        ("+1 hour", "Extended by 1 hour."),
        ("+1 day", "Extended by 1 day."),
        ("Top up 60 minutes", "Topped up by 60 minutes."),
    ] {
        let pressed = button(&root, name);
        pressed.focus().unwrap();
        pressed.click();
        wait_for(&root, done, |r| text(r).contains(done)).await;
        // The change is read back after it (answered in a few milliseconds by this sandbox): the
        // focus stays put through that too.
        wait_for(&root, "its read-back", |r| {
            last_changed(r).ends_with("by reception@example.com")
        })
        .await;
        gloo_timers::future::TimeoutFuture::new(500).await;
        assert!(
            focused().is_some_and(|f| f.is_same_node(Some(&pressed))),
            "after {name} the focus is on {:?}",
            focused().map(|f| f.tag_name())
        );
    }
}

#[wasm_bindgen_test]
async fn a_new_code_stays_shown_when_its_read_back_fails() {
    let root = console_as(
        desk().with_header("X-Sandbox-Fault", "500@GET/api/spaces/accesstokens/"),
        "reception@example.com",
    )
    .await;
    let code = open_issue_form(&root).await;
    button(&root, "Issue code").click();
    wait_for(&root, "the new code", |r| !qr_name(r).is_empty()).await;
    // The read-back, sent a moment later, fails: the code stays, with no error in its place.
    let grouped = wifi_desk::domain::reading::grouped(&code, 4);
    for _ in 0..150 {
        assert!(qr_name(&root).contains(&grouped), "{}", text(&root));
        assert!(
            all(&root, ".wd-detail [role=alert]").is_empty(),
            "{}",
            text(&root)
        );
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
}

/// A create that lands after the widget gave up waiting and looked for it: issued again from the
/// same preset, it is sent with the same code and times, so the record is known as this code's
/// own rather than refused as a code someone else holds.
#[wasm_bindgen_test]
async fn issuing_again_after_a_create_that_landed_late_is_one_code() {
    let client = signed_in(
        Client::new(&api_base()).with_timeout_ms(1500),
        "admin@example.com",
    )
    .await;
    let root = mount_with_session(desk(), client.clone());
    wait_for(&root, "the console", |r| text(r).contains("Signed in as")).await;
    let code = open_issue_form(&root).await;
    // The create is carried out 4 s after it arrives; the widget gives up at 1.5 s and looks the
    // code up, before it exists.
    client.set_header(
        "X-Sandbox-Fault",
        Some("queued=4000@POST/api/spaces/accesstokens"),
    );
    button(&root, "Issue code").click();
    wait_for(&root, "the outcome", |r| alert(r).contains("not known")).await;
    client.set_header("X-Sandbox-Fault", None);
    let admin = admin_client().await;
    let held = || async {
        admin
            .list(&ListQuery::new().filter(wifi_desk::api::Field::AccessCode, code.as_str()))
            .await
            .unwrap()
            .records
            .into_iter()
            .filter(|t| t.access_code == code)
            .count()
    };
    let mut landed = false;
    for _ in 0..100 {
        landed = held().await == 1;
        if landed {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(100).await;
    }
    assert!(landed, "the create landed late");
    button(&root, "Issue code").click();
    // Issued, or refused as a code someone else holds.
    wait_for(&root, "the outcome", |r| {
        !qr_name(r).is_empty() || (!alert(r).is_empty() && !alert(r).contains("not known"))
    })
    .await;
    let grouped = wifi_desk::domain::reading::grouped(&code, 4);
    assert!(qr_name(&root).contains(&grouped), "{}", text(&root));
    assert_eq!(held().await, 1, "one code");
}

#[wasm_bindgen_test]
async fn a_double_click_issues_one_code() {
    let root = console_as(desk(), "admin@example.com").await;
    let code = open_issue_form(&root).await;
    // Everything the widget says meanwhile: a second submit that got past the form would be
    // refused by the client ("already being issued") and shown for a moment before the new code.
    let watched = root.clone();
    let said = Texts::record(&root, move || {
        format!("{} | alert: {}", text(&watched), alert(&watched))
    });
    let submit = button(&root, "Issue code");
    submit.click();
    submit.click();
    wait_for(&root, "the new code", |r| text(r).contains("Code issued: ")).await;
    gloo_timers::future::TimeoutFuture::new(200).await;
    let said = said.seen();
    assert!(!said.is_empty(), "the widget was watched");
    for shown in &said {
        assert!(
            !shown.contains("already being issued") && shown.ends_with("| alert: "),
            "the second click was not sent on: {shown}"
        );
    }
    let page = admin_client()
        .await
        .list(&ListQuery::new().filter(wifi_desk::api::Field::AccessCode, code.as_str()))
        .await
        .unwrap();
    assert_eq!(
        page.records
            .iter()
            .filter(|t| t.access_code == code)
            .count(),
        1
    );
}

#[wasm_bindgen_test]
async fn the_visitor_code_style_issues_five_digits_read_whole() {
    let root = console_as(
        desk().with_code_style(CodeStyle::VISITOR),
        "reception@example.com",
    )
    .await;
    let code = open_issue_form(&root).await;
    assert!(
        code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()),
        "the generated code is five digits: {code}"
    );
    button(&root, "Issue code").click();
    wait_for(&root, "the new code", |r| !qr_name(r).is_empty()).await;
    wait_for(&root, "the sentence", |r| text(r).contains("Code issued: ")).await;
    // Five digits are read whole, not in groups.
    assert_eq!(qr_name(&root), joining_qr_name(&code));
    let shown = text(&all(&root, ".wd-voucher .wd-code")[0]);
    assert_eq!(shown, format!("Access code {code}"));
    let stored = admin_client()
        .await
        .find_code(&code)
        .await
        .unwrap()
        .expect("the server has it");
    assert_eq!(stored.access_code, code);
}

#[wasm_bindgen_test]
async fn escape_and_cancel_wait_while_a_code_is_being_issued() {
    // Creating answers a second and a half late: leaving meanwhile would abort a request the
    // server carries out, and the next try would issue a second code.
    let root = console_as(
        desk().with_header("X-Sandbox-Fault", "slow=1500@POST/api/spaces/accesstokens"),
        "admin@example.com",
    )
    .await;
    let code = open_issue_form(&root).await;
    button(&root, "Issue code").click();
    wait_for(&root, "the request on its way", |r| {
        text(r).contains("Issuing…")
    })
    .await;
    let cancel: web_sys::HtmlButtonElement = button(&root, "Cancel").unchecked_into();
    assert!(cancel.disabled(), "Cancel waits for the answer");
    let sign_out: web_sys::HtmlButtonElement = button(&root, "Sign out").unchecked_into();
    wait_for(&root, "Sign out waiting too", |_| sign_out.disabled()).await;
    cancel.click();
    press(&input(&root, "Access code").unwrap(), "Escape");
    gloo_timers::future::TimeoutFuture::new(150).await;
    assert!(
        input(&root, "Access code").is_some(),
        "the form stays while its code is issued: {}",
        text(&root)
    );
    // And says why.
    wait_for(&root, "the word to wait", |r| {
        text(r).contains("Wait: the code is being issued.")
    })
    .await;
    wait_for(&root, "the new code", |r| text(r).contains("Code issued: ")).await;
    assert!(text(&root).contains(&wifi_desk::domain::reading::grouped(&code, 4)));
}

#[wasm_bindgen_test]
async fn escape_ending_a_composition_keeps_the_form() {
    let root = console_as(desk(), "admin@example.com").await;
    open_issue_form(&root).await;
    type_into(&root, "Description", "山田");
    let description = input(&root, "Description").unwrap();
    // Escape closes an input method's candidates first: the form and what was typed stay. Safari
    // ends the composition before the keydown, which says so only by its key code.
    for safari in [false, true] {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("Escape");
        init.set_is_composing(!safari);
        init.set_key_code(229);
        init.set_bubbles(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        description.dispatch_event(&event).unwrap();
        gloo_timers::future::TimeoutFuture::new(150).await;
        assert_eq!(
            input(&root, "Description").map(|i| i.value()).as_deref(),
            Some("山田"),
            "Safari: {safari}; {}",
            text(&root)
        );
    }
    // Escape itself still leaves.
    press(&description, "Escape");
    wait_for(&root, "the list", |r| input(r, "Description").is_none()).await;
}

#[wasm_bindgen_test]
async fn the_detail_waits_for_a_quick_change_before_leaving() {
    let slow = desk().with_header("X-Sandbox-Fault", "slow=1500@PUT/api/spaces/accesstokens");
    let root = detail_in(slow, "detail-wait", |_| {}).await;
    let extend = button(&root, "+1 hour");
    extend.focus().unwrap();
    extend.click();
    wait_for(&root, "the change on its way", |r| {
        button(r, "+1 hour")
            .get_attribute("aria-disabled")
            .as_deref()
            == Some("true")
    })
    .await;
    // Leaving now would abort a change the server may make, unseen.
    press(&extend, "Escape");
    button(&root, "Back to list").click();
    let issue: web_sys::HtmlButtonElement = button(&root, "Issue code").unchecked_into();
    assert!(issue.disabled(), "Issue code waits too");
    gloo_timers::future::TimeoutFuture::new(150).await;
    assert!(
        !all(&root, ".wd-detail").is_empty(),
        "the detail stays while its change is made: {}",
        text(&root)
    );
    wait_for(&root, "the change", |r| {
        announced(r).starts_with("Extended by 1 hour.")
    })
    .await;
    button(&root, "Back to list").click();
    wait_for(&root, "the list", |r| all(r, ".wd-detail").is_empty()).await;
}

#[wasm_bindgen_test]
async fn back_from_a_code_the_focus_returns_to_it_unless_search_was_typed_in_meanwhile() {
    let admin = admin_client().await;
    let tag = marker("back-to-code");
    let code = created(&admin, &tag, |_| {}).await.access_code;
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = console_with(&client).await;
    type_into(&root, "Search", &tag);
    wait_for(&root, "the code", |r| rows(r).len() == 1).await;
    let link_is_focused = |r: &Element| {
        focused().is_some_and(|f| f.class_list().contains("wd-code-link") && r.contains(Some(&f)))
    };

    // Back from it, the focus is on its link once its row is drawn again.
    open_first_code(&root).await;
    button(&root, "Back to list").click();
    wait_for(&root, "the focus on the code", link_is_focused).await;

    // The list read slowly this time, and Search typed in while it is read: the focus stays.
    open_first_code(&root).await;
    client.set_header(
        "X-Sandbox-Fault",
        Some("slow=1000@GET/api/spaces/accesstokens"),
    );
    button(&root, "Back to list").click();
    wait_for(&root, "the list", |r| input(r, "Search").is_some()).await;
    let search = input(&root, "Search").unwrap();
    wait_for(&root, "the focus in Search", |_| {
        focused().is_some_and(|f| f.is_same_node(Some(&search)))
    })
    .await;
    type_into(&root, "Search", &code);
    wait_for(&root, "the code found by its code", |r| {
        rows(r).len() == 1 && text(&rows(r)[0]).contains(&tag)
    })
    .await;
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(&search))),
        "the focus left Search for {:?}",
        focused().map(|f| f.outer_html())
    );

    // Nor is it taken from where it was moved meanwhile (the status filter, say).
    open_first_code(&root).await;
    button(&root, "Back to list").click();
    wait_for(&root, "the list", |r| control(r, "Status").is_some()).await;
    let status: web_sys::HtmlElement = control(&root, "Status").unwrap().unchecked_into();
    status.focus().unwrap();
    wait_for(&root, "the code drawn again", |r| rows(r).len() == 1).await;
    gloo_timers::future::TimeoutFuture::new(200).await;
    client.set_header("X-Sandbox-Fault", None);
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(&status))),
        "the focus left Status for {:?}",
        focused().map(|f| f.outer_html())
    );
}

#[wasm_bindgen_test]
async fn mistakes_are_shown_beside_their_fields_before_sending() {
    let root = console_as(desk(), "admin@example.com").await;
    open_issue_form(&root).await;
    type_into(&root, "Access code", "");
    type_into(&root, "Minutes", "0");
    type_into(&root, "Devices", "0");
    button(&root, "Issue code").click();
    wait_for(&root, "the errors", |r| !alert(r).is_empty()).await;
    assert_eq!(alert(&root), "Please check the highlighted fields.");
    let error_of = |label: &str| {
        let field = input(&root, label).unwrap();
        assert_eq!(
            field.get_attribute("aria-invalid").as_deref(),
            Some("true"),
            "{label}"
        );
        let ids = field.get_attribute("aria-describedby").unwrap();
        let error_id = ids
            .split(' ')
            .find(|id| id.ends_with("-error"))
            .unwrap()
            .to_owned();
        text(
            &root
                .query_selector(&format!("#{error_id}"))
                .unwrap()
                .unwrap(),
        )
    };
    assert_eq!(error_of("Access code"), "Enter a code, or generate one.");
    assert_eq!(error_of("Minutes"), "Must be at least 1 minute.");
    assert_eq!(error_of("Devices"), "At least 1 device.");
    let first_wrong = all(&root, "form [aria-invalid=true]").remove(0);
    wait_for(&root, "the focus on the first field marked wrong", |_| {
        focused().is_some_and(|f| f.is_same_node(Some(&first_wrong)))
    })
    .await;

    // Two mended, one left: the same sentence again, read out again (the alert is emptied first,
    // since a text that stays the same is not), and the focus on the one left.
    type_into(&root, "Access code", "K7QM3XPD");
    type_into(&root, "Minutes", "60");
    let watched = root.clone();
    let said = Texts::record(&all(&root, "form [role=alert]")[0], move || alert(&watched));
    button(&root, "Issue code").click();
    let sentence = "Please check the highlighted fields.";
    wait_for(&root, "the sentence again", |_| {
        said.seen().iter().any(|t| t == sentence)
    })
    .await;
    assert_eq!(said.seen().first().map(String::as_str), Some(""));
    let devices = input(&root, "Devices").unwrap();
    wait_for(&root, "the focus on Devices", |_| {
        focused().is_some_and(|f| f.is_same_node(Some(&devices)))
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_revoke_that_fails_again_is_said_again() {
    let options = desk().with_header("X-Sandbox-Fault", "500@DELETE/api/spaces/accesstokens/");
    let root = detail_in(options, "revoke-again", |_| {}).await;
    revoke_and_confirm(&root).await;
    wait_for(&root, "the failure", |r| !announced(r).is_empty()).await;
    let sentence = announced(&root);
    let watched = root.clone();
    let said = Texts::record(&all(&root, ".wd-detail .wd-message")[0], move || {
        announced(&watched)
    });
    revoke_and_confirm(&root).await;
    wait_for(&root, "the sentence again", |_| {
        said.seen().contains(&sentence)
    })
    .await;
    assert_eq!(said.seen().first().map(String::as_str), Some(""));
}

#[wasm_bindgen_test]
async fn the_servers_field_errors_show_beside_the_field_and_the_form_is_kept() {
    let existing = admin_client()
        .await
        .list(&ListQuery::new().size(1))
        .await
        .unwrap()
        .records[0]
        .access_code
        .clone();
    let root = console_as(desk(), "admin@example.com").await;
    open_issue_form(&root).await;
    type_into(&root, "Access code", &existing);
    type_into(&root, "Description", "Keep me");
    button(&root, "Issue code").click();
    wait_for(&root, "the server's answer", |r| !alert(r).is_empty()).await;
    assert_eq!(
        alert(&root),
        "Please check the access code: it is already used by another access token."
    );
    assert!(text(&root).contains("Is already used by another access token."));
    assert_eq!(input(&root, "Description").unwrap().value(), "Keep me");
    assert_eq!(input(&root, "Access code").unwrap().value(), existing);
    // A new code is not marked with what was said of the one it replaces, and is said.
    button(&root, "New code").click();
    wait_for(&root, "the new code", |r| {
        input(r, "Access code").unwrap().value() != existing
    })
    .await;
    let code = input(&root, "Access code").unwrap();
    assert_eq!(code.get_attribute("aria-invalid"), None);
    assert!(!text(&root).contains("Is already used by another access token."));
    assert_eq!(alert(&root), "", "nor in the alert");
    let said = format!(
        "New code: {}.",
        wifi_desk::domain::reading::grouped(&code.value(), 4)
    );
    assert!(all(&root, "[aria-live=polite]")
        .iter()
        .any(|r| text(r) == said));
}

/// A field the server refuses is marked whether the refusal comes as a 400 or as a 200 whose
/// envelope says it failed, and nothing typed is lost.
#[wasm_bindgen_test]
async fn a_field_the_server_refuses_is_marked_however_it_answers() {
    for fault in [None, Some("refused-as-200@POST/api/spaces")] {
        let desk = match fault {
            Some(fault) => desk().with_header("X-Sandbox-Fault", fault),
            None => desk(),
        };
        let root = console_as(desk, "admin@example.com").await;
        let code = open_issue_form(&root).await;
        let long = "d".repeat(300);
        type_into(&root, "Description", &long);
        button(&root, "Issue code").click();
        wait_for(&root, "the server's answer", |r| !alert(r).is_empty()).await;
        assert!(
            alert(&root).starts_with("Please check the description: "),
            "{fault:?}: {}",
            alert(&root)
        );
        let description = input(&root, "Description").unwrap();
        assert_eq!(
            description.get_attribute("aria-invalid").as_deref(),
            Some("true"),
            "{fault:?}"
        );
        assert_eq!(description.value(), long);
        assert_eq!(input(&root, "Access code").unwrap().value(), code);
    }
}

/// Custom dates start from the window of the preset chosen before, to be adjusted.
#[wasm_bindgen_test]
async fn custom_dates_start_from_the_window_chosen() {
    let root = console_as(desk(), "reception@example.com").await;
    open_issue_form(&root).await;
    choose(&root, "Valid for", "1w");
    choose(&root, "Valid for", "custom");
    wait_for(&root, "the dates", |r| input(r, "Valid to").is_some()).await;
    let date = |label: &str| clock::from_input(&input(&root, label).unwrap().value()).unwrap();
    assert_eq!(
        date("Valid to") - date("Valid from"),
        chrono::Duration::weeks(1)
    );
    // Dates typed are kept through another preset and back.
    type_into(&root, "Valid to", "2031-01-02T10:30");
    choose(&root, "Valid for", "1h");
    wait_for(&root, "no dates", |r| input(r, "Valid to").is_none()).await;
    choose(&root, "Valid for", "custom");
    wait_for(&root, "the dates", |r| input(r, "Valid to").is_some()).await;
    assert_eq!(
        input(&root, "Valid to").unwrap().value(),
        "2031-01-02T10:30"
    );
}

/// A date the server refuses for a preset is shown as the date sent, marked, with the focus on
/// it; Minutes left, which the form sends as the minutes typed, is marked on Minutes.
#[wasm_bindgen_test]
async fn every_refused_field_is_shown_on_the_form() {
    let refusing = |field: &str| {
        desk().with_header(
            "X-Sandbox-Fault",
            &format!("invalid={field}@POST/api/spaces"),
        )
    };
    let root = console_as(refusing("ValidTo"), "admin@example.com").await;
    open_issue_form(&root).await;
    // Custom dates chosen and left: the list, once used, still shows what the form does.
    choose(&root, "Valid for", "custom");
    choose(&root, "Valid for", "1d");
    button(&root, "Issue code").click();
    wait_for(&root, "the refusal", |r| !alert(r).is_empty()).await;
    assert_eq!(
        alert(&root),
        "Please check the Valid to date: it is not accepted here."
    );
    wait_for(&root, "the focus on Valid to", |r| {
        let valid_to = input(r, "Valid to");
        valid_to.is_some_and(|v| {
            focused().is_some_and(|f| f.is_same_node(Some(&v)))
                && v.get_attribute("aria-invalid").as_deref() == Some("true")
                && clock::from_input(&v.value()).is_some()
        })
    })
    .await;
    let valid_for = control(&root, "Valid for").unwrap();
    assert_eq!(
        valid_for
            .unchecked_into::<web_sys::HtmlSelectElement>()
            .value(),
        "custom"
    );

    let root = console_as(refusing("MinutesLeft"), "admin@example.com").await;
    open_issue_form(&root).await;
    button(&root, "Issue code").click();
    wait_for(&root, "the refusal", |r| !alert(r).is_empty()).await;
    assert_eq!(
        input(&root, "Minutes")
            .unwrap()
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );

    // A field the form does not show is said in the alert, not counted among highlighted ones.
    let root = console_as(refusing("BusinessId"), "admin@example.com").await;
    open_issue_form(&root).await;
    button(&root, "Issue code").click();
    wait_for(&root, "the refusal", |r| !alert(r).is_empty()).await;
    assert_eq!(
        alert(&root),
        "The server refused the business: it is not accepted here."
    );
}

#[wasm_bindgen_test]
async fn a_failed_request_keeps_everything_typed() {
    let root = console_as(
        desk().with_header("X-Sandbox-Fault", "500@POST/api/spaces"),
        "admin@example.com",
    )
    .await;
    let code = open_issue_form(&root).await;
    type_into(&root, "Description", "Board room guest");
    button(&root, "Issue code").click();
    wait_for(&root, "the error", |r| !alert(r).is_empty()).await;
    assert_eq!(
        alert(&root),
        "The server had a problem and could not finish. Try again in a moment."
    );
    assert_eq!(
        input(&root, "Description").unwrap().value(),
        "Board room guest"
    );
    assert_eq!(input(&root, "Access code").unwrap().value(), code);
}

#[wasm_bindgen_test]
async fn a_new_codes_sentence_goes_into_a_live_region_already_on_the_page() {
    let root = console_as(desk(), "reception@example.com").await;
    let code = open_issue_form(&root).await;
    // The code is said with it, as it is to be read to the visitor.
    let sentence = format!(
        "Code issued: {}.",
        wifi_desk::domain::reading::grouped(&code, 4)
    );
    // What the detail's live region holds when it is put on the page.
    let watched = root.clone();
    let regions = Texts::record(&root, move || {
        watched
            .query_selector(".wd-detail [role=status]")
            .ok()
            .flatten()
            .map_or_else(|| "(none)".to_owned(), |region| text(&region))
    });
    button(&root, "Issue code").click();
    wait_for(&root, "the sentence", |r| {
        all(r, ".wd-detail [role=status]")
            .first()
            .is_some_and(|m| text(m) == sentence)
    })
    .await;
    let at_insertion = regions.seen().into_iter().find(|t| t != "(none)");
    assert_eq!(
        at_insertion.as_deref(),
        Some(""),
        "the region was on the page, empty, before the sentence"
    );
}

#[wasm_bindgen_test]
async fn a_new_code_cannot_end_in_the_past() {
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = console_with(&client).await;
    let code = open_issue_form(&root).await;
    choose(&root, "Valid for", "custom");
    wait_for(&root, "the dates", |r| input(r, "Valid to").is_some()).await;
    let yesterday = wifi_desk::ui::clock::now() - chrono::Duration::days(1);
    type_into(
        &root,
        "Valid from",
        &wifi_desk::ui::clock::to_input(yesterday),
    );
    type_into(
        &root,
        "Valid to",
        &wifi_desk::ui::clock::to_input(yesterday + chrono::Duration::hours(1)),
    );
    let asked = client.requests_asked();
    button(&root, "Issue code").click();
    wait_for(&root, "the reason beside Valid to", |r| {
        text(r).contains("This has passed: a code ending then would not work.")
    })
    .await;
    assert_eq!(client.requests_asked(), asked, "nothing sent");
    assert_eq!(input(&root, "Access code").unwrap().value(), code);
}

#[wasm_bindgen_test]
async fn a_session_that_ends_is_taken_up_again_without_losing_the_form() {
    let client = signed_in(Client::new(&api_base()), "reception@example.com").await;
    let root = mount_with_session(desk(), client.clone());
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    let code = open_issue_form(&root).await;
    let tag = marker("session");
    type_into(&root, "Description", &tag);

    // The server no longer takes the token: the session has ended.
    client.set_header("X-Sandbox-Fault", Some("401@POST/api/spaces"));
    press_button(&root, "Issue code");
    wait_for(&root, "the way to sign in again", |r| {
        text(r).contains("Sign in again")
    })
    .await;
    assert_eq!(
        input(&root, "Email").unwrap().value(),
        "reception@example.com",
        "the account that was signed in"
    );
    wait_for(&root, "the focus on the password", |_| {
        focused().is_some_and(|f| f.get_attribute("name").as_deref() == Some("password"))
    })
    .await;
    // Why, said as it appears: the focus moving says only "Password".
    assert!(
        all(&root, ".wd-sign-in [role=alert]")
            .iter()
            .any(|a| text(a).starts_with("Your session has ended.")),
        "the reason is an alert"
    );
    assert_eq!(
        input(&root, "Description").unwrap().value(),
        tag,
        "the form is kept"
    );

    client.set_header("X-Sandbox-Fault", None);
    type_into(&root, "Password", "wifi-desk");
    // A sign-in being typed holds the widget against the host page's redraws, not the console:
    // a colleague may still sign out.
    gloo_timers::future::TimeoutFuture::new(50).await;
    let sign_out: web_sys::HtmlButtonElement = button(&root, "Sign out").unchecked_into();
    assert!(!sign_out.disabled(), "{}", text(&root));
    button(&root, "Sign in").click();
    wait_for(&root, "the session taken up again", |r| {
        input(r, "Password").is_none()
    })
    .await;
    wait_for(&root, "the focus back where it was", |_| {
        focused().is_some_and(|f| text(&f) == "Issue code")
    })
    .await;
    assert_eq!(input(&root, "Description").unwrap().value(), tag);
    assert_eq!(input(&root, "Access code").unwrap().value(), code);
    button(&root, "Issue code").click();
    wait_for(&root, "the code issued", |r| {
        text(r).contains("Code issued: ")
    })
    .await;
}

#[wasm_bindgen_test]
async fn without_a_business_issuing_is_disabled_with_the_reason() {
    let root = console_as(Options::new(api_base()), "admin@example.com").await;
    let issue: web_sys::HtmlButtonElement = button(&root, "Issue code").unchecked_into();
    assert!(issue.disabled());
    assert!(issue.title().contains("no business set"));
    assert!(text(&all(&root, ".wd-console > .wd-reasons")[0]).contains("no business set"));
    // Its key says why too, where a keyboard hears it.
    wait_for(&root, "the list", |r| input(r, "Search").is_some()).await;
    press(&button(&root, "Sign out"), "n");
    wait_for(&root, "the reason said", |r| {
        all(r, ".wd-console > [role=status]")
            .first()
            .is_some_and(|m| text(m).contains("no business set"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn extend_top_up_and_revoke_from_the_detail() {
    let root = console_as(desk(), "admin@example.com").await;
    let code = open_issue_form(&root).await;
    button(&root, "Issue code").click();
    wait_for(&root, "the new code", |r| !qr_name(r).is_empty()).await;
    let admin = admin_client().await;
    let before = admin.find_code(&code).await.unwrap().unwrap();

    button(&root, "+1 hour").click();
    wait_for(&root, "the extension", |r| {
        text(r).contains("Extended by 1 hour.")
    })
    .await;
    let after = admin.get(before.id).await.unwrap();
    let gained = after.valid_to.unwrap().local() - before.valid_to.unwrap().local();
    assert_eq!(gained.num_minutes(), 60);

    button(&root, "Top up 60 minutes").click();
    wait_for(&root, "the top-up", |r| {
        text(r).contains("Topped up by 60 minutes.")
    })
    .await;
    assert_eq!(
        admin.get(before.id).await.unwrap().minutes_left,
        before.minutes_left + 60
    );

    button(&root, "Revoke").click();
    wait_for(&root, "the confirmation", |r| {
        !all(r, "[role=alertdialog]").is_empty()
    })
    .await;
    let grouped = format!("{} {}", &code[..4], &code[4..]);
    assert!(text(&all(&root, "[role=alertdialog]")[0]).contains(&format!("Revoke code {grouped}?")));
    button(&root, "Keep it").click();
    wait_for(&root, "the confirmation to close", |r| {
        all(r, "[role=alertdialog]").is_empty()
    })
    .await;
    assert!(admin.get(before.id).await.is_ok(), "kept");

    revoke_and_confirm(&root).await;
    wait_for(&root, "the revocation", |r| {
        text(r).contains("Code revoked.")
    })
    .await;
    assert_eq!(admin.get(before.id).await.unwrap_err(), ApiError::NotFound);
}

#[wasm_bindgen_test]
async fn confirming_a_revoke_twice_revokes_once() {
    // The first DELETE answers late; a second, had it gone, would be refused at once (500, which
    // the widget shows), where the server's "not found" would read as revoked and pass unseen.
    let faults = format!(
        "500@DELETE/api/spaces/accesstokens/#2, slow=800@DELETE/api/spaces/accesstokens/, run={}",
        marker("revoke-once")
    );
    let root = console_as(
        desk().with_header("X-Sandbox-Fault", &faults),
        "admin@example.com",
    )
    .await;
    open_issue_form(&root).await;
    button(&root, "Issue code").click();
    wait_for(&root, "the new code", |r| !qr_name(r).is_empty()).await;
    button(&root, "Revoke").click();
    wait_for(&root, "the confirmation", |r| {
        !all(r, "[role=alertdialog]").is_empty()
    })
    .await;
    let watched = root.clone();
    let said = Texts::record(&root, move || text(&watched));
    let yes = button(&root, "Yes, revoke");
    yes.click();
    yes.click();
    wait_for(&root, "the revocation", |r| {
        text(r).contains("Code revoked.")
    })
    .await;
    // A second DELETE, had it gone, would have been answered before the first.
    gloo_timers::future::TimeoutFuture::new(1200).await;
    assert!(
        text(&root).contains("Code revoked.") && !text(&root).contains("not found"),
        "{}",
        text(&root)
    );
    let said = said.seen();
    assert!(!said.is_empty(), "the widget was watched");
    let failure = ApiError::Server(500).to_string();
    for shown in &said {
        assert!(
            !shown.contains(&failure),
            "a second DELETE was sent: {shown}"
        );
    }
}

#[wasm_bindgen_test]
async fn paging_to_either_end_and_clearing_the_selection_keep_the_focus() {
    let root = console_as(desk(), "viewer@example.com").await;
    wait_for(&root, "the first page", |r| rows(r).len() == 25).await;
    // "Page 3 of 12", as (3, 12).
    let pages = |r: &Element| {
        let said = all(r, ".wd-pages span")
            .first()
            .map(text)
            .unwrap_or_default();
        let n: Vec<u32> = said.split(' ').filter_map(|w| w.parse().ok()).collect();
        (
            n.first().copied().unwrap_or(0),
            n.get(1).copied().unwrap_or(0),
        )
    };
    let (_, last) = pages(&root);
    assert!(last > 1, "more than one page of demo data");
    let is_focused = |b: &web_sys::HtmlElement| focused().is_some_and(|f| f.is_same_node(Some(b)));
    for (name, towards) in [("Next page", last), ("Previous page", 1)] {
        let pager = button(&root, name);
        pager.focus().unwrap();
        for _ in 0..last {
            if pages(&root).0 == towards {
                break;
            }
            let (before, codes) = (pages(&root).0, first_column(&root));
            pager.click();
            // The page number changes at once, its rows when they arrive.
            wait_for(&root, "the next page", |r| {
                let shown = first_column(r);
                pages(r).0 != before && !shown.is_empty() && shown != codes
            })
            .await;
        }
        assert_eq!(pages(&root).0, towards);
        assert_eq!(
            pager.get_attribute("aria-disabled").as_deref(),
            Some("true")
        );
        pager.click();
        gloo_timers::future::TimeoutFuture::new(100).await;
        assert_eq!(pages(&root).0, towards, "{name} at the end goes nowhere");
        assert!(is_focused(&pager), "the focus stays on {name}");
    }

    tick(&root, "Select all on this page");
    wait_for(&root, "the bulk bar", |r| text(r).contains("25 selected")).await;
    press_button(&root, "Clear selection");
    wait_for(&root, "the bar gone", |r| all(r, ".wd-bulk").is_empty()).await;
    let select_all = root
        .query_selector("input[aria-label='Select all on this page']")
        .unwrap()
        .unwrap();
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(&select_all))),
        "the focus goes to where codes are selected, not to the page: {:?}",
        focused().map(|f| f.tag_name())
    );
}

#[wasm_bindgen_test]
async fn the_table_pages_sorts_searches_and_opens_a_code() {
    let admin = admin_client().await;
    let total = desk_count(&admin).await;
    assert!(total > 25, "more than a page of demo data: {total}");
    let root = console_as(desk(), "viewer@example.com").await;
    wait_for(&root, "the first page", |r| rows(r).len() == 25).await;
    assert_eq!(
        text(&all(&root, "[role=status]")[0]),
        format!("{total} codes")
    );
    let pages = (total + 24) / 25;
    assert!(text(&root).contains(&format!("Page 1 of {pages}")));

    // Larger pages, up to the API's 1000.
    choose(&root, "Rows per page", "50");
    wait_for(&root, "pages of 50", |r| {
        rows(r).len() == (total as usize).min(50)
            && text(r).contains(&format!("Page 1 of {}", (total + 49) / 50))
    })
    .await;
    choose(&root, "Rows per page", "25");
    wait_for(&root, "pages of 25 again", |r| rows(r).len() == 25).await;

    button(&root, "Next page").click();
    wait_for(&root, "page 2", |r| {
        text(r).contains(&format!("Page 2 of {pages}"))
    })
    .await;

    // Sorting by a column: its header says so, and the rows follow.
    sort_by(&root, "Code");
    wait_for(&root, "sorted by code", |r| {
        all(r, "th[aria-sort=ascending]").len() == 1
            && text(r).contains(&format!("Page 1 of {pages}"))
    })
    .await;
    wait_for(&root, "sorted rows", |r| {
        let codes = first_column(r);
        !codes.is_empty()
            && codes
                .windows(2)
                .all(|w| w[0].to_lowercase() <= w[1].to_lowercase())
    })
    .await;
    let ascending = first_column(&root);
    sort_by(&root, "Code");
    wait_for(&root, "sorted the other way", |r| {
        all(r, "th[aria-sort=descending]").len() == 1
    })
    .await;
    // The rows follow: not the ascending page left as it was, but the codes from the other end.
    wait_for(&root, "rows sorted the other way", |r| {
        let codes = first_column(r);
        !codes.is_empty()
            && codes != ascending
            && codes
                .windows(2)
                .all(|w| w[0].to_lowercase() >= w[1].to_lowercase())
    })
    .await;

    // Searching by code, then by a word of a description.
    let known = admin.list(&ListQuery::new().size(1)).await.unwrap().records[0].clone();
    type_into(&root, "Search", &known.access_code);
    let searched = |r: &Element| text(&all(r, "[role=status]")[0]).contains("match");
    wait_for(&root, "the search results", searched).await;
    assert!(first_column(&root).contains(&known.access_code));
    let wanted = known.access_code.to_lowercase();
    for row in rows(&root) {
        let shown = text(&row).replace(' ', "").to_lowercase();
        assert!(shown.contains(&wanted), "{shown} does not contain {wanted}");
    }
    type_into(&root, "Search", "Lovelace");
    wait_for(&root, "descriptions found", |r| {
        let shown = rows(r);
        searched(r) && !shown.is_empty() && shown.iter().all(|row| text(row).contains("Lovelace"))
    })
    .await;
    // A code typed as a visitor reads it out: lower case, with spaces and a dash.
    let mut spoken = known.access_code.to_lowercase();
    spoken.insert_str(2, " - ");
    type_into(&root, "Search", &spoken);
    wait_for(&root, "the code, however typed", |r| {
        searched(r) && first_column(r) == [known.access_code.clone()]
    })
    .await;

    // A code opens its detail.
    open_first_code(&root).await;
    button(&root, "Back to list").click();
    wait_for(&root, "the list again", |r| !rows(r).is_empty()).await;
}

#[wasm_bindgen_test]
async fn exports_every_page_as_csv() {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;

    let total = desk_count(&admin_client().await).await;
    // Catch the file the widget offers instead of letting the browser save it.
    let window = web_sys::window().unwrap();
    let url = js_sys::Reflect::get(&window, &"URL".into()).unwrap();
    let original = js_sys::Reflect::get(&url, &"createObjectURL".into()).unwrap();
    let caught: Rc<RefCell<Option<web_sys::Blob>>> = Rc::default();
    let keep = caught.clone();
    let catcher = Closure::<dyn FnMut(web_sys::Blob) -> JsValue>::new(move |blob| {
        *keep.borrow_mut() = Some(blob);
        JsValue::from_str("blob:caught-by-test")
    });
    js_sys::Reflect::set(&url, &"createObjectURL".into(), catcher.as_ref()).unwrap();

    let root = console_as(desk(), "viewer@example.com").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    button(&root, "Export CSV").click();
    wait_for(&root, "the export", |r| text(r).contains("Exported ")).await;
    js_sys::Reflect::set(&url, &"createObjectURL".into(), &original).unwrap();
    assert!(
        text(&root).contains(&format!("Exported {total} codes to wifi-desk-codes-")),
        "{}",
        text(&root)
    );

    let blob = caught.borrow_mut().take().expect("a file was offered");
    assert!(blob.type_().starts_with("text/csv"));
    let bytes = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .unwrap();
    let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
    assert_eq!(
        bytes[..3],
        [0xEF, 0xBB, 0xBF],
        "marked as UTF-8 for spreadsheets"
    );
    let content = wasm_bindgen_futures::JsFuture::from(blob.text())
        .await
        .unwrap()
        .as_string()
        .unwrap();
    let mut reader = csv::Reader::from_reader(content.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "Code");
    assert_eq!(
        reader.records().count() as i64,
        total,
        "every page, one row per code"
    );
}

/// Firefox reads a download's file after the click that saves it has returned: the file must still
/// be there then (a URL revoked at once saves nothing there).
#[wasm_bindgen_test]
async fn an_exported_file_is_still_there_after_the_click_that_saves_it() {
    let window = web_sys::window().unwrap();
    let anchor = js_sys::Reflect::get(&window, &"HTMLAnchorElement".into()).unwrap();
    let prototype = js_sys::Reflect::get(&anchor, &"prototype".into()).unwrap();
    // The link's click records where it points instead of saving the file.
    let record = js_sys::Function::new_no_args("window.wdSaved = this.href;");
    js_sys::Reflect::set(&prototype, &"click".into(), &record).unwrap();

    let root = console_as(desk(), "viewer@example.com").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    button(&root, "Export CSV").click();
    wait_for(&root, "the export", |r| text(r).contains("Exported ")).await;
    js_sys::Reflect::delete_property(prototype.unchecked_ref::<js_sys::Object>(), &"click".into())
        .unwrap();

    let saved = js_sys::Reflect::get(&window, &"wdSaved".into())
        .unwrap()
        .as_string()
        .expect("the link was clicked");
    let read = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(&saved)).await;
    let response: web_sys::Response = read.expect("the file is still there").unchecked_into();
    let content = wasm_bindgen_futures::JsFuture::from(response.text().unwrap())
        .await
        .unwrap()
        .as_string()
        .unwrap();
    // (`text()` drops the byte order mark, as UTF-8 decoding does.)
    assert!(
        content.trim_start_matches('\u{FEFF}').starts_with("Code,"),
        "{content:.40}"
    );
}

#[wasm_bindgen_test]
async fn a_missing_role_disables_its_actions_with_the_reason() {
    let root = console_as(desk(), "reception@example.com").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    open_first_code(&root).await;
    revoke_and_confirm(&root).await;
    wait_for(&root, "the refusal", |r| {
        text(r).contains("AccessToken-Delete role needed")
    })
    .await;

    let revoke: web_sys::HtmlButtonElement = button(&root, "Revoke").unchecked_into();
    assert!(revoke.disabled(), "not left to fail again");
    let reason = "Needs the AccessToken-Delete role, which this account does not have.";
    assert_eq!(revoke.title(), reason);
    assert!(
        text(&all(&root, ".wd-detail .wd-reasons")[0]).contains(reason),
        "the reason is on screen"
    );
    let top_up: web_sys::HtmlButtonElement = button(&root, "Top up 60 minutes").unchecked_into();
    assert!(!top_up.disabled(), "the receptionist may still edit");

    // The role was missing for that account, not for whoever signs in next at this desk.
    button(&root, "Sign out").click();
    wait_for(&root, "the sign-in form", |r| input(r, "Email").is_some()).await;
    sign_in(&root, "admin@example.com", "wifi-desk").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    open_first_code(&root).await;
    let revoke: web_sys::HtmlButtonElement = button(&root, "Revoke").unchecked_into();
    assert!(!revoke.disabled(), "admin may revoke");
    button(&root, "Back to list").click();
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    assert!(
        !text(&root).contains(reason),
        "no reason left from the last account: {}",
        text(&root)
    );
}

#[wasm_bindgen_test]
async fn a_role_found_missing_by_a_quick_action_keeps_the_focus_off_the_body() {
    let root = console_as(desk(), "viewer@example.com").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    open_first_code(&root).await;
    press_button(&root, "+1 hour");
    wait_for(&root, "the refusal", |r| {
        text(r).contains("AccessToken-Edit role needed")
    })
    .await;
    // The button pressed is disabled now: the focus goes to the code's heading, beside the
    // sentence, not to the page's body.
    wait_for(&root, "the focus on the heading", |_| {
        focused().is_some_and(|f| f.id() == "wd-detail-title")
    })
    .await;
}

#[wasm_bindgen_test]
async fn keeping_a_code_gives_the_focus_back_to_revoke() {
    let root = console_as(desk(), "admin@example.com").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    open_first_code(&root).await;
    button(&root, "Revoke").click();
    wait_for(&root, "the confirmation", |r| {
        !all(r, "[role=alertdialog]").is_empty()
    })
    .await;
    let focused = || focused().and_then(|e| e.text_content()).unwrap_or_default();
    wait_for(&root, "the focus on Keep it", |_| focused() == "Keep it").await;
    let dialog = all(&root, "[role=alertdialog]").remove(0);
    assert!(
        dialog.matches(":modal").unwrap(),
        "a modal dialog: Tab cannot leave it, and what is behind it is inert"
    );
    button(&root, "Keep it").click();
    wait_for(&root, "the dialog to close", |r| {
        all(r, "[role=alertdialog]").is_empty()
    })
    .await;
    assert_eq!(focused(), "Revoke", "the focus is back where it was");
}

#[wasm_bindgen_test]
async fn roles_the_host_declares_disable_actions_before_any_refusal() {
    let options = desk().with_roles(["AccessToken-List", "AccessToken-Read", "AccessToken-Edit"]);
    // The account could do everything; the desk is set up for less, and says so up front.
    let root = console_as(options, "admin@example.com").await;
    let reason = |role: &str| format!("Needs the {role} role, which this account does not have.");
    let issue: web_sys::HtmlButtonElement = button(&root, "Issue code").unchecked_into();
    assert!(issue.disabled());
    assert_eq!(issue.title(), reason("AccessToken-Create"));
    // On screen too: a disabled button cannot be focused, so its title reaches no keyboard.
    assert_eq!(
        text(&all(&root, ".wd-console > .wd-reasons")[0]),
        reason("AccessToken-Create")
    );
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    open_first_code(&root).await;
    let revoke: web_sys::HtmlButtonElement = button(&root, "Revoke").unchecked_into();
    assert!(revoke.disabled(), "disabled before anything was refused");
    assert!(text(&all(&root, ".wd-detail .wd-reasons")[0]).contains(&reason("AccessToken-Delete")));
    // Its key says why too, where a keyboard hears it.
    press(&all(&root, ".wd-detail h2")[0], "r");
    wait_for(&root, "why not", |r| {
        announced(r) == reason("AccessToken-Delete")
    })
    .await;
    let top_up: web_sys::HtmlButtonElement = button(&root, "Top up 60 minutes").unchecked_into();
    assert!(!top_up.disabled(), "a declared role's action stays enabled");
}

/// A sort is said as it changes, column and direction.
#[wasm_bindgen_test]
async fn a_sort_is_said() {
    let root = console_as(desk(), "reception@example.com").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    let said = |r: &Element| text(&all(r, ".wd-sorted-said")[0]);
    sort_by(&root, "Valid to");
    wait_for(&root, "the sort said", |r| {
        said(r) == "Sorted by Valid to, ascending."
    })
    .await;
    sort_by(&root, "Valid to");
    wait_for(&root, "the sort said", |r| {
        said(r) == "Sorted by Valid to, descending."
    })
    .await;
    let region = all(&root, ".wd-sorted-said").remove(0);
    assert_eq!(region.get_attribute("aria-live").as_deref(), Some("polite"));
}

#[wasm_bindgen_test]
async fn on_the_list_slash_goes_to_search_and_n_issues_a_code() {
    let root = console_as(desk(), "reception@example.com").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    let code_button: web_sys::HtmlElement = rows(&root)[0]
        .query_selector("th button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let search = input(&root, "Search").unwrap();
    let on_search = || focused().and_then(|e| e.get_attribute("name")).as_deref() == Some("search");
    // Typed into Search, the keys are text. The view is redrawn after the handler returns: give a
    // wrong redraw the time to happen.
    search.focus().unwrap();
    press(&search, "n");
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert!(
        input(&root, "Access code").is_none(),
        "typing n in Search does not issue"
    );
    // From elsewhere on the list, "/" takes the focus to Search.
    code_button.focus().unwrap();
    assert!(!on_search(), "the focus starts away from Search");
    press(&code_button, "/");
    assert!(
        on_search(),
        "/ goes to Search: the focus is on {:?}",
        focused().map(|e| e.outer_html())
    );
    // A row's checkbox takes no text: "/" pressed on it is the shortcut too.
    let pick = rows(&root)[0]
        .query_selector("input[type=checkbox]")
        .unwrap()
        .unwrap();
    pick.unchecked_ref::<web_sys::HtmlElement>()
        .focus()
        .unwrap();
    press(&pick, "/");
    assert!(
        on_search(),
        "/ from a checkbox goes to Search: the focus is on {:?}",
        focused().map(|e| e.outer_html())
    );
    press(&code_button, "n");
    wait_for(&root, "the issue form", |r| {
        input(r, "Access code").is_some()
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_host_page_can_turn_single_key_shortcuts_off() {
    let root = console_as(desk().without_shortcuts(), "admin@example.com").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    assert!(
        all(&root, "[aria-keyshortcuts]").is_empty(),
        "no key announced"
    );
    let code_button: web_sys::HtmlElement = rows(&root)[0]
        .query_selector("th button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    code_button.focus().unwrap();
    press(&code_button, "/");
    press(&code_button, "n");
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert!(input(&root, "Access code").is_none(), "n does not issue");
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(&code_button))),
        "/ leaves the focus where it is"
    );
    open_first_code(&root).await;
    assert!(all(&root, "[aria-keyshortcuts]").is_empty());
    let heading = all(&root, "#wd-detail-title")[0].clone();
    heading
        .unchecked_ref::<web_sys::HtmlElement>()
        .focus()
        .unwrap();
    for key in ["s", "r", "e"] {
        press(&heading, key);
    }
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert!(all(&root, ".wd-phonetic").is_empty(), "s does not spell");
    assert!(
        all(&root, "[role=alertdialog]").is_empty(),
        "r does not ask"
    );
    assert!(input(&root, "Description").is_none(), "e does not edit");
}

#[wasm_bindgen_test]
async fn on_a_code_p_prints_s_spells_r_asks_to_revoke_and_e_edits() {
    let root = console_as(desk(), "admin@example.com").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    open_first_code(&root).await;
    let heading = all(&root, "#wd-detail-title")[0].clone();
    let shortcut = |name: &str| button(&root, name).get_attribute("aria-keyshortcuts");
    assert_eq!(shortcut("Print voucher").as_deref(), Some("p"));
    assert_eq!(shortcut("Spell it out").as_deref(), Some("s"));
    assert_eq!(shortcut("Revoke").as_deref(), Some("r"));
    assert_eq!(shortcut("Edit").as_deref(), Some("e"));

    press(&heading, "s");
    wait_for(&root, "the spelling", |r| {
        !all(r, ".wd-phonetic").is_empty()
    })
    .await;
    // Said, with the focus still on the heading: the spelling is drawn away from it.
    let spelling = text(&all(&root, ".wd-phonetic")[0]);
    wait_for(&root, "the spelling said", |r| {
        all(r, ".wd-detail [role=status]")
            .first()
            .is_some_and(|m| text(m) == spelling)
    })
    .await;
    // Turned off, it is gone from there too; and on again.
    press(&heading, "s");
    wait_for(&root, "the spelling gone", |r| {
        all(r, ".wd-phonetic").is_empty()
            && all(r, ".wd-detail [role=status]")
                .first()
                .is_some_and(|m| text(m).is_empty())
    })
    .await;
    press(&heading, "s");
    wait_for(&root, "the spelling again", |r| {
        !all(r, ".wd-phonetic").is_empty()
    })
    .await;
    // With a modifier the key is the browser's, not the widget's.
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("s");
    init.set_ctrl_key(true);
    init.set_bubbles(true);
    let ctrl_s =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    heading.dispatch_event(&ctrl_s).unwrap();
    // So is a key held down: its repeats do not toggle the spelling on and off.
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("s");
    init.set_repeat(true);
    init.set_bubbles(true);
    let held = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    heading.dispatch_event(&held).unwrap();
    // The view is redrawn after the handler returns: give a wrong redraw the time to happen.
    gloo_timers::future::TimeoutFuture::new(100).await;
    assert!(
        !all(&root, ".wd-phonetic").is_empty(),
        "Ctrl+S and a held S left alone"
    );

    let caught = catch_print(&root);
    press(&heading, "p");
    let frame = printed_frame(caught, "p").await;
    let printed = text(&frame.content_document().unwrap().body().unwrap());
    let name = qr_name(&root);
    let grouped = name.rsplit("access code ").next().unwrap();
    assert!(printed.contains(grouped), "{grouped} in {printed}");

    press(&heading, "r");
    wait_for(&root, "the confirmation", |r| {
        !all(r, "[role=alertdialog]").is_empty()
    })
    .await;
    // Inside the dialog only Escape counts: "e" does not leave it for the edit form.
    press(&focused().expect("the dialog's choice"), "e");
    gloo_timers::future::TimeoutFuture::new(100).await;
    assert!(input(&root, "Description").is_none());
    assert!(!all(&root, "[role=alertdialog]").is_empty());
    press(&focused().expect("the dialog's choice"), "Escape");
    wait_for(&root, "the dialog closed", |r| {
        all(r, "[role=alertdialog]").is_empty()
    })
    .await;

    press(&heading, "e");
    wait_for(&root, "the edit form", |r| {
        input(r, "Description").is_some()
    })
    .await;
}

/// A key pressed in the header bar (Sign out, Issue code) is the view's: Escape goes back, and
/// the code's keys act on the code, as if pressed in the view.
#[wasm_bindgen_test]
async fn keys_pressed_in_the_header_bar_are_the_views() {
    let root = console_as(desk(), "reception@example.com").await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    open_first_code(&root).await;
    press(&button(&root, "Sign out"), "e");
    wait_for(&root, "the edit form", |r| {
        input(r, "Description").is_some()
    })
    .await;
    press(&button(&root, "Issue code"), "Escape");
    wait_for(&root, "back on the code", |r| {
        input(r, "Description").is_none() && !qr_name(r).is_empty()
    })
    .await;
    press(&button(&root, "Sign out"), "Escape");
    wait_for(&root, "the list", |r| input(r, "Search").is_some()).await;
    assert!(
        !all(&root, ".wd-bar").is_empty(),
        "still signed in, on the list"
    );
}

#[wasm_bindgen_test]
async fn keys_for_what_a_role_may_not_do_do_nothing() {
    let root = console_as(
        desk().with_roles(["AccessToken-List", "AccessToken-Read"]),
        "viewer@example.com",
    )
    .await;
    wait_for(&root, "the list", |r| !rows(r).is_empty()).await;
    open_first_code(&root).await;
    let heading = all(&root, "#wd-detail-title")[0].clone();
    press(&heading, "r");
    press(&heading, "e");
    gloo_timers::future::TimeoutFuture::new(100).await;
    assert!(
        all(&root, "[role=alertdialog]").is_empty(),
        "no revoke without AccessToken-Delete"
    );
    assert!(
        input(&root, "Description").is_none(),
        "no edit without AccessToken-Edit"
    );
    assert!(!qr_name(&root).is_empty(), "still on the code");
}
