//! The list of codes: paged, sorted by any column, searched by code or description, filtered by
//! status and validity dates; rows can be selected for the bulk bar, and each opens its detail.
//! Rows are keyed by id, so a changed row does not redraw the table.

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use leptos::prelude::*;

use super::{clock, focus_when_shown, BulkBar, ClientContext, Tasks};
use crate::api::{AccessToken, ApiError, Client, Field, ListQuery, SortDirection};
use crate::domain::filter::{self, DateWindow, SortKey, StatusFilter};
use crate::domain::status::{self, Status};
use crate::domain::{code, export, reading};

/// Rows per page to choose from; the first is the default, the last the API's largest page.
const PAGE_SIZES: [u32; 6] = [25, 50, 100, 250, 500, 1000];

/// Pages of 1000 read per query when a filter must look at every candidate.
const MAX_PAGES: u32 = 50;

/// Codes read for one query at most, in words.
const READ_AT_MOST: &str = "50 pages of 1000 codes";

/// Every code a listing holds, or as many as [`MAX_PAGES`] pages of each query hold.
#[derive(Clone, Debug, PartialEq)]
struct Matching {
    records: Vec<AccessToken>,
    /// Some query had pages left unread: there may be more matches than `records`.
    cut: bool,
    /// When the reading began, on the business's wall clock: what the statuses were judged at.
    read_at: NaiveDateTime,
}

/// The codes picked for the bulk bar, by id.
pub type Selection = RwSignal<BTreeMap<i64, AccessToken>>;

/// What the receptionist chose on the list: its page, size, order, search, filters and selection,
/// and the code last opened. Held by the console, so going to a code and back finds the list as
/// it was left, with the focus on that code.
#[derive(Clone, Copy)]
pub struct ListState {
    page: RwSignal<u32>,
    size: RwSignal<u32>,
    order: RwSignal<(SortKey, SortDirection)>,
    search: RwSignal<String>,
    status: RwSignal<Option<StatusFilter>>,
    dates: RwSignal<DateWindow>,
    selection: Selection,
    opened: RwSignal<Option<Left>>,
}

/// What the list was left by, for the focus to return to.
#[derive(Clone, Copy)]
enum Left {
    /// A code's link: the code was opened.
    Code(i64),
    /// The bulk bar's Print vouchers: the selection's sheet was shown.
    Vouchers,
}

impl ListState {
    /// Takes the code `id` out of the selection: it is gone.
    pub fn forget(self, id: i64) {
        self.selection.update(|s| {
            s.remove(&id);
        });
    }

    /// The list as it first opens: page 1 of 25, newest first, nothing searched or selected.
    pub fn new() -> Self {
        Self {
            page: RwSignal::new(1),
            size: RwSignal::new(PAGE_SIZES[0]),
            order: RwSignal::new((SortKey::Field(Field::Id), SortDirection::Descending)),
            search: RwSignal::new(String::new()),
            status: RwSignal::new(None),
            dates: RwSignal::new(DateWindow::default()),
            selection: RwSignal::new(BTreeMap::new()),
            opened: RwSignal::new(None),
        }
    }
}

impl Default for ListState {
    fn default() -> Self {
        Self::new()
    }
}

/// What the list shows.
#[derive(Clone, Debug, PartialEq)]
struct Listing {
    page: u32,
    size: u32,
    order: (SortKey, SortDirection),
    search: String,
    status: Option<StatusFilter>,
    dates: DateWindow,
}

impl Listing {
    /// Whether the API can page this listing itself: no search (two queries merged) and no status
    /// (checked here, record by record).
    fn server_paged(&self) -> bool {
        self.search.trim().is_empty() && self.status.is_none()
    }

    /// The same listing on its first page: what a set of matches is cached under.
    fn unpaged(&self) -> Self {
        Self {
            page: 1,
            ..self.clone()
        }
    }
}

