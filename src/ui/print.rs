//! Printing one part of the widget alone. The part (a voucher or a sheet of them) is copied into a
//! frame of its own with the widget's stylesheets, and the browser prints that frame: embedded in a
//! host page, a print stylesheet inside the widget's shadow root could not hide the page around it,
//! and a frame holds nothing else. The frame goes once printing is over.

use futures::future::select;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::{prelude::*, JsCast};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, EventTarget, HtmlIFrameElement, Node};

/// The frame's class, which the stylesheet keeps out of sight.
pub const FRAME_CLASS: &str = "wd-print-frame";

/// How long to wait for the frame or a stylesheet before printing anyway.
const LOAD_WAIT_MS: u32 = 5_000;

/// Marks a widget whose print is being prepared: a second press meanwhile would replace its frame.
/// On the widget, not the page: two widgets on a page each print their own.
const PREPARING: &str = "data-wd-printing";

/// Prints the printable part (`.wd-printable`) of the widget whose button was clicked, alone; a
/// press while that widget's last one is still being prepared does nothing. Should the frame fail where the
/// widget is the page, the browser prints the page, whose print stylesheet shows that part alone;
/// embedded, printing the page would print the host's, so it does not.
pub fn print(click: web_sys::MouseEvent) {
    let widget = click
        .current_target()
        .and_then(|button| button.dyn_into::<Element>().ok())
        .and_then(|button| button.closest(".wifi-desk").ok().flatten());
    let Some((widget, part)) = widget.and_then(|widget| {
        let part = widget.query_selector(".wd-printable").ok().flatten()?;
        Some((widget, part))
    }) else {
        return;
    };
    if widget.has_attribute(PREPARING) || widget.set_attribute(PREPARING, "").is_err() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let printed = print_alone(&widget, &part).await;
        let _ = widget.remove_attribute(PREPARING);
        if printed.is_err() && part.get_root_node().is_instance_of::<Document>() {
            if let Some(window) = web_sys::window() {
                let _ = window.print();
            }
        }
    });
}

async fn print_alone(widget: &Element, part: &Element) -> Result<(), JsValue> {
    let document = part.owner_document().ok_or("no document")?;
    let root = part.get_root_node();
    // Beside the widget, in the element it was drawn into (a container in its shadow root when
    // embedded); a frame left there by an earlier print goes first.
    let place = widget
        .parent_node()
        .ok_or("the widget is not on the page")?;
    remove_frames(&place)?;

    let frame: HtmlIFrameElement = document.create_element("iframe")?.unchecked_into();
    frame.set_class_name(FRAME_CLASS);
    frame.set_title("Voucher to print");
    frame.set_tab_index(-1);
    frame.set_attribute("aria-hidden", "true")?;
    // A document of its own, never a URL: it inherits the page's origin and its Content Security
    // Policy, and runs no script.
    frame.set_srcdoc("<!DOCTYPE html><title>WiFi voucher</title>");
    let loaded = settled(&frame);
    place.append_child(&frame)?;
    within(loaded).await;

    let (Some(window), Some(inside)) = (frame.content_window(), frame.content_document()) else {
        return Err("the print frame has no document".into());
    };
    if let (Some(lang), Some(html)) = (widget.get_attribute("lang"), inside.document_element()) {
        html.set_attribute("lang", &lang)?;
    }
    let head = inside.head().ok_or("the print frame has no head")?;
    let mut styled = Vec::new();
    for href in stylesheets(&root)? {
        let link = inside.create_element("link")?;
        link.set_attribute("rel", "stylesheet")?;
        link.set_attribute("href", &href)?;
        styled.push(settled(&link));
        head.append_child(&link)?;
    }
    // Inside `.wifi-desk`, the copy gets the widget's fonts and colours as drawn; without its
    // buttons, which mean nothing on paper. (Nodes of the frame's document are not `instanceof`
    // this page's classes, hence the unchecked casts.)
    let copy: Element = inside.import_node_with_deep(part, true)?.unchecked_into();
    let buttons = copy.query_selector_all("button")?;
    for i in 0..buttons.length() {
        if let Some(button) = buttons.item(i) {
            button.unchecked_into::<Element>().remove();
        }
    }
    let wrapper = inside.create_element("div")?;
    // `wd-print-copy`: in the frame the part is laid out in the page's flow, where the sheet's
    // named page (A4, the 80 mm receipt) sets the paper; placed out of flow, it would not.
    wrapper.set_class_name("wifi-desk wd-print-copy");
    wrapper.append_child(&copy)?;
    inside
        .body()
        .ok_or("the print frame has no body")?
        .append_child(&wrapper)?;
    within(async {
        // Each loads meanwhile; waiting in turn waits for the slowest.
        for sheet in styled {
            let _ = sheet.await;
        }
    })
    .await;

    let done = frame.clone();
    let remove = Closure::once_into_js(move || done.remove());
    window.add_event_listener_with_callback("afterprint", remove.unchecked_ref())?;
    window.print()
}

/// A frame left beside the widget by an earlier print whose dialog never said it closed; another
/// widget's, perhaps being prepared, stays.
fn remove_frames(place: &Node) -> Result<(), JsValue> {
    let children = place.child_nodes();
    let frames: Vec<Element> = (0..children.length())
        .filter_map(|i| children.item(i)?.dyn_into::<Element>().ok())
        .filter(|child| child.class_list().contains(FRAME_CLASS))
        .collect();
    for frame in frames {
        frame.remove();
    }
    Ok(())
}

/// The absolute addresses of the stylesheets linked where the widget is drawn: its shadow root when
/// embedded, else the page.
fn stylesheets(root: &Node) -> Result<Vec<String>, JsValue> {
    Ok(query_all(root, "link[rel~='stylesheet'][href]")?
        .into_iter()
        .filter_map(|link| link.dyn_into::<web_sys::HtmlLinkElement>().ok())
        .map(|link| link.href())
        .collect())
}

fn query_all(root: &Node, selector: &str) -> Result<Vec<Element>, JsValue> {
    let list = if let Some(shadow) = root.dyn_ref::<web_sys::ShadowRoot>() {
        shadow.query_selector_all(selector)?
    } else if let Some(document) = root.dyn_ref::<Document>() {
        document.query_selector_all(selector)?
    } else if let Some(element) = root.dyn_ref::<Element>() {
        element.query_selector_all(selector)?
    } else {
        return Ok(Vec::new());
    };
    Ok((0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect())
}

/// Resolves once `target` has loaded or failed to.
fn settled(target: &EventTarget) -> JsFuture {
    super::tasks::next_event(target, &["load", "error"])
}

/// Waits for `future`, but not past [`LOAD_WAIT_MS`]: a stylesheet that never answers delays the
/// print, and does not stop it.
async fn within(future: impl std::future::Future) {
    let _ = select(std::pin::pin!(future), TimeoutFuture::new(LOAD_WAIT_MS)).await;
}
