//! The list of codes: paged, sorted by any column, searched by code or description; each row opens
//! the code's detail. Rows are keyed by id, so a changed row does not redraw the table.

use leptos::prelude::*;

use super::{clock, focus_when_shown, ClientContext, Tasks};
use crate::api::{AccessToken, ApiError, Field, ListQuery, SortDirection};
use crate::domain::status::Status;
use crate::domain::{export, reading};

/// How recent a connection makes a code "in use now".
const IN_USE_MINUTES: i64 = 15;

/// Rows per page.
const PAGE_SIZE: u32 = 25;

/// A page of codes, or search results.
#[derive(Clone, Debug, Default, PartialEq)]
struct Rows {
    records: Vec<AccessToken>,
    total: i64,
    pages: i64,
    /// The search these rows answer, so the status line never describes rows it does not show.
    search: String,
}

/// The table of access codes.
#[component]
pub fn TokenTable(
    /// Called with a code's id to open its detail.
    on_open: Callback<i64>,
) -> impl IntoView {
    let desk = ClientContext::handle();
    let tasks = Tasks::owned();
    let page = RwSignal::new(1u32);
    let order = RwSignal::new((Field::Id, SortDirection::Descending));
    let search = RwSignal::new(String::new());
    let rows = RwSignal::new(None::<Result<Rows, ApiError>>);
    let exported = RwSignal::new(None::<String>);
    let exporting = RwSignal::new(false);
    // Each load gets a number; only the newest may fill the table, so a slow old answer never
    // overwrites a newer one.
    let generation = StoredValue::new(0u64);

    Effect::new(move |_| {
        let (page, order, search) = (page.get(), order.get(), search.get());
        let this = generation.get_value() + 1;
        generation.set_value(this);
        tasks.spawn(async move {
            let result = load(desk.client(), page, order, search.trim()).await;
            if generation.get_value() == this {
                rows.set(Some(result));
            }
        });
    });

    let search_input = NodeRef::<leptos::html::Input>::new();
    // The list is where the desk starts: the cursor waits in Search.
    focus_when_shown(search_input);
    let group = desk.options().code_style.group();
    let header = move |label: &'static str, field: Field| {
        let sort = move || match order.get() {
            (f, SortDirection::Ascending) if f == field => "ascending",
            (f, SortDirection::Descending) if f == field => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=sort>
                <button type="button" class="wd-sort" on:click=move |_| {
                    order.update(|(f, d)| {
                        *d = if *f == field && *d == SortDirection::Ascending { SortDirection::Descending } else { SortDirection::Ascending };
                        *f = field;
                    });
                    page.set(1);
                }>{label}</button>
            </th>
        }
    };

    view! {
        <section class="wd-list" aria-labelledby="wd-list-title">
            <h2 id="wd-list-title">"Access codes"</h2>
            <div class="wd-field wd-search">
                <label for="wd-search">"Search"</label>
                <input id="wd-search" name="search" type="search" node_ref=search_input placeholder="Code or description"
                    prop:value=move || search.get()
                    on:input=move |ev| {
                        search.set(event_target_value(&ev));
                        page.set(1);
                    } />
            </div>
            <p class="wd-count" role="status" aria-live="polite">{move || match rows.get() {
                None => "Loading codes…".to_owned(),
                Some(Err(e)) => e.to_string(),
                Some(Ok(r)) if !r.search.is_empty() => count("match", "matches", r.total),
                Some(Ok(r)) => count("code", "codes", r.total),
            }}</p>
            <div class="wd-actions">
                <button type="button" aria-disabled=move || exporting.get().to_string() on:click=move |_| {
                    if exporting.get_untracked() {
                        return;
                    }
                    exporting.set(true);
                    exported.set(Some("Exporting…".into()));
                    let (order, search) = (order.get_untracked(), search.get_untracked());
                    tasks.spawn(async move {
                        let outcome = export_all(desk.client(), order, search.trim()).await;
                        exported.set(Some(outcome.unwrap_or_else(|e| e)));
                        exporting.set(false);
                    });
                }>"Export CSV"</button>
                <p class="wd-message" role="status" aria-live="polite">{move || exported.get()}</p>
            </div>
            <table class="wd-table">
                <thead>
                    <tr>
                        {header("Code", Field::AccessCode)}
                        {header("Description", Field::Description)}
                        {header("Minutes left", Field::MinutesLeft)}
                        {header("Valid from", Field::ValidFrom)}
                        {header("Valid to", Field::ValidTo)}
                        {header("Devices", Field::UserLimit)}
                        {header("Last access", Field::LastAccess)}
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || rows.with(|r| match r { Some(Ok(r)) => r.records.clone(), _ => Vec::new() })
                        key=|t| (t.id, t.updated_on)
                        children=move |t| view! { <Row token=t group on_open /> }
                    />
                </tbody>
            </table>
            <nav class="wd-pages" aria-label="Pages">
                <button type="button" disabled=move || page.get() <= 1 on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>
                    "Previous page"
                </button>
                <span>{move || rows.with(|r| match r {
                    Some(Ok(r)) if r.pages > 0 => format!("Page {} of {}", page.get(), r.pages),
                    _ => String::new(),
                })}</span>
                <button type="button"
                    disabled=move || rows.with(|r| !matches!(r, Some(Ok(r)) if i64::from(page.get()) < r.pages))
                    on:click=move |_| page.update(|p| *p += 1)>
                    "Next page"
                </button>
            </nav>
        </section>
    }
}