/// A page of codes, or of the codes that match the filters.
#[derive(Clone, Debug, PartialEq)]
struct Rows {
    records: Vec<AccessToken>,
    total: i64,
    pages: i64,
    /// Matches found among the first [`MAX_PAGES`] pages only.
    cut: bool,
    /// The listing these rows answer, so the status line never describes rows it does not show.
    listing: Listing,
    /// When they were read (the reading began), on the business's wall clock: what their
    /// statuses were judged at.
    read_at: NaiveDateTime,
    /// When the reading was done.
    arrived_at: NaiveDateTime,
}

/// The table of access codes.
#[component]
pub fn TokenTable(
    /// Called with a code's id to open its detail.
    on_open: Callback<i64>,
    /// Called with the selected codes to print their vouchers on one sheet.
    on_print: Callback<Vec<AccessToken>>,
    /// What was chosen on the list, kept while the console shows something else.
    #[prop(optional)]
    state: ListState,
) -> impl IntoView {
    let desk = ClientContext::handle();
    // Single-key shortcuts, unless the host page turned them off: a control without
    // `aria-keyshortcuts` has none (`field::shortcut`).
    let keys = desk.options().shortcuts;
    let tasks = Tasks::owned();
    let ListState {
        page,
        size,
        order,
        search,
        status,
        dates,
        selection,
        opened,
    } = state;
    let on_open = Callback::new(move |id: i64| {
        opened.set(Some(Left::Code(id)));
        on_open.run(id);
    });
    let on_print = Callback::new(move |tokens: Vec<AccessToken>| {
        opened.set(Some(Left::Vouchers));
        on_print.run(tokens);
    });
    let reload = RwSignal::new(0u32);
    let rows = RwSignal::new(None::<Result<Rows, ApiError>>);
    // Try again pressed, and its answer not come yet.
    let retrying = RwSignal::new(false);
    let exported = RwSignal::new(None::<String>);
    let exporting = RwSignal::new(false);
    // Each load gets a number; only the newest may fill the table, so a slow old answer never
    // overwrites a newer one.
    let generation = StoredValue::new(0u64);
    // Every match of the current filters, so turning pages does not ask again.
    let matches = StoredValue::new(None::<(Listing, Matching)>);

    let listing = move || Listing {
        page: page.get(),
        size: size.get(),
        order: order.get(),
        search: search.get().trim().to_owned(),
        status: status.get(),
        dates: dates.get(),
    };
    // The load under way: a newer one aborts it.
    let loading = StoredValue::new(None);
    Effect::new(move |searched: Option<String>| {
        reload.track();
        let listing = listing();
        let asked = listing.page;
        let this = generation.get_value() + 1;
        generation.set_value(this);
        // While a search is being typed, each key waits a moment for the next: only what was
        // typed last is asked for.
        let typing = searched.is_some_and(|s| s != listing.search);
        let search = listing.search.clone();
        tasks.spawn_instead(loading, async move {
            if typing {
                gloo_timers::future::TimeoutFuture::new(SEARCH_PAUSE_MS).await;
            }
            let result = load(desk, listing, matches).await;
            if let Err(e) = &result {
                desk.learn(e);
            }
            if generation.get_value() != this {
                return;
            }
            // Past the end (the last page's codes revoked, say): the last page there is.
            let last = match &result {
                Ok(found) => u32::try_from(found.pages.max(1)).unwrap_or(u32::MAX),
                Err(_) => asked,
            };
            if asked > last {
                page.set(last);
            } else {
                // Selected codes read again are acted on as they are now: a code changed since
                // it was ticked is confirmed, revoked and printed under its new values.
                if let Ok(found) = &result {
                    let stale = selection.with_untracked(|s| {
                        found
                            .records
                            .iter()
                            .any(|t| s.get(&t.id).is_some_and(|was| was != t))
                    });
                    if stale {
                        selection.update(|s| {
                            for t in &found.records {
                                if let Some(was) = s.get_mut(&t.id) {
                                    was.clone_from(t);
                                }
                            }
                        });
                    }
                }
                rows.set(Some(result));
                retrying.try_set(false);
            }
        });
        search
    });
    let has_previous = move || page.get() > 1;
    let has_next =
        move || rows.with(|r| matches!(r, Some(Ok(r)) if i64::from(page.get()) < r.pages));
    let select_all = NodeRef::<leptos::html::Input>::new();
    let refresh = Callback::new(move |()| {
        matches.set_value(None);
        reload.update(|n| *n += 1);
    });
    desk.when_taken_again(move || {
        if rows.with_untracked(|r| matches!(r, Some(Err(ApiError::SignedOut)))) {
            refresh.run(());
        }
    });
    // A filter change starts again on page 1.
    let first_page = move || page.set(1);
    // With a status filter, what it keeps changes with the clock: a code shown moves on (expiring
    // soon to expired) and others come in. Sorted by status, codes change places as they move on.
    // The list is read again once a code shown changes, and at least every minute; not while the
    // focus is on a row, which could go from under it, nor while the page is hidden (a tab in the
    // background would read the whole account every minute for no one): it is read as it comes
    // back.
    let recheck = StoredValue::new(None::<futures::future::AbortHandle>);
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        let by_status = status.get().is_some() || order.get().0 == SortKey::Status;
        // The wait set again from now when the device wakes: its timer may have slept with it.
        desk.track_shown();
        let wait = rows.with(|r| match (by_status, r) {
            (true, Some(Ok(r))) => {
                // Due at the first change after the rows were read, or a minute after they came
                // (a read held back by 409s for a minute is not followed by another at once);
                // not from now: set again when the page is shown again, the wait neither skips a
                // change the device slept through nor starts the minute over. In real time, as
                // the clock's other timers wait; the time read is whole seconds, so a second
                // more is never early.
                let longest = chrono::Duration::milliseconds(RECHECK_MS);
                let due = status::read_again_at(&r.records, r.read_at, r.arrived_at + longest);
                Some((desk.real_wait(due) as i64 + 1000).min(RECHECK_MS))
            }
            _ => None,
        });
        let Some(wait) = wait else {
            if let Some(timer) = recheck.try_update_value(Option::take).flatten() {
                timer.abort();
            }
            return;
        };
        tasks.spawn_instead(recheck, async move {
            let mut wait = wait;
            loop {
                gloo_timers::future::TimeoutFuture::new(wait as u32).await;
                super::tasks::page_shown().await;
                let on_a_row = section
                    .get_untracked()
                    .and_then(|s| s.query_selector("tbody").ok().flatten())
                    .is_some_and(|rows| rows.matches(":focus-within").unwrap_or(false));
                if !on_a_row {
                    break;
                }
                wait = RECHECK_MS;
            }
            refresh.run(());
        });
    });

    let search_input = NodeRef::<leptos::html::Input>::new();
    // The list is where the desk starts: the cursor waits in Search.
    focus_when_shown(search_input);
    // Try again goes once the list is read: the focus moves to Search, where the list starts,
    // not to the page's body. (Failing again, the button stays, and the focus with it.) Looked at
    // as a try ends, which sets `retrying` back after the rows.
    Effect::new(move |was_retrying: Option<bool>| {
        let now = retrying.get();
        let read = rows.with_untracked(|r| matches!(r, Some(Ok(_))));
        if was_retrying == Some(true) && !now && read {
            if let Some(input) = search_input.get_untracked().filter(|_| desk.may_focus()) {
                let _ = input.focus();
            }
        }
        now
    });
    // Back from a code (or the selection's sheet), the focus returns to its link (or Print
    // vouchers) once the list is drawn again; not if, meanwhile,
    // something was typed in Search, where the focus waited (a word would be left half typed), or
    // the focus was taken elsewhere.
    let searched = StoredValue::new(false);
    Effect::new(move |_| {
        let drawn = rows.with(|r| matches!(r, Some(Ok(_))));
        let Some(left) = opened.get_untracked().filter(|_| drawn && desk.may_focus()) else {
            return;
        };
        opened.set(None);
        let moved_on = search_input.get_untracked().is_some_and(|input| {
            super::field::focused_where(&input)
                .is_some_and(|f| !f.is_same_node(Some(&input)) && f.tag_name() != "BODY")
        });
        if moved_on || searched.get_value() {
            return;
        }
        let selector = match left {
            Left::Code(id) => format!(".wd-code-link[data-id=\"{id}\"]"),
            Left::Vouchers => ".wd-bulk .wd-print-selection".to_owned(),
        };
        let link = section
            .get_untracked()
            .and_then(|s| s.query_selector(&selector).ok().flatten());
        if let Some(link) =
            link.and_then(|l| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(l).ok())
        {
            let _ = link.focus();
        }
    });
    // A header's sort is said as it changes: `aria-sort` on the column is not read out then.
    let sorted_said = RwSignal::new(String::new());
    let header = move |label: &'static str, field: SortKey| {
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
                    let way = match order.get_untracked().1 {
                        SortDirection::Ascending => "ascending",
                        SortDirection::Descending => "descending",
                    };
                    sorted_said.set(format!("Sorted by {label}, {way}."));
                    first_page();
                }>{label}</button>
            </th>
        }
    };
    let shown = Signal::derive(move || {
        rows.with(|r| match r {
            Some(Ok(r)) => r.records.clone(),
            _ => Vec::new(),
        })
    });
    // Selected codes this page does not show (ticked on another page, or under another search
    // or filter): the bulk bar acts on them too, and says so. Nothing is said while a list loads.
    let unseen = Signal::derive(move || {
        rows.with(|r| match r {
            Some(Ok(r)) => {
                let here: HashSet<i64> = r.records.iter().map(|t| t.id).collect();
                selection.with(|sel| sel.keys().filter(|id| !here.contains(id)).count())
            }
            _ => 0,
        })
    });
    let all_shown_selected = move || {
        shown.with(|s| {
            !s.is_empty() && selection.with(|sel| s.iter().all(|t| sel.contains_key(&t.id)))
        })
    };
    let day_input = move |label: &'static str,
                          id: &'static str,
                          get: fn(&DateWindow) -> Option<NaiveDate>,
                          set: fn(&mut DateWindow, Option<NaiveDate>)| {
        view! {
            <div class="wd-field">
                <label for=id>{label}</label>
                <input id=id type="date"
                    prop:value=move || get(&dates.get()).map(|d| d.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                    let day = clock::day_from_input(&event_target_value(&ev));
                    if day.is_some_and(clock::year_being_typed) {
                        return;
                    }
                    dates.update(|w| set(w, day));
                    first_page();
                } />
            </div>
        }
    };

    view! {
        <section class="wd-list" aria-labelledby="wd-list-title" node_ref=section>
            <h2 id="wd-list-title">"Access codes"</h2>
            <div class="wd-filters" role="search" aria-label="Find codes">
                <div class="wd-field wd-search">
                    <label for="wd-search">"Search"</label>
                    <input id="wd-search" name="search" type="search" aria-keyshortcuts=keys.then_some("/") node_ref=search_input placeholder="Code or description"
                        prop:value=move || search.get()
                        on:input=move |ev| {
                            searched.set_value(true);
                            search.set(event_target_value(&ev));
                            first_page();
                        } />
                </div>
                <div class="wd-field">
                    <label for="wd-status-filter">"Status"</label>
                    <select id="wd-status-filter" on:change=move |ev| {
                        status.set(StatusFilter::parse(&event_target_value(&ev)));
                        first_page();
                    }>
                        <option value="" selected=move || status.get().is_none()>"Any status"</option>
                        {StatusFilter::ALL.into_iter().map(|f| view! {
                            <option value=f.as_str() selected=move || status.get() == Some(f)>{f.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                {day_input("Starting on or after", "wd-starts-after", |w| w.starts_on_or_after, |w, d| w.starts_on_or_after = d)}
                {day_input("Ending on or before", "wd-ends-before", |w| w.ends_on_or_before, |w, d| w.ends_on_or_before = d)}
            </div>
            <div class="wd-actions">
            <p class="wd-count" role="status" aria-live="polite">{move || match rows.get() {
                // Said as it starts, so the same failure again is said again.
                _ if retrying.get() => "Trying again…".to_owned(),
                None => "Loading codes…".to_owned(),
                Some(Err(e)) => e.to_string(),
                Some(Ok(r)) if r.cut => format!(
                    "{} among the first {READ_AT_MOST} read. Narrow the dates to search the rest.",
                    reading::counted(r.total as usize, "match", "matches")
                ),
                Some(Ok(r)) if !r.listing.server_paged() || !r.listing.dates.is_open() => reading::counted(r.total as usize, "match", "matches"),
                Some(Ok(r)) => reading::counted(r.total as usize, "code", "codes"),
            }}</p>
            <Show when=move || matches!(rows.get(), Some(Err(_)))>
                <button type="button" on:click=move |_| {
                    retrying.set(true);
                    refresh.run(());
                }>"Try again"</button>
            </Show>
            </div>
            <div class="wd-actions">
                <button type="button" aria-disabled=move || exporting.get().to_string() on:click=move |_| {
                    if exporting.get_untracked() {
                        return;
                    }
                    exporting.set(true);
                    exported.set(Some("Exporting…".into()));
                    let listing = listing();
                    tasks.spawn(async move {
                        let outcome = match all_matching(desk, &listing).await {
                            // Part of a list must not pass for all of it.
                            Ok(all) if all.cut => Err(format!(
                                "Nothing exported: there are more codes than one export reads \
                                 ({READ_AT_MOST}). Narrow the dates and export them in parts."
                            )),
                            Ok(all) => export_csv(&all.records, desk.now()),
                            Err(e) => Err(e.to_string()),
                        };
                        exported.set(Some(outcome.unwrap_or_else(|e| e)));
                        exporting.set(false);
                    });
                }>"Export CSV"</button>
                <p class="wd-message" role="status" aria-live="polite">{move || exported.get()}</p>
            </div>
            <BulkBar selection unseen on_done=refresh on_print focus_after_clear=select_all />
            <p class="wd-visually-hidden wd-sorted-said" aria-live="polite">{move || sorted_said.get()}</p>
            // Scrolls on its own in a narrow space, so the host page never does; focusable, so
            // the keyboard can scroll it too.
            <div class="wd-table-scroll" role="region" aria-label="Table of codes, scrolls sideways" tabindex="0">
            <table class="wd-table" part="table" aria-labelledby="wd-list-title">
                <thead>
                    <tr>
                        <th scope="col" class="wd-pick">
                            <input type="checkbox" aria-label="Select all on this page" node_ref=select_all
                                prop:checked=all_shown_selected
                                // Some of the page ticked: read as "mixed", not as unticked.
                                prop:indeterminate=move || !all_shown_selected() && shown.with(|s| selection.with(|sel| s.iter().any(|t| sel.contains_key(&t.id))))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let page = shown.get_untracked();
                                    selection.update(|s| for t in page {
                                        if on { s.insert(t.id, t); } else { s.remove(&t.id); }
                                    });
                                } />
                        </th>
                        {header("Code", Field::AccessCode.into())}
                        {header("Description", Field::Description.into())}
                        {header("Minutes left", Field::MinutesLeft.into())}
                        {header("Valid from", Field::ValidFrom.into())}
                        {header("Valid to", Field::ValidTo.into())}
                        {header("Devices", Field::UserLimit.into())}
                        {header("Last access", Field::LastAccess.into())}
                        {header("Status", SortKey::Status)}
                    </tr>
                </thead>
                <tbody>
                    <TokenRows tokens=shown selection on_open />
                </tbody>
            </table>
            </div>
            <nav class="wd-pages" aria-label="Pages">
                <div class="wd-field wd-inline">
                    <label for="wd-page-size">"Rows per page"</label>
                    <select id="wd-page-size" on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                            size.set(n);
                            first_page();
                        }
                    }>
                        {PAGE_SIZES.into_iter().map(|n| view! {
                            <option value=n.to_string() selected=move || size.get() == n>{n}</option>
                        }).collect_view()}
                    </select>
                </div>
                // At either end the button stays focusable (aria-disabled, not disabled): a disabled
                // button would drop the focus of whoever paged there to the page's body.
                <button type="button" aria-disabled=move || (!has_previous()).to_string()
                    on:click=move |_| if has_previous() { page.update(|p| *p -= 1) }>
                    "Previous page"
                </button>
                // Said when it changes: the pager's buttons keep the focus and say nothing.
                <span role="status">{move || rows.with(|r| match r {
                    Some(Ok(r)) if r.pages > 0 => format!("Page {} of {}", page.get(), r.pages),
                    _ => String::new(),
                })}</span>
                <button type="button" aria-disabled=move || (!has_next()).to_string()
                    on:click=move |_| if has_next() { page.update(|p| *p += 1) }>
                    "Next page"
                </button>
            </nav>
        </section>
    }
}

