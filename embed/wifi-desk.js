// wifi-desk for host pages. One module script defines the <wifi-desk> element and exports mount():
//
//   <script type="module" src="https://your.server/wifi-desk/wifi-desk.js"></script>
//   <wifi-desk api-base="/api" business-id="1001" ssid="Guest WiFi"></wifi-desk>
//
// The WebAssembly, its bindings and the stylesheet sit in core/ beside this file. Nothing here is
// inline script or style, so it runs under `script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`.
import init, { defineElement, mount as mountWidget } from './core/wifi-desk.js';

const stylesheet = new URL('./core/wifi-desk.css', import.meta.url).href;

await init();
defineElement(stylesheet);

// Every handle mount() gave, until its unmount(). The browser frees a handle nothing refers to,
// and freeing one takes its widget away: a page that does not keep what mount() returned would
// see the widget vanish at the next garbage collection.
const mounted = new Set();

/** Mounts the widget in `element`; returns a handle with `unmount()` and `update(options)`. */
export function mount(element, options = {}) {
    const handle = mountWidget(element, { stylesheet, ...options });
    mounted.add(handle);
    const unmount = handle.unmount.bind(handle);
    handle.unmount = () => {
        mounted.delete(handle);
        unmount();
    };
    return handle;
}