/// One row; Enter or a click on the code opens the detail.
#[component]
fn Row(token: AccessToken, group: usize, on_open: Callback<i64>) -> impl IntoView {
    let now = clock::now();
    let status = Status::of(&token, now);
    let id = token.id;
    let grouped = reading::grouped(&token.access_code, group);
    let when = |w: Option<wifi_desk_wire::WallClock>, none: &'static str| {
        w.map(|w| clock::show_short(w.local()))
            .unwrap_or_else(|| none.to_owned())
    };
    let last = match token.last_access.map(|w| w.local()) {
        Some(at) if (now - at).num_minutes() < IN_USE_MINUTES => "In use now".to_owned(),
        other => when(other.map(wifi_desk_wire::WallClock::new), "Never"),
    };
    let metered = token.minutes_included > 0;
    view! {
        <tr class=format!("wd-row wd-status-{}", status.as_str())>
            <th scope="row">
                <button type="button" class="wd-code-link" on:click=move |_| on_open.run(id)>{grouped}</button>
            </th>
            <td>{token.description.clone().unwrap_or_default()}</td>
            <td>
                {metered.then(|| view! {
                    <progress max=token.minutes_included value=token.minutes_left.max(0) aria-hidden="true"></progress>
                })}
                {if metered { format!(" {} of {}", token.minutes_left, token.minutes_included) } else { "No limit".to_owned() }}
            </td>
            <td>{when(token.valid_from, "—")}</td>
            <td>{when(token.valid_to, "Until used up")}</td>
            <td>{token.devices()}</td>
            <td>{last}</td>
            <td><span aria-hidden="true">{status.icon()}</span>" "{status.label()}</td>
        </tr>
    }
}

/// Every code the list shows (all pages, or the search results) as a CSV download; a sentence
/// saying what happened either way.
async fn export_all(
    client: crate::api::Client,
    order: (Field, SortDirection),
    search: &str,
) -> Result<String, String> {
    let mut records = Vec::new();
    if search.is_empty() {
        for page in 1.. {
            let query = ListQuery::new()
                .page(page)
                .size(1000)
                .order_by(order.0, order.1);
            let p = client.list(&query).await.map_err(|e| e.to_string())?;
            records.extend(p.records);
            if !p.has_next_page {
                break;
            }
        }
    } else {
        records = load(client, 1, order, search)
            .await
            .map_err(|e| e.to_string())?
            .records;
    }
    let now = clock::now();
    let text = export::to_csv(&records, now)?;
    let name = export::file_name(now);
    super::download::download(&name, &text, "text/csv;charset=utf-8")?;
    Ok(format!(
        "Exported {} to {name}.",
        count("code", "codes", records.len() as i64)
    ))
}

fn count(one: &str, many: &str, n: i64) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A page in the chosen order; with a search, the codes whose code or description contains it
/// (two requests, merged: the API's filters are joined with AND).
async fn load(
    client: crate::api::Client,
    page: u32,
    (field, dir): (Field, SortDirection),
    search: &str,
) -> Result<Rows, ApiError> {
    let query = ListQuery::new()
        .page(page)
        .size(PAGE_SIZE)
        .order_by(field, dir);
    if search.is_empty() {
        let p = client.list(&query).await?;
        return Ok(Rows {
            records: p.records,
            total: p.total_items,
            pages: p.total_pages,
            search: String::new(),
        });
    }
    let by_code = query.clone().page(1).filter(Field::AccessCode, search);
    let by_text = query.page(1).filter(Field::Description, search);
    let (codes, texts) = futures::join!(client.list(&by_code), client.list(&by_text));
    let mut records = codes?.records;
    for t in texts?.records {
        if !records.iter().any(|r| r.id == t.id) {
            records.push(t);
        }
    }
    let total = records.len() as i64;
    Ok(Rows {
        records,
        total,
        pages: 1,
        search: search.to_owned(),
    })
}