/// The table's rows, keyed by id and what they show: a changed record redraws its own row only,
/// whether an edit changed it (and its `UpdatedOn`) or its use did (minutes left, last access,
/// which leave `UpdatedOn` as it was). A status, and "in use now", change on their own as the
/// clock reaches the moment they do.
#[component]
pub fn TokenRows(
    /// The codes to show, in order.
    #[prop(into)]
    tokens: Signal<Vec<AccessToken>>,
    /// The selected codes; each row's checkbox adds or removes its own.
    selection: Selection,
    /// Called with a code's id to open its detail.
    on_open: Callback<i64>,
) -> impl IntoView {
    let group = ClientContext::handle().options().code_style.group();
    let now = clock::ticking(move |at| tokens.with(|t| status::next_change(t, at)));
    view! {
        <For
            each=move || tokens.get()
            key=row_key
            children=move |t| row(t, now, group, selection, on_open)
        />
    }
}

/// What a row shows of a record, to key it by: its id and a digest of the rest, so the row is
/// drawn again when any of it changes, without copying its text for every row of every read.
type RowKey = (i64, u64);

fn row_key(t: &AccessToken) -> RowKey {
    use std::hash::{Hash, Hasher};
    let mut shown = std::collections::hash_map::DefaultHasher::new();
    (
        t.updated_on,
        t.minutes_left,
        t.minutes_included,
        t.last_access,
    )
        .hash(&mut shown);
    (t.valid_from, t.valid_to, t.user_limit).hash(&mut shown);
    (&t.access_code, &t.description).hash(&mut shown);
    (t.id, shown.finish())
}

/// `token`'s status as `now` moves: the class of the element that shows it (`base` and
/// `wd-status-…`), and its symbol and word. Each is worked out again as the clock moves and drawn
/// again only where it changes.
pub(super) fn live_status(
    token: AccessToken,
    now: ReadSignal<chrono::NaiveDateTime>,
    base: &'static str,
) -> (impl Fn() -> String + Send + Sync + 'static, impl IntoView) {
    let state = move || Status::of(&token, now.get());
    let class = {
        let state = state.clone();
        move || format!("{base} wd-status-{}", state().as_str())
    };
    let icon = {
        let state = state.clone();
        move || state().icon()
    };
    let shown = view! { <span aria-hidden="true">{icon}</span>" "{move || state().label()} };
    (class, shown)
}

/// One row; a click or Enter on the code opens the detail, Space on the checkbox selects it.
fn row(
    token: AccessToken,
    now: ReadSignal<chrono::NaiveDateTime>,
    group: usize,
    selection: Selection,
    on_open: Callback<i64>,
) -> impl IntoView {
    // What the clock's passing can change, kept without the record's text for the row's closures.
    let timing = AccessToken {
        valid_from: token.valid_from,
        valid_to: token.valid_to,
        minutes_included: token.minutes_included,
        minutes_left: token.minutes_left,
        last_access: token.last_access,
        ..AccessToken::default()
    };
    let (row_class, status) = live_status(timing.clone(), now, "wd-row");
    let id = token.id;
    let grouped = reading::grouped(&token.access_code, group);
    let when = |w: Option<wifi_desk_wire::WallClock>, none: &'static str| {
        w.map(|w| clock::show_short(w.local()))
            .unwrap_or_else(|| none.to_owned())
    };
    let last = {
        let used = when(token.last_access, "Never");
        move || {
            if status::in_use(&timing, now.get()) {
                "In use now".to_owned()
            } else {
                used.clone()
            }
        }
    };
    let metered = token.metered();
    let minutes = if metered {
        format!(" {} of {}", token.minutes_left, token.minutes_included)
    } else {
        "No limit".to_owned()
    };
    let picked = token.clone();
    view! {
        <tr class=row_class>
            <td class="wd-pick">
                <input type="checkbox" aria-label=format!("Select {grouped}")
                    prop:checked=move || selection.with(|s| s.contains_key(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selection.update(|s| if on { s.insert(id, picked.clone()); } else { s.remove(&id); });
                    } />
            </td>
            <th scope="row">
                <button type="button" class="wd-code-link" data-id=id on:click=move |_| on_open.run(id)>{grouped}</button>
            </th>
            <td>{token.description.unwrap_or_default()}</td>
            <td>
                {metered.then(|| view! {
                    <progress max=token.minutes_included value=token.minutes_left.max(0) aria-hidden="true"></progress>
                })}
                {minutes}
            </td>
            <td>{when(token.valid_from, "—")}</td>
            <td>{when(token.valid_to, "Until used up")}</td>
            <td>{token.user_limit.unwrap_or(1)}</td>
            <td>{last}</td>
            <td>{status}</td>
        </tr>
    }
}

/// `records` as a CSV download, statuses as of `now`; a sentence saying what happened either way.
pub(super) fn export_csv(records: &[AccessToken], now: NaiveDateTime) -> Result<String, String> {
    let text = export::to_csv(records, now)?;
    let name = export::file_name(now);
    super::download::download(&name, &text, "text/csv;charset=utf-8")?;
    Ok(format!(
        "Exported {} to {name}.",
        reading::counted(records.len(), "code", "codes")
    ))
}

/// `query` for the codes of the desk's business, when it has one: an account may see the codes of
/// several businesses, and a desk lists, exports and acts on its own.
fn of_the_desk(desk: ClientContext, query: ListQuery) -> ListQuery {
    match desk.options_with(|o| o.business_id) {
        Some(business) => query.filter(Field::Business, business.to_string()),
        None => query,
    }
}

/// Every code the listing holds, across all pages, in its order. The API joins filters with AND,
/// so a search asks by code and by description and merges; a status asks for the ranges that
/// contain it; each record is then checked exactly.
async fn all_matching(desk: ClientContext, listing: &Listing) -> Result<Matching, ApiError> {
    let (client, now) = (desk.client(), desk.now());
    let (key, dir) = listing.order;
    // Read in the order of ids, which no use of a code changes: in the order shown (last access,
    // minutes left), a code used between two pages would move into one read already and be
    // missed. The codes are sorted as shown below.
    let base = of_the_desk(
        desk,
        listing.dates.apply(
            ListQuery::new()
                .size(1000)
                .order_by(Field::Id, SortDirection::Ascending),
        ),
    );
    let bases = if listing.search.is_empty() {
        vec![base]
    } else {
        // A code as read out or printed (grouped, any case) is found as stored. A search with
        // nothing of a code in it ("-") asks by description alone: an empty filter is no filter.
        // A code made elsewhere may keep its dashes ("guest-42"): asked for as typed too. (Not a
        // code read out in groups, with spaces: that is one more request for nothing.)
        let code = code::normalize(&listing.search);
        let typed = listing.search.trim();
        let as_typed = (typed.contains('-') && !typed.eq_ignore_ascii_case(&code))
            .then(|| base.clone().filter(Field::AccessCode, typed));
        let by_code = (!code.is_empty()).then(|| base.clone().filter(Field::AccessCode, code));
        by_code
            .into_iter()
            .chain(as_typed)
            .chain([base.filter(Field::Description, &listing.search)])
            .collect()
    };
    let queries = bases.into_iter().flat_map(|b| match listing.status {
        Some(f) => f.narrow(&b, now),
        None => vec![b],
    });
    let mut seen = HashSet::new();
    let mut records = Vec::new();
    let mut cut = false;
    for query in queries {
        cut |= read_pages(&client, &query, &mut seen, &mut records).await?;
    }
    let mut kept = filter::keep(records, listing.status, listing.dates, now);
    filter::sort(&mut kept, key, dir, now);
    Ok(Matching {
        records: kept,
        cut,
        read_at: now,
    })
}

/// Every page of `query`, its records not `seen` yet added to `records`; whether pages were left
/// unread. Pages are read by number, so a code revoked (or changed out of the query) on a page
/// already read moves the next page's first code onto that page, unread; a code added moves one
/// back, read twice. When the total changes between two pages, the query is read again from its
/// first page, what the pass read set aside, up to [`RESTARTS`] times and while the pages read in
/// all stay within [`MAX_PAGES`]. A pass whose total holds has missed nothing, unless a code was
/// added as another went.
async fn read_pages(
    client: &Client,
    query: &ListQuery,
    seen: &mut HashSet<i64>,
    records: &mut Vec<AccessToken>,
) -> Result<bool, ApiError> {
    let (mut restarts, mut read) = (0, 0_i64);
    'pass: loop {
        let (mut total, mut pass) = (None, Vec::new());
        for page in 1..=MAX_PAGES {
            let answer = client.list(&query.clone().page(page)).await?;
            read += 1;
            let held = *total.get_or_insert(answer.total_items) == answer.total_items;
            if !held && restarts < RESTARTS && read + answer.total_pages <= i64::from(MAX_PAGES) {
                restarts += 1;
                continue 'pass;
            }
            pass.extend(answer.records);
            if !answer.has_next_page {
                records.extend(pass.into_iter().filter(|t| seen.insert(t.id)));
                return Ok(false);
            }
        }
        records.extend(pass.into_iter().filter(|t| seen.insert(t.id)));
        return Ok(true);
    }
}

/// How many times a list whose total changes while it is read is read again from its start.
const RESTARTS: u32 = 3;

/// The longest a list with a status filter goes without being read again.
const RECHECK_MS: i64 = 60_000;

/// How long a search waits for the next key before it asks the server.
const SEARCH_PAUSE_MS: u32 = 250;

/// The rows for `listing`: a page the API serves, or a page of every match.
async fn load(
    desk: ClientContext,
    listing: Listing,
    matches: StoredValue<Option<(Listing, Matching)>>,
) -> Result<Rows, ApiError> {
    let client = desk.client();
    // A server that does not read the direction on this field pages it in its own order, and no
    // server knows a code's status: every code is then read and sorted here, as for a search.
    let (key, dir) = listing.order;
    let field = match key {
        SortKey::Field(field) if client.reads_dir(field) => Some(field),
        _ => None,
    };
    if let Some(field) = field.filter(|_| listing.server_paged()) {
        let query = ListQuery::new()
            .page(listing.page)
            .size(listing.size)
            .order_by(field, dir);
        let read_at = desk.now();
        let p = client
            .list(&of_the_desk(desk, listing.dates.apply(query)))
            .await?;
        if client.reads_dir(field) {
            return Ok(Rows {
                records: p.records,
                total: p.total_items,
                pages: p.total_pages,
                cut: false,
                listing,
                read_at,
                arrived_at: desk.now(),
            });
        }
    }
    let key = listing.unpaged();
    let cached = matches.with_value(|m| match m {
        Some((k, all)) if *k == key => Some(all.clone()),
        _ => None,
    });
    let all = match cached {
        Some(all) => all,
        None => {
            let all = all_matching(desk, &listing).await?;
            matches.set_value(Some((key, all.clone())));
            all
        }
    };
    let size = listing.size as usize;
    let start = (listing.page.max(1) as usize - 1) * size;
    Ok(Rows {
        records: all.records.iter().skip(start).take(size).cloned().collect(),
        total: all.records.len() as i64,
        pages: all.records.len().div_ceil(size) as i64,
        cut: all.cut,
        listing,
        read_at: all.read_at,
        arrived_at: desk.now(),
    })
}
